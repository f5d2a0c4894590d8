"""Time of one training step (``train_on_batch``) of ``Seq2Seq`` on a fixed random batch.

A micro-benchmark for questions like "does bf16 / XLA / a thread setting make a step cheaper?":
no input pipeline and no padding, just batch x length ids of a 90/100-symbol vocabulary. Prints
the median and best of ``--repeats`` steps after 3 warm-up steps. Thread settings are
process-wide, so compare them across separate runs, alternating, on this shared machine:

    .venv/bin/python bench/step_time.py --precision float32
    .venv/bin/python bench/step_time.py --precision mixed_bfloat16
    .venv/bin/python bench/step_time.py --attention --bidirectional --embedding-dim 64
    .venv/bin/python bench/step_time.py --jit-compile
    .venv/bin/python bench/step_time.py --attention --bidirectional --input-feeding
    .venv/bin/python bench/step_time.py --intra-op-threads 1 --inter-op-threads 2
"""

from __future__ import annotations

import argparse
import sys
import time

import keras
import numpy as np
import tensorflow as tf

from seq2seq.config import PRECISIONS, TrainConfig
from seq2seq.model import Seq2Seq
from seq2seq.training import MaskedAccuracy, masked_loss


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--precision", choices=PRECISIONS, default="float32")
    parser.add_argument("--length", type=int, default=40, help="source and target length")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--embedding-dim", type=int, default=128)
    parser.add_argument("--dropout", type=float, default=0.2)  # the dropout layers are cheap
    parser.add_argument("--attention", action="store_true")
    parser.add_argument("--bidirectional", action="store_true")
    parser.add_argument("--input-feeding", action="store_true", help="with --attention")
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--jit-compile", action="store_true", help="XLA-compile the train step")
    parser.add_argument("--intra-op-threads", type=int, default=0, help="0: TensorFlow's choice")
    parser.add_argument("--inter-op-threads", type=int, default=0, help="0: TensorFlow's choice")
    parser.add_argument("--repeats", type=int, default=8)
    args = parser.parse_args(argv)

    tf.config.threading.set_intra_op_parallelism_threads(args.intra_op_threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.inter_op_threads)
    config = TrainConfig(units=args.units, embedding_dim=args.embedding_dim, dropout=args.dropout,
                         attention=args.attention, bidirectional=args.bidirectional,
                         input_feeding=args.input_feeding, layers=args.layers)
    keras.utils.set_random_seed(0)
    model = Seq2Seq(config, 90, 100, args.precision).training_model
    # compile_model's optimizer and loss, plus the XLA switch this script exists to try
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate, clipnorm=config.clipnorm),
                  loss=masked_loss(), metrics=[MaskedAccuracy()], jit_compile=args.jit_compile)
    rng = np.random.default_rng(0)
    shape = (args.batch_size, args.length)
    source = rng.integers(4, 90, shape).astype("int32")
    target_in, labels = (rng.integers(4, 100, shape).astype("int32") for _ in range(2))
    for _ in range(3):  # tracing
        model.train_on_batch((source, target_in), labels)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        model.train_on_batch((source, target_in), labels)
        times.append(time.perf_counter() - start)
    median = float(np.median(times))
    print(f"{args.precision} attention={args.attention} bidirectional={args.bidirectional} "
          f"input_feeding={args.input_feeding} layers={args.layers} "
          f"E={args.embedding_dim} T={args.length} xla={args.jit_compile} "
          f"threads={args.intra_op_threads}/{args.inter_op_threads}: median "
          f"{median * 1e3:.1f} ms, best {min(times) * 1e3:.1f} ms per step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
