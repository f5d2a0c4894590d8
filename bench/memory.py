"""Peak memory and training speed by sentence length: fixed batches, chunked attention, budgets.

For each source-length band one epoch of the default attention model (bidirectional, units 256,
embedding 64) trains in its own process, so that its peak RSS (``wait4``'s ru_maxrss) is its own.
Bands: Tatoeba pairs whose longer side has <= 50, 50-150 or 150-600 characters (2048, 1024, 256
pairs; extra.tsv has real long ones), and ``joined``: 256 pairs of 150-580 characters, spread
evenly over that range, made by joining consecutive train.tsv pairs: the data of issue #12's
7.4 GB measurement. Settings:

- before:  ``--batch-size 32``, the whole (B, T, S, A) additive-attention tensor at once (the
  layer as it was, and as models still build it for --max-length <= 100)
- fixed:   ``--batch-size 64 --batch-tokens 0`` (64 pairs whatever their length, the default
  until the character budget), scores chunked over target steps
  (``BahdanauAttention(chunked=True)``, on for --max-length above 100)
- default: what ``seq2seq train --attention --max-length 600`` builds: at most 64 pairs and at
  most the default budget of padded characters per batch (``--batch-tokens N`` here sets
  another), chunked

A child whose RSS passes ``--cap-gb`` is killed (this 23 GB machine would otherwise swap or kill
something else) and its row says so.

    python bench/memory.py [--bands joined,150-600] [--settings before,default] [--threads 2]
        [--pairs 1024]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "tatoeba-en-pt"
BANDS = {"<=50": (1, 50), "50-150": (51, 150), "150-600": (151, 600), "joined": (150, 580)}
PAIRS = {"<=50": 2048, "50-150": 1024, "150-600": 256, "joined": 256}  # per band: pairs
SETTINGS = ("before", "fixed", "default")


def band_pairs(band: str, count: int):
    """``count`` pairs of the band: the first of extra.tsv (then train.tsv) whose longer side is
    in it, or for ``joined`` consecutive train.tsv pairs joined by spaces until both sides reach
    a length that steps through the band (a pair whose longer side would pass it is left out)."""
    from seq2seq.data import read_corpus

    low, high = BANDS[band]
    pairs = []
    if band == "joined":
        source, target = [], []
        for en, pt in read_corpus(DATA / "train.tsv", max_length=None).pairs:
            source.append(en), target.append(pt)
            en, pt = " ".join(source), " ".join(target)
            # the length this pair grows to, spread over the band (the longer side may pass it
            # by up to 100): 150, 311, 472, 303, ...
            goal = low + (len(pairs) * 161) % (high - low - 100)
            if min(len(en), len(pt)) >= goal:
                if max(len(en), len(pt)) <= high:
                    pairs.append((en, pt))
                source, target = [], []
            if len(pairs) == count:
                break
        return pairs
    for name in ("extra.tsv", "train.tsv"):
        for source, target in read_corpus(DATA / name, max_length=None).pairs:
            if low <= max(len(source), len(target)) <= high and len(pairs) < count:
                pairs.append((source, target))
    return pairs


def child(band: str, setting: str, batch_tokens: int, threads: int, count: int) -> None:
    """One epoch in this process; prints a JSON line with its pairs/s."""
    import keras
    import tensorflow as tf

    from seq2seq.batching import make_dataset
    from seq2seq.config import DEFAULT_BATCH_TOKENS, TrainConfig
    from seq2seq.model import Seq2Seq
    from seq2seq.training import compile_model
    from seq2seq.vocabulary import CharVocabulary

    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    pairs = band_pairs(band, count or PAIRS[band])
    budget = (batch_tokens or DEFAULT_BATCH_TOKENS) if setting == "default" else None
    config = TrainConfig(attention=True, max_length=600,  # the defaults: the shipped recipe
                         batch_size=32 if setting == "before" else 64, batch_tokens=budget)
    keras.utils.set_random_seed(0)
    source_vocab = CharVocabulary.build(s for s, _ in pairs)
    target_vocab = CharVocabulary.build(t for _, t in pairs)
    network = Seq2Seq(config, source_vocab.size, target_vocab.size)
    if setting == "before":
        network.attention.chunked = False  # the whole (B, T, S, A) tensor at once
    compile_model(network.training_model, config)
    data = make_dataset(pairs, source_vocab, target_vocab, config.batch_size, shuffle=True,
                        seed=0, batch_tokens=config.batch_tokens)
    batches = sum(1 for _ in data)
    started = time.perf_counter()
    network.training_model.fit(data, epochs=1, verbose=0)
    seconds = time.perf_counter() - started
    print(json.dumps({"pairs": len(pairs), "batches": batches, "seconds": seconds,
                      "pairs_per_s": len(pairs) / seconds}), flush=True)


def watch(pid: int, cap_gb: float, killed: list) -> None:
    """Kill process ``pid`` if its resident set passes ``cap_gb`` (polled every 0.1 s)."""
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            rss_kb = next(int(line.split()[1]) for line in status.read_text().splitlines()
                          if line.startswith("VmRSS:"))
        except (OSError, StopIteration):  # gone (or a zombie without VmRSS)
            return
        if rss_kb > cap_gb * 2**20:
            killed.append(rss_kb / 2**20)
            os.kill(pid, 9)
            return
        time.sleep(0.1)


def measure(band: str, setting: str, args) -> dict:
    """Run one child; its JSON line plus its peak RSS in GB."""
    command = [sys.executable, __file__, "--child", band, setting,
               "--batch-tokens", str(args.batch_tokens), "--threads", str(args.threads),
               "--pairs", str(args.pairs)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    killed = []
    threading.Thread(target=watch, args=(process.pid, args.cap_gb, killed), daemon=True).start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    peak_gb = usage.ru_maxrss / 2**20  # ru_maxrss is in KiB on Linux
    if killed:
        return {"error": f"killed above the cap of {args.cap_gb:g} GB", "peak_gb": peak_gb}
    if status != 0:
        signal = status & 0x7F
        return {"error": f"killed by signal {signal}" if signal else
                f"exit status {status >> 8}", "peak_gb": peak_gb}
    return {**json.loads(output.strip().splitlines()[-1]), "peak_gb": peak_gb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-tokens", type=int, default=0,
                        help="the default setting's budget (0: seq2seq's default)")
    parser.add_argument("--threads", type=int, default=0, help="0: TensorFlow's choice")
    parser.add_argument("--pairs", type=int, default=0,
                        help="pairs per band (0: 2048, 1024, 256, 256 as above)")
    parser.add_argument("--bands", default=",".join(BANDS), help="comma-separated")
    parser.add_argument("--settings", default=",".join(SETTINGS), help="comma-separated")
    parser.add_argument("--cap-gb", type=float, default=12.0,
                        help="kill a child whose RSS passes this")
    parser.add_argument("--child", nargs=2, metavar=("BAND", "SETTING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not here (the shared Tatoeba data)", file=sys.stderr)
        return 0
    if args.child:
        child(*args.child, args.batch_tokens, args.threads, args.pairs)
        return 0
    from seq2seq.config import DEFAULT_BATCH_TOKENS

    print(f"one epoch per row, the default attention model (bidirectional, units 256, emb 64); "
          f"before: batch 32, unchunked; fixed: batch 64, chunked; default: batch 64 and "
          f"--batch-tokens {args.batch_tokens or DEFAULT_BATCH_TOKENS}, chunked")
    print(f"{'band':>8} {'setting':>8} {'pairs':>6} {'batches':>8} {'s':>7} {'pairs/s':>8} "
          f"{'peak RSS GB':>12}")
    for band in args.bands.split(","):
        for setting in args.settings.split(","):
            row = measure(band, setting, args)
            if "error" in row:
                print(f"{band:>8} {setting:>8}  {row['error']}, peak {row['peak_gb']:.2f} GB",
                      flush=True)
                continue
            print(f"{band:>8} {setting:>8} {row['pairs']:6d} {row['batches']:8d} "
                  f"{row['seconds']:7.1f} {row['pairs_per_s']:8.1f} {row['peak_gb']:12.2f}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
