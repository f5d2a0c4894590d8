"""Beam search's stopping rule: stop at the first finished hypothesis, or wait for ``beam`` of them.

A sentence's search may stop once enough hypotheses have finished and no live one scores better
at its current length than the worst of those. ``decoding.Decoder.beam_search`` waits for
``beam`` finished ones (Hugging Face's rule); until 2026-12-07 it waited for ``n_best``, one for
a plain translation. This script decodes the same checkpoint both ways, side by side in one run
(the old rule by counting only the best finished hypothesis), and prints chrF / BLEU, seconds and
sacrebleu's paired bootstrap (1,000 samples). Run from the repository root:

    .venv/bin/python bench/beam_stopping.py [--checkpoint DIR] [--beam 5] [--data TSV ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from seq2seq import decoding
from seq2seq.evaluation import evaluate, paired_bootstrap
from seq2seq.translator import open_translator

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".." / "shared" / "data" / "tatoeba-en-pt"
DEV_LONG = REPO / "runs" / "data" / "dev-long.tsv"
WAIT_FOR_BEAM = decoding._nth_best  # the rule in the package: the beam-th best finished one


def wait_for_one(hypotheses, n):
    """The old rule: stop once the best finished hypothesis beats every live one."""
    return WAIT_FOR_BEAM(hypotheses, 1)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", help="default: checkpoints/default")
    p.add_argument("--data", action="append", help="test TSV (repeatable)")
    p.add_argument("--beam", type=int, action="append", help="beam width (repeatable; 5)")
    args = p.parse_args()
    sets = args.data or [str(path) for path in (DATA / "dev.tsv", DEV_LONG) if path.is_file()]
    if not sets:
        print(f"skipped: no test set given and {DATA / 'dev.tsv'} is absent", file=sys.stderr)
        return 0
    translator = open_translator(args.checkpoint)
    print(f"{translator.directory}; p: paired bootstrap against the first rule")
    for data in sets:
        for beam in args.beam or [5]:
            base = None
            for name, rule in (("first finished", wait_for_one), ("beam finished", WAIT_FOR_BEAM)):
                decoding._nth_best = rule
                start = time.perf_counter()
                try:
                    run = evaluate(translator, data, beam=beam)
                finally:
                    decoding._nth_best = WAIT_FOR_BEAM
                seconds = time.perf_counter() - start
                line = (f"{Path(data).name:12s} beam {beam}  stop after {name:14s}  "
                        f"chrF {run.scores.chrf:5.2f}  BLEU {run.scores.bleu:5.2f}  "
                        f"{seconds:4.0f} s")
                if base is None:
                    base = run
                else:
                    c = paired_bootstrap(("beam", run.hypotheses), ("one", base.hypotheses),
                                         run.references)
                    line += f"  p chrF {c.p_value['chrF']:.3f}  p BLEU {c.p_value['BLEU']:.3f}"
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
