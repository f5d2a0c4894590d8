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

from decoding_rules import DATA, side_by_side, test_sets  # bench/ is this script's sys.path[0]

from seq2seq import decoding
from seq2seq.evaluation import evaluate
from seq2seq.translator import open_translator

WAIT_FOR_BEAM = decoding._nth_best  # the rule in the package: the beam-th best finished one


def wait_for_one(hypotheses, n):
    """The old rule: stop once the best finished hypothesis beats every live one."""
    return WAIT_FOR_BEAM(hypotheses, 1)


def decoded_with(rule, translator, data: str, beam: int):
    """``evaluate`` with ``rule`` as beam search's count of finished hypotheses."""
    decoding._nth_best = rule
    try:
        return evaluate(translator, data, beam=beam)
    finally:
        decoding._nth_best = WAIT_FOR_BEAM


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", help="default: checkpoints/default")
    p.add_argument("--data", action="append", help="test TSV (repeatable)")
    p.add_argument("--beam", type=int, action="append", help="beam width (repeatable; 5)")
    args = p.parse_args()
    sets = test_sets(args.data)
    if not sets:
        print(f"skipped: no test set given and {DATA / 'dev.tsv'} is absent", file=sys.stderr)
        return 0
    translator = open_translator(args.checkpoint)
    print(f"{translator.directory}; p: paired bootstrap against the first rule")
    for data in sets:
        for beam in args.beam or [5]:
            side_by_side(data, beam, [
                (f"stop after {name:14s}",
                 lambda rule=rule, data=data, beam=beam: decoded_with(rule, translator, data,
                                                                      beam))
                for name, rule in (("first finished", wait_for_one),
                                   ("beam finished", WAIT_FOR_BEAM))])
    return 0


if __name__ == "__main__":
    sys.exit(main())
