"""Recipe ablation at equal wall time: one row per change against the shipped recipe.

Each row trains on the same data for the same number of minutes (``--time-budget``), keeps its
best epoch on dev, and is scored on all of dev.tsv greedy and with beam 5. ``--table`` prints the
Markdown table of the rows run so far, each with sacrebleu's paired bootstrap p-value against
the baseline (beam 5), and chrF by source length.

    python bench/ablation.py baseline --minutes 25 --threads 1   # one row (runs/ablation/baseline)
    python bench/ablation.py --table                            # the table of every finished row

Two rows with ``--threads 1`` can run side by side on a 2-core machine: LSTM steps at batch 64 are
latency-bound, so two single-threaded runs get more done than one run on two threads. Rows that
ran together share the machine alike, so their minutes compare.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "tatoeba-en-pt"
TRAIN, EXTRA, DEV = (str(DATA / f"{name}.tsv") for name in ("train", "extra", "dev"))

# the shipped model's recipe (checkpoints/default/README.md), trained until the time budget ends
BASELINE = dict(data=TRAIN, dev=DEV, attention=True, bidirectional=True, units=256,
                embedding_dim=64, dropout=0.35, label_smoothing=0.0, patience=8, epochs=500)
ROWS = {
    "baseline": ("shipped recipe: attention, bidirectional, units 256, emb 64, dropout 0.35", {}),
    "extra-short": ("+ extra.tsv pairs of <= 100 characters", dict(data=[TRAIN, EXTRA])),
    "extra-150": ("+ extra.tsv pairs of <= 150 characters (max length 150)",
                  dict(data=[TRAIN, EXTRA], max_length=150)),
    "smoothing": ("+ label smoothing 0.1", dict(label_smoothing=0.1)),
    "token-dropout": ("+ token dropout 0.1", dict(token_dropout=0.1)),
    "layers-2": ("2 encoder and 2 decoder layers", dict(layers=2)),
    "units-384": ("units 384", dict(units=384)),
    "batch-32": ("batch 32", dict(batch_size=32)),
    "batch-128": ("batch 128, learning rate 2e-3", dict(batch_size=128, learning_rate=2e-3)),
    "no-attention": ("no attention (reference)", dict(attention=False)),
    "spm": ("SentencePiece unigram 1000 (reference)", dict(tokens="spm", vocab_size=1000)),
}


def run_row(name: str, minutes: float, out_root: Path, extra: dict) -> None:
    from seq2seq import Translator, evaluate, train
    from seq2seq.evaluation import length_buckets

    description, overrides = ROWS[name]
    settings = {**BASELINE, **overrides, **extra, "time_budget": minutes}
    out = out_root / name
    result = train(out=str(out), overwrite=True, verbose=2, **settings)
    translator = Translator.load(result.checkpoint)
    row = {"name": name, "description": description, "settings": settings,
           "minutes": round(result.seconds / 60, 1), "epochs": len(result.history),
           "best_dev_loss": result.best_dev_loss, "train_pairs": result.train_pairs,
           "parameters": translator.network.training_model.count_params()}
    for beam in (1, 5):
        evaluation = evaluate(translator, DEV, beam=beam)
        row[f"beam{beam}"] = {"BLEU": evaluation.scores.bleu, "chrF": evaluation.scores.chrf,
                              "hypotheses": evaluation.hypotheses,
                              "by_length": {label: s.chrf for label, s in
                                            length_buckets(evaluation)}}
    row["references"] = evaluation.references  # the same for both beams
    (out / "ablation.json").write_text(json.dumps(row, ensure_ascii=False, indent=1) + "\n")
    print(f"{name}: {row['epochs']} epochs in {row['minutes']} min; greedy chrF "
          f"{row['beam1']['chrF']:.2f}, beam 5 chrF {row['beam5']['chrF']:.2f}")


def table(out_root: Path, baseline: str = "baseline") -> str:
    from seq2seq.evaluation import paired_bootstrap

    rows = {path.parent.name: json.loads(path.read_text())
            for path in sorted(out_root.glob("*/ablation.json"))}
    if not rows:
        return "no finished rows"
    base = rows.get(baseline)
    lines = ["| row | change | train pairs | epochs | min | params | greedy BLEU / chrF | "
             "beam 5 BLEU / chrF | vs baseline (beam 5 chrF, p) |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for name, row in sorted(rows.items(), key=lambda item: item[0] != baseline):
        versus = ""
        if base is not None and name != baseline:
            comparison = paired_bootstrap((name, row["beam5"]["hypotheses"]),
                                          (baseline, base["beam5"]["hypotheses"]),
                                          base["references"])
            delta = row["beam5"]["chrF"] - base["beam5"]["chrF"]
            p = comparison.p_value["chrF"]
            versus = f"{delta:+.2f}, p = {p:.3f}" + (" (significant)" if p < 0.05 else "")
        lines.append(
            f"| {name} | {row['description']} | {row['train_pairs']:,} | {row['epochs']} | "
            f"{row['minutes']} | {row['parameters']:,} | {row['beam1']['BLEU']:.2f} / "
            f"{row['beam1']['chrF']:.2f} | {row['beam5']['BLEU']:.2f} / "
            f"{row['beam5']['chrF']:.2f} | {versus} |")
    buckets = list(next(iter(rows.values()))["beam5"]["by_length"])
    lines += ["", "Beam-5 chrF by source length (characters):", "",
              "| row | " + " | ".join(buckets) + " |",
              "| --- |" + " ---: |" * len(buckets)]
    for name, row in rows.items():
        by_length = row["beam5"]["by_length"]
        lines.append(f"| {name} | " + " | ".join(f"{by_length.get(b, float('nan')):.1f}"
                                                  for b in buckets) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("row", nargs="?", choices=sorted(ROWS))
    parser.add_argument("--minutes", type=float, default=25.0, help="training time per row")
    parser.add_argument("--threads", type=int, default=0,
                        help="TensorFlow intra- and inter-op threads (0: TensorFlow's choice)")
    parser.add_argument("--out", default=str(ROOT / "runs" / "ablation"))
    parser.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                        help="override one training setting of the row, e.g. --set units=128")
    parser.add_argument("--table", action="store_true", help="print the table of finished rows")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not here (the shared Tatoeba data)", file=sys.stderr)
        return 0
    if args.table:
        print(table(Path(args.out)))
        return 0
    if args.row is None:
        parser.error("give a row or --table")
    if args.threads:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    extra = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    run_row(args.row, args.minutes, Path(args.out), extra)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
