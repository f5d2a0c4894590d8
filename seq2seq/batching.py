"""From text pairs to padded tf.data batches for teacher forcing.

Each pair becomes (source ids, decoder input = <s> + target, labels = target + </s>). Pairs are
grouped into buckets of similar length and padded per batch, never to the corpus maximum, so
the LSTMs spend their time on real characters.
"""

from __future__ import annotations

import itertools

import numpy as np
import tensorflow as tf

from .data import Pair
from .vocabulary import END_ID, START_ID


def encode_pairs(pairs: list[Pair], source_vocab, target_vocab):
    """Lists of id lists: sources, decoder inputs (<s> + target), labels (target + </s>)."""
    sources, decoder_inputs, labels = [], [], []
    for source, target in pairs:
        target_ids = target_vocab.encode(target)
        sources.append(source_vocab.encode(source))
        decoder_inputs.append([START_ID, *target_ids])
        labels.append([*target_ids, END_ID])
    return sources, decoder_inputs, labels


def _ragged(rows: list[list[int]]) -> tf.RaggedTensor:
    """(N, None) int32 ragged tensor of id lists, built from one flat array (fast when N is big)."""
    lengths = np.fromiter(map(len, rows), np.int64, len(rows))
    flat = np.fromiter(itertools.chain.from_iterable(rows), np.int32, int(lengths.sum()))
    return tf.RaggedTensor.from_row_lengths(flat, lengths)


def bucket_boundaries(lengths: list[int], buckets: int = 16, growth: float = 1.2) -> list[int]:
    """Bucket edges: length quantiles for the bulk, then edges 20% apart up to the longest.

    Quantiles give buckets of similar size; the geometric tail stops a few very long sentences
    from sharing one bucket (and its padding) with everything above the last quantile.
    """
    edges = sorted({int(e) + 1 for e in np.quantile(lengths, np.linspace(0, 1, buckets + 1)[1:-1])})
    while edges[-1] < max(lengths):
        edges.append(int(edges[-1] * growth) + 1)
    return edges


def bucket_batch_sizes(boundaries: list[int], longest: int, batch_size: int,
                       batch_tokens: int | None) -> list[int]:
    """Pairs per batch in each bucket: at most ``batch_size``, and no more than pad to
    ``batch_tokens`` source + target characters (at least one pair).

    A bucket of lengths below edge e pads each pair to at most e - 1 source and e - 1 target
    positions; the last bucket holds lengths up to ``longest``.
    """
    if not batch_tokens:
        return [batch_size] * (len(boundaries) + 1)
    longest_in_bucket = [min(edge - 1, longest) for edge in boundaries] + [longest]
    return [max(1, min(batch_size, batch_tokens // (2 * n))) for n in longest_in_bucket]


def make_dataset(
    pairs: list[Pair],
    source_vocab,
    target_vocab,
    batch_size: int,
    shuffle: bool,
    seed: int = 0,
    batch_tokens: int | None = None,
) -> tf.data.Dataset:
    """Batches of ((source, decoder_input), labels), each padded to its own longest member.

    At most ``batch_size`` pairs per batch and, with ``batch_tokens``, no more than fit that many
    padded source + target characters in each length bucket: short pairs fill whole batches,
    long ones come a few at a time, so a batch's memory no longer grows with sentence length.
    """
    dataset = bucketed_batches(pairs, source_vocab, target_vocab, batch_size, shuffle, seed,
                               batch_tokens).prefetch(2)
    # A fixed prefetch and no tf.data autotuning: deleting an iterator whose prefetch buffer was
    # being autotuned waits for the tuning thread's next round, up to a minute apart, and Keras
    # deletes one per epoch (train and dev): training stalled at epoch ends, for seconds to a
    # minute (bench/iterator_stall.py)
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def bucketed_batches(pairs: list[Pair], source_vocab, target_vocab, batch_size: int,
                     shuffle: bool, seed: int = 0, batch_tokens: int | None = None):
    """``make_dataset``'s batches without its prefetch and options."""
    sources, decoder_inputs, labels = encode_pairs(pairs, source_vocab, target_vocab)
    # one variable-length (None,) int32 tensor per sequence, from in-memory tensors: no Python
    # generator, so tf.data's threads never wait for the interpreter
    dataset = tf.data.Dataset.from_tensor_slices(
        tuple(_ragged(rows) for rows in (sources, decoder_inputs, labels))
    ).map(lambda *rows: tuple(tf.identity(r) for r in rows))  # ragged rows -> dense (None,)
    if shuffle:
        dataset = dataset.shuffle(len(pairs), seed=seed, reshuffle_each_iteration=True)
    lengths = [max(len(s), len(t)) for s, t in zip(sources, labels, strict=True)]
    boundaries = bucket_boundaries(lengths)
    sizes = bucket_batch_sizes(boundaries, max(lengths), batch_size, batch_tokens)
    dataset = dataset.bucket_by_sequence_length(
        element_length_func=lambda src, dec, lab: tf.maximum(tf.shape(src)[0], tf.shape(lab)[0]),
        bucket_boundaries=boundaries,
        bucket_batch_sizes=sizes,
        pad_to_bucket_boundary=False,  # pad to the longest in the batch only
    )
    return dataset.map(lambda src, dec, lab: ((src, dec), lab))
