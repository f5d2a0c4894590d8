"""Watching long work: progress lines of evaluate and of translate reading stdin (on a terminal
only; silent in pipes and --json mode). TensorBoard logs are tested in test_recipe.py, on the
run it shares."""

import io
import json

import numpy as np
import pytest

from seq2seq import TrainConfig
from seq2seq import checkpoint as bundle
from seq2seq.cli import main
from seq2seq.model import Seq2Seq
from seq2seq.vocabulary import CharVocabulary

from .conftest import TINY_PAIRS, write_tsv


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A small untrained bundle: progress is about counting sentences, not their quality."""
    directory = tmp_path_factory.mktemp("progress") / "bundle"
    config = TrainConfig(units=8, embedding_dim=4, attention=True)
    source = CharVocabulary.build(en for en, _ in TINY_PAIRS)
    target = CharVocabulary.build(pt for _, pt in TINY_PAIRS)
    network = Seq2Seq(config, source.size, target.size)
    for variable in network.training_model.weights:
        variable.assign(np.random.default_rng(0).normal(0, 0.5, variable.shape))
    bundle.write_bundle_header(directory, config, source, target)
    bundle.save_weights(network.training_model, directory)
    return directory


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("tty", [True, False])
def test_evaluate_shows_progress_on_a_terminal_only(checkpoint, tmp_path, monkeypatch, capsys,
                                                    tty):
    data = write_tsv(tmp_path / "test.tsv", TINY_PAIRS)
    err = Terminal() if tty else io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    args = ["evaluate", "--checkpoint", str(checkpoint), "--data", str(data), "--batch-size", "8"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "BLEU = " in out and "20/20" not in out  # results on stdout, progress never there
    if tty:
        assert "20/20" in err.getvalue() and "sentences/s" in err.getvalue()
    else:
        assert err.getvalue() == ""
    err.truncate(0)
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sentences"] == 20
    assert "20/20" not in err.getvalue()  # --json: silent


def test_translate_from_stdin_shows_progress_on_a_terminal_only(checkpoint, monkeypatch,
                                                                capsys):
    lines = [en for en, _ in TINY_PAIRS]
    for tty in (True, False):
        err = Terminal() if tty else io.StringIO()
        monkeypatch.setattr("sys.stderr", err)
        monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
        assert main(["translate", "--checkpoint", str(checkpoint), "--batch-size", "8"]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 20  # one line each, nothing else
        assert ("20 sentences" in err.getvalue()) == tty, err.getvalue()
