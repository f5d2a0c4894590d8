"""Dev chrF against training minutes for runs that kept every epoch (``--keep-epochs``).

Each epoch snapshot in RUN/epochs/ is decoded greedily on dev and scored; its minute is the time
its weights were written, counted from the run's config.json (written when the run started).
Scores are cached in RUN/dev_curve.json, so re-plotting is cheap.

    python bench/dev_curve.py --run "old recipe (train.tsv, 1 thread)=runs/ablation/baseline" \
        --run "new recipe, 1 thread (shipped before)=runs/ship" \
        --run "new recipe, 2 threads (shipped)=runs/ship2" --out bench/dev_chrf_vs_minutes.png

A run that continued another (``train --init-from``) starts at that run's minutes: give them
after a ``+`` (``--run "LABEL=DIR+111"``). Runs whose directories are gone can be drawn from
the points their model card lists: ``--points "LABEL=13:18.4,26:28.8,..."`` (minutes:chrF).
``--every 5`` scores only every fifth epoch (and the last) of a long run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "tatoeba-en-pt" / "dev.tsv"


def curve(run: Path, dev: Path, every: int = 1) -> list[dict]:
    """[{epoch, minutes, chrF, BLEU}] for every ``every``-th kept epoch of ``run`` and its last
    (greedy, on ``dev``)."""
    from seq2seq import Translator, evaluate

    cache_path = run / "dev_curve.json"
    cache = json.loads(cache_path.read_text()) if cache_path.is_file() else {}
    started = (run / "config.json").stat().st_mtime
    points = []
    snapshots = sorted((run / "epochs").glob("epoch-*"))
    for snapshot in snapshots:
        if int(snapshot.name.split("-")[1]) % every and snapshot != snapshots[-1]:
            continue
        if snapshot.name not in cache:
            scores = evaluate(Translator.load(snapshot), dev, beam=1).scores
            cache[snapshot.name] = {"chrF": scores.chrf, "BLEU": scores.bleu}
            cache_path.write_text(json.dumps(cache, indent=1) + "\n")
        minutes = ((snapshot / "model.weights.h5").stat().st_mtime - started) / 60
        points.append({"epoch": int(snapshot.name.split("-")[1]), "minutes": minutes,
                       **cache[snapshot.name]})
        print(f"{run.name} epoch {points[-1]['epoch']:3d}  {minutes:6.1f} min  "
              f"greedy chrF {points[-1]['chrF']:.2f}", flush=True)
    return points


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", action="append", default=[], metavar="LABEL=DIR[+MINUTES]")
    parser.add_argument("--points", action="append", default=[],
                        metavar="LABEL=MINUTES:CHRF,...")
    parser.add_argument("--dev", default=str(DEV))
    parser.add_argument("--every", type=int, default=1, metavar="N",
                        help="score every N-th epoch of each --run (and its last) only")
    parser.add_argument("--out", default=str(ROOT / "bench" / "dev_chrf_vs_minutes.png"))
    args = parser.parse_args()

    from seq2seq.plotting import plt, save_figure

    figure, axes = plt.subplots(figsize=(8, 6.5))
    for item in args.points:
        label, values = item.split("=", 1)
        points = [tuple(map(float, pair.split(":"))) for pair in values.split(",")]
        axes.plot([m for m, _ in points], [c for _, c in points], marker="o", label=label)
    for item in args.run:
        label, directory = item.split("=", 1)
        directory, _, offset = directory.partition("+")
        points = curve(Path(directory), Path(args.dev), args.every)
        axes.plot([float(offset or 0) + p["minutes"] for p in points],
                  [p["chrF"] for p in points], marker=".", label=label)
    axes.set_xlabel("training minutes (2-core CPU; the host's speed per run in the legend)")
    axes.set_ylabel("dev chrF, greedy")
    axes.grid(alpha=0.3)
    # Below the axes, so that a long legend never hides the early epochs.
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize="small")
    figure.tight_layout()
    print(f"wrote {save_figure(figure, args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
