"""A trained translator loaded from its checkpoint bundle."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from . import checkpoint, segmenting
from .batching import encode_pairs
from .config import DEFAULT_ALPHA, DEFAULT_BEAM, DEFAULT_NO_REPEAT, DEFAULT_SPLIT
from .data import normalize
from .decoding import Decoder, Hypothesis
from .files import WriteError, atomic_write, new_directory_beside
from .model import Seq2Seq
from .vocabulary import END_ID


@dataclass
class AttentionResult:
    """One translation with its attention: ``weights[i, j]`` is output piece i on source piece j."""

    text: str
    weights: np.ndarray  # (T_out, S): one row per output piece, the end marker included
    source_pieces: list[str]
    output_pieces: list[str]


class Translator:
    """Vocabularies + rebuilt network of one checkpoint, or of an ensemble of checkpoints.

    An ensemble (``Translator.load_ensemble``, or an ensemble bundle: see checkpoint.py)
    decodes with the mean of its networks' log-probabilities; ``network`` and ``config`` are
    then its first member's, and ``member_directories`` name the bundle of every network.
    """

    def __init__(self, config, source_vocab, target_vocab, network: Seq2Seq, directory=None,
                 members: list[Seq2Seq] | None = None, member_directories=None):
        self.config = config
        self.source_vocab, self.target_vocab = source_vocab, target_vocab
        self.network = network
        self.networks = [network, *(members or [])]
        self.directory = str(directory) if directory is not None else None
        self.member_directories = list(member_directories or [self.directory])  # str or None
        self._decoder: Decoder | None = None

    @classmethod
    def load(cls, directory: str | Path) -> Translator:
        """Rebuild the model from config.json and load the best weights of the bundle (of
        every member, for an ensemble bundle)."""
        members = checkpoint.ensemble_members(directory)
        if members is not None:
            ensemble = cls.load_ensemble(members)
            ensemble.directory = str(directory)
            return ensemble
        config, source_vocab, target_vocab = checkpoint.read_bundle(directory)
        network = Seq2Seq(config, source_vocab.size, target_vocab.size)
        checkpoint.load_weights(network.training_model, directory)
        return cls(config, source_vocab, target_vocab, network, directory)

    @classmethod
    def load_ensemble(cls, directories) -> Translator:
        """Several bundles over the same vocabularies, decoding together (mean log-probs);
        an ensemble bundle among them adds all its members."""
        loaded = [cls.load(d) for d in directories]
        first = loaded[0]
        for other in loaded[1:]:
            for side in ("source_vocab", "target_vocab"):
                if getattr(other, side).to_json() != getattr(first, side).to_json() or \
                        getattr(getattr(other, side), "model_proto", None) != \
                        getattr(getattr(first, side), "model_proto", None):
                    raise checkpoint.CheckpointError(
                        f"cannot ensemble {first.directory} and {other.directory}: their "
                        f"{side.replace('_vocab', '')} vocabularies differ (an ensemble averages "
                        "log-probabilities over the same ids)")
        networks = [n for t in loaded for n in t.networks]
        return cls(first.config, first.source_vocab, first.target_vocab, networks[0],
                   " + ".join(t.directory for t in loaded), networks[1:],
                   [d for t in loaded for d in t.member_directories])

    @classmethod
    def load_average(cls, directories) -> Translator:
        """One model whose every weight is the mean of that weight over several bundles of the
        same architecture and vocabularies (e.g. the last epochs of one run: ``--keep-epochs``).
        """
        for directory in directories:
            if checkpoint.ensemble_members(directory) is not None:
                raise checkpoint.CheckpointError(
                    f"cannot average {directory}: it is an ensemble bundle (independent models "
                    "do not average; name the epochs of one run)")
        ensemble = cls.load_ensemble(directories)  # checks the vocabularies
        shapes = [[tuple(v.shape) for v in n.training_model.weights] for n in ensemble.networks]
        for own in shapes[1:]:
            if own != shapes[0]:
                raise checkpoint.CheckpointError(
                    f"cannot average {ensemble.directory}: the checkpoints have different "
                    "architectures (averaging needs the same weights, shape for shape)")
        variables = [n.training_model.weights for n in ensemble.networks]
        for target, *others in zip(*variables, strict=True):
            target.assign(np.mean([v.numpy() for v in (target, *others)], axis=0))
        return cls(ensemble.config, ensemble.source_vocab, ensemble.target_vocab,
                   ensemble.network, directories[0])

    def save(self, directory: str | Path) -> Path:
        """Write this translator as a new bundle, without optimizer state (a third the size).

        This is how a finished run is shipped (e.g. to checkpoints/default); the history of the
        run it came from is copied along. An ensemble becomes an ensemble bundle: one member
        bundle per network and ensemble.json. The bundle appears whole or not at all.
        """
        directory = Path(directory)
        if directory.exists():
            raise checkpoint.CheckpointError(f"{directory} already exists; choose a new path")
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = new_directory_beside(directory)
        try:
            if len(self.networks) == 1:
                self._save_member(self.network, self.member_directories[0], staging)
            else:
                names = [f"member-{i}" for i in range(1, len(self.networks) + 1)]
                for name, network, source in zip(names, self.networks, self.member_directories,
                                                 strict=True):
                    self._save_member(network, source, staging / name)
                atomic_write(staging / checkpoint.ENSEMBLE, lambda tmp: Path(tmp).write_text(
                    json.dumps({"members": names}, indent=2) + "\n", encoding="utf-8"))
            staging.rename(directory)
        except WriteError as error:  # name the bundle asked for, not its hidden staging copy
            raise WriteError(directory / error.path.name, error.cause) from None
        except OSError as error:
            raise WriteError(directory, error) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return directory

    def _save_member(self, network: Seq2Seq, source, directory: Path) -> None:
        """One plain bundle: ``network``'s config and weights, the shared vocabularies, and the
        history of the bundle it was loaded from (``source``), if it has one."""
        checkpoint.write_bundle_header(directory, network.config, self.source_vocab,
                                       self.target_vocab)
        checkpoint.save_weights(network.training_model, directory)
        if source and (Path(source) / checkpoint.HISTORY).is_file():
            shutil.copy(Path(source) / checkpoint.HISTORY, directory)

    def teacher_forced_logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Logits (B, T, V) for (source, reference) pairs, padded to the longest; no dropout."""
        sources, decoder_inputs, _ = encode_pairs(pairs, self.source_vocab, self.target_vocab)
        src = keras.utils.pad_sequences(sources, padding="post")
        dec = keras.utils.pad_sequences(decoder_inputs, padding="post")
        return self.network.training_model([src, dec], training=False).numpy()

    # -- inference ---------------------------------------------------------------------------

    @property
    def decoder(self) -> Decoder:
        """The batched greedy / beam search decoder, compiled on first use."""
        if self._decoder is None:
            self._decoder = Decoder(self.networks)
        return self._decoder

    @property
    def has_attention(self) -> bool:
        return any(network.attention is not None for network in self.networks)

    def unknown(self, text: str) -> list[str]:
        """Characters of ``text`` the source vocabulary has never seen (they become <unk>)."""
        return self.source_vocab.unknown(normalize(text))

    def too_long(self, texts: list[str]) -> list[int]:
        """Indices of the inputs longer than the model's training ``max_length`` (characters).

        They are translated anyway (never truncated); callers use this to print a notice.
        """
        limit = self.config.max_length
        if limit is None:
            return []
        return [i for i, text in enumerate(texts) if len(normalize(text)) > limit]

    def translate(self, texts: list[str], beam: int = DEFAULT_BEAM, n_best: int = 1,
                  alpha: float = DEFAULT_ALPHA, batch_size: int = 64, progress=None,
                  no_repeat: int = DEFAULT_NO_REPEAT, split: int = DEFAULT_SPLIT):
        """Translate a list of sentences; list[str], or n-best lists of (text, score) if n_best>1.

        Inputs are decoded in batches of similar length and returned in input order. ``beam=1``
        is greedy search; scores are length-normalised log-probs (``alpha``, see decoding.py).
        No output repeats an n-gram of ``no_repeat`` tokens (0: no such rule). With one best
        output, inputs longer than ``split`` characters are translated piece by piece
        (segmenting.py; 0: whole). ``progress(done)``, if given, is called after each batch
        with the sentences done so far.
        """
        if isinstance(texts, str):
            raise TypeError("translate() takes a list of sentences; wrap a single one in [ ]")
        if not 1 <= n_best <= beam:
            raise ValueError(f"n-best ({n_best}) must be between 1 and the beam width ({beam})")
        check_rules(no_repeat, split)
        texts = [normalize(t) for t in texts]
        if n_best == 1 and split:
            return self._translate_pieces(texts, beam, alpha, batch_size, progress, no_repeat,
                                          split)
        results = self._decode(texts, beam, n_best, alpha, batch_size, progress, no_repeat)
        if n_best == 1:
            return [self.target_vocab.decode(hyps[0].tokens) if hyps else "" for hyps in results]
        return [[(self.target_vocab.decode(h.tokens), h.score) for h in hyps] or [("", 0.0)]
                for hyps in results]

    def _translate_pieces(self, texts: list[str], beam: int, alpha: float, batch_size: int,
                          progress, no_repeat: int, split: int) -> list[str]:
        """``translate`` with each text cut by ``segmenting.split``; the pieces of all texts are
        decoded together and each text's translations joined again."""
        pieces = [segmenting.split(t, split) for t in texts]
        flat = [p for ps in pieces for p in segmenting.model_inputs(ps)]

        def report(done_pieces: int) -> None:  # in texts, pro rata: pieces finish out of order
            progress(len(texts) * done_pieces // max(1, len(flat)))

        results = self._decode(flat, beam, 1, alpha, batch_size, progress and report, no_repeat)
        outputs = [self.target_vocab.decode(h[0].tokens) if h else "" for h in results]
        joined, start = [], 0
        for ps in pieces:
            joined.append(segmenting.join(ps, outputs[start : start + len(ps)]))
            start += len(ps)
        if progress is not None:
            progress(len(texts))
        return joined

    def translate_with_attention(self, text: str, beam: int = DEFAULT_BEAM,
                                 alpha: float = DEFAULT_ALPHA,
                                 no_repeat: int = DEFAULT_NO_REPEAT) -> AttentionResult:
        """Translate one sentence, whole, and return the attention of its best hypothesis."""
        if not self.has_attention:
            raise ValueError("this model has no attention (it was trained without --attention)")
        text = normalize(text)
        hyps = self._decode([text], beam, 1, alpha, 1, no_repeat=no_repeat)[0]
        if not hyps:  # empty input
            return AttentionResult("", np.zeros((0, 0), np.float32), [], [])
        best = hyps[0]
        output = self.target_vocab.decode(best.tokens)
        ended = bool(best.tokens) and best.tokens[-1] == END_ID
        body = best.tokens[:-1] if ended else best.tokens
        pieces = self.target_vocab.pieces(output)
        if len(pieces) != len(body):  # subword pieces may re-segment: label each id instead
            pieces = [self.target_vocab.decode([i]) for i in body]
        return AttentionResult(output, best.weights, self.source_vocab.pieces(text),
                               pieces + (["</s>"] if ended else []))

    def _decode(self, texts: list[str], beam: int, n_best: int, alpha: float,
                batch_size: int, progress=None, no_repeat: int = 0) -> list[list[Hypothesis]]:
        """Hypotheses per text (an empty list for an empty text), in input order."""
        ids = [self.source_vocab.encode(t) for t in texts]
        order = sorted((i for i, s in enumerate(ids) if s), key=lambda i: len(ids[i]))
        empty = len(texts) - len(order)  # nothing to decode: done from the start
        results: list[list[Hypothesis]] = [[] for _ in texts]
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            sources = [ids[i] for i in chosen]
            if beam == 1:
                hyps = [[h] for h in self.decoder.greedy(sources, alpha, no_repeat)]
            else:
                hyps = self.decoder.beam_search(sources, beam, n_best, alpha, no_repeat)
            for i, h in zip(chosen, hyps, strict=True):
                results[i] = h
            if progress is not None:
                progress(empty + start + len(chosen))
        return results


def check_rules(no_repeat: int, split: int) -> None:
    """The decoding rules' values: 0 turns a rule off; below 0 means nothing (a negative split
    would cut every input)."""
    if no_repeat < 0 or split < 0:
        raise ValueError(f"--no-repeat ({no_repeat}) and --split ({split}) must be 0 (off) or more")


def open_translator(directory: str | Path | list | None) -> Translator:
    """Load ``directory`` (a list of several: an ensemble), or the repository's
    checkpoints/default, saying how to make one."""
    if isinstance(directory, (list, tuple)):
        if len(directory) > 1:
            return Translator.load_ensemble(directory)
        directory = directory[0] if directory else None
    if directory is None:
        if not checkpoint.DEFAULT_CHECKPOINT.is_dir():
            raise checkpoint.CheckpointError(
                f"no --checkpoint given and no default model at {checkpoint.DEFAULT_CHECKPOINT}; "
                "train one with `seq2seq train --attention --out checkpoints/default "
                "--data TRAIN.tsv --dev DEV.tsv` (from the repository root), or pass --checkpoint"
            )
        directory = checkpoint.DEFAULT_CHECKPOINT
    return Translator.load(directory)
