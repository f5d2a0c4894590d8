"""The README's commands work as written: the two at the top, and every shell block.

The shell blocks run in a scratch directory that links to the repository's data/ and
checkpoints/default, so the commands' outputs (checkpoints/small, report.md, ...) never land in the
repository.
"""

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
    if not (ROOT / "checkpoints" / "default" / "model.weights.h5").is_file():
        pytest.fail("the shipped model checkpoints/default is missing")


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
