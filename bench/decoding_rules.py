"""The no-repeat rule and input splitting: one checkpoint's dev scores with each, side by side.

Every row decodes the same model on the same test set, so the paired bootstrap (sacrebleu, 1,000
samples) against the first row says which rule is worth what, and how sure that is. A row
``N:S`` decodes with ``no_repeat=N`` and ``split=S`` (0: off); the first row is the baseline.
Test sets default to dev.tsv and, when it exists, the long-sentence dev set that
``data/make_long_dev.py`` writes (runs/data/dev-long.tsv). Run from the repository root:

    .venv/bin/python bench/decoding_rules.py [--checkpoint DIR] [--beam 1 --beam 5] \
        [--rows 0:0 8:0 0:60 8:60] [--data TSV ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from seq2seq.evaluation import evaluate, paired_bootstrap
from seq2seq.translator import open_translator

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".." / "shared" / "data" / "tatoeba-en-pt"
DEV_LONG = REPO / "runs" / "data" / "dev-long.tsv"


def test_sets(given: list[str] | None) -> list[str]:
    """The test sets given, or else dev.tsv and dev-long.tsv where they exist (may be none)."""
    return given or [str(path) for path in (DATA / "dev.tsv", DEV_LONG) if path.is_file()]


def side_by_side(data: str, beam: int, rows) -> None:
    """Run each ``(label, run)`` row in turn (``run()`` returns an ``Evaluation`` of ``data``) and
    print its scores and seconds, and from the second row on the paired bootstrap against the
    first (sacrebleu, 1,000 samples)."""
    base = None
    for label, run in rows:
        start = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - start
        line = (f"{Path(data).name:12s} beam {beam}  {label}  chrF {result.scores.chrf:5.2f}  "
                f"BLEU {result.scores.bleu:5.2f}  {seconds:4.0f} s")
        if base is None:
            base = result
        else:
            c = paired_bootstrap(("row", result.hypotheses), ("base", base.hypotheses),
                                 result.references)
            line += f"  p chrF {c.p_value['chrF']:.3f}  p BLEU {c.p_value['BLEU']:.3f}"
        print(line, flush=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", help="default: checkpoints/default")
    p.add_argument("--data", action="append", help="test TSV (repeatable)")
    p.add_argument("--beam", type=int, action="append", help="beam width (repeatable; 1 and 5)")
    p.add_argument("--rows", nargs="+", default=["0:0", "8:0", "0:60", "8:60"],
                   help="NO_REPEAT:SPLIT per row; the first is the baseline")
    args = p.parse_args()
    sets = test_sets(args.data)
    if not sets:
        print(f"skipped: no test set given and {DATA / 'dev.tsv'} is absent", file=sys.stderr)
        return 0
    rows = [tuple(int(v) for v in row.split(":")) for row in args.rows]
    translator = open_translator(args.checkpoint)
    print(f"{translator.directory}; p: paired bootstrap against the first row")
    for data in sets:
        for beam in args.beam or [1, 5]:
            side_by_side(data, beam, [
                (f"no_repeat {n:2d}  split {s:3d}",
                 lambda n=n, s=s, data=data, beam=beam: evaluate(
                     translator, data, beam=beam, no_repeat=n, split=s))
                for n, s in rows])
    return 0


if __name__ == "__main__":
    sys.exit(main())
