"""Peak memory and training speed by sentence length: fixed batches against character budgets.

For each source-length band (<= 50, 50-150, 150-600 characters; the longer side of a pair decides)
one epoch over Tatoeba pairs of that band (2048, 1024 and 256 of them; extra.tsv has real long
pairs, and enough pairs fill the length buckets as a real corpus does) trains the
default attention model (bidirectional, units 256, embedding 64), once per setting, each in its
own process so that its peak RSS (``wait4``'s ru_maxrss) is its own:

- before:  ``--batch-size 32``, the whole (B, T, S, A) additive-attention tensor at once
- chunked: ``--batch-size 32``, attention scores chunked over target steps
  (``BahdanauAttention(chunked=True)``, off in the models train builds)
- tokens:  ``--batch-tokens N`` (pairs per batch from a padded-character budget), chunked

    python bench/memory.py [--batch-tokens 4096] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "tatoeba-en-pt"
BANDS = {"<=50": (1, 50), "50-150": (51, 150), "150-600": (151, 600)}
PAIRS = {"<=50": 2048, "50-150": 1024, "150-600": 256}  # per band: pairs in its epoch
SETTINGS = ("before", "chunked", "tokens")


def band_pairs(band: str, count: int):
    """The first ``count`` pairs of extra.tsv (then train.tsv) whose longer side is in ``band``."""
    from seq2seq.data import read_corpus

    low, high = BANDS[band]
    pairs = []
    for name in ("extra.tsv", "train.tsv"):
        for source, target in read_corpus(DATA / name, max_length=None).pairs:
            if low <= max(len(source), len(target)) <= high and len(pairs) < count:
                pairs.append((source, target))
    return pairs


def child(band: str, setting: str, batch_tokens: int, threads: int) -> None:
    """One epoch in this process; prints a JSON line with its pairs/s."""
    import keras
    import tensorflow as tf

    from seq2seq.batching import make_dataset
    from seq2seq.config import TrainConfig
    from seq2seq.model import Seq2Seq
    from seq2seq.training import compile_model
    from seq2seq.vocabulary import CharVocabulary

    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    pairs = band_pairs(band, PAIRS[band])
    config = TrainConfig(attention=True, bidirectional=True, units=256, embedding_dim=64,
                         dropout=0.35, batch_size=32, max_length=600,
                         batch_tokens=batch_tokens if setting == "tokens" else None)
    keras.utils.set_random_seed(0)
    source_vocab = CharVocabulary.build(s for s, _ in pairs)
    target_vocab = CharVocabulary.build(t for _, t in pairs)
    network = Seq2Seq(config, source_vocab.size, target_vocab.size)
    network.attention.chunked = setting != "before"  # scores over chunks of CHUNK_ELEMENTS
    compile_model(network.training_model, config)
    data = make_dataset(pairs, source_vocab, target_vocab, config.batch_size, shuffle=True,
                        seed=0, batch_tokens=config.batch_tokens)
    batches = sum(1 for _ in data)
    started = time.perf_counter()
    network.training_model.fit(data, epochs=1, verbose=0)
    seconds = time.perf_counter() - started
    print(json.dumps({"pairs": len(pairs), "batches": batches, "seconds": seconds,
                      "pairs_per_s": len(pairs) / seconds}), flush=True)


def measure(band: str, setting: str, args) -> dict:
    """Run one child; its JSON line plus its peak RSS in GB."""
    command = [sys.executable, __file__, "--child", band, setting,
               "--batch-tokens", str(args.batch_tokens), "--threads", str(args.threads)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    peak_gb = usage.ru_maxrss / 2**20  # ru_maxrss is in KiB on Linux
    if status != 0:
        signal = status & 0x7F
        return {"error": f"killed by signal {signal}" if signal else
                f"exit status {status >> 8}", "peak_gb": peak_gb}
    return {**json.loads(output.strip().splitlines()[-1]), "peak_gb": peak_gb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-tokens", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=0, help="0: TensorFlow's choice")
    parser.add_argument("--child", nargs=2, metavar=("BAND", "SETTING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not here (the shared Tatoeba data)", file=sys.stderr)
        return 0
    if args.child:
        child(*args.child, args.batch_tokens, args.threads)
        return 0
    print(f"one epoch per row, attention + bidirectional, units 256, emb 64; "
          f"before/chunked: batch 32; tokens: --batch-tokens {args.batch_tokens}")
    print(f"{'band':>8} {'setting':>8} {'pairs':>6} {'batches':>8} {'s':>7} {'pairs/s':>8} "
          f"{'peak RSS GB':>12}")
    for band in BANDS:
        for setting in SETTINGS:
            row = measure(band, setting, args)
            if "error" in row:
                print(f"{band:>8} {setting:>8}  {row['error']}, peak {row['peak_gb']:.2f} GB")
                continue
            print(f"{band:>8} {setting:>8} {row['pairs']:6d} {row['batches']:8d} "
                  f"{row['seconds']:7.1f} {row['pairs_per_s']:8.1f} {row['peak_gb']:12.2f}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
