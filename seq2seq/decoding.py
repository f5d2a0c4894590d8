"""Batched greedy and beam search over a trained ``Seq2Seq``'s encoder and one-step models.

The encoder runs once per batch of sentences; the decoder then advances every unfinished
sentence (greedy) or hypothesis (beam) by one token per call of the step model, compiled once
with ``tf.function`` so that each step is one graph call, not a ``predict()``. Sentences that
have finished leave the batch, so the late steps only pay for the long sentences.

Beam scores use the GNMT length penalty (Wu et al. 2016, eq. 14): a hypothesis of ``n`` tokens
(its end token included) with model log-probability ``log_prob`` ranks by
``log_prob / ((5 + n) / 6) ** alpha``; ``alpha = 0`` ranks by the plain model log-probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from .config import DEFAULT_ALPHA, DEFAULT_BEAM
from .model import Seq2Seq
from .vocabulary import END_ID, PAD_ID, START_ID

BANNED_IDS = (PAD_ID, START_ID)  # never emitted: their log-probs are masked to -inf


@dataclass
class Hypothesis:
    """One decoded output: ids (end id included when it ended), model and ranking scores."""

    tokens: list[int]
    log_prob: float  # model score: sum of the log-probabilities of ``tokens``
    score: float  # log_prob / length_penalty(len(tokens), alpha), what beam search ranks by
    weights: np.ndarray | None = None  # (len(tokens), S) attention per output step, or None


def length_penalty(length: int, alpha: float) -> float:
    """GNMT length penalty ((5 + length) / 6) ** alpha; 1.0 when alpha is 0."""
    return ((5.0 + length) / 6.0) ** alpha


def repeat_bans(outputs: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, id) pairs whose id would repeat a token n-gram already in that row's ``outputs``.

    ``outputs`` (R, t) holds each row's ids so far. An id is banned when the last ``n - 1`` ids
    occurred earlier followed by it (fairseq's ``--no-repeat-ngram-size``, per row).
    """
    rows, t = outputs.shape
    if n < 2 or t < n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    earlier = np.lib.stride_tricks.sliding_window_view(outputs[:, : t - 1], n - 1, axis=1)
    match = (earlier == outputs[:, None, t - n + 1 :]).all(axis=-1)  # (R, t-n+1)
    hit_rows, starts = np.nonzero(match)
    return hit_rows, outputs[hit_rows, starts + n - 1]


def _gather(structure, rows: np.ndarray):
    """Rows ``rows`` of every tensor in a (nested) structure of (R, ...) tensors."""
    rows = tf.constant(rows, tf.int32)
    return tf.nest.map_structure(lambda x: tf.gather(x, rows), structure)


def _nth_best(hypotheses: list[Hypothesis], n: int) -> float:
    """Score of the n-th best hypothesis, or -inf when there are fewer than n."""
    if len(hypotheses) < n:
        return -np.inf
    return sorted((h.score for h in hypotheses), reverse=True)[n - 1]


class Decoder:
    """Greedy and beam search for one network, or an ensemble, with its models compiled once.

    An ensemble (several networks over the same vocabularies) decodes with the mean of the
    networks' log-probabilities at every step; each network keeps its own states and encoder
    outputs. Outputs stop at the end id or after ``max_ratio * len(source) + max_extra`` tokens.
    """

    def __init__(self, network: Seq2Seq | Sequence[Seq2Seq], max_ratio: float = 2.0,
                 max_extra: int = 10):
        self.networks = [network] if isinstance(network, Seq2Seq) else list(network)
        self.network = self.networks[0]
        self.max_ratio, self.max_extra = max_ratio, max_extra
        # attention weights returned are the mean over the networks that have attention
        self.attending = [i for i, n in enumerate(self.networks) if n.attention is not None]
        self.has_attention = bool(self.attending)
        self._encoders, self._steps = [], []
        for net in self.networks:
            c = net.config
            source = tf.TensorSpec([None, None], tf.int32)
            step_inputs = {
                "token": tf.TensorSpec([None, 1], tf.int32),
                "states": [[tf.TensorSpec([None, c.units], tf.float32)] * len(names)
                           for names in net.state_names()],
                "outputs": tf.TensorSpec([None, None, c.units], tf.float32),
                "mask": tf.TensorSpec([None, None], tf.bool),
            }
            if net.attention is not None:
                step_inputs["keys"] = tf.TensorSpec([None, None, c.units], tf.float32)
            # None dimensions: one trace serves every batch size and source length.
            self._encoders.append(tf.function(
                lambda s, net=net: net.encoder_model(s, training=False),
                input_signature=[source]))
            self._steps.append(tf.function(
                lambda x, net=net: net.step_model(x, training=False),
                input_signature=[step_inputs]))

    def max_steps(self, source_length: int) -> int:
        """Most output tokens allowed for a source of this many ids (end id included)."""
        return int(self.max_ratio * source_length + self.max_extra)

    def _start(self, sources: list[list[int]]):
        """Encode a batch: padded ids -> (decoder states, per-sentence context for each step),
        both lists with one entry per network."""
        width = max(1, max(len(s) for s in sources))
        ids = tf.constant(keras.utils.pad_sequences(sources, maxlen=width, padding="post",
                                                    value=PAD_ID), tf.int32)
        encoded = [encode(ids) for encode in self._encoders]  # outputs (B, S, U), mask (B, S)
        context = [{k: e[k] for k in ("outputs", "mask", "keys") if k in e} for e in encoded]
        limits = np.array([self.max_steps(len(s)) for s in sources])
        return [e["states"] for e in encoded], context, limits

    def _advance(self, token: np.ndarray, states, context, outputs: np.ndarray | None,
                 no_repeat: int):
        """One decoder step for every row: -> log-probs (R, V) numpy (the networks' mean), new
        states, weights (R, S). ``outputs`` (R, t) are the rows' ids so far, for ``no_repeat``
        (None when it is 0)."""
        token = tf.constant(token[:, None], tf.int32)
        outs = [step({"token": token, "states": s, **c})
                for step, s, c in zip(self._steps, states, context, strict=True)]
        log_probs = np.mean([o["log_probs"].numpy().astype(np.float64) for o in outs], axis=0)
        log_probs[:, BANNED_IDS] = -np.inf
        if no_repeat:
            log_probs[repeat_bans(outputs, no_repeat)] = -np.inf
        weights = None
        if self.has_attention:
            weights = np.mean([outs[i]["weights"].numpy() for i in self.attending], axis=0)
        return log_probs, [o["states"] for o in outs], weights

    def greedy(self, sources: list[list[int]], alpha: float = 0.0,
               no_repeat: int = 0) -> list[Hypothesis]:
        """The most likely next token at every step, for a whole batch of source id lists
        (never one that repeats an n-gram of ``no_repeat`` ids, if it is 2 or more)."""
        if not sources:
            return []
        states, context, limits = self._start(sources)
        batch, width = len(sources), context[0]["mask"].shape[1]
        max_len = int(limits.max())
        tokens = np.full((batch, max_len), PAD_ID, np.int64)
        lengths = np.zeros(batch, np.int64)
        log_prob = np.zeros(batch)
        weights = np.zeros((batch, max_len, width), np.float32) if self.has_attention else None
        rows = np.arange(batch)  # sentence of each row still decoding
        token = np.full(batch, START_ID, np.int64)
        for t in range(max_len):
            outputs = tokens[rows, :t] if no_repeat else None
            step_lp, states, step_w = self._advance(token, states, context, outputs, no_repeat)
            token = step_lp.argmax(axis=-1)  # (R,)
            tokens[rows, t] = token
            lengths[rows] = t + 1
            log_prob[rows] += step_lp[np.arange(len(rows)), token]
            if weights is not None:
                weights[rows, t] = step_w
            done = (token == END_ID) | (t + 1 >= limits[rows])
            if done.all():
                break
            if done.any():  # finished sentences leave the batch
                keep = np.flatnonzero(~done)
                states, context = _gather(states, keep), _gather(context, keep)
                rows, token = rows[~done], token[~done]
        return [
            Hypothesis(
                tokens[i, : lengths[i]].tolist(),
                float(log_prob[i]),
                float(log_prob[i]) / length_penalty(int(lengths[i]), alpha),
                None if weights is None else weights[i, : lengths[i], : len(sources[i])],
            )
            for i in range(batch)
        ]

    def beam_search(self, sources: list[list[int]], beam: int = DEFAULT_BEAM, n_best: int = 1,
                    alpha: float = DEFAULT_ALPHA, no_repeat: int = 0) -> list[list[Hypothesis]]:
        """The ``n_best`` best hypotheses (best first) of a width-``beam`` search per source.

        No hypothesis repeats an n-gram of ``no_repeat`` ids (if it is 2 or more).

        Each sentence owns ``beam`` consecutive rows of the batch. At every step the best
        ``2 * beam`` expansions are ranked by model log-prob; those that end among the first
        ``beam`` are set aside as finished, and the first ``beam`` that do not end stay alive.
        A sentence is done at its length limit, or once ``beam`` hypotheses have finished and no
        live one scores better at its current length than the ``beam``-th best finished one
        (Hugging Face's ``BeamHypotheses.is_done``; exact for ``alpha = 0``, where log-probs can
        only fall). Waiting for ``beam`` finished ones, not ``n_best``, makes the search the same
        whatever ``n_best`` is, and with ``n_best = 1`` it finds better outputs: stopping at the
        first finished one cost the shipped ensembles 0.5-0.9 chrF on dev (bench/README.md,
        "Beam search's stopping rule").
        """
        if not 1 <= n_best <= beam:
            raise ValueError(f"n_best must be between 1 and the beam width ({beam}), not {n_best}")
        if not sources:
            return []
        k = beam
        states, context, limits = self._start(sources)
        first = np.repeat(np.arange(len(sources)), k)  # K rows per sentence
        states, context = _gather(states, first), _gather(context, first)
        alive = np.arange(len(sources))  # sentences still decoding, each owning K rows
        scores = np.tile([0.0] + [-np.inf] * (k - 1), len(sources))  # one live copy at first
        token = np.full(len(scores), START_ID, np.int64)
        finished: list[list[Hypothesis]] = [[] for _ in sources]
        # history[t] = (token chosen at t, its parent row in step t's batch, weights of step t)
        history: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        # (R, t): each live row's ids so far, kept only for the no-repeat rule
        outputs = np.zeros((len(scores), 0), np.int64) if no_repeat else None

        def trace(t: int, row: int, last_weights=None) -> tuple[list[int], np.ndarray | None]:
            """Tokens (and weights) of the hypothesis in ``row`` after step ``t``."""
            ids, rows_w = [], []
            while t >= 0:
                chosen, parent, step_w = history[t]
                ids.append(int(chosen[row]))
                if step_w is not None:
                    rows_w.append(step_w[parent[row]])
                row, t = parent[row], t - 1
            ids.reverse()
            rows_w.reverse()
            if last_weights is not None:
                rows_w.append(last_weights)
            return ids, (np.stack(rows_w) if rows_w else None)

        def finish(sentence: int, ids: list[int], log_prob: float, w) -> None:
            if w is not None:
                w = w[:, : len(sources[sentence])]
            score = log_prob / length_penalty(len(ids), alpha)
            finished[sentence].append(Hypothesis(ids, log_prob, score, w))

        for t in range(int(limits.max())):
            step_lp, states, step_w = self._advance(token, states, context, outputs, no_repeat)
            n, vocab = len(alive), step_lp.shape[1]
            expanded = (scores[:, None] + step_lp).reshape(n, k * vocab)  # (N, K*V)
            order = np.argsort(-expanded, axis=1, kind="stable")[:, : 2 * k]  # (N, 2K)
            cand_scores = np.take_along_axis(expanded, order, axis=1)
            cand_tokens = order % vocab
            cand_parents = np.arange(n)[:, None] * k + order // vocab  # rows of this step
            ends = cand_tokens == END_ID
            for i, j in zip(*np.nonzero(ends[:, :k] & np.isfinite(cand_scores[:, :k])),
                            strict=True):
                parent = cand_parents[i, j]
                ids, w = trace(t - 1, parent, None if step_w is None else step_w[parent])
                finish(alive[i], [*ids, END_ID], float(cand_scores[i, j]), w)
            keep = np.argsort(ends, axis=1, kind="stable")[:, :k]  # first K that do not end
            parents = np.take_along_axis(cand_parents, keep, axis=1).reshape(-1)  # (N*K,)
            token = np.take_along_axis(cand_tokens, keep, axis=1).reshape(-1)
            scores = np.take_along_axis(cand_scores, keep, axis=1).reshape(-1)
            history.append((token, parents, step_w))
            if outputs is not None:
                outputs = np.concatenate([outputs[parents], token[:, None]], axis=1)
            at_limit = t + 1 >= limits[alive]
            for i in np.flatnonzero(at_limit):
                for row in range(i * k, (i + 1) * k):
                    if np.isfinite(scores[row]):
                        ids, w = trace(t, row)
                        finish(alive[i], ids, float(scores[row]), w)
            live_best = (scores / length_penalty(t + 1, alpha)).reshape(n, k).max(axis=1)
            kept = np.array([_nth_best(finished[s], k) for s in alive])  # (N,)
            done = at_limit | (live_best == -np.inf) | (kept >= live_best)
            if done.all():
                break
            rows = parents  # the next batch: the surviving rows of unfinished sentences
            if done.any():
                live_rows = np.flatnonzero(np.repeat(~done, k))
                rows, token, scores = parents[live_rows], token[live_rows], scores[live_rows]
                outputs = outputs if outputs is None else outputs[live_rows]
                history[-1] = (token, rows, step_w)
                alive = alive[~done]
            states = _gather(states, rows)
            if done.any():  # otherwise every row keeps its own sentence's context
                context = _gather(context, rows)
        return [sorted(hyps, key=lambda h: -h.score)[:n_best] for hyps in finished]
