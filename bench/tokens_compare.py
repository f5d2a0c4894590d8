"""Characters against SentencePiece subwords at the same model size and the same training time.

Each side trains on the Tatoeba EN-PT train split with the same architecture, stopped by a
wall-clock budget instead of an epoch count (the machine is shared, so equal time is the fair
budget), then decodes the dev split greedily. Reported per side: dev BLEU and chrF (sacrebleu,
via ``seq2seq.evaluation``), nominal training pairs/s (steps x batch size / training seconds),
decode sentences/s, and the mean target length in tokens. Run from the repository root:

    .venv/bin/python bench/tokens_compare.py [--minutes 4] [--units 64] [--vocab-size 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import keras

from seq2seq.data import read_corpus
from seq2seq.evaluation import evaluate
from seq2seq.training import train

DATA = Path(__file__).resolve().parent.parent / ".." / "shared" / "data" / "tatoeba-en-pt"


class TimeLimit(keras.callbacks.Callback):
    """Stop training once ``seconds`` have passed; count the steps taken for a throughput."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds, self.steps, self.started = seconds, 0, None

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if time.perf_counter() - self.started > self.seconds:
            self.model.stop_training = True


def run_side(tokens: str, args, out: Path) -> dict:
    """Train one side for the time budget, then score and time greedy decoding of dev."""
    limit = TimeLimit(args.minutes * 60)
    result = train(data=str(DATA / "train.tsv"), dev=str(DATA / "dev.tsv"), out=str(out),
                   tokens=tokens, vocab_size=args.vocab_size, units=args.units,
                   embedding_dim=args.embedding_dim, attention=True, batch_size=args.batch_size,
                   learning_rate=2e-3, epochs=1000, patience=1000, callbacks=[limit], verbose=0,
                   # the defaults when bench/README.md's figures were taken
                   bidirectional=False, dropout=0.2, label_smoothing=0.0)
    translator = result.translator()
    pairs = read_corpus(DATA / "train.tsv", translator.config.max_length).pairs
    target_tokens = sum(len(translator.target_vocab.encode(t)) for _, t in pairs) / len(pairs)
    started = time.perf_counter()
    evaluation = evaluate(translator, DATA / "dev.tsv", beam=1)
    decode_seconds = time.perf_counter() - started
    return {
        "tokens": tokens,
        "vocab": f"{translator.source_vocab.size}/{translator.target_vocab.size}",
        "target_len": target_tokens,
        "epochs": len(result.history),
        "train_pairs_s": limit.steps * args.batch_size / result.seconds,
        "bleu": evaluation.scores.bleu,
        "chrf": evaluation.scores.chrf,
        "decode_s": len(evaluation.sources) / decode_seconds,
        "sentences": len(evaluation.sources),
        "example": (evaluation.sources[0], evaluation.hypotheses[0]),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=4.0, help="training time per side")
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--embedding-dim", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--vocab-size", type=int, default=1000, help="spm learned pieces")
    args = parser.parse_args(argv)
    if not (DATA / "train.tsv").is_file():
        print(f"shared Tatoeba data not found at {DATA}", file=sys.stderr)
        return 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for tokens in ("char", "spm"):
            rows.append(run_side(tokens, args, Path(tmp) / tokens))
    print(f"units {args.units}, embedding {args.embedding_dim}, attention, batch "
          f"{args.batch_size}, {args.minutes:g} min training per side, greedy decoding")
    print(f"{'tokens':6} {'vocab src/tgt':>13} {'tgt len':>7} {'epochs':>6} {'train pairs/s':>13} "
          f"{'dev BLEU':>8} {'dev chrF':>8} {'decode sent/s':>13}")
    for r in rows:
        print(f"{r['tokens']:6} {r['vocab']:>13} {r['target_len']:7.1f} {r['epochs']:6d} "
              f"{r['train_pairs_s']:13.1f} {r['bleu']:8.2f} {r['chrf']:8.2f} {r['decode_s']:13.1f}")
    for r in rows:
        print(f"{r['tokens']}: {r['example'][0]!r} -> {r['example'][1]!r} ({r['sentences']} dev "
              "sources)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
