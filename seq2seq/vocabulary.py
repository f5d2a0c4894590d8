"""Character vocabularies: text <-> integer ids with reserved padding, unknown, start and end ids.

Every vocabulary kind (characters here, SentencePiece pieces in ``subwords``) offers the same
small interface, so the model, decoding and evaluation code never care which one is in use:
``encode``, ``decode``, ``pieces``, ``unknown``, ``size``, ``save``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

PAD_ID, UNK_ID, START_ID, END_ID = 0, 1, 2, 3
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]


def content_ids(ids: Iterable[int]) -> list[int]:
    """The ids a decoder should turn into text: up to the first end id, without pad/start."""
    kept = []
    for i in ids:
        i = int(i)
        if i == END_ID:
            break
        if i not in (PAD_ID, START_ID):
            kept.append(i)
    return kept


class CharVocabulary:
    """One id per character seen in training text; anything else maps to ``UNK_ID``."""

    kind = "char"

    def __init__(self, characters: Iterable[str]):
        self.itos: list[str] = SPECIALS + [c for c in characters if c not in SPECIALS]
        self.stoi: dict[str, int] = {c: i for i, c in enumerate(self.itos)}

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 1) -> CharVocabulary:
        """Characters of the training side only, most frequent first (ties by code point)."""
        counts = Counter(c for text in texts for c in text)
        kept = [c for c, n in counts.items() if n >= min_count]
        return cls(sorted(kept, key=lambda c: (-counts[c], c)))

    @property
    def size(self) -> int:
        return len(self.itos)

    def encode(self, text: str) -> list[int]:
        """Ids of the characters of ``text``, without start/end markers; never raises."""
        return [self.stoi.get(c, UNK_ID) for c in text]

    def decode(self, ids: Iterable[int]) -> str:
        """Text of ``ids`` up to the first end id; padding and start ids are dropped."""
        return "".join("\ufffd" if i == UNK_ID else self.itos[i] for i in content_ids(ids))

    def pieces(self, text: str) -> list[str]:
        """The units ``encode`` sees, as strings (labels for attention plots)."""
        return list(text)

    def unknown(self, text: str) -> list[str]:
        """Characters of ``text`` this vocabulary has never seen (each once, in order)."""
        return list(dict.fromkeys(c for c in text if c not in self.stoi))

    def to_json(self) -> dict:
        return {"kind": self.kind, "tokens": self.itos}

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n")

    @classmethod
    def from_json(cls, data: dict) -> CharVocabulary:
        """Rebuild from ``to_json``; a ValueError says what is wrong with a damaged file."""
        tokens = data.get("tokens")
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise ValueError("field 'tokens' must be a list of strings")
        if tokens[: len(SPECIALS)] != SPECIALS:
            raise ValueError(f"field 'tokens' must start with the reserved tokens {SPECIALS}")
        characters = tokens[len(SPECIALS) :]
        if any(len(c) != 1 for c in characters):
            raise ValueError("field 'tokens' must hold single characters after the reserved ones")
        if len(set(characters)) != len(characters):
            raise ValueError("field 'tokens' lists a character twice")
        return cls(characters)
