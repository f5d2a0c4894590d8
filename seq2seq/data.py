"""Reading parallel corpora: tab-separated English-Portuguese pairs, cleaned and split.

Accepted line formats (UTF-8):
    English<TAB>Portuguese
    English<TAB>Portuguese<TAB>attribution        (ManyThings / Anki export)
Bad lines are skipped and reported with their line numbers; ``strict=True`` turns them into
an error instead, so a long run never dies on one broken line unless you ask it to.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

Pair = tuple[str, str]


class CorpusError(ValueError):
    """Raised for an unreadable corpus, or for bad lines under ``strict=True``."""


@dataclass
class BadLine:
    line_number: int  # 1-based, as an editor shows it
    reason: str


@dataclass
class Corpus:
    """The clean pairs read from one file, and what was skipped on the way."""

    path: str
    pairs: list[Pair]
    bad_lines: list[BadLine] = field(default_factory=list)
    duplicates: int = 0
    too_long: int = 0  # good pairs left out for a side longer than max_length
    max_length: int | None = None

    def summary(self, show: int = 5) -> str:
        """One or two lines for the console: kept, skipped (first few with reasons), duplicates."""
        text = f"{self.path}: {len(self.pairs)} pairs"
        if self.duplicates:
            text += f", {self.duplicates} exact duplicates dropped"
        if self.too_long:
            text += f", {self.too_long} longer than --max-length {self.max_length} left out"
        if self.bad_lines:
            first = "; ".join(f"line {b.line_number}: {b.reason}" for b in self.bad_lines[:show])
            more = f" (and {len(self.bad_lines) - show} more)" if len(self.bad_lines) > show else ""
            text += f", {len(self.bad_lines)} bad lines skipped - {first}{more}"
        return text


def normalize(text: str) -> str:
    """Unicode NFC and outer whitespace stripped, so 'não' typed two ways is one string."""
    return unicodedata.normalize("NFC", text).strip()


def parse_line(line: str) -> Pair | str:
    """Return the (en, pt) pair of one line, or the reason it is bad."""
    columns = line.rstrip("\r\n").split("\t")
    if len(columns) < 2:
        return "no tab between English and Portuguese"
    source, target = normalize(columns[0]), normalize(columns[1])
    if not source or not target:
        return "empty English side" if not source else "empty Portuguese side"
    return source, target


def read_corpus(path: str | Path, max_length: int | None = None, strict: bool = False) -> Corpus:
    """Read a TSV corpus, keeping the first copy of each exact duplicate pair."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"corpus file not found: {path}")
    pairs: list[Pair] = []
    seen: set[Pair] = set()
    bad: list[BadLine] = []
    duplicates = too_long = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                bad.append(BadLine(number, f"not valid UTF-8 (byte {error.start})"))
                continue
            if not line.strip():
                continue  # blank lines are layout, not errors
            parsed = parse_line(line.lstrip("\ufeff") if number == 1 else line)
            if isinstance(parsed, str):
                bad.append(BadLine(number, parsed))
            elif max_length is not None and max(map(len, parsed)) > max_length:
                too_long += 1  # a good pair, only longer than this run trains on
            elif parsed in seen:
                duplicates += 1
            else:
                seen.add(parsed)
                pairs.append(parsed)
    corpus = Corpus(str(path), pairs, bad, duplicates, too_long, max_length)
    if strict and bad:
        raise CorpusError(f"--strict: {corpus.summary()}")
    if not pairs:
        raise CorpusError(f"no usable pairs in {path}: {corpus.summary()}")
    return corpus


def split_pairs(pairs: list[Pair], dev_fraction: float, seed: int) -> tuple[list[Pair], list[Pair]]:
    """Seeded random train/dev split that keeps all translations of one English sentence together.

    Corpus files are often sorted, so "the last N lines" is never a fair sample; and putting
    one translation of a sentence in train and another in dev would leak the answer.
    """
    sources = sorted({source for source, _ in pairs})
    random.Random(seed).shuffle(sources)
    n_dev = max(1, round(len(sources) * dev_fraction)) if len(sources) > 1 else 0
    dev_sources = set(sources[:n_dev])
    train = [p for p in pairs if p[0] not in dev_sources]
    dev = [p for p in pairs if p[0] in dev_sources]
    return train, dev
