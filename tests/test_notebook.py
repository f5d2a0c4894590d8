"""The tutorial notebook runs end to end, headlessly, with the smallest settings.

The notebook's ``parameters`` cell is replaced by tiny sizes (200 pairs, 1 epoch, 16 units)
in memory; the repository's notebook file is never written. The kernel is this test's own
Python (``sys.executable``), through a kernelspec written to a temporary ``JUPYTER_PATH``, so
a ``python3`` kernelspec installed elsewhere can never run the notebook with another Python.
"""

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
TUTORIAL = NOTEBOOKS / "tutorial.ipynb"
KERNEL = "seq2seq-test-python"

TINY_PARAMETERS = """\
DATA = "../data/sample-en-pt.tsv"
MAX_PAIRS = 200
TEST_FRACTION = 0.1
EMBEDDING_DIM = 8
UNITS = 16
EPOCHS = 1
BATCH_SIZE = 32
LEARNING_RATE = 3e-3
BEAM = 2
SEED = 42
OUT_DIR = {out_dir!r}
"""


def this_python_kernel(base: Path, monkeypatch) -> str:
    """A kernelspec that starts ipykernel with sys.executable; returns its name."""
    spec_dir = base / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "seq2seq test", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(base))
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    return KERNEL


def outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(str(output.data.get("text/plain", "")))
    return "".join(parts)


def test_tutorial_runs_with_tiny_settings(tmp_path, monkeypatch):
    original = TUTORIAL.read_text(encoding="utf-8")
    nb = nbformat.reads(original, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "the notebook needs exactly one cell tagged 'parameters'"
    tagged[0].source = TINY_PARAMETERS.format(out_dir=str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    check = nbformat.v4.new_code_cell("import sys; print('KERNEL-PYTHON', sys.executable)")
    nb.cells.insert(0, check)

    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name=this_python_kernel(tmp_path / "jupyter", monkeypatch),
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    try:
        client.execute()
    finally:  # keep the executed copy beside the test's files for a post-mortem
        nbformat.write(nb, tmp_path / "tutorial.executed.ipynb")

    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code_cells for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    assert all(c.execution_count for c in code_cells), "some code cell did not run"
    assert outputs_text(code_cells[0]).split() == ["KERNEL-PYTHON", sys.executable]

    text = "\n".join(outputs_text(c) for c in code_cells)
    assert "using 200 pairs" in text
    assert "Total params" in text  # training_model.summary()
    assert "</s>" in text  # the teacher-forcing table ends each label with the end marker
    assert "BLEU = " in text and "chrF = " in text
    images = [o for c in code_cells for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2, "the training curves and the attention heatmap should be shown"
    assert TUTORIAL.read_text(encoding="utf-8") == original, "the repo's notebook was modified"
    assert list((tmp_path / "out").iterdir()), "checkpoints should go to OUT_DIR"
