"""The README's commands work as written: the two at the top, and every shell block.

The shell blocks run in a scratch directory that links to the repository's data/ and
checkpoints/default, so the commands' outputs (checkpoints/small, report.md, ...) never land in the
repository.
"""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
BIN = Path(sys.executable).parent  # the environment the tests run in has the seq2seq script
# passed on to the blocks' commands: conftest.py sets them for tests run in parallel
THREAD_SETTINGS = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def shell_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def test_top_commands_are_install_plus_demo_and_the_ci_test_command():
    first, second = shell_blocks()[0].strip().splitlines()
    assert first.endswith("pip install -e \".[cpu,dev]\" && seq2seq demo")
    assert second == "python -m pytest -q"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\n" + second + "\n" in ci, ".ci/run must run the README's test command"


def needs_default_model():
    if not (ROOT / "checkpoints" / "default" / "ensemble.json").is_file():
        pytest.fail("the shipped model checkpoints/default is missing")


def is_png(path: Path) -> bool:
    return path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def check_train(root, out, err):  # a first model, and its training curves
    assert (root / "checkpoints" / "small" / "model.weights.h5").is_file()
    assert is_png(root / "history.png")


def check_translate(root, out, err):  # 2 arguments, 3 stdin lines (one empty), then the 3 best of 5
    lines = out.splitlines()
    assert len(lines) == 8 and all(lines[:3]) and lines[3] == "" and lines[4], out
    assert all(re.fullmatch(r"0 \|\|\| \S.* \|\|\| -?\d+\.\d+", line) for line in lines[5:]), out
    assert is_png(root / "attention.png")
    # three translate processes in a bare shell (no TF_CPP_* variable): none of TensorFlow's
    # C++ log lines, only our own one line
    assert err.splitlines() == ["wrote attention.png"], err


def check_evaluate(root, out, err):  # a report with its by-length table, hypotheses, two scorings
    report = (root / "report.md").read_text(encoding="utf-8")
    table = report.split("By source length")[1].split("##")[0]
    assert re.search(r"\| 1-15 \| \d+ \| [\d.]+ \| [\d.]+ \|", table), report
    assert len((root / "hypotheses.txt").read_text(encoding="utf-8").splitlines()) == \
        len({line.split("\t")[0] for line in (root / "sample.tsv").read_text().splitlines()})
    assert out.count("chrF") >= 2 and '"chrf": ' in out, out


def check_saved_model(root, out, err):  # the SavedModel's translations are translate's (greedy),
    from seq2seq.translator import Translator  # loaded by saved_model_cli, then by Python

    expected = Translator.load(ROOT / "checkpoints" / "default").translate(
        ["I love you.", "Good morning."], beam=1, no_repeat=0)
    printed = re.findall(r"(b'[^']*'|b\"[^\"]*\")", out)  # numpy's repr of bytes (\xc3\xa3 for ã)
    assert [ast.literal_eval(b).decode("utf-8") for b in printed] == expected * 2, out


def check_lite(root, out, err):  # the LiteRT client translates, twice the same first sentence
    exported, *lines = out.splitlines()
    assert exported.startswith("exported checkpoints/default -> lite (tflite"), out
    assert len(lines) == 3 and lines[0] == lines[2] and all(lines), out
    weights = (ROOT / "checkpoints" / "default").glob("member-*/model.weights.h5")
    assert (root / "lite" / "model.tflite").stat().st_size < 0.4 * \
        sum(path.stat().st_size for path in weights)


def check_serve(root, out, err):  # the server's JSON: translate's beam-5 translation, 2-best
    from seq2seq.translator import Translator

    answer = json.loads(out.strip().splitlines()[-1])["translations"][0]
    expected = Translator.load(ROOT / "checkpoints" / "default").translate(
        ["I love you."], beam=5, n_best=2)[0]
    assert answer["translation"] == expected[0][0]
    assert [h["text"] for h in answer["n_best"]] == [t for t, _ in expected]


# what each block promises, by a command that only that block runs
BLOCK_CHECKS = {"seq2seq plot-history": check_train, "--plot-attention": check_translate,
                "--report report.md": check_evaluate, "--format saved-model": check_saved_model,
                "--format tflite": check_lite, "seq2seq serve": check_serve}


@pytest.mark.parametrize("block", range(1, len(shell_blocks())))
def test_shell_block_runs(block, tmp_path):
    needs_default_model()
    (tmp_path / "data").symlink_to(ROOT / "data")
    (tmp_path / "checkpoints").mkdir()  # commands name checkpoints/default as from the repo root
    (tmp_path / "checkpoints" / "default").symlink_to(ROOT / "checkpoints" / "default")
    script = "set -euo pipefail\n" + shell_blocks()[block]
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path),  # a user's bare shell
           **{k: v for k, v in os.environ.items() if k in THREAD_SETTINGS}}
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=900, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{script}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    checks = [check for command, check in BLOCK_CHECKS.items() if command in script]
    assert checks, "a new README block: say in BLOCK_CHECKS what its output must be"
    for check in checks:
        check(tmp_path, done.stdout, done.stderr)


def test_python_example_runs(tmp_path):
    needs_default_model()
    (tmp_path / "data").symlink_to(ROOT / "data")
    code = re.findall(r"```python\n(.*?)```", README, flags=re.S)[0]
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("[") and last.count("'") >= 4, done.stdout  # two translations


def test_demo_prints_translations_and_scores():
    needs_default_model()
    done = subprocess.run([BIN / "seq2seq", "demo"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "beam 5:" in done.stdout and "BLEU = " in done.stdout and "chrF = " in done.stdout
