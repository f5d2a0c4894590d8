"""Ensembles (mean log-probabilities of several checkpoints) and checkpoint averaging
(train --keep-epochs is tested in test_recipe.py, on the run it shares)."""

import json

import numpy as np
import pytest

from seq2seq import TrainConfig, Translator
from seq2seq import checkpoint as bundle
from seq2seq.cli import main
from seq2seq.decoding import BANNED_IDS
from seq2seq.evaluation import score
from seq2seq.model import Seq2Seq
from seq2seq.vocabulary import START_ID, CharVocabulary

from .conftest import TINY_PAIRS

SOURCES = [en for en, _ in TINY_PAIRS]


def random_bundle(directory, seed, extra_characters="", **arch):
    config = TrainConfig(**{"units": 8, "embedding_dim": 4, "attention": True, **arch})
    source = CharVocabulary.build([*(en for en, _ in TINY_PAIRS), extra_characters])
    target = CharVocabulary.build(pt for _, pt in TINY_PAIRS)
    network = Seq2Seq(config, source.size, target.size)
    rng = np.random.default_rng(seed)
    for variable in network.training_model.weights:
        variable.assign(rng.normal(0, 0.8, variable.shape))
    bundle.write_bundle_header(directory, config, source, target)
    bundle.save_weights(network.training_model, directory)
    return str(directory)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("ensemble")
    return (random_bundle(root / "a", 1), random_bundle(root / "b", 2, units=12))


def first_step_log_probs(translator, texts):
    """(B, V) log-probabilities of the first output token of each network, stacked: (N, B, V)."""
    ids = [translator.source_vocab.encode(t) for t in texts]
    states, context, _ = translator.decoder._start(ids)
    rows = []
    for step, s, c in zip(translator.decoder._steps, states, context, strict=True):
        token = np.full((len(texts), 1), START_ID, np.int32)
        rows.append(step({"token": token, "states": s, **c})["log_probs"].numpy())
    return np.stack(rows).astype(np.float64)


def test_ensemble_decodes_with_the_mean_of_the_log_probabilities(pair):
    ensemble = Translator.load_ensemble(pair)
    assert len(ensemble.networks) == 2 and " + " in ensemble.directory
    per_model = first_step_log_probs(ensemble, SOURCES)  # (2, B, V)
    mean = per_model.mean(axis=0)
    mean[:, BANNED_IDS] = -np.inf
    hyps = ensemble.decoder.greedy([ensemble.source_vocab.encode(t) for t in SOURCES])
    assert [h.tokens[0] for h in hyps] == mean.argmax(-1).tolist()
    alone = per_model[0].copy()
    alone[:, BANNED_IDS] = -np.inf
    assert (alone.argmax(-1) != mean.argmax(-1)).any()  # the second model changed something
    beam = ensemble.decoder.beam_search([ensemble.source_vocab.encode(t) for t in SOURCES],
                                        beam=1)
    assert [b[0].tokens for b in beam] == [h.tokens for h in hyps]  # beam 1 is greedy
    assert len(ensemble.translate(SOURCES[:3], beam=3, n_best=2)[0]) == 2


def test_ensemble_cli_and_vocabulary_mismatch(pair, tmp_path, capsys):
    assert main(["translate", "--checkpoint", pair[0], "--checkpoint", pair[1], "Hello."]) == 0
    assert capsys.readouterr().out.strip() == Translator.load_ensemble(pair).translate(
        ["Hello."])[0]
    other = random_bundle(tmp_path / "c", 3, extra_characters="ж")
    assert main(["translate", "--checkpoint", pair[0], "--checkpoint", other, "Hi."]) == 2
    assert "source vocabularies differ" in capsys.readouterr().err


def test_evaluate_scores_an_ensemble(pair, tmp_path, capsys):
    """`seq2seq evaluate` with two --checkpoint: the ensemble's own hypotheses are scored."""
    data = tmp_path / "test.tsv"
    data.write_text("".join(f"{en}\t{pt}\n" for en, pt in TINY_PAIRS[:6]), encoding="utf-8")
    hypotheses = tmp_path / "hyp.txt"
    assert main(["evaluate", "--checkpoint", pair[0], "--checkpoint", pair[1], "--data",
                 str(data), "--output", str(hypotheses), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["settings"]["checkpoint"] == f"{pair[0]} + {pair[1]}"
    expected = Translator.load_ensemble(pair).translate([en for en, _ in TINY_PAIRS[:6]])
    assert hypotheses.read_text(encoding="utf-8").splitlines() == expected
    assert report["chrf"] == pytest.approx(score(expected, [[pt] for _, pt in
                                                            TINY_PAIRS[:6]]).chrf)


def test_average_is_the_mean_of_every_weight(pair, tmp_path, capsys):
    a, b = pair[0], random_bundle(tmp_path / "b8", 5)  # same architecture as a
    out = tmp_path / "averaged"
    assert main(["average", str(out), a, b]) == 0
    averaged = Translator.load(out).network.training_model.weights
    for mine, x, y in zip(averaged, Translator.load(a).network.training_model.weights,
                          Translator.load(b).network.training_model.weights, strict=True):
        np.testing.assert_allclose(mine.numpy(), (x.numpy() + y.numpy()) / 2, rtol=1e-6)
    assert main(["average", str(tmp_path / "bad"), *pair]) == 2  # units 8 and 12
    assert "different architectures" in capsys.readouterr().err


def test_an_ensemble_bundle_opens_as_one_model(pair, tmp_path, capsys):
    """`seq2seq ensemble OUT A B` writes one directory that every command opens as the
    ensemble of A and B; what cannot take an ensemble says so."""
    out = tmp_path / "ens"
    assert main(["ensemble", str(out), *pair]) == 0
    assert json.loads((out / bundle.ENSEMBLE).read_text()) == {"members": ["member-1",
                                                                            "member-2"]}
    assert TrainConfig.load(out / "member-2" / bundle.CONFIG).units == 12  # architectures kept
    loaded, direct = Translator.load(out), Translator.load_ensemble(pair)
    assert len(loaded.networks) == 2 and loaded.directory == str(out)
    for beam in (1, 3):
        assert loaded.translate(SOURCES, beam=beam) == direct.translate(SOURCES, beam=beam)
    capsys.readouterr()
    assert main(["translate", "--checkpoint", str(out), "Hello."]) == 0
    assert capsys.readouterr().out.strip() == direct.translate(["Hello."])[0]

    with pytest.raises(bundle.CheckpointError, match="ensemble of 2 models.*member-1"):
        bundle.read_bundle(out)  # e.g. train --init-from: one member is needed there
    assert main(["average", str(tmp_path / "avg"), str(out), pair[0]]) == 2
    assert "ensemble bundle" in capsys.readouterr().err
    assert main(["plot-history", str(out), str(tmp_path / "h.png")]) == 2
    assert "each member has its own history" in capsys.readouterr().err
    assert main(["ensemble", str(tmp_path / "one"), pair[0]]) == 2
    assert "at least two" in capsys.readouterr().err
    (out / bundle.ENSEMBLE).write_text('{"members": ["member-1"]}')
    assert main(["translate", "--checkpoint", str(out), "Hello."]) == 2
    assert "at least two" in capsys.readouterr().err


def test_an_ensemble_exports_to_litert_and_decodes_as_the_translator(pair, tmp_path):
    """The LiteRT model of an ensemble averages its members' log-probs at every step, as
    Translator does (the SavedModel's ensemble: test_serving.py)."""
    from seq2seq.lite import LiteTranslator
    from seq2seq.lite_export import export_lite

    ensemble, texts = Translator.load_ensemble(pair), [*SOURCES[:6], ""]
    lite = LiteTranslator.load(export_lite(ensemble, tmp_path / "lite"))
    assert lite.translate(texts) == ensemble.translate(texts, beam=1, no_repeat=0)
    alone = Translator.load(pair[0]).translate(texts, beam=1, no_repeat=0)
    assert alone != lite.translate(texts)  # both members count
