"""A quality floor for the shipped model: a broken bundle, decoder or vocabulary fails CI."""

from pathlib import Path

from seq2seq.data import read_corpus
from seq2seq.evaluation import group_references, score
from seq2seq.translator import Translator

from .conftest import shared_file

DEFAULT = Path(__file__).resolve().parent.parent / "checkpoints" / "default"
# Greedy chrF of checkpoints/default on every other dev source (250 of 500; the file is sorted,
# so a stride spreads them over the alphabet) with the default decoding rules (no-repeat 8, split
# 60), measured when member-8 joined the ensemble (command: bench/README.md, "Beam search's
# stopping rule, and member-8")
MEASURED_CHRF = 49.96
FLOOR = MEASURED_CHRF - 3  # a few points of slack for other CPUs' float rounding, no more


def test_shipped_model_keeps_its_dev_quality():
    pairs = read_corpus(shared_file("dev.tsv")).pairs
    sources, references = group_references(pairs)
    sources, references = sources[::2], references[::2]
    hypotheses = Translator.load(DEFAULT).translate(sources, beam=1)
    chrf = score(hypotheses, references).chrf
    assert chrf >= FLOOR, f"greedy dev chrF {chrf:.2f} on 250 sources, floor {FLOOR:.2f}"


def test_shipped_checkpoints_stay_within_20_mb():
    """Issue #20 caps everything in checkpoints/ (a clone's download) at 20 MB."""
    files = [p for p in DEFAULT.parent.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    assert total <= 20_000_000, f"checkpoints/ holds {total / 1e6:.1f} MB"
