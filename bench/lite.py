"""The LiteRT exports against the Translator (issue #23), on dev sources, in one run.

For each quantisation (none, float16, dynamic int8): the .tflite size, the share of dev sources
translated exactly as ``Translator.translate`` (greedy) does, dev chrF, and sentences/s (one
model call per sentence; the Translator decodes batches of 64). Then the whole process that
translates one sentence, ``seq2seq translate`` against ``python -m seq2seq.lite``: wall time and
peak memory (ru_maxrss), the median of --repeats runs each, alternated.

    python bench/lite.py [--checkpoint checkpoints/default] [--limit N] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "tatoeba-en-pt" / "dev.tsv"
SENTENCE = "I love you."


def whole_process(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one run of ``command``, by GNU time: this process
    holds TensorFlow, and a child's ru_maxrss counts what it shared with us before exec."""
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=True)
    wall, kilobytes = done.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kilobytes) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", default=str(ROOT / "checkpoints" / "default"))
    parser.add_argument("--dev", default=str(DEV))
    parser.add_argument("--limit", type=int, help="only the first N dev sources")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from seq2seq.data import read_corpus
    from seq2seq.evaluation import group_references, score
    from seq2seq.lite import LiteTranslator
    from seq2seq.lite_export import MODEL, QUANTIZATIONS, export_lite
    from seq2seq.translator import Translator

    sources, references = group_references(read_corpus(args.dev).pairs)
    sources, references = sources[: args.limit], references[: args.limit]
    translator = Translator.load(args.checkpoint)
    translator.translate(sources[:64], beam=1, no_repeat=0)  # traced once before the clock starts
    started = time.perf_counter()
    expected = translator.translate(sources, beam=1, no_repeat=0)  # LiteRT has no n-gram rule
    rate = len(sources) / (time.perf_counter() - started)
    print(f"{len(sources)} dev sources, {args.checkpoint}\n")
    print("| model | file | same as translate | dev chrF | sentences/s |")
    print("| --- | --- | --- | --- | --- |")
    size = sum(p.stat().st_size for p in Path(args.checkpoint).rglob("model.weights.h5"))
    print(f"| Translator, greedy (TensorFlow) | {size / 1e6:.2f} MB | - | "
          f"{score(expected, references).chrf:.2f} | {rate:.1f} |")
    scratch = Path(tempfile.mkdtemp(prefix="bench-lite-"))
    for quantize in QUANTIZATIONS:
        out = export_lite(translator, scratch / quantize, quantize)
        lite = LiteTranslator.load(out)
        lite.translate(sources[:1])  # tensors allocated before the clock starts
        started = time.perf_counter()
        outputs = lite.translate(sources)
        rate = len(sources) / (time.perf_counter() - started)
        same = sum(a == b for a, b in zip(outputs, expected, strict=True))
        print(f"| tflite, {quantize} | {(out / MODEL).stat().st_size / 1e6:.2f} MB | "
              f"{same}/{len(sources)} ({100 * same / len(sources):.1f}%) | "
              f"{score(outputs, references).chrf:.2f} | {rate:.1f} |", flush=True)

    bin_dir = Path(sys.executable).parent
    commands = {"seq2seq translate": [str(bin_dir / "seq2seq"), "translate", "--beam", "1",
                                      "--checkpoint", args.checkpoint, SENTENCE],
                "python -m seq2seq.lite (int8)": [sys.executable, "-m", "seq2seq.lite",
                                                  str(scratch / "dynamic"), SENTENCE]}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeats):  # alternated, so both see the same machine
        for name, command in commands.items():
            runs[name].append(whole_process(command))
    print(f"\nOne sentence, whole process (median of {args.repeats}):\n")
    print("| command | wall time | peak memory |")
    print("| --- | --- | --- |")
    for name, values in runs.items():
        wall = statistics.median(v[0] for v in values)
        memory = statistics.median(v[1] for v in values)
        print(f"| {name} | {wall:.2f} s | {memory:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
