"""Re-run the tutorial in place and store its outputs without TensorFlow's C++ start-up log.

    python notebooks/execute.py            # from the repository root, ~3 min on 2 CPU cores

TensorFlow prints absl log lines on stderr when it starts (e.g. oneDNN's "custom operations are
on"), and TF_CPP_MIN_LOG_LEVEL does not silence all of them. They say nothing about the lesson,
so stderr outputs lose those lines (and disappear when nothing else is left); everything else the
notebook prints is kept as it ran.
"""

import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parent / "tutorial.ipynb"
# "I0000 00:00:1795500847.790417    3662 port.cc:153] ..." and absl's note that precedes them
TF_LOG_LINE = re.compile(r"^([IWEF]\d{4} \d\d:\d\d:[\d.]+ +\d+ \S+:\d+\]|WARNING: All log "
                         r"messages before absl::InitializeLog\(\) is called)")


def without_tf_log(outputs: list) -> list:
    kept = []
    for output in outputs:
        if output.output_type == "stream" and output.name == "stderr":
            lines = [line for line in output.text.splitlines(keepends=True)
                     if not TF_LOG_LINE.match(line)]
            if not lines:
                continue
            output.text = "".join(lines)
        kept.append(output)
    return kept


def main() -> int:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    with tempfile.TemporaryDirectory() as jupyter_path:  # a kernel that is this very Python
        spec = Path(jupyter_path) / "kernels" / "python3"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)", "language": "python"}))
        os.environ["JUPYTER_PATH"] = jupyter_path
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        nbclient.NotebookClient(nb, timeout=1800, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = without_tf_log(cell.outputs)
    nbformat.write(nb, NOTEBOOK)
    print(f"executed and wrote {NOTEBOOK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
