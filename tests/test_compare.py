"""Honest comparisons: paired bootstrap resampling between two systems (sacrebleu's test)."""

import json

import numpy as np
import pytest
import sacrebleu

from seq2seq import TrainConfig
from seq2seq import checkpoint as bundle
from seq2seq.cli import main
from seq2seq.evaluation import paired_bootstrap
from seq2seq.model import Seq2Seq
from seq2seq.vocabulary import CharVocabulary

from .conftest import TINY_PAIRS, write_tsv

REFERENCES = [[f"Esta é a frase número {i} de hoje."] for i in range(60)]
PERFECT = [refs[0] for refs in REFERENCES]
FLAWED = [ref if i % 3 else "Outra coisa." for i, ref in enumerate(PERFECT)]


def test_a_clearly_better_system_is_significant_and_a_tie_is_not():
    better = paired_bootstrap(("perfect", PERFECT), ("flawed", FLAWED), REFERENCES, samples=200)
    streams = [PERFECT]
    assert better.scores["chrF"][0] == pytest.approx(
        sacrebleu.corpus_chrf(PERFECT, streams).score)
    assert better.baseline["BLEU"][0] == pytest.approx(
        sacrebleu.corpus_bleu(FLAWED, streams).score)
    assert better.p_value["BLEU"] < 0.05 and better.p_value["chrF"] < 0.05
    assert better.baseline["chrF"][2] > 0  # the flawed system's interval has a width
    assert "p = " in better.summary() and "95% intervals" in better.summary()

    tie = paired_bootstrap(("again", FLAWED), ("flawed", FLAWED), REFERENCES, samples=200)
    assert tie.p_value == {"BLEU": 1.0, "chrF": 1.0}
    half = FLAWED[:30] + PERFECT[30:]  # better on a few sentences only: weaker evidence
    closer = paired_bootstrap(("half", half), ("flawed", FLAWED), REFERENCES, samples=200)
    assert closer.p_value["chrF"] >= better.p_value["chrF"]


def random_bundle(directory, seed):
    config = TrainConfig(units=8, embedding_dim=4, attention=True, seed=seed)
    source = CharVocabulary.build(en for en, _ in TINY_PAIRS)
    target = CharVocabulary.build(pt for _, pt in TINY_PAIRS)
    network = Seq2Seq(config, source.size, target.size)
    for variable in network.training_model.weights:
        variable.assign(np.random.default_rng(seed).normal(0, 0.5, variable.shape))
    bundle.write_bundle_header(directory, config, source, target)
    bundle.save_weights(network.training_model, directory)
    return str(directory)


def test_evaluate_compare_reports_both_systems_and_the_p_value(tmp_path, capsys):
    data = write_tsv(tmp_path / "test.tsv", TINY_PAIRS)
    system, baseline = random_bundle(tmp_path / "a", 1), random_bundle(tmp_path / "b", 2)
    assert main(["evaluate", "--checkpoint", system, "--data", str(data), "--json",
                 "--compare", baseline, "--samples", "100"]) == 0
    result = json.loads(capsys.readouterr().out)
    comparison = result["comparison"]
    assert comparison["scores"]["chrF"][0] == pytest.approx(result["chrf"])
    assert (comparison["system"], comparison["baseline_name"]) == (system, baseline)
    assert main(["evaluate", "--checkpoint", baseline, "--data", str(data), "--json"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert comparison["baseline"]["chrF"][0] == pytest.approx(alone["chrf"])
    assert 0 < comparison["p_value"]["chrF"] <= 1 and comparison["samples"] == 100
