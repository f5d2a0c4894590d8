"""SentencePiece subword vocabularies: the ``--tokens spm`` alternative to characters.

``SubwordVocabulary`` offers the interface of ``CharVocabulary`` (encode, decode, pieces,
unknown, size, save), so the model, decoding and evaluation never know which one they use.

Choices, and why:

* ids 0-3 are reserved exactly as in ``vocabulary`` (pad, unk, start = bos, end = eos);
* ``character_coverage=1.0``: every character of the training text is a piece of its own;
* ``byte_fallback=True``: a character never seen in training is encoded as its UTF-8 bytes
  (pieces ``<0xC3>``, ...) instead of one ``<unk>``, so unseen text keeps its length and
  identity and ``decode`` gives it back exactly. Malformed byte runs (which a model could emit)
  decode to U+FFFD and never raise. The price: the 256 byte pieces count in ``--vocab-size``,
  so the smallest size that works is about 260 plus the number of distinct characters;
* ``normalization_rule_name="identity"``: no NFKC rewriting, so decoded targets are compared
  with references as written (only runs of spaces are collapsed, as SentencePiece always does).

The ``.model`` files live in the checkpoint directory and the vocabulary JSON names them
relative to it, so a copied or moved checkpoint still loads.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from pathlib import Path

import sentencepiece as spm

from .checkpoint import atomic_write
from .vocabulary import END_ID, PAD_ID, START_ID, UNK_ID

SOURCE_MODEL, TARGET_MODEL, JOINT_MODEL = "source.spm.model", "target.spm.model", "joint.spm.model"
BYTE_PIECES = 256

_TOO_HIGH = re.compile(r"Vocabulary size too high \((\d+)\)\. Please set it to a value <= (\d+)")
_TOO_LOW = re.compile(r"Vocabulary size is smaller than required_chars\. (\d+) vs (\d+)")


class SubwordVocabulary:
    """A trained SentencePiece model (unigram or BPE) behind the character-vocabulary interface."""

    kind = "spm"

    def __init__(self, model_proto: bytes, model_file: str, model_type: str):
        self.model_proto, self.model_file, self.model_type = model_proto, model_file, model_type
        self.processor = spm.SentencePieceProcessor(model_proto=model_proto)
        reserved = (self.processor.pad_id(), self.processor.unk_id(),
                    self.processor.bos_id(), self.processor.eos_id())
        if reserved != (PAD_ID, UNK_ID, START_ID, END_ID):
            raise ValueError(f"{model_file}: reserved ids are {reserved}, expected 0, 1, 2, 3")

    @classmethod
    def train(cls, texts: Iterable[str], vocab_size: int, model_type: str = "unigram",
              model_file: str = SOURCE_MODEL, side: str = "source") -> SubwordVocabulary:
        """Train on ``texts`` (training split only); a size the data cannot fill is a ValueError."""
        buffer = io.BytesIO()
        try:
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(texts), model_writer=buffer, vocab_size=vocab_size,
                model_type=model_type, character_coverage=1.0, byte_fallback=True,
                normalization_rule_name="identity", pad_id=PAD_ID, unk_id=UNK_ID,
                bos_id=START_ID, eos_id=END_ID, unk_surface="\ufffd", minloglevel=2,
            )
        except RuntimeError as error:
            raise vocab_size_error(str(error), vocab_size, model_type, side) from error
        return cls(buffer.getvalue(), model_file, model_type)

    @property
    def size(self) -> int:
        return self.processor.get_piece_size()

    def encode(self, text: str) -> list[int]:
        """Piece ids of ``text``, without start/end markers; unseen characters become bytes."""
        return self.processor.encode(text)

    def decode(self, ids: Iterable[int]) -> str:
        """Text of ``ids`` up to the first end id; padding and start ids are dropped."""
        kept = []
        for i in ids:
            i = int(i)
            if i == END_ID:
                break
            if i not in (PAD_ID, START_ID):
                kept.append(i)
        return self.processor.decode(kept)

    def pieces(self, text: str) -> list[str]:
        """The pieces ``encode`` produces, as strings ("▁word", "<0xC3>"), for attention plots."""
        return self.processor.encode(text, out_type=str)

    def unknown(self, text: str) -> list[str]:
        """Characters of ``text`` without a piece of their own (they fall back to bytes)."""
        unk = self.processor.unk_id()
        missing = (c for c in text if not c.isspace() and self.processor.piece_to_id(c) == unk)
        return list(dict.fromkeys(missing))

    def to_json(self) -> dict:
        return {"kind": self.kind, "model": self.model_file, "model_type": self.model_type,
                "vocab_size": self.size, "byte_fallback": True}

    def save(self, path: str | Path) -> None:
        """Write the JSON to ``path`` and make sure the model file it names sits beside it."""
        path = Path(path)
        model_path = path.parent / self.model_file
        if not model_path.is_file() or model_path.read_bytes() != self.model_proto:
            write_model(model_path, self.model_proto)
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n")

    @classmethod
    def from_json(cls, data: dict, base_dir: str | Path) -> SubwordVocabulary:
        """Load the model named in ``data`` from ``base_dir`` (the checkpoint directory)."""
        model_path = Path(base_dir) / data["model"]
        if not model_path.is_file():
            raise ValueError(f"SentencePiece model not found: {model_path}")
        vocab = cls(model_path.read_bytes(), data["model"], data.get("model_type", "unigram"))
        if "vocab_size" in data and vocab.size != data["vocab_size"]:
            raise ValueError(f"{model_path} has {vocab.size} pieces, the vocabulary file says "
                             f"{data['vocab_size']}")
        return vocab


def vocab_size_error(message: str, vocab_size: int, model_type: str, side: str) -> ValueError:
    """Turn SentencePiece's size complaints into a ValueError that names the sizes that work."""
    high, low = _TOO_HIGH.search(message), _TOO_LOW.search(message)
    if high:
        return ValueError(
            f"--vocab-size {vocab_size} is too large for the {side} training text: SentencePiece "
            f"can build at most {high.group(2)} {model_type} pieces from it; "
            f"use --vocab-size {high.group(2)} or less"
        )
    if low:
        return ValueError(
            f"--vocab-size {vocab_size} is too small for the {side} training text: it needs at "
            f"least {low.group(2)} (4 reserved ids, {BYTE_PIECES} byte-fallback pieces and one "
            f"piece per distinct character); use --vocab-size {low.group(2)} or more"
        )
    return ValueError(f"SentencePiece could not train the {side} vocabulary: {message}")


def write_model(path: Path, model_proto: bytes) -> None:
    """Write a serialized model atomically (a reader never sees half a file)."""
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(model_proto))


def train_subword_vocabularies(train_pairs, config, out: str | Path):
    """(source, target) vocabularies from the training pairs; model files go into ``out``.

    Separate models per language by default; ``config.spm_joint`` trains one model on both
    sides, and both vocabulary files then name the same ``joint.spm.model``.
    """
    out = Path(out)
    sources = [s for s, _ in train_pairs]
    targets = [t for _, t in train_pairs]
    size, kind = config.vocab_size, config.spm_model_type
    if config.spm_joint:
        joint = SubwordVocabulary.train(sources + targets, size, kind, JOINT_MODEL, "joint")
        write_model(out / JOINT_MODEL, joint.model_proto)
        return joint, joint
    source = SubwordVocabulary.train(sources, size, kind, SOURCE_MODEL, "source")
    target = SubwordVocabulary.train(targets, size, kind, TARGET_MODEL, "target")
    write_model(out / SOURCE_MODEL, source.model_proto)
    write_model(out / TARGET_MODEL, target.model_proto)
    return source, target
