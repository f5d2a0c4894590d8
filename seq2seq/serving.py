"""Export a character bundle as a TensorFlow SavedModel that translates strings on its own.

The exported graph does everything ``Translator.translate(texts, beam=1)`` does: NFC and outer
whitespace, character lookup (unseen characters become <unk>), the encoder, greedy decoding in a
``tf.while_loop`` with the same length limit and banned ids, and ids back to text. Loading it
needs TensorFlow only (TensorFlow Serving, ``tf.saved_model.load``), not this package:

    translate = tf.saved_model.load(OUT).signatures["serving_default"]
    translate(text=tf.constant(["I love you."]))["translation"]   # 1-D tf.string

Core TensorFlow has no Unicode normalisation op, so NFC is done by rewriting the decomposed form
of each source-vocabulary character and of each Latin letter with diacritics (U+00C0-U+024F)
into its composed form, only for inputs that hold a combining mark. Decomposed characters
outside that set (rare in English input) stay decomposed, where Python's NFC would compose them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import tensorflow as tf

from .decoding import BANNED_IDS
from .vocabulary import END_ID, PAD_ID, SPECIALS, START_ID, UNK_ID, CharVocabulary

SIGNATURE = "serving_default"
COMBINING = "(?s).*[\u0300-\u036f].*"  # a combining diacritical mark anywhere (RE2 syntax)


class GraphDecoder(tf.Module):
    """The Keras inference models of a translator, with what greedy search in a graph needs:
    the Translator's own length limit (so both stop at the same step) and its banned ids.
    The base of this SavedModel and of the LiteRT export (lite_export.py)."""

    def __init__(self, translator):
        super().__init__()
        network = translator.network
        self.encoder, self.step = network.encoder_model, network.step_model
        self.max_ratio, self.max_extra = translator.decoder.max_ratio, translator.decoder.max_extra
        banned = [0.0] * translator.target_vocab.size
        for i in BANNED_IDS:
            banned[i] = float("-inf")
        self.banned = tf.constant(banned)  # (V,) added to the log-probs

    def track_variables(self, function) -> None:
        """Track the tf.Variables that ``function`` (concrete) reads, as Keras' ExportArchive
        does. The module reaches them otherwise only through the Keras variables that wrap
        them: enough for tf.saved_model.load (eager), but the graph's restore op, which the
        session loader runs (TensorFlow Serving, saved_model_cli run), left them out ("Could
        not find variable encoder_lstm_0/backward_lstm/lstm_cell/bias"), and the TFLite
        converter kept them as uninitialised READ_VARIABLE ops instead of constants."""
        self.captured_variables = list(function.variables)


class _GreedyTranslator(GraphDecoder):
    """The translator as a tf.Module: lookup tables, the Keras inference models, one signature."""

    def __init__(self, translator):
        super().__init__(translator)
        source = translator.source_vocab.itos[len(SPECIALS):]
        self.source_ids = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                tf.constant(source), tf.range(len(SPECIALS), len(SPECIALS) + len(source),
                                              dtype=tf.int64)),
            default_value=UNK_ID)
        # id -> text as CharVocabulary.decode writes it: specials empty, <unk> as U+FFFD
        target = ["", "\ufffd", "", ""] + translator.target_vocab.itos[len(SPECIALS):]
        self.target_text = tf.constant(target)
        # NFD -> NFC for the source characters and the Latin letters with diacritics
        # (U+00C0-U+024F) that have a decomposed form, longest first
        composed = set(source) | {chr(c) for c in range(0xC0, 0x250)}
        self.compositions = sorted(
            ((unicodedata.normalize("NFD", c), c) for c in composed
             if unicodedata.normalize("NFD", c) != c), key=lambda p: (-len(p[0]), p[0]))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="text")])
    def serve(self, text):
        return {"translation": self.translate(text)}

    def compose(self, text):
        """NFC for the characters in ``compositions`` (core TensorFlow has no normalisation op)."""
        for decomposed, composed in self.compositions:
            text = tf.strings.regex_replace(text, re.escape(decomposed), composed)
        return text

    def translate(self, text):
        """text (B,) tf.string -> translations (B,) tf.string, greedy search."""
        text = tf.cond(  # the rewrites only when some input has a combining mark
            tf.reduce_any(tf.strings.regex_full_match(text, COMBINING)),
            lambda: self.compose(text), lambda: text)
        text = tf.strings.strip(text)
        characters = tf.strings.unicode_split(text, "UTF-8")  # ragged (B, S)
        ids = tf.ragged.map_flat_values(self.source_ids.lookup, characters)
        lengths = tf.cast(ids.row_lengths(), tf.int32)  # (B,)
        ids = tf.cast(ids.to_tensor(default_value=PAD_ID), tf.int32)  # (B, S)
        ids = tf.pad(ids, [[0, 0], [0, 1 - tf.minimum(tf.shape(ids)[1], 1)]])  # S >= 1
        encoded = self.encoder(ids, training=False)
        # tf.identity drops the Keras mask the encoder attached (the step model takes none)
        context = {k: tf.identity(encoded[k]) for k in ("outputs", "mask", "keys") if k in encoded}
        limits = tf.cast(self.max_ratio * tf.cast(lengths, tf.float32), tf.int32) \
            + self.max_extra  # the Decoder's max_steps, per sentence
        batch = tf.shape(ids)[0]

        def step(t, token, states, finished, output):
            out = self.step({"token": token[:, None], "states": states, **context},
                            training=False)
            best = tf.argmax(out["log_probs"] + self.banned, axis=-1, output_type=tf.int32)
            best = tf.where(finished, PAD_ID, best)  # (B,): finished rows emit padding
            finished = finished | tf.equal(best, END_ID) | (t + 1 >= limits)
            return t + 1, best, out["states"], finished, output.write(t, best)

        def unfinished(t, token, states, finished, output):
            return tf.logical_not(tf.reduce_all(finished))

        start = tf.fill([batch], START_ID)
        _, _, _, _, output = tf.while_loop(
            unfinished, step,
            (tf.constant(0), start, encoded["states"], tf.equal(lengths, 0),
             tf.TensorArray(tf.int32, size=0, dynamic_size=True, element_shape=[None])))
        tokens = tf.transpose(output.stack())  # (B, T)
        tokens = tf.reshape(tokens, [batch, -1])  # T = 0 when every input was empty
        before_end = tf.equal(tf.cumsum(tf.cast(tf.equal(tokens, END_ID), tf.int32), axis=1), 0)
        pieces = tf.where(before_end, tf.gather(self.target_text, tokens), "")
        return tf.strings.reduce_join(pieces, axis=1)  # (B,)


def check_export(translator, out: str | Path, why_characters_only: str) -> Path:
    """``out`` as a Path, after refusing a subword model (for the reason given) or a path
    that exists: the checks of every export format that runs the model in a graph."""
    if not isinstance(translator.source_vocab, CharVocabulary) or \
            not isinstance(translator.target_vocab, CharVocabulary):
        raise ValueError(why_characters_only)
    out = Path(out)
    if out.exists():
        raise ValueError(f"{out} already exists; choose a new path")
    return out


def export_saved_model(translator, out: str | Path) -> Path:
    """Write ``translator`` (a character model) as a SavedModel with a greedy string signature."""
    out = check_export(
        translator, out, "--format saved-model exports character models only: SentencePiece "
        "tokenisation needs the tensorflow-text ops, which a plain TensorFlow runtime does not "
        "have")
    module = _GreedyTranslator(translator)
    serve = module.serve.get_concrete_function()
    module.track_variables(serve)
    tf.saved_model.save(module, str(out), signatures={SIGNATURE: serve})
    return out
