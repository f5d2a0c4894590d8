"""SentencePiece subword vocabularies: the ``--tokens spm`` alternative to characters.

``SubwordVocabulary`` offers the interface of ``CharVocabulary`` (encode, decode, pieces,
unknown, size, save), so the model, decoding and evaluation never know which one they use.

Choices, and why:

* ids 0-3 are reserved exactly as in ``vocabulary`` (pad, unk, start = bos, end = eos);
* ``character_coverage=1.0``: every character of the training text is a piece of its own;
* byte fallback on the source side (and for a joint model): a character never seen in training
  is encoded as its UTF-8 bytes (pieces ``<0xC3>``, ...) instead of ``<unk>``, so unseen input
  keeps its length and identity and decodes back exactly; malformed byte runs decode to U+FFFD
  and never raise. The 256 byte pieces come on top of ``--vocab-size``, which therefore means
  "pieces learned from text" on both sides;
* no byte fallback on the target side: with full character coverage the training targets never
  contain a byte piece, so the decoder could never learn to emit one. They would only be 256 dead
  softmax classes, which cost time per step and (measured on a tiny corpus) slow learning down;
  an unseen target character becomes ``<unk>`` and decodes to U+FFFD, as with characters;
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

from .files import atomic_write
from .vocabulary import END_ID, PAD_ID, START_ID, UNK_ID, content_ids

SOURCE_MODEL, TARGET_MODEL, JOINT_MODEL = "source.spm.model", "target.spm.model", "joint.spm.model"
BYTE_PIECES = 256

_TOO_HIGH = re.compile(r"Vocabulary size too high \((\d+)\)\. Please set it to a value <= (\d+)")
_TOO_LOW = re.compile(r"Vocabulary size is smaller than required_chars\. (\d+) vs (\d+)")


class SubwordVocabulary:
    """A trained SentencePiece model (unigram or BPE) behind the character-vocabulary interface."""

    kind = "spm"

    def __init__(self, model_proto: bytes, model_file: str, model_type: str):
        self.model_proto, self.model_file, self.model_type = model_proto, model_file, model_type
        self.byte_fallback = False  # set below from the model itself
        self.processor = spm.SentencePieceProcessor(model_proto=model_proto)
        reserved = (self.processor.pad_id(), self.processor.unk_id(),
                    self.processor.bos_id(), self.processor.eos_id())
        if reserved != (PAD_ID, UNK_ID, START_ID, END_ID):
            raise ValueError(f"{model_file}: reserved ids are {reserved}, expected 0, 1, 2, 3")
        self.byte_fallback = any(self.processor.is_byte(i) for i in range(self.size))

    @classmethod
    def train(cls, texts: Iterable[str], vocab_size: int, model_type: str = "unigram",
              model_file: str = SOURCE_MODEL, side: str = "source",
              byte_fallback: bool = True) -> SubwordVocabulary:
        """Train on ``texts`` (training split only): ``vocab_size`` learned pieces, plus 256 byte
        pieces with ``byte_fallback``. A size the data cannot fill is a ValueError."""
        extra = BYTE_PIECES if byte_fallback else 0
        buffer = io.BytesIO()
        try:
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(texts), model_writer=buffer, vocab_size=vocab_size + extra,
                model_type=model_type, character_coverage=1.0, byte_fallback=byte_fallback,
                normalization_rule_name="identity", pad_id=PAD_ID, unk_id=UNK_ID,
                bos_id=START_ID, eos_id=END_ID, unk_surface="\ufffd", minloglevel=2,
            )
        except RuntimeError as error:
            raise vocab_size_error(str(error), vocab_size, extra, model_type, side) from error
        return cls(buffer.getvalue(), model_file, model_type)

    @property
    def size(self) -> int:
        return self.processor.get_piece_size()

    def encode(self, text: str) -> list[int]:
        """Piece ids of ``text``, without start/end markers; unseen characters become bytes."""
        return self.processor.encode(text)

    def decode(self, ids: Iterable[int]) -> str:
        """Text of ``ids`` up to the first end id; padding and start ids are dropped."""
        return self.processor.decode(content_ids(ids))

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
                "vocab_size": self.size, "byte_fallback": self.byte_fallback}

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
        name = data.get("model")
        if not isinstance(name, str) or not name:
            raise ValueError("field 'model' must name the SentencePiece model file")
        model_path = Path(base_dir) / name
        if not model_path.is_file():
            raise ValueError(f"SentencePiece model not found: {model_path}")
        try:
            vocab = cls(model_path.read_bytes(), name, data.get("model_type", "unigram"))
        except RuntimeError as error:  # SentencePiece's word for a damaged or truncated proto
            raise ValueError(f"{model_path} is not a readable SentencePiece model ({error})") \
                from None
        if "vocab_size" in data and vocab.size != data["vocab_size"]:
            raise ValueError(f"{model_path} has {vocab.size} pieces, the vocabulary file says "
                             f"{data['vocab_size']}")
        return vocab


def vocab_size_error(message: str, vocab_size: int, extra: int, model_type: str,
                     side: str) -> ValueError:
    """Turn SentencePiece's size complaints into a ValueError that names the sizes that work.

    SentencePiece counts the ``extra`` byte pieces in its sizes; ``--vocab-size`` does not.
    """
    high, low = _TOO_HIGH.search(message), _TOO_LOW.search(message)
    if high:
        largest = int(high.group(2)) - extra
        return ValueError(
            f"--vocab-size {vocab_size} is too large for the {side} training text: SentencePiece "
            f"can learn at most {largest} {model_type} pieces from it; "
            f"use --vocab-size {largest} or less"
        )
    if low:
        smallest = int(low.group(2)) - extra
        return ValueError(
            f"--vocab-size {vocab_size} is too small for the {side} training text: it needs at "
            f"least {smallest} (4 reserved ids and one piece per distinct character); "
            f"use --vocab-size {smallest} or more"
        )
    return ValueError(f"SentencePiece could not train the {side} vocabulary: {message}")


def write_model(path: Path, model_proto: bytes) -> None:
    """Write a serialized model atomically (a reader never sees half a file)."""
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(model_proto))


def train_subword_vocabularies(train_pairs, config, out: str | Path):
    """(source, target) vocabularies from the training pairs; model files go into ``out``.

    Separate models per language by default (bytes for the source only, see the module
    docstring); ``config.spm_joint`` trains one model, with bytes, on both sides, and both
    vocabulary files then name the same ``joint.spm.model``.
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
    target = SubwordVocabulary.train(targets, size, kind, TARGET_MODEL, "target",
                                     byte_fallback=False)
    write_model(out / SOURCE_MODEL, source.model_proto)
    write_model(out / TARGET_MODEL, target.model_proto)
    return source, target
