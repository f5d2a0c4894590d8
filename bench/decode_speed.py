"""Decoding speed: the keras.io notebook's per-character ``predict()`` against batched search.

One model, one run, three rows:

(a) the notebook method: one sentence at a time, ``encoder_model.predict()`` once per sentence and
    ``step_model.predict()`` once per output character (greedy), on a small dev sample (slow);
(b) batched greedy search (``Translator.translate``, compiled step) on every distinct English
    sentence of dev.tsv;
(c) beam search, width 5, on the same sentences.

Characters per second count the characters of the output text (end marker not counted), so an
output that runs to the length limit costs what it costs in every row. Each row is timed after a
warm-up call that absorbs tracing. Without ``--checkpoint`` the script first trains an attention
model (``--units``, default 128) for ``--epochs`` on train.tsv in a temporary directory.
Run from the repository root:

    .venv/bin/python bench/decode_speed.py [--checkpoint DIR | --save DIR] [--epochs 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from seq2seq.data import read_corpus
from seq2seq.translator import Translator
from seq2seq.vocabulary import END_ID, PAD_ID, START_ID

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".." / "shared" / "data" / "tatoeba-en-pt"


def notebook_greedy(translator: Translator, text: str, max_steps: int) -> str:
    """The keras.io notebook's decoding loop: one ``predict()`` per output character (per
    member and character for an ensemble, whose log-probabilities are averaged)."""
    source = np.array([translator.source_vocab.encode(text)], np.int32)  # (1, S)
    inputs, states = [], []
    for network in translator.networks:
        encoded = network.encoder_model.predict(source, verbose=0)
        inputs.append({k: encoded[k] for k in ("outputs", "mask", "keys") if k in encoded})
        states.append(encoded["states"])
    token, ids = START_ID, []
    for _ in range(max_steps):
        outs = [network.step_model.predict(
                    {**given, "token": np.array([[token]], np.int32), "states": state},
                    verbose=0)
                for network, given, state in zip(translator.networks, inputs, states,
                                                 strict=True)]
        log_probs = np.mean([o["log_probs"][0].astype(np.float64) for o in outs], axis=0)  # (V,)
        log_probs[[PAD_ID, START_ID]] = -np.inf
        token = int(log_probs.argmax())
        if token == END_ID:
            break
        ids.append(token)
        states = [o["states"] for o in outs]
    return translator.target_vocab.decode(ids)


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def report(name: str, outputs: list[str], seconds: float) -> float:
    """Print one row; return characters per second."""
    chars = sum(len(o) for o in outputs)
    rate = chars / seconds
    print(f"{name:<28} {len(outputs):>5} sentences {chars:>7} chars {seconds:>8.2f} s "
          f"{rate:>9.1f} chars/s {1000 * seconds / len(outputs):>8.1f} ms/sentence", flush=True)
    return rate


def train_model(args, out: Path) -> Path:
    from seq2seq import train

    data = DATA / "train.tsv"
    if args.train_pairs:
        pairs = read_corpus(data, max_length=100).pairs
        pairs = random.Random(0).sample(pairs, min(args.train_pairs, len(pairs)))
        data = out / "train_subset.tsv"
        data.write_text("".join(f"{en}\t{pt}\n" for en, pt in pairs), encoding="utf-8")
    print(f"training: {data.name}, attention, units {args.units}, {args.epochs} epoch(s)",
          flush=True)
    out.mkdir(parents=True, exist_ok=True)
    result = train(data=str(data), dev=str(DATA / "dev.tsv"), out=str(out / "model"),
                   attention=True, units=args.units, embedding_dim=64, epochs=args.epochs,
                   batch_size=64, learning_rate=3e-3, verbose=2,
                   # the defaults when bench/README.md's figures were taken
                   bidirectional=False, dropout=0.2, label_smoothing=0.0)
    print(f"trained in {result.seconds:.0f} s, dev loss {result.best_dev_loss:.3f}")
    return Path(result.checkpoint)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", help="an existing checkpoint (default: train one)")
    parser.add_argument("--units", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--train-pairs", type=int, default=0, help="train on a random subset")
    parser.add_argument("--save", help="keep the trained model in this directory (reuse it "
                        "with --checkpoint) instead of a temporary one")
    parser.add_argument("--notebook-sentences", type=int, default=10)
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    if not (DATA / "dev.tsv").is_file():
        print(f"shared Tatoeba data not found in {DATA.resolve()}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as scratch:
        checkpoint = args.checkpoint or train_model(args, Path(args.save or scratch))
        translator = Translator.load(checkpoint)
        c = translator.config
        units = "/".join(str(n.config.units) for n in translator.networks)  # members may differ
        print(f"model: {checkpoint} units {units}, layers {c.layers}, attention {c.attention}"
              f", {len(translator.networks)} network(s)")
    sources = list(dict.fromkeys(en for en, _ in read_corpus(DATA / "dev.tsv").pairs))
    sample = random.Random(0).sample(sources, min(args.notebook_sentences, len(sources)))
    decoder = translator.decoder

    notebook_greedy(translator, sample[0], 3)  # warm-up: predict() builds its function once
    outputs, seconds = timed(
        lambda: [notebook_greedy(translator, s, decoder.max_steps(len(s))) for s in sample]
    )
    notebook_rate = report("(a) notebook predict()/char", outputs, seconds)

    translator.translate(sources[:8], beam=1)  # warm-up: traces the compiled step once
    translator.translate(sources[:8], beam=args.beam)
    greedy_out, greedy_seconds = timed(translator.translate, sources, beam=1,
                                       batch_size=args.batch_size)
    greedy_rate = report("(b) batched greedy", greedy_out, greedy_seconds)
    beam_out, beam_seconds = timed(translator.translate, sources, beam=args.beam,
                                   batch_size=args.batch_size)
    report(f"(c) batched beam {args.beam}", beam_out, beam_seconds)

    same = sum(greedy_out[sources.index(s)] == o for s, o in zip(sample, outputs, strict=True))
    print(f"notebook and batched greedy agree on {same}/{len(sample)} sampled sentences")
    print(f"greedy vs notebook, chars/s: {greedy_rate / notebook_rate:.0f}x (target >= 100x)")
    print(f"beam {args.beam} time / greedy time: {beam_seconds / greedy_seconds:.2f}x "
          f"(target <= 4x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
