"""The SavedModel export against the Translator: same outputs on dev, and speed per sentence.

Exports a bundle (default: the shipped checkpoints/default) with ``--format saved-model`` into a
temporary directory, loads it back with plain ``tf.saved_model.load``, and greedily translates
every distinct English sentence of dev.tsv both ways, in batches of ``--batch-size``. Prints the
share of identical outputs (the issue asks for >= 99%) and sentences/s of each, each timed after a
warm-up batch that absorbs tracing, side by side in one run; then the same for the
``beam_search`` signature (its first translation) against ``translate(beam=K)``, K = --beam,
both with whole inputs and no n-gram rule (``no_repeat=0, split=0``: the graph has neither).
Run from the repository root:

    .venv/bin/python bench/saved_model.py [--checkpoint DIR] [--batch-size 64] [--beam 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import tensorflow as tf

from seq2seq.checkpoint import DEFAULT_CHECKPOINT
from seq2seq.data import read_corpus
from seq2seq.evaluation import group_references
from seq2seq.serving import BEAM_SIGNATURE, SIGNATURE, export_saved_model
from seq2seq.translator import Translator

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "tatoeba-en-pt" / "dev.tsv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", default=str(DEFAULT_CHECKPOINT))
    parser.add_argument("--data", default=str(DEV))
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--beam", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.data).is_file():
        print(f"dev data not found at {args.data} (the shared Tatoeba data sits beside the repo)")
        return 1
    sources, _ = group_references(read_corpus(args.data, max_length=None).pairs)
    translator = Translator.load(args.checkpoint)
    # the Translator sorts by length before batching; do the same for the SavedModel
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    batches = [[sources[i] for i in order[k : k + args.batch_size]]
               for k in range(0, len(order), args.batch_size)]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path = export_saved_model(translator, Path(tmp) / "saved", beam=args.beam)
        export_seconds = time.perf_counter() - started
        loaded = tf.saved_model.load(str(path))
        print(f"checkpoint {args.checkpoint}; {len(sources)} distinct dev sources; batch "
              f"{args.batch_size}; export took {export_seconds:.1f}s")
        for name, signature, key, beam in ((f"greedy ({SIGNATURE})", SIGNATURE, "translation", 1),
                                           (f"beam {args.beam} ({BEAM_SIGNATURE}, first of "
                                            f"{args.beam})", BEAM_SIGNATURE, "translations",
                                            args.beam)):
            compare(name, loaded.signatures[signature], key, translator, batches, beam,
                    args.batch_size)
    return 0


def compare(name, signature, key, translator, batches, beam, batch_size):
    """Identical outputs and sentences/s of one signature against ``translate(beam=beam)``."""

    def served(texts):
        out = signature(text=tf.constant(texts, dtype=tf.string))[key].numpy()
        return [(t if beam == 1 else t[0]).decode("utf-8") for t in out]

    served(batches[0])  # warm-up: tracing
    translator.translate(batches[0], beam=beam, batch_size=batch_size, no_repeat=0, split=0)
    started = time.perf_counter()
    saved_out = [t for batch in batches for t in served(batch)]
    saved_seconds = time.perf_counter() - started
    texts = [s for b in batches for s in b]
    started = time.perf_counter()
    translator_out = translator.translate(texts, beam=beam, batch_size=batch_size, no_repeat=0,
                                          split=0)
    translator_seconds = time.perf_counter() - started
    same = sum(a == b for a, b in zip(saved_out, translator_out, strict=True))
    n = len(texts)
    print(f"\n{name}: identical outputs {same}/{n} = {100 * same / n:.1f}%")
    print(f"  Translator.translate: {translator_seconds:6.2f}s  {n / translator_seconds:7.1f} "
          "sentences/s")
    print(f"  SavedModel:           {saved_seconds:6.2f}s  {n / saved_seconds:7.1f} sentences/s  "
          f"({translator_seconds / saved_seconds:.2f}x the Translator)")
    for a, b, s in [(a, b, s) for a, b, s in zip(saved_out, translator_out, texts, strict=True)
                    if a != b][:5]:
        print(f"  differs: {s!r}\n    saved model: {a!r}\n    translator:  {b!r}")


if __name__ == "__main__":
    sys.exit(main())
