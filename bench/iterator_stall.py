"""Epoch-end stalls from tf.data autotuning, measured side by side in one run.

Keras makes a new iterator over the training data every epoch (and one over the dev data for
every validation) and deletes the old one. The pipeline used to end in
``prefetch(tf.data.AUTOTUNE)`` with tf.data's autotuning on (TensorFlow's default): a thread
tunes the prefetch buffer in rounds whose spacing doubles up to a minute, and deleting the
iterator waits for that thread's next round. ``make_dataset`` now ends in ``prefetch(2)`` with
autotuning off. Both endings are put on the same batches (``bucketed_batches``) and compared:

``fit`` of a small model (no attention) on the Tatoeba train.tsv for a few epochs each way, the
same batches in the same order: wall time per epoch, stalls included, and the garbage
collection after the run (an iterator freed there waits too; it would stall the next run).

Run from the repository root (needs ../shared/data/tatoeba-en-pt/train.tsv):

    .venv/bin/python bench/iterator_stall.py [--epochs 3] [--units 32]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import keras
import tensorflow as tf

from seq2seq.batching import bucketed_batches, make_dataset
from seq2seq.config import TrainConfig
from seq2seq.data import read_corpus
from seq2seq.model import Seq2Seq
from seq2seq.training import compile_model
from seq2seq.vocabulary import CharVocabulary

CORPUS = Path(__file__).resolve().parent.parent / ".." / "shared" / "data" / "tatoeba-en-pt"


def datasets(pairs, source, target, shuffle: bool) -> dict[str, tf.data.Dataset]:
    """The same batches with the old ending (autotuned prefetch) and with ``make_dataset``'s."""
    args = (pairs, source, target, 64, shuffle, 1)
    return {"autotuned (before)": bucketed_batches(*args).prefetch(tf.data.AUTOTUNE),
            "fixed (now)": make_dataset(*args)}


class EpochClock(keras.callbacks.Callback):
    """Wall time from one epoch's start to the next one's (the last: to the end of fit)."""

    def on_train_begin(self, logs=None):
        self.starts = []

    def on_epoch_begin(self, epoch, logs=None):
        self.starts.append(time.perf_counter())

    def on_train_end(self, logs=None):
        ends = [*self.starts[1:], time.perf_counter()]
        self.seconds = [end - start for start, end in zip(self.starts, ends, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--units", type=int, default=32)
    args = parser.parse_args()
    if not (CORPUS / "train.tsv").is_file():
        print(f"skipped: {CORPUS / 'train.tsv'} not found (the shared data sits beside the repo)")
        return 0
    pairs = read_corpus(CORPUS / "train.tsv", 100, False).pairs
    dev = read_corpus(CORPUS / "dev.tsv", 100, False).pairs
    source = CharVocabulary.build(s for s, _ in pairs)
    target = CharVocabulary.build(t for _, t in pairs)
    print(f"{len(pairs)} train pairs, {len(dev)} dev pairs; TensorFlow {tf.__version__}")

    train = datasets(pairs, source, target, shuffle=True)
    print(f"fit, {args.epochs} epochs each, units {args.units}: seconds per epoch, then gc")
    config = TrainConfig(units=args.units, embedding_dim=32, dropout=0.0, bidirectional=False)
    dev_sets = datasets(dev, source, target, shuffle=False)
    for label in reversed(train):  # the old ending last: its leftovers cannot slow the other
        keras.utils.set_random_seed(1)
        network = Seq2Seq(config, source.size, target.size)
        compile_model(network.training_model, config)
        clock = EpochClock()
        network.training_model.fit(train[label], validation_data=dev_sets[label],
                                   epochs=args.epochs, callbacks=[clock], verbose=0)
        del network
        started = time.perf_counter()
        gc.collect()  # frees the run's iterators now, on this run's clock
        cleanup = time.perf_counter() - started
        print(f"{label:>19} " + " ".join(f"{s:6.1f}" for s in clock.seconds)
              + f"   gc {cleanup:5.1f}   total {sum(clock.seconds) + cleanup:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
