"""How many words of each evaluation set the training files never (or rarely) show.

A character model can spell an unseen word only by analogy; the more of a test set's words it
never met in training, the lower its ceiling there. Prints, per evaluation file and side, the
share of word tokens (lower-cased ``\\w+`` runs) that occur 0 times and fewer than 3 times in the
training files. Run from the repository root (after ``python data/make_long_dev.py``):

    python bench/unseen_words.py --train ../shared/data/tatoeba-en-pt/train.tsv \\
        --train runs/data/extra-train.tsv \\
        --eval ../shared/data/tatoeba-en-pt/dev.tsv --eval runs/data/dev-long.tsv [--max-length 100]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from seq2seq.data import read_corpus  # noqa: E402

RARE = 3  # "rare": seen fewer than this many times


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="append", required=True, help="training TSV (repeat)")
    parser.add_argument("--eval", action="append", required=True, help="evaluation TSV (repeat)")
    parser.add_argument("--max-length", type=int, help="count only training pairs this short, "
                        "as `seq2seq train --max-length` keeps them (default: all)")
    args = parser.parse_args(argv)
    seen = (Counter(), Counter())  # (English, Portuguese) word counts over the training files
    for path in args.train:
        for pair in read_corpus(path, args.max_length).pairs:  # (English, Portuguese)
            for side, text in enumerate(pair):
                seen[side].update(words(text))
    print(f"file | side | words | unseen | seen < {RARE} times")
    for path in args.eval:
        pairs = read_corpus(path).pairs
        for side, name in enumerate(("en", "pt")):
            tokens = [w for pair in pairs for w in words(pair[side])]
            unseen = sum(seen[side][w] == 0 for w in tokens) / len(tokens)
            rare = sum(seen[side][w] < RARE for w in tokens) / len(tokens)
            print(f"{path} | {name} | {len(tokens)} | {unseen:.1%} | {rare:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
