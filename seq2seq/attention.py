"""Bahdanau (additive) attention as a Keras layer.

Bahdanau, Cho & Bengio 2014, appendix A.1.2: score(q, k) = v^T tanh(W1 q + W2 k), softmax over
the (unpadded) source positions, context = weighted sum of the encoder outputs.
"""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="seq2seq")
class BahdanauAttention(keras.layers.Layer):
    """Additive attention of decoder states (queries) over encoder outputs (values).

    ``project_keys`` is separate so that inference computes W2 k once per source sentence
    instead of once per decoded token.
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
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
        hidden = ops.tanh(ops.expand_dims(q, 2) + ops.expand_dims(keys, 1))  # (B, T, S, A)
        scores = ops.squeeze(self.score_dense(hidden), -1)  # (B, T, S)
        scores = ops.cast(scores, "float32")  # softmax in float32, also under mixed precision
        if source_mask is not None:
            scores = ops.where(ops.expand_dims(source_mask, 1), scores, -1e9)
        weights = ops.softmax(scores, axis=-1)  # (B, T, S), each row sums to 1 over the source
        context = ops.matmul(ops.cast(weights, values.dtype), values)  # (B, T, U_enc)
        return context, weights

    def compute_output_spec(self, query, values, source_mask=None, keys=None):
        batch, steps = query.shape[0], query.shape[1]
        context = keras.KerasTensor((batch, steps, values.shape[-1]), dtype=query.dtype)
        weights = keras.KerasTensor((batch, steps, values.shape[1]), dtype="float32")
        return context, weights

    def compute_mask(self, query, values, source_mask=None, keys=None, previous_mask=None):
        query_mask = getattr(query, "_keras_mask", None)
        return query_mask, query_mask

    def get_config(self):
        return {**super().get_config(), "units": self.units}
