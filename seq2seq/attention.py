"""Bahdanau (additive) attention as a Keras layer.

Bahdanau, Cho & Bengio 2014, appendix A.1.2: score(q, k) = v^T tanh(W1 q + W2 k), softmax over
the (unpadded) source positions, context = weighted sum of the encoder outputs.

The scores need tanh of a (batch, target, source, units) tensor, which grows with the square of
the sentence length. ``BahdanauAttention(chunked=True)`` computes it over chunks of target steps
above ``CHUNK_ELEMENTS``, the backward pass recomputing each chunk instead of keeping it
(``chunked_additive_scores``). Models chunk when ``--max-length`` passes ``CHUNK_ABOVE_LENGTH``:
one epoch on 256 pairs of 150-580 characters peaked at 20 GB unchunked and 1.4 GB chunked
(bench/README.md).
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

# Largest (B, T, S, A) tanh tensor built at once: 2**24 floats = 64 MB; bigger ones are chunked
CHUNK_ELEMENTS = 2**24
# Models chunk only when sentences may be longer than this (--max-length): below it the tensor
# stays under ~0.7 GB at batch 64, and the chunking's runtime check costs ~10% of a short step
CHUNK_ABOVE_LENGTH = 100


def additive_hidden(q, keys):
    """tanh(q_t + k_s): (B, T, A) x (B, S, A) -> (B, T, S, A), the tensor that grows with T x S."""
    return tf.tanh(q[:, :, None, :] + keys[:, None, :, :])


def additive_scores(q, keys, v):
    """v^T tanh(q_t + k_s) for every target step t and source position s, in one tensor.

    q: (B, T, A), keys: (B, S, A), v: (A,) -> scores (B, T, S).
    """
    return tf.tensordot(additive_hidden(q, keys), v, axes=[[3], [0]])  # (B, T, S)


def chunked_additive_scores(q, keys, v, chunk):
    """``additive_scores`` over chunks of ``chunk`` target steps, holding one (B, chunk, S, A)
    tensor at a time; the gradient recomputes each chunk's tanh instead of storing it."""

    @tf.custom_gradient
    def scores_of(q, keys, v):
        steps = tf.shape(q)[1]
        count = (steps + chunk - 1) // chunk

        def forward(i, parts):  # scores of target steps [i * chunk, (i + 1) * chunk)
            s = additive_scores(q[:, i * chunk:(i + 1) * chunk], keys, v)  # (B, C, S)
            return i + 1, parts.write(i, tf.transpose(s, [1, 0, 2]))  # (C, B, S)

        parts = tf.TensorArray(q.dtype, size=count, infer_shape=False)
        _, parts = tf.while_loop(lambda i, _: i < count, forward, (0, parts))
        scores = tf.transpose(parts.concat(), [1, 0, 2])  # (T, B, S) -> (B, T, S)

        def grad(d_scores):  # (B, T, S) -> gradients of q, keys and v
            def backward(i, d_q, d_keys, d_v):
                h = additive_hidden(q[:, i * chunk:(i + 1) * chunk], keys)  # (B, C, S, A), again
                ds = d_scores[:, i * chunk:(i + 1) * chunk]  # (B, C, S)
                d_v += tf.einsum("bcs,bcsa->a", ds, h)
                d_pre = ds[..., None] * v * (1.0 - h * h)  # (B, C, S, A): through v and tanh
                d_q = d_q.write(i, tf.transpose(tf.reduce_sum(d_pre, 2), [1, 0, 2]))  # (C, B, A)
                return i + 1, d_q, d_keys + tf.reduce_sum(d_pre, 1), d_v  # d_keys: (B, S, A)

            d_q = tf.TensorArray(q.dtype, size=count, infer_shape=False)
            _, d_q, d_keys, d_v = tf.while_loop(
                lambda i, *_: i < count, backward,
                (0, d_q, tf.zeros_like(keys), tf.zeros_like(v)))
            return tf.transpose(d_q.concat(), [1, 0, 2]), d_keys, d_v  # d_q: (B, T, A)

        return scores, grad

    return scores_of(q, keys, v)


@keras.saving.register_keras_serializable(package="seq2seq")
class BahdanauAttention(keras.layers.Layer):
    """Additive attention of decoder states (queries) over encoder outputs (values).

    ``project_keys`` is separate so that inference computes W2 k once per source sentence
    instead of once per decoded token. ``chunked`` allows chunking large score tensors (see
    ``scores``); its runtime check costs ~10% of a short-sentence training step, so models turn
    it on only for long sentences (``CHUNK_ABOVE_LENGTH``).
    """

    def __init__(self, units: int, chunked: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.units, self.chunked = units, chunked
        policy = self.dtype_policy  # sub-layers compute in this layer's precision
        self.query_dense = keras.layers.Dense(units, use_bias=False, name="W1", dtype=policy)
        self.key_dense = keras.layers.Dense(units, use_bias=True, name="W2", dtype=policy)
        self.score_dense = keras.layers.Dense(1, use_bias=False, name="v", dtype=policy)
        self.supports_masking = True  # the context keeps the queries' (target) mask

    def build(self, query_shape, values_shape=None, *args, **kwargs):
        values_shape = values_shape or query_shape
        self.query_dense.build(query_shape)
        self.key_dense.build(values_shape)
        self.score_dense.build((*values_shape[:-1], self.units))
        self.built = True

    def project_keys(self, values):
        """W2 k for every source position: (B, S, U_enc) -> (B, S, A)."""
        return self.key_dense(values)

    def call(self, query, values, source_mask=None, keys=None):
        """Return (context, weights) for queries of shape (B, T, U_dec).

        values: encoder outputs (B, S, U_enc); source_mask: (B, S) bool, True on real tokens;
        keys: optional precomputed ``project_keys(values)``.
        """
        if keys is None:
            keys = self.project_keys(values)  # (B, S, A)
        q = self.query_dense(query)  # (B, T, A)
        scores = self.scores(q, keys)  # (B, T, S)
        scores = ops.cast(scores, "float32")  # softmax in float32, also under mixed precision
        if source_mask is not None:
            scores = ops.where(ops.expand_dims(source_mask, 1), scores, -1e9)
        weights = ops.softmax(scores, axis=-1)  # (B, T, S), each row sums to 1 over the source
        context = ops.matmul(ops.cast(weights, values.dtype), values)  # (B, T, U_enc)
        return context, weights

    def scores(self, q, keys, max_elements: int | None = None):
        """v^T tanh(q + k): (B, T, A) x (B, S, A) -> (B, T, S), chunked over target steps when
        the (B, T, S, A) tensor would exceed ``max_elements`` (default ``CHUNK_ELEMENTS``)."""
        limit = CHUNK_ELEMENTS if max_elements is None else max_elements
        v = ops.cast(ops.reshape(self.score_dense.kernel, [-1]), q.dtype)  # (A,)
        if not self.chunked or q.shape[1] == 1:  # not asked for, or one decoding step
            return additive_scores(q, keys, v)
        shape = tf.shape(q)
        per_step = shape[0] * tf.shape(keys)[1] * shape[2]  # B * S * A elements per target step
        chunk = tf.maximum(1, limit // tf.maximum(per_step, 1))
        scores = tf.cond(shape[1] <= chunk,
                         lambda: additive_scores(q, keys, v),
                         lambda: chunked_additive_scores(q, keys, v, chunk))
        return tf.ensure_shape(scores, [q.shape[0], q.shape[1], keys.shape[1]])  # static dims

    def compute_output_spec(self, query, values, source_mask=None, keys=None):
        batch, steps = query.shape[0], query.shape[1]
        context = keras.KerasTensor((batch, steps, values.shape[-1]), dtype=query.dtype)
        weights = keras.KerasTensor((batch, steps, values.shape[1]), dtype="float32")
        return context, weights

    def compute_mask(self, query, values, source_mask=None, keys=None, previous_mask=None):
        query_mask = getattr(query, "_keras_mask", None)
        return query_mask, query_mask

    def get_config(self):
        return {**super().get_config(), "units": self.units, "chunked": self.chunked}
