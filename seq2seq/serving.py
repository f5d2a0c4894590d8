"""Export a character bundle (or an ensemble of them) as a TensorFlow SavedModel that
translates strings on its own.

The exported graph does everything ``Translator.translate(texts, beam=1, no_repeat=0, split=0)``
does (whole inputs, no n-gram rule): NFC and outer
whitespace, character lookup (unseen characters become <unk>), the encoder, greedy decoding in a
``tf.while_loop`` with the same length limit and banned ids (an ensemble: the mean of its
members' log-probabilities), and ids back to text. Loading it
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

from .config import DEFAULT_ALPHA, DEFAULT_BEAM
from .decoding import BANNED_IDS
from .vocabulary import END_ID, PAD_ID, SPECIALS, START_ID, UNK_ID, CharVocabulary

SIGNATURE = "serving_default"
BEAM_SIGNATURE = "beam_search"
COMBINING = "(?s).*[\u0300-\u036f].*"  # a combining diacritical mark anywhere (RE2 syntax)


class GraphDecoder(tf.Module):
    """The Keras inference models of a translator, with what greedy search in a graph needs:
    the Translator's own length limit (so both stop at the same step) and its banned ids.
    The base of this SavedModel and of the LiteRT export (lite_export.py)."""

    def __init__(self, translator):
        super().__init__()
        # one network, or the members of an ensemble (their log-probabilities are averaged)
        self.encoders = [network.encoder_model for network in translator.networks]
        self.steps = [network.step_model for network in translator.networks]
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

    def encode(self, ids):
        """Source ids (B, S) -> every network's decoder states and the per-sentence context
        of its every step (lists, one entry per network)."""
        states, contexts = [], []
        for encoder in self.encoders:
            encoded = encoder(ids, training=False)
            # tf.identity drops the Keras mask the encoder attached (the step model takes none)
            contexts.append({k: tf.identity(encoded[k]) for k in ("outputs", "mask", "keys")
                             if k in encoded})
            states.append(encoded["states"])
        return states, contexts

    def advance(self, token, states, contexts, dtype=tf.float32):
        """One decoder step: token (R, 1) -> log-probs (R, V) in ``dtype``, the mean over the
        networks as decoding.Decoder takes it, and every network's new states."""
        outs = [step({"token": token, "states": s, **c}, training=False)
                for step, s, c in zip(self.steps, states, contexts, strict=True)]
        log_probs = [tf.cast(out["log_probs"], dtype) for out in outs]
        mean = log_probs[0] if len(outs) == 1 else tf.add_n(log_probs) / len(outs)
        return mean, [out["states"] for out in outs]


class _ServingTranslator(GraphDecoder):
    """The translator as a tf.Module: lookup tables, the Keras inference models, and two
    signatures: greedy (serving_default) and a beam search of the width fixed at export."""

    def __init__(self, translator, beam: int, alpha: float):
        super().__init__(translator)
        self.beam, self.alpha = beam, alpha
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

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="text")])
    def serve_beam(self, text):
        translations, scores = self.beam_search(text, self.beam, self.alpha)
        return {"translations": translations, "scores": scores}

    def compose(self, text):
        """NFC for the characters in ``compositions`` (core TensorFlow has no normalisation op)."""
        for decomposed, composed in self.compositions:
            text = tf.strings.regex_replace(text, re.escape(decomposed), composed)
        return text

    def source(self, text):
        """text (B,) tf.string -> source ids (B, S >= 1) int32, padded, and lengths (B,)."""
        text = tf.cond(  # the rewrites only when some input has a combining mark
            tf.reduce_any(tf.strings.regex_full_match(text, COMBINING)),
            lambda: self.compose(text), lambda: text)
        text = tf.strings.strip(text)
        characters = tf.strings.unicode_split(text, "UTF-8")  # ragged (B, S)
        ids = tf.ragged.map_flat_values(self.source_ids.lookup, characters)
        lengths = tf.cast(ids.row_lengths(), tf.int32)  # (B,)
        ids = tf.cast(ids.to_tensor(default_value=PAD_ID), tf.int32)  # (B, S)
        ids = tf.pad(ids, [[0, 0], [0, 1 - tf.minimum(tf.shape(ids)[1], 1)]])  # S >= 1
        return ids, lengths

    def limits(self, lengths):
        """The Decoder's max_steps for sources of ``lengths`` (B,) ids."""
        return tf.cast(self.max_ratio * tf.cast(lengths, tf.float32), tf.int32) + self.max_extra

    def text(self, tokens):
        """tokens (..., T) int32 -> text (...) tf.string, up to the first end id."""
        before_end = tf.equal(tf.cumsum(tf.cast(tf.equal(tokens, END_ID), tf.int32), axis=-1), 0)
        pieces = tf.where(before_end, tf.gather(self.target_text, tokens), "")
        return tf.strings.reduce_join(pieces, axis=-1)

    def translate(self, text):
        """text (B,) tf.string -> translations (B,) tf.string, greedy search."""
        ids, lengths = self.source(text)
        states, context = self.encode(ids)
        limits = self.limits(lengths)
        batch = tf.shape(ids)[0]
        banned = tf.cast(self.banned, tf.float64)  # float64: the Decoder's mean of members

        def step(t, token, states, finished, output):
            log_probs, states = self.advance(token[:, None], states, context, tf.float64)
            best = tf.argmax(log_probs + banned, axis=-1, output_type=tf.int32)
            best = tf.where(finished, PAD_ID, best)  # (B,): finished rows emit padding
            finished = finished | tf.equal(best, END_ID) | (t + 1 >= limits)
            return t + 1, best, states, finished, output.write(t, best)

        def unfinished(t, token, states, finished, output):
            return tf.logical_not(tf.reduce_all(finished))

        start = tf.fill([batch], START_ID)
        _, _, _, _, output = tf.while_loop(
            unfinished, step,
            (tf.constant(0), start, states, tf.equal(lengths, 0),
             tf.TensorArray(tf.int32, size=0, dynamic_size=True, element_shape=[None])))
        tokens = tf.transpose(output.stack())  # (B, T)
        tokens = tf.reshape(tokens, [batch, -1])  # T = 0 when every input was empty
        return self.text(tokens)  # (B,)

    def beam_search(self, text, k: int, alpha: float):
        """text (N,) -> k translations (N, k) tf.string and their scores (N, k), best first:
        decoding.Decoder.beam_search step for step, in the graph, with its stopping rule, so
        that all k equal ``translate --beam k --n-best k`` and the first ``translate --beam k``.

        Each sentence owns k rows. Every step ranks the best 2k expansions by model log-prob
        (top_k, like a stable sort, puts the lower index first among equals); those that end
        among the first k join the sentence's k best finished, and the first k that do not end
        live on. Finished sentences stay in the batch with -inf scores, so nothing changes
        them. Fewer than k finished hypotheses (a very short limit, an empty input) leave ""
        with score -inf in the remaining places.
        """
        ids, lengths = self.source(text)
        states, context = self.encode(ids)
        n, vocab = tf.shape(ids)[0], tf.shape(self.banned)[0]
        rows = tf.repeat(tf.range(n), k)  # (N*k,): the sentence of each row
        states = tf.nest.map_structure(lambda x: tf.gather(x, rows), states)
        context = tf.nest.map_structure(lambda x: tf.gather(x, rows), context)
        limits = self.limits(lengths)  # (N,)
        width = tf.maximum(tf.reduce_max(tf.concat([limits, [0]], 0)), 1)  # longest output
        at_position = tf.range(width)[None, None, :]  # (1, 1, L)
        banned = tf.cast(self.banned, tf.float64)
        minus_inf = tf.constant(float("-inf"), tf.float64)

        def penalty(length):  # GNMT ((5 + length) / 6) ** alpha, as decoding.length_penalty
            return ((5.0 + tf.cast(length, tf.float64)) / 6.0) ** alpha

        def best_k(scores, sequences, new_scores, new_sequences):
            """The k best of the finished and the newly finished (the older first among
            equals, as a stable sort of the finishing order keeps them)."""
            top, index = tf.math.top_k(tf.concat([scores, new_scores], 1), k)
            return top, tf.gather(tf.concat([sequences, new_sequences], 1), index, batch_dims=1)

        def step(t, token, states, scores, sequences, done, kept, kept_sequences):
            log_probs, states = self.advance(token[:, None], states, context, tf.float64)
            log_probs += banned  # (N*k, V)
            expanded = tf.reshape(scores[:, :, None] + tf.reshape(log_probs, [n, k, vocab]),
                                  [n, k * vocab])  # (N, k*V)
            candidates, order = tf.math.top_k(expanded, 2 * k)  # (N, 2k), best first
            tokens, parents = order % vocab, order // vocab  # parents: rows 0..k-1 of a sentence
            ends = tf.equal(tokens, END_ID)
            # the expansions ending among the first k: finished, end id at position t
            ending = ends[:, :k] & tf.math.is_finite(candidates[:, :k])
            ended = tf.where(at_position == t, END_ID,
                             tf.gather(sequences, parents[:, :k], batch_dims=1))  # (N, k, L)
            kept, kept_sequences = best_k(
                kept, kept_sequences, tf.where(ending, candidates[:, :k] / penalty(t + 1),
                                               minus_inf), ended)
            # the first k that do not end live on
            keep = tf.argsort(tf.cast(ends, tf.int32), axis=1, stable=True)[:, :k]  # (N, k)
            parents = tf.gather(parents, keep, batch_dims=1)
            token = tf.gather(tokens, keep, batch_dims=1)
            scores = tf.gather(candidates, keep, batch_dims=1)
            sequences = tf.where(at_position == t, token[:, :, None],
                                 tf.gather(sequences, parents, batch_dims=1))
            # at its length limit a sentence's live hypotheses finish as they are
            at_limit = t + 1 >= limits
            kept, kept_sequences = best_k(
                kept, kept_sequences,
                tf.where(at_limit[:, None] & tf.math.is_finite(scores),
                         scores / penalty(t + 1), minus_inf), sequences)
            live_best = tf.reduce_max(scores / penalty(t + 1), axis=1)  # (N,)
            done = done | at_limit | tf.equal(live_best, minus_inf) | \
                (kept[:, k - 1] >= live_best)
            scores = tf.where(done[:, None], minus_inf, scores)  # done: frozen from now on
            flat = tf.reshape(parents + tf.range(n)[:, None] * k, [-1])  # rows of this step
            states = tf.nest.map_structure(lambda x: tf.gather(x, flat), states)
            return (t + 1, tf.reshape(token, [-1]), states, scores, sequences, done, kept,
                    kept_sequences)

        def going_on(t, token, states, scores, sequences, done, kept, kept_sequences):
            return tf.logical_not(tf.reduce_all(done))

        first = tf.tile(tf.constant([[0.0] + [float("-inf")] * (k - 1)], tf.float64), [n, 1])
        empty = tf.zeros([n, k, width], tf.int32)
        *_, kept, kept_sequences = tf.while_loop(
            going_on, step,
            (tf.constant(0), tf.fill([n * k], START_ID), states, first, empty,
             tf.equal(lengths, 0), tf.fill([n, k], minus_inf), empty))
        return self.text(kept_sequences), tf.cast(kept, tf.float32)  # (N, k), (N, k)


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


def export_saved_model(translator, out: str | Path, beam: int = DEFAULT_BEAM,
                       alpha: float = DEFAULT_ALPHA) -> Path:
    """Write ``translator`` (a character model) as a SavedModel with two string signatures:
    greedy ``serving_default`` and ``beam_search`` (width ``beam``, length penalty ``alpha``)."""
    if beam < 1:
        raise ValueError(f"--beam must be at least 1, not {beam}")
    out = check_export(
        translator, out, "--format saved-model exports character models only: SentencePiece "
        "tokenisation needs the tensorflow-text ops, which a plain TensorFlow runtime does not "
        "have")
    module = _ServingTranslator(translator, beam, alpha)
    serve = module.serve.get_concrete_function()
    serve_beam = module.serve_beam.get_concrete_function()
    module.track_variables(serve)  # both read the same variables
    tf.saved_model.save(module, str(out),
                        signatures={SIGNATURE: serve, BEAM_SIGNATURE: serve_beam})
    return out
