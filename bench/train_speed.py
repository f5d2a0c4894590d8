"""Training throughput of this pipeline against the keras.io character-level seq2seq notebook.

All rows are timed in one run, side by side, on the same pairs (all of the Tatoeba EN-PT
train.tsv), at the same LSTM units and batch size:

(a) this pipeline: ``Seq2Seq`` training model (char embeddings, no attention, like the notebook)
    fed by ``make_dataset`` (length buckets, per-batch padding), compiled with ``compile_model``
    (Adam, loss masked on padding); one row per ``--precision`` (float32, and mixed_bfloat16:
    bf16 compute with float32 weights and logits), each fed the same batches in the same order;
    With ``--batch-tokens N`` one more float32 row trains its own model on batches of at most
    ``--batch-size`` pairs and N padded characters (the toolkit's default batching, N = 16384)
    instead of ``--batch-size`` pairs whatever their length; its batches are interleaved with
    the others in proportion, so both epochs end together;
(b) the notebook method (keras.io "Character-level recurrent sequence-to-sequence model"):
    one-hot inputs and targets padded to the corpus's longest sentence, LSTM encoder whose states
    start an LSTM decoder, softmax Dense, categorical cross-entropy, rmsprop, float32.

Why: the notebook pads every sentence to ~440 characters and computes the padding; bucketing and
per-batch padding make each real character much cheaper, and bf16 matmuls make each LSTM step
cheaper on CPUs with native bf16. The figures that matter are pairs per second and useful
(non-padding) target characters per second; the share of this machine's matmul peak (in the row's
compute type) that goes into real characters says how much room is left.

All rows run the same compiled Keras train step (``train_on_batch`` is ``fit``'s step on one
batch), timed after a warm-up that absorbs tracing. (a) times one full epoch by default: its batch
cost varies over 20x with the bucket drawn, so a few dozen batches give a noisy figure, while a
whole epoch is exactly the corpus. (b) costs the same for every batch, so ten batches suffice.
There is no attention row: Bahdanau attention holds a (batch, target, source, units) tensor,
several GB for the longest batches of this corpus.
Run from the repository root:

    .venv/bin/python bench/train_speed.py [--steps 0] [--notebook-steps 10] [--embedding-dim 128]
        [--batch-tokens 16384]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from seq2seq.batching import make_dataset
from seq2seq.config import TrainConfig
from seq2seq.data import read_corpus
from seq2seq.model import Seq2Seq
from seq2seq.training import compile_model
from seq2seq.vocabulary import PAD_ID, CharVocabulary

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / ".." / "shared" / "data" / "tatoeba-en-pt" / "train.tsv"
ONE_HOT_LIMIT_GB = 6.0  # the machine is shared: above this, build one-hot batches on the fly


@dataclass
class Row:
    """What one timed run processed, and how long it took."""

    name: str
    compute: str = "float32"  # dtype its matmuls run in: which matmul peak "% peak" is against
    steps: int = 0
    seconds: float = 0.0
    pairs: int = 0
    source_chars: int = 0  # real source characters
    target_chars: int = 0  # real target characters, end marker included
    target_positions: int = 0  # target positions computed, padding included
    flops: float = 0.0  # analytic training FLOPs spent on real characters (3x forward)


def matmul_peak(n: int = 2048, repeats: int = 10, dtype=tf.float32) -> float:
    """Best FLOP/s of an n x n matmul in ``dtype`` on this machine, right now."""
    a = tf.cast(tf.random.normal((n, n)), dtype)
    b = tf.cast(tf.random.normal((n, n)), dtype)
    tf.matmul(a, b).numpy()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        tf.matmul(a, b).numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best


def lstm_flops(units: int, inputs: int) -> int:
    """Forward FLOPs of one LSTM step: four gates, each a matmul of [x, h] with a weight matrix."""
    return 2 * 4 * units * (inputs + units)


def add(row: Row, seconds, pairs, source_chars, target_chars, positions, flops_per_char):
    """Account one timed step; ``flops_per_char`` is forward FLOPs per (source, target) char."""
    row.steps += 1
    row.seconds += seconds
    row.pairs += pairs
    row.source_chars += source_chars
    row.target_chars += target_chars
    row.target_positions += positions
    row.flops += 3.0 * (source_chars * flops_per_char[0] + target_chars * flops_per_char[1])


def pipeline_setup(pairs, args, precisions, batch_tokens=None):
    """(a) One compiled, warmed-up Seq2Seq training model per precision, and make_dataset batches.

    Every model gets the same batches in the same order: the timed loop feeds each batch to all.
    Batches hold ``--batch-size`` pairs, or with ``batch_tokens`` fewer where they are long.
    """
    source_vocab = CharVocabulary.build(s for s, _ in pairs)
    target_vocab = CharVocabulary.build(t for _, t in pairs)
    config = TrainConfig(units=args.units, embedding_dim=args.embedding_dim,
                         batch_size=args.batch_size, batch_tokens=batch_tokens, max_length=None,
                         # the defaults when bench/README.md's figures were taken
                         bidirectional=False, dropout=0.2)
    dataset = make_dataset(pairs, source_vocab, target_vocab, args.batch_size, shuffle=True,
                           seed=0, batch_tokens=batch_tokens)
    models = []
    for precision in precisions:
        keras.utils.set_random_seed(0)
        model = Seq2Seq(config, source_vocab.size, target_vocab.size, precision).training_model
        compile_model(model, config)
        # Warm-up: tracing, the retrace once lengths vary, and one short batch so that the partial
        # batches at the end of an epoch find a trace with a free batch dimension.
        warm = iter(dataset)
        for step in range(args.warmup):
            (source, target_in), labels = next(warm)
            keep = len(labels) // 2 if step == args.warmup - 1 else len(labels)
            model.train_on_batch((source[:keep], target_in[:keep]), labels[:keep])
        models.append(model)

    timed = dataset.take(args.steps) if args.steps else dataset  # a fresh, reshuffled epoch
    forward_per_source = lstm_flops(args.units, config.embedding_dim)
    forward_per_target = lstm_flops(args.units, config.embedding_dim) + 2 * args.units * \
        target_vocab.size
    return models, timed, (forward_per_source, forward_per_target)


def notebook_model(units: int, encoder_tokens: int, decoder_tokens: int) -> keras.Model:
    """The keras.io lstm_seq2seq training model, as written there."""
    encoder_inputs = keras.Input(shape=(None, encoder_tokens))
    encoder = keras.layers.LSTM(units, return_state=True)
    _, state_h, state_c = encoder(encoder_inputs)
    decoder_inputs = keras.Input(shape=(None, decoder_tokens))
    decoder_lstm = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
    decoder_outputs = keras.layers.Dense(decoder_tokens, activation="softmax")(decoder_outputs)
    model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def notebook_setup(pairs, args):
    """(b) The notebook's one-hot model, warmed up, and a generator of its (untimed) batches."""
    input_texts = [s for s, _ in pairs]
    target_texts = ["\t" + t + "\n" for _, t in pairs]  # the notebook's start and end markers
    input_chars = sorted(set("".join(input_texts)))
    target_chars = sorted(set("".join(target_texts)))
    input_index = {c: i for i, c in enumerate(input_chars)}
    target_index = {c: i for i, c in enumerate(target_chars)}
    max_encoder = max(len(t) for t in input_texts)
    max_decoder = max(len(t) for t in target_texts)

    # Padded index arrays; like the notebook, padding is the one-hot of " ".
    n = len(pairs)
    encoder_ids = np.full((n, max_encoder), input_index[" "], np.int32)
    decoder_ids = np.full((n, max_decoder), target_index[" "], np.int32)
    target_ids = np.full((n, max_decoder), target_index[" "], np.int32)
    for i, (source, target) in enumerate(zip(input_texts, target_texts, strict=True)):
        encoder_ids[i, : len(source)] = [input_index[c] for c in source]
        decoder_ids[i, : len(target)] = [target_index[c] for c in target]
        target_ids[i, : len(target) - 1] = [target_index[c] for c in target[1:]]

    full_gb = n * (max_encoder * len(input_chars) + 2 * max_decoder * len(target_chars)) * 4 / 1e9
    on_the_fly = full_gb > ONE_HOT_LIMIT_GB
    print(f"notebook: {len(input_chars)} / {len(target_chars)} tokens, padded to "
          f"{max_encoder} / {max_decoder} steps; full float32 one-hot arrays: {full_gb:.2f} GB"
          + (f" > {ONE_HOT_LIMIT_GB:g} GB, so one-hot batches are built on the fly from padded "
             "index arrays (same arrays per batch)" if on_the_fly else ""))
    eye_in = np.eye(len(input_chars), dtype=np.float32)
    eye_out = np.eye(len(target_chars), dtype=np.float32)
    if not on_the_fly:
        encoder_ids, decoder_ids, target_ids = eye_in[encoder_ids], eye_out[decoder_ids], \
            eye_out[target_ids]

    def batch(rows):
        """One notebook batch of float32 one-hot arrays, built before the clock starts."""
        if on_the_fly:
            return ((eye_in[encoder_ids[rows]], eye_out[decoder_ids[rows]]),
                    eye_out[target_ids[rows]])
        return (encoder_ids[rows], decoder_ids[rows]), target_ids[rows]

    keras.utils.set_random_seed(0)
    model = notebook_model(args.units, len(input_chars), len(target_chars))
    order = np.random.default_rng(0).permutation(n)  # fit(shuffle=True) order
    b = args.batch_size
    for step in range(args.warmup_notebook):
        model.train_on_batch(*batch(order[step * b : (step + 1) * b]))

    def batches():
        """(x, y, pairs, real source chars, real target chars incl. "\\n", positions)."""
        for start in range(args.warmup_notebook * b, n, b):
            rows = order[start : start + b]
            x, y = batch(rows)
            yield (x, y, len(rows), sum(len(input_texts[i]) for i in rows),
                   sum(len(target_texts[i]) - 1 for i in rows), len(rows) * max_decoder)

    u = args.units
    forward_per_source = lstm_flops(u, len(input_chars))
    forward_per_target = lstm_flops(u, len(target_chars)) + 2 * u * len(target_chars)
    return model, batches(), (forward_per_source, forward_per_target)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(CORPUS), help="training TSV (default: %(default)s)")
    parser.add_argument("--steps", type=int, default=0,
                        help="timed batches for (a); 0 (default): one full epoch")
    parser.add_argument("--notebook-steps", type=int, default=10, help="timed batches for (b)")
    parser.add_argument("--warmup", type=int, default=4, help="untimed batches before (a)")
    parser.add_argument("--warmup-notebook", type=int, default=2, help="untimed batches, (b)")
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--batch-tokens", type=int, default=0, metavar="N",
                        help="also time a float32 row whose batches fit N padded characters "
                        "(0: no such row)")
    parser.add_argument("--precisions", default="float32,mixed_bfloat16",
                        help="(a) only: comma-separated --precision values, one row each")
    parser.add_argument("--embedding-dim", type=int, default=128,
                        help="(a) only; 64 is the shipped model's (the toolkit default now), "
                        "128 the toolkit default when bench/README.md's figures were taken")
    args = parser.parse_args(argv)

    if not Path(args.data).is_file():
        print(f"error: corpus not found: {args.data}\n(the Tatoeba EN-PT pairs live in "
              "../shared/data/tatoeba-en-pt/ next to the repository)", file=sys.stderr)
        return 2
    corpus = read_corpus(args.data, max_length=None)
    print(corpus.summary())
    print(f"units {args.units}, batch size {args.batch_size}, "
          f"{tf.config.threading.get_intra_op_parallelism_threads() or 'all'} intra-op threads")

    precisions = args.precisions.split(",")
    peaks = {"float32": [matmul_peak()], "bfloat16": [matmul_peak(dtype=tf.bfloat16)]}
    models_a, batches_a, flops_a = pipeline_setup(corpus.pairs, args, precisions)
    model_b, batches_b, flops_b = notebook_setup(corpus.pairs, args)
    if args.batch_tokens:
        (model_t,), batches_t, _ = pipeline_setup(corpus.pairs, args, ["float32"],
                                                  args.batch_tokens)
        row_t = Row(f"(a) float32, --batch-tokens {args.batch_tokens}")
        expected_t = sum(1 for _ in batches_t)  # batches in one epoch of the budget
        iterator_t = iter(batches_t)

    # Interleaved: every (a) model trains on each batch in turn, and one (b) step follows every
    # `every` batches, so that a change in the load of this shared machine hits all rows alike
    # and the ratios stay side by side.
    rows_a = [Row(f"(a) this pipeline, {p}", keras.DTypePolicy(p).compute_dtype)
              for p in precisions]
    b = Row("(b) keras.io notebook, float32")
    expected_a = args.steps or sum(1 for _ in batches_a)  # bucketed: no length known upfront
    every = max(1, expected_a // max(1, args.notebook_steps))

    def step_a(model, row, batch, fetch):
        """One timed training step of a pipeline row on ``batch`` (fetched in ``fetch`` s)."""
        x, y = batch
        source = int(np.count_nonzero(x[0].numpy() != PAD_ID))
        target = int(np.count_nonzero(y.numpy() != PAD_ID))
        start = time.perf_counter()
        model.train_on_batch(x, y)
        add(row, fetch + time.perf_counter() - start, int(y.shape[0]), source, target,
            int(y.shape[0] * y.shape[1]), flops_a)

    def step_t():
        """The --batch-tokens row's next batch; False once its epoch is done."""
        start = time.perf_counter()
        batch = next(iterator_t, None)
        if batch is not None:
            step_a(model_t, row_t, batch, time.perf_counter() - start)
        return batch is not None

    def step_b():
        x, y, pairs, source_chars, target_chars, positions = next(batches_b)
        start = time.perf_counter()
        model_b.train_on_batch(x, y)
        add(b, time.perf_counter() - start, pairs, source_chars, target_chars, positions, flops_b)

    iterator = iter(batches_a)
    while True:
        start = time.perf_counter()  # the input pipeline is inside the timed region of each row
        batch = next(iterator, None)
        fetch = time.perf_counter() - start
        if batch is None:
            break
        for model, row in zip(models_a, rows_a, strict=True):
            step_a(model, row, batch, fetch)
        # the budget row keeps pace: its share of its epoch follows the fixed rows' share
        while args.batch_tokens and row_t.steps * expected_a < rows_a[0].steps * expected_t:
            if not step_t():
                break
        if rows_a[0].steps % every == every // 2 and b.steps < args.notebook_steps:
            step_b()
    while args.batch_tokens and not args.steps and step_t():
        pass
    while b.steps < args.notebook_steps:
        step_b()
    if args.batch_tokens:
        rows_a.append(row_t)
    peaks["float32"].append(matmul_peak())
    peaks["bfloat16"].append(matmul_peak(dtype=tf.bfloat16))
    peak = {k: max(v) for k, v in peaks.items()}  # best of two moments: the machine is shared
    for kind, values in peaks.items():
        print(f"\n{kind} matmul peak (2048x2048 tf.matmul, best of 2 x 10): "
              f"{peak[kind] / 1e9:.1f} GFLOP/s (each time: "
              + ", ".join(f"{p / 1e9:.0f}" for p in values) + ")", end="")
    print()
    header = (f"{'method':<34} {'steps':>5} {'s/step':>7} {'pairs/s':>8} {'tgt chars/s':>11} "
              f"{'real/padded':>11} {'useful GFLOP/s':>14} {'% peak':>6} {'x (b)':>6}")
    print(header)
    print("-" * len(header))
    for row in (*rows_a, b):
        pairs_s = row.pairs / row.seconds
        useful = row.flops / row.seconds
        print(f"{row.name:<34} {row.steps:>5} {row.seconds / row.steps:>7.3f} {pairs_s:>8.1f} "
              f"{row.target_chars / row.seconds:>11.0f} "
              f"{row.target_chars / row.target_positions:>11.1%} {useful / 1e9:>14.2f} "
              f"{useful / peak[row.compute]:>6.1%} {pairs_s / (b.pairs / b.seconds):>6.1f}")
    print("\nreal/padded: real target characters (end marker included) / target positions "
          "computed.\nuseful GFLOP/s: analytic training FLOPs (3x forward: LSTM 2*4*U*(E+U) per "
          "real char, output 2*U*V per real target char) / time.\n% peak: of the matmul peak "
          "in the row's compute type (bfloat16 for mixed_bfloat16, whose output layer stays "
          "float32).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
