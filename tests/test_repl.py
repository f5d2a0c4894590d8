"""``seq2seq translate``: arguments, a stdin pipe, the REPL in-process and on a pseudo-terminal."""

import io
import os
import subprocess
import sys

import pytest

from seq2seq import checkpoint as bundle
from seq2seq import repl
from seq2seq.cli import main
from seq2seq.config import DEFAULT_ALPHA, DEFAULT_SPLIT
from seq2seq.translator import Translator

from .tiny_translator import TINY_GROUP, tiny_checkpoint

pytestmark = pytest.mark.xdist_group(TINY_GROUP)  # one worker trains the tiny models once


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    return tiny_checkpoint(tmp_path_factory)


@pytest.fixture(scope="module")
def translator(checkpoint) -> Translator:
    return Translator.load(checkpoint)


def cli_env(home) -> dict:
    """Environment for a child ``seq2seq``: a private HOME for the history, and none of
    TensorFlow's logging variables, so that its log lines are kept out by seq2seq alone."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")},
            "HOME": str(home), "TERM": "dumb", "CUDA_VISIBLE_DEVICES": ""}


# TensorFlow's C++ log lines, as they reach a terminal unfiltered
TF_NOISE = ("oneDNN", "absl::InitializeLog", "E0000 ", "I0000 ", "W0000 ")


def drive(translator, lines, settings=None):
    """Run the REPL on scripted input lines (an exception instance is raised instead)."""
    feed = iter(lines)

    def read(prompt):
        item = next(feed, EOFError())
        if isinstance(item, BaseException):
            raise item
        return item

    out = io.StringIO()
    status = repl.Repl(translator, settings or repl.Settings(), read=read, out=out).run()
    return status, out.getvalue()


def test_pipe_keeps_order_and_empty_lines(checkpoint, tmp_path):
    lines = ["I am tired.", "", "Hello.", "Good night.", "Help me ж."]
    done = subprocess.run(
        [sys.executable, "-m", "seq2seq", "translate", "--checkpoint", str(checkpoint),
         "--batch-size", "2"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120,
        env=cli_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert not [n for n in TF_NOISE if n in done.stderr], done.stderr
    out = done.stdout.splitlines()
    assert out[:4] == ["Estou cansado.", "", "Olá.", "Boa noite."]
    assert len(out) == len(lines)
    assert "line 5: unknown characters" in done.stderr and "'ж'" in done.stderr


def test_arguments_and_n_best(checkpoint, capsys):
    assert main(["translate", "--checkpoint", str(checkpoint), "Hello.", "I know."]) == 0
    assert capsys.readouterr().out.splitlines() == ["Olá.", "Eu sei."]
    assert main(["translate", "--checkpoint", str(checkpoint), "--n-best", "2", "Hello."]) == 0
    rows = [line.split(" ||| ") for line in capsys.readouterr().out.splitlines()]
    assert [r[0] for r in rows] == ["0", "0"] and rows[0][1] == "Olá."
    assert float(rows[0][2]) >= float(rows[1][2])


def test_missing_checkpoints_say_how_to_train(tmp_path, monkeypatch, capsys):
    assert main(["translate", "--checkpoint", str(tmp_path / "nowhere"), "Hello."]) == 2
    assert "checkpoint directory not found" in capsys.readouterr().err
    monkeypatch.setattr(bundle, "DEFAULT_CHECKPOINT", tmp_path / "checkpoints" / "default")
    assert main(["translate", "Hello."]) == 2
    err = capsys.readouterr().err
    assert "seq2seq translate: error:" in err
    assert "seq2seq train --attention --out checkpoints/default" in err


def test_repl_commands(translator):
    status, out = drive(translator, [
        "Hello.", ":beam 3", "I am tired.", ":nbest 2", "Good night.", ":alpha x",
        ":bogus", "  ", ":help", KeyboardInterrupt(), "Thank ж€.", ":norepeat 4", ":split x",
        ":quit", "never read",
    ])
    assert status == 0
    lines = out.splitlines()
    assert "Olá." in lines and "Estou cansado." in lines
    assert f"beam 3, n-best 1, alpha {DEFAULT_ALPHA}" in lines
    assert f"beam 3, n-best 2, alpha {DEFAULT_ALPHA}" in lines
    ranked = [line for line in lines if line[:3] in ("1. ", "2. ")]
    assert ranked[0].startswith("1. Boa noite.") and ranked[1].startswith("2. ")
    scores = [float(line.rsplit("score ", 1)[1].rstrip(")")) for line in ranked[:2]]
    assert scores[0] >= scores[1]
    assert ":alpha needs a number" in out and "unknown command :bogus" in out
    assert ":plot FILE" in out  # the help text
    assert f"no-repeat 4, split {DEFAULT_SPLIT}" in lines and ":split needs a whole" in out
    assert "note: unknown characters (translated as <unk>): 'ж' '€'" in lines
    assert "never read" not in out


def test_repl_notices_long_inputs_and_ends_on_eof(translator):
    long_text = "Hello. " * (translator.config.max_length // 7 + 2)
    status, out = drive(translator, [long_text])  # then EOF (Ctrl-D)
    assert status == 0
    assert f"longer than the {translator.config.max_length}" in out


def test_repl_plot(translator, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "attention.png"
    _, out = drive(translator, [f":plot {png}", "I am tired.", f":plot {png}", ":plot"])
    assert "translate a sentence first" in out
    assert png.is_file() and png.stat().st_size > 1000
    assert ":plot needs a file name" in out


def test_repl_plot_without_attention(tmp_path_factory, tmp_path):
    plain = Translator.load(tiny_checkpoint(tmp_path_factory, attention=False))
    _, out = drive(plain, ["Hello.", f":plot {tmp_path / 'a.png'}"])
    assert "no attention" in out and not (tmp_path / "a.png").exists()


def test_repl_on_a_terminal(checkpoint, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "seq2seq", "translate", "--checkpoint",
                                           str(checkpoint)],
                          env=cli_env(tmp_path), encoding="utf-8", timeout=240)
    child.logfile_read = screen = io.StringIO()
    try:
        child.expect_exact("en> ")
        child.sendline("Hello.")
        child.expect_exact("Olá.")
        child.expect_exact("en> ")
        child.sendline(":beam 3")
        child.expect_exact("beam 3, n-best 1")
        child.sendline(":nbest 2")
        child.expect_exact("beam 3, n-best 2")
        child.sendline("I am tired.")
        child.expect_exact("1. Estou cansado.")
        child.expect_exact("2. ")
        child.expect_exact("en> ")
        child.send("half a line")
        child.expect_exact("half a line")  # echoed: readline is reading, so Ctrl-C reaches it
        child.sendintr()  # Ctrl-C drops the line, the REPL goes on
        child.expect_exact("en> ")
        child.sendline("Help ж.")
        child.expect_exact("unknown characters (translated as <unk>): 'ж'")
        child.expect_exact("en> ")
        child.sendeof()  # Ctrl-D
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert not [n for n in TF_NOISE if n in screen.getvalue()], screen.getvalue()
    history = (tmp_path / ".seq2seq_history").read_text()
    assert "I am tired." in history and ":nbest 2" in history
