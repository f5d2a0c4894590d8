"""Bundles on disk: damaged ones fail in one clear line, user files are never deleted, file modes
follow the umask, and a busy --out is refused. (That the same seed trains the same weights is
tested in test_training.py, on the CLI's runs.)"""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from seq2seq import TrainConfig, Translator, train
from seq2seq import checkpoint as bundle
from seq2seq.cli import main
from seq2seq.model import Seq2Seq
from seq2seq.report import write_report
from seq2seq.vocabulary import CharVocabulary

from .conftest import TINY_PAIRS, write_tsv

ARCH = dict(units=8, embedding_dim=4, attention=True)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A small untrained bundle (no training needed to test what loading checks)."""
    directory = tmp_path_factory.mktemp("pristine") / "bundle"
    config = TrainConfig(**ARCH)
    source = CharVocabulary.build(en for en, _ in TINY_PAIRS)
    target = CharVocabulary.build(pt for _, pt in TINY_PAIRS)
    network = Seq2Seq(config, source.size, target.size)
    bundle.write_bundle_header(directory, config, source, target)
    bundle.save_weights(network.training_model, directory)
    return directory


def edit_json(name, change):
    def damage(directory):
        path = directory / name
        path.write_text(json.dumps(change(json.loads(path.read_text()))))
    return damage


def truncate(name):
    def damage(directory):
        data = (directory / name).read_bytes()
        (directory / name).write_bytes(data[: len(data) // 2])
    return damage


def replace_with_directory(name):
    def damage(directory):
        (directory / name).unlink()
        (directory / name).mkdir()
    return damage


def set_field(**values):
    return edit_json("config.json", lambda c: {**c, **values})


def add_source_character(vocab):
    return {**vocab, "tokens": [*vocab["tokens"], "ж"]}


# (damage, what the one error line must say besides the file's name)
DAMAGES = {
    "weights truncated": (truncate("model.weights.h5"), "model.weights.h5: not a readable "
                          "weights file (truncated file"),
    "weights missing": (lambda d: (d / "model.weights.h5").unlink(),
                        "missing ['model.weights.h5']"),
    "weights unreadable": (replace_with_directory("model.weights.h5"), "model.weights.h5"),
    "units not a number": (set_field(units="many"),
                           "config.json: field 'units' must be an integer, not 'many'"),
    "attention not a bool": (set_field(attention="yes"),
                             "config.json: field 'attention' must be true or false, not 'yes'"),
    "config of bad keys only": (edit_json("config.json", lambda c: {"unit": 8, "atention": 1}),
                                "config.json: missing field(s) 'tokens', 'embedding_dim'"),
    "config out of range": (set_field(units=0), "config.json: --units must be at least 1"),
    "config truncated": (truncate("config.json"), "config.json: not valid JSON"),
    "config not an object": (edit_json("config.json", lambda c: [c]),
                             "config.json: expected a JSON object"),
    "config unreadable": (replace_with_directory("config.json"), "config.json: cannot be read"),
    "target vocabulary truncated": (truncate("target_vocab.json"),
                                    "target_vocab.json: not valid JSON"),
    "target vocabulary of the wrong shape": (
        edit_json("target_vocab.json", lambda v: {**v, "tokens": "abc"}),
        "target_vocab.json: field 'tokens' must be a list of strings"),
    "source vocabulary of another kind": (
        edit_json("source_vocab.json", lambda v: {**v, "kind": "words"}),
        "source_vocab.json: unknown vocabulary kind 'words'"),
    # refused from the weights file's shapes, before any model is built (none could be, here)
    "weights for another vocabulary": (
        edit_json("source_vocab.json", add_source_character),
        "source_vocab.json and target_vocab.json say [36, 38] but model.weights.h5 holds "
        "weights for [35, 38]"),
    "weights for other units": (set_field(units=16), "config.json says units 16 but "
                                "model.weights.h5 holds weights for 8"),
    "weights for far more units": (set_field(units=8000), "config.json says units 8000 but "
                                   "model.weights.h5 holds weights for 8"),
    "weights without a second layer": (set_field(layers=2), "config.json says layers 2 but "
                                       "model.weights.h5 holds weights for 1"),
    "weights of a bidirectional encoder": (set_field(bidirectional=False), "config.json says "
                                           "bidirectional False but model.weights.h5 holds "
                                           "weights for True"),
    "weights with attention": (set_field(attention=False), "config.json says attention False"),
    "weights for another embedding": (set_field(embedding_dim=5), "config.json says "
                                      "embedding_dim 5 but model.weights.h5 holds weights for 4"),
    "absurd units": (set_field(units=200_000_000), "config.json: --units must be at most 8,192, "
                     "not 200,000,000"),
}


@pytest.mark.parametrize("case", DAMAGES)
def test_damaged_bundle_fails_in_one_line_that_names_the_file(case, pristine, tmp_path, capsys):
    damage, expected = DAMAGES[case]
    directory = tmp_path / "bundle"
    shutil.copytree(pristine, directory)
    damage(directory)
    with pytest.raises(bundle.CheckpointError) as caught:
        Translator.load(directory)
    message = str(caught.value)
    assert expected in message and "\n" not in message and str(directory) in message

    assert main(["translate", "--checkpoint", str(directory), "Hello."]) == 2
    err = capsys.readouterr().err
    assert err == f"seq2seq translate: error: {message}\n"  # one line, no traceback


def test_pristine_bundle_loads(pristine):
    assert Translator.load(pristine).config.units == ARCH["units"]


def test_overwrite_never_removes_files_that_are_not_the_bundles(pristine, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    (project / "thesis.txt").write_text("three years of work")
    (project / "src").mkdir()
    (project / "src" / "main.py").write_text("print('hi')")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    with pytest.raises(bundle.CheckpointError, match=r"holds files that are not part of a "
                       r"checkpoint \(src, thesis.txt\); nothing was removed"):
        train(out=str(project), overwrite=True, verbose=0)
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before

    (project / "config.json").unlink()  # no run there: a fresh run refuses a non-empty folder
    with pytest.raises(bundle.CheckpointError, match="is not empty and holds no checkpoint"):
        train(out=str(project), verbose=0)
    assert (project / "thesis.txt").read_text() == "three years of work"


def test_remove_bundle_takes_every_file_a_run_writes(pristine, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(pristine, run)
    (run / "history.csv").write_text("epoch,loss\n0,1.0\n")
    (run / "resume").mkdir()
    (run / "resume" / "state.weights.h5").write_bytes(b"x")
    (run / ".model.0123abcd.weights.h5").write_bytes(b"half a file")  # an interrupted write
    (run / "source.spm.model").write_bytes(b"x")
    bundle.remove_bundle(run)
    assert list(run.iterdir()) == []
    (run / ".notes.0123abcd.txt").write_text("a hidden user file that only looks temporary")
    with pytest.raises(bundle.CheckpointError, match=r"\.notes\.0123abcd\.txt"):
        bundle.remove_bundle(run)


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_written_files_follow_the_umask(pristine, tmp_path, umask):
    previous = os.umask(umask)
    try:
        config = Translator.load(pristine).config
        source, target = (bundle.load_vocabulary(pristine / n)
                          for n in (bundle.SOURCE_VOCAB, bundle.TARGET_VOCAB))
        bundle.write_bundle_header(tmp_path / "run", config, source, target)
        network = Seq2Seq(config, source.size, target.size)
        bundle.save_weights(network.training_model, tmp_path / "run")
        shipped = Translator.load(tmp_path / "run").save(tmp_path / "shipped")
        report = write_report(_tiny_evaluation(), tmp_path / "report.md")
    finally:
        os.umask(previous)
    files = [*(tmp_path / "run").iterdir(), *shipped.iterdir(), report]
    assert len(files) == 9
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path
    assert shipped.stat().st_mode & 0o777 == 0o777 & ~umask


def _tiny_evaluation():
    from seq2seq.evaluation import Evaluation, score

    return Evaluation(["Hi."], ["Oi."], [["Oi."]], score(["Oi."], [["Oi."]]), {})


HOLD_LOCK = """
import sys, time
from seq2seq.checkpoint import training_lock
with training_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(600)
"""


def test_busy_out_is_refused_and_a_killed_runs_lock_is_stale(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    data = write_tsv(tmp_path / "tiny.tsv", TINY_PAIRS)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        for extra in ({}, {"overwrite": True}, {"resume": True}):
            with pytest.raises(bundle.CheckpointError,
                               match=rf"in use by another training run \(pid {holder.pid} on "):
                train(data=str(data), out=str(out), verbose=0, **extra)
        assert [p.name for p in out.iterdir()] == [bundle.LOCK]  # nothing touched
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # the dead run's lock file is still there, but nobody holds it any more
    assert f"pid {holder.pid} " in (out / bundle.LOCK).read_text()
    with pytest.raises(bundle.CheckpointError, match="has no interrupted run"):
        train(data=str(data), out=str(out), resume=True, verbose=2)  # past the lock
    assert f"was locked by a run that is no longer running (pid {holder.pid} " in \
        capsys.readouterr().out
    assert not (out / bundle.LOCK).exists()  # a finished holder removes its lock file


def test_a_second_run_in_this_process_is_refused_too(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    with bundle.training_lock(out):
        with pytest.raises(bundle.CheckpointError, match=f"pid {os.getpid()} "):
            train(out=str(out), verbose=0)
