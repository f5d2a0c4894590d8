"""The encoder-decoder network, wired three ways from one set of layers.

* ``training_model``: (source ids, decoder input ids) -> logits for every target position,
  used with teacher forcing.
* ``encoder_model``: source ids -> encoder outputs, attention keys, source mask, initial states.
* ``step_model``: one previous token + states (+ encoder outputs) -> next-token log-probabilities,
  new states and attention weights.

By default the decoder LSTMs run over the whole target and attention follows them; with
``input_feeding`` (input_feeding.py) each step's attentional vector is fed to the next step,
and the states carry it as a last entry.

All three share the same layer objects, so weights loaded into one are the weights of all, and
the inference models are never trained separately. The LSTMs keep Keras' default activations and
no recurrent dropout, so TensorFlow can run them with cuDNN on a GPU.

``precision="mixed_bfloat16"`` (a Keras dtype policy) computes every layer but the output
projection in bfloat16 while the weights stay float32; logits, loss and attention softmax stay
float32. Training uses it for speed on CPUs with native bf16; a loaded bundle runs in float32.
"""

from __future__ import annotations

import keras
from keras import ops

from .attention import CHUNK_ABOVE_LENGTH, BahdanauAttention
from .config import TrainConfig
from .input_feeding import InputFeedingDecoder
from .vocabulary import PAD_ID, SPECIALS, UNK_ID


@keras.saving.register_keras_serializable(package="seq2seq")
class TokenDropout(keras.layers.Layer):
    """In training, replace each real token id by <unk> with probability ``rate``.

    Dropping whole input units (Sennrich & Zhang 2019, "Revisiting low-resource NMT", after Gal &
    Ghahramani's word dropout) makes the model rely less on any single character. Padding, start
    and end ids are never dropped; at inference the ids pass through unchanged.
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, ids, training=None):
        if not training or self.rate <= 0:
            return ids
        dropped = keras.random.uniform(ops.shape(ids), seed=self.seed_generator) < self.rate
        dropped = ops.logical_and(dropped, ops.greater_equal(ids, len(SPECIALS)))  # real only
        return ops.where(dropped, ops.cast(UNK_ID, ids.dtype), ids)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}


def float32(structure):
    """Cast every floating tensor of a nested structure to float32 (no-op under float32)."""
    return keras.tree.map_structure(
        lambda x: ops.cast(x, "float32") if "float" in str(x.dtype) else x, structure
    )


class Seq2Seq:
    """The layers of one translator and the three Keras models built from them."""

    def __init__(self, config: TrainConfig, source_size: int, target_size: int,
                 precision: str = "float32"):
        self.config = config
        self.source_size, self.target_size = source_size, target_size
        c, p = config, precision  # p: the dtype policy of every layer but the output projection
        encoder_units = c.units // 2 if c.bidirectional else c.units
        self.source_embedding = keras.layers.Embedding(
            source_size, c.embedding_dim, mask_zero=True, name="source_embedding", dtype=p
        )
        self.target_embedding = keras.layers.Embedding(
            target_size, c.embedding_dim, mask_zero=True, name="target_embedding", dtype=p
        )
        self.encoder_lstms = []
        for i in range(c.layers):
            lstm = keras.layers.LSTM(encoder_units, return_sequences=True, return_state=True,
                                     dtype=p)
            if c.bidirectional:
                lstm = keras.layers.Bidirectional(lstm, merge_mode="concat", dtype=p)
            lstm.name = f"encoder_lstm_{i}"  # stable names: weights load by structure and name
            self.encoder_lstms.append(lstm)
        self.decoder_lstms = [  # with input feeding, cells inside self.feeding instead
            keras.layers.LSTM(
                c.units, return_sequences=True, return_state=True, name=f"decoder_lstm_{i}",
                dtype=p,
            )
            for i in range(0 if c.input_feeding else c.layers)
        ]
        self.dropout = keras.layers.Dropout(c.dropout, name="dropout", dtype=p)
        # only built when used: its seed state would otherwise change the weights file of
        # every model, and bundles trained without it would no longer load
        self.token_dropout = (TokenDropout(c.token_dropout, seed=c.seed, name="token_dropout")
                              if c.token_dropout > 0 else None)
        if c.attention:
            # scores over chunks of target steps where sentences may be long (see attention.py)
            chunked = c.max_length is None or c.max_length > CHUNK_ABOVE_LENGTH
            self.attention = BahdanauAttention(c.units, chunked=chunked, name="attention",
                                               dtype=p)
            self.combine = keras.layers.Dense(c.units, activation="tanh", name="attention_combine",
                                              dtype=p)
        else:
            self.attention = self.combine = None
        self.feeding = InputFeedingDecoder(
            c.units, c.layers, c.embedding_dim, self.attention, self.combine, c.dropout,
            seed=c.seed, name="input_feeding_decoder", dtype=p,
        ) if c.input_feeding else None
        # float32 whatever the precision: softmax and loss over bf16 logits would lose accuracy
        self.output_projection = keras.layers.Dense(target_size, name="output_projection",
                                                    dtype="float32")

        self.training_model = self._build_training_model()
        self.encoder_model = self._build_encoder_model()
        self.step_model = self._build_step_model()

    # -- the two halves, written once and used by all three models ---------------------------

    def encode(self, source):
        """source (B, S) ids -> outputs (B, S, U), mask (B, S), [[h, c] per layer] of (B, U)."""
        source_mask = ops.not_equal(source, PAD_ID)
        if self.token_dropout is not None:
            source = self.token_dropout(source)  # some ids -> <unk> in training
        x = self.dropout(self.source_embedding(source))  # (B, S, E)
        states = []
        for i, lstm in enumerate(self.encoder_lstms):
            if self.config.bidirectional:
                x, h_fw, c_fw, h_bw, c_bw = lstm(x)  # x: (B, S, U); each state (B, U/2)
                h = ops.concatenate([h_fw, h_bw], axis=-1)  # (B, U)
                c = ops.concatenate([c_fw, c_bw], axis=-1)
            else:
                x, h, c = lstm(x)  # x: (B, S, U); h, c: (B, U)
            states.append([h, c])
            if i < len(self.encoder_lstms) - 1:
                x = self.dropout(x)
        return x, source_mask, states

    def decode(self, target_in, states, encoder_outputs, source_mask, keys=None):
        """target_in (B, T) ids -> logits (B, T, V), new states, attention weights (B, T, S)."""
        if self.token_dropout is not None:
            target_in = self.token_dropout(target_in)  # some ids -> <unk> in training
        y = self.dropout(self.target_embedding(target_in))  # (B, T, E)
        if self.feeding is not None:  # states end with [attentional vector (B, U)]
            *lstm_states, (attentional,) = states
            y, new_states, attentional, weights = self.feeding(
                y, lstm_states, attentional, encoder_outputs, source_mask, keys=keys
            )  # y (B, T, U): each step's attentional vector, already combined
            logits = self.output_projection(self.dropout(y))  # (B, T, V)
            return logits, [*new_states, [attentional]], weights
        new_states = []
        for i, lstm in enumerate(self.decoder_lstms):
            y, h, c = lstm(y, initial_state=states[i])  # y: (B, T, U)
            new_states.append([h, c])
            if i < len(self.decoder_lstms) - 1:
                y = self.dropout(y)
        weights = None
        if self.attention is not None:
            context, weights = self.attention(
                y, encoder_outputs, source_mask=source_mask, keys=keys
            )  # context (B, T, U), weights (B, T, S)
            y = self.combine(ops.concatenate([y, context], axis=-1))  # (B, T, 2U) -> (B, T, U)
        logits = self.output_projection(self.dropout(y))  # (B, T, V)
        return logits, new_states, weights

    def state_names(self) -> list[list[str]]:
        """The decoder state's structure, every vector (B, U): [h_i, c_i] per layer, then
        [attentional] with input feeding."""
        names = [[f"h_{i}", f"c_{i}"] for i in range(self.config.layers)]
        return names + [["attentional"]] if self.feeding is not None else names

    def initial_states(self, encoder_states):
        """The decoder's first state: the encoder's final [h, c] per layer, and with input
        feeding a zero attentional vector (B, U)."""
        if self.feeding is None:
            return encoder_states
        return [*encoder_states, [ops.zeros_like(encoder_states[-1][0])]]

    # -- the three models --------------------------------------------------------------------

    def _build_training_model(self) -> keras.Model:
        source = keras.Input((None,), dtype="int32", name="source")
        target_in = keras.Input((None,), dtype="int32", name="target_in")
        outputs, mask, states = self.encode(source)
        logits, _, _ = self.decode(target_in, self.initial_states(states), outputs, mask)
        return keras.Model([source, target_in], logits, name="seq2seq")

    def _build_encoder_model(self) -> keras.Model:
        source = keras.Input((None,), dtype="int32", name="source")
        outputs, mask, states = self.encode(source)
        result = {"outputs": outputs, "mask": mask, "states": self.initial_states(states)}
        if self.attention is not None:
            result["keys"] = self.attention.project_keys(outputs)  # (B, S, A), once per sentence
        result = float32(result)  # the decoder's inputs are float32
        return keras.Model(source, result, name="encoder")

    def _build_step_model(self) -> keras.Model:
        c = self.config
        token = keras.Input((1,), dtype="int32", name="token")
        states = [[keras.Input((c.units,), name=name) for name in names]
                  for names in self.state_names()]
        outputs = keras.Input((None, c.units), name="outputs")
        mask = keras.Input((None,), dtype="bool", name="mask")
        keys = keras.Input((None, c.units), name="keys") if self.attention is not None else None
        logits, new_states, weights = self.decode(token, states, outputs, mask, keys=keys)
        log_probs = ops.log_softmax(ops.squeeze(logits, 1), axis=-1)  # (B, V)
        inputs = {"token": token, "states": states, "outputs": outputs, "mask": mask}
        result = {"log_probs": log_probs, "states": float32(new_states)}
        if keys is not None:
            inputs["keys"] = keys
            result["weights"] = ops.squeeze(weights, 1)  # (B, S)
        return keras.Model(inputs, result, name="decoder_step")
