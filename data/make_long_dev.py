"""Carve a long-sentence dev set out of ../shared's extra.tsv (issue #20), outside the repo.

dev.tsv has only 58 sources over 50 characters, too few to steer long-sentence work by. This
draws 300 English sources of 51+ characters from extra.tsv with a seeded shuffle, keeping all
translations of a source together, and writes two files (the Tatoeba data is never copied into
the repository, so they go to a directory of your choosing, by default runs/data/):

    dev-long.tsv      the held-out long pairs: tune on them, never train on them
    extra-train.tsv   extra.tsv without those sources: train on this instead of extra.tsv

Only sources whose every pair is longer than 100 characters on some side are eligible: those
are the pairs the model shipped on 2026-11-29 left out (it trained at --max-length 100), so it
and any model started from its weights are scored on sentences they never saw. Sources that
also occur in train.tsv are not eligible either. Run from the repository root:

    python data/make_long_dev.py [--shared ../shared/data/tatoeba-en-pt] [--out runs/data]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seq2seq.data import read_corpus  # noqa: E402

SOURCES = 300
MIN_SOURCE_CHARS = 51
SEEN_UP_TO = 100  # the shipped model's --max-length: pairs this short or shorter it trained on
SEED = 42


def carve(extra, train_sources: set[str], n: int = SOURCES, seed: int = SEED):
    """(dev_long, rest): all pairs of ``n`` seeded-random eligible sources, and the others."""
    by_source: dict[str, list[tuple[str, str]]] = {}
    for pair in extra:
        by_source.setdefault(pair[0], []).append(pair)
    eligible = sorted(
        source for source, pairs in by_source.items()
        if len(source) >= MIN_SOURCE_CHARS and source not in train_sources
        and all(max(map(len, p)) > SEEN_UP_TO for p in pairs)
    )
    if len(eligible) < n:
        raise SystemExit(f"only {len(eligible)} eligible sources, {n} wanted")
    random.Random(seed).shuffle(eligible)
    chosen = set(eligible[:n])
    return ([p for p in extra if p[0] in chosen], [p for p in extra if p[0] not in chosen])


def write(path: Path, pairs) -> None:
    path.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" /
                        "tatoeba-en-pt")
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "data")
    args = parser.parse_args(argv)
    extra = read_corpus(args.shared / "extra.tsv").pairs
    train_sources = {s for s, _ in read_corpus(args.shared / "train.tsv").pairs}
    dev_long, rest = carve(extra, train_sources)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "dev-long.tsv", dev_long)
    write(args.out / "extra-train.tsv", rest)
    lengths = sorted(len(s) for s in {s for s, _ in dev_long})
    print(f"{args.out / 'dev-long.tsv'}: {len(dev_long)} pairs, {len(lengths)} sources of "
          f"{lengths[0]}-{lengths[-1]} characters (median {lengths[len(lengths) // 2]})")
    print(f"{args.out / 'extra-train.tsv'}: {len(rest)} pairs")


if __name__ == "__main__":
    main()
