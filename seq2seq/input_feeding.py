"""A decoder that attends before its LSTMs step: input feeding (``--input-feeding``).

The default decoder runs its LSTMs over the whole target first and attends afterwards, so the
LSTMs never learn which source characters were already translated. With input feeding (Luong,
Pham & Manning 2015, section 3.3; the role of the context in Bahdanau et al.'s decoder) the
attentional vector of step t-1, ``tanh(W [h; context])``, joins the embedding of token t as the
first LSTM's input. Steps then depend on each other through the attention, so training runs
one step at a time (``tf.scan``) instead of one LSTM call over the whole sequence.

The step's state gains that vector: ``[[h, c] per layer..., [attentional]]``, zeros at the start.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops


@keras.saving.register_keras_serializable(package="seq2seq")
class InputFeedingDecoder(keras.layers.Layer):
    """LSTM cells, Bahdanau attention and the combining layer, stepped together over a target.

    ``attention`` and ``combine`` are the model's own layers (see model.py); ``dropout`` is
    applied between stacked LSTM layers, with one mask per step drawn before the loop.
    """

    def __init__(self, units: int, layers: int, embedding_dim: int, attention, combine,
                 dropout: float = 0.0, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.units, self.layers, self.embedding_dim = units, layers, embedding_dim
        self.attention, self.combine, self.rate = attention, combine, dropout
        policy = self.dtype_policy
        self.cells = [keras.layers.LSTMCell(units, name=f"decoder_cell_{i}", dtype=policy)
                      for i in range(layers)]
        self.seed_generator = keras.random.SeedGenerator(seed)
        # takes the target's padding mask but passes none on: like the default decoder's
        # logits, whose smoothed loss Keras averages over every position (see training.py)
        self.supports_masking = True

    def build(self, *args, **kwargs):
        # every variable exists before the step loop: a layer built inside tf.scan cannot be
        self.cells[0].build((None, self.embedding_dim + self.units))  # [embedding; attentional]
        for cell in self.cells[1:]:
            cell.build((None, self.units))
        self.attention.build((None, 1, self.units), (None, None, self.units))
        self.combine.build((None, 2 * self.units))
        self.built = True

    def call(self, y, states, attentional, values, source_mask, keys=None, training=None,
             mask=None):
        """y (B, T, E) target embeddings; states [[h, c] per layer] of (B, U); attentional (B, U)
        from the previous step; values (B, S, U) encoder outputs, source_mask (B, S), keys
        (B, S, A) or None. Returns outputs (B, T, U), new states, last attentional (B, U),
        attention weights (B, T, S)."""
        if keys is None:
            keys = self.attention.project_keys(values)  # (B, S, A)
        # between-layer dropout masks for every step, drawn here: (T, L-1, B, U); in
        # inference, or with nothing to drop, a dummy (T, 1) that the steps never read
        dropping = bool(training) and self.rate > 0 and self.layers > 1
        if dropping:
            keep = 1.0 - self.rate
            shape = (ops.shape(y)[1], self.layers - 1, ops.shape(y)[0], self.units)
            draws = keras.random.uniform(shape, seed=self.seed_generator)
            masks = ops.cast(draws < keep, y.dtype) / keep
        else:
            masks = ops.zeros((ops.shape(y)[1], 1), y.dtype)

        def step(carry, inputs):
            flat_states, previous, _ = carry
            y_t, masks_t = inputs  # (B, E), (L-1, B, U) or a dummy
            x = ops.concatenate([y_t, previous], axis=-1)  # (B, E + U)
            new_states = []
            for i, cell in enumerate(self.cells):
                x, (h, c) = cell(x, [flat_states[2 * i], flat_states[2 * i + 1]],
                                 training=training)  # x: (B, U)
                new_states += [h, c]
                if dropping and i < self.layers - 1:
                    x = x * masks_t[i]
            context, weights = self.attention(x[:, None, :], values, source_mask=source_mask,
                                              keys=keys)  # (B, 1, U), (B, 1, S)
            out = self.combine(ops.concatenate([x, context[:, 0]], axis=-1))  # (B, U)
            return new_states, out, weights[:, 0]

        flat = [s for pair in states for s in pair]
        if y.shape[1] == 1:  # one inference step: no loop (nor a nested While in exports)
            new_states, out, weights = step((flat, attentional, None), (y[:, 0], masks[0]))
            last = [new_states[2 * i: 2 * i + 2] for i in range(self.layers)]
            return out[:, None], last, out, weights[:, None]
        time_major = ops.transpose(y, [1, 0, 2])  # (T, B, E)
        start_weights = ops.zeros_like(source_mask, dtype="float32")  # (B, S)
        all_states, outputs, weights = tf.scan(
            step, (time_major, masks), initializer=(flat, attentional, start_weights))
        # each result stacked over steps: states L x 2 of (T, B, U), outputs (T, B, U)
        last = [[all_states[2 * i][-1], all_states[2 * i + 1][-1]] for i in range(self.layers)]
        outputs = ops.transpose(outputs, [1, 0, 2])  # (B, T, U)
        weights = ops.transpose(weights, [1, 0, 2])  # (B, T, S)
        return outputs, last, outputs[:, -1], weights

    def compute_output_spec(self, y, states, attentional, values, source_mask, keys=None,
                            training=None, mask=None):
        batch, steps = y.shape[0], y.shape[1]

        def vector():  # a new tensor each time: Keras tells outputs apart by identity
            return keras.KerasTensor((batch, self.units), dtype=y.dtype)

        return (keras.KerasTensor((batch, steps, self.units), dtype=y.dtype),
                [[vector(), vector()] for _ in range(self.layers)], vector(),
                keras.KerasTensor((batch, steps, values.shape[1]), dtype="float32"))

    def compute_mask(self, y, previous_mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "units": self.units, "layers": self.layers,
                "embedding_dim": self.embedding_dim, "dropout": self.rate}
