"""The ``seq2seq`` command line: one sub-command per job (train, translate, evaluate, ...).

Each sub-command has an ``add_<name>_parser`` that declares its options and a ``run_<name>``
that does the work through the Python API, so the CLI never holds logic of its own.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from . import tf_logs
from .config import (
    DEFAULT_ALPHA,
    DEFAULT_BEAM,
    DEFAULT_NO_REPEAT,
    DEFAULT_SPLIT,
    PRECISIONS,
    TrainConfig,
)


def add_train_parser(subparsers, d: TrainConfig | None = None) -> None:
    """The ``train`` options; their defaults are ``d`` (the settings of --config FILE if given)."""
    d = d or TrainConfig()
    switch = argparse.BooleanOptionalAction  # --attention / --no-attention (over --config)
    p = subparsers.add_parser("train", help="train a translator on a TSV corpus",
                              formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--config", metavar="FILE", help="a checkpoint's config.json (or a JSON file "
                   "of the same keys) whose settings become the defaults; flags override them")
    p.add_argument("--data", action="append", help="training TSV (en<TAB>pt[<TAB>attribution]);"
                   " repeat for several files, each read and reported on its own; "
                   "default: the sample corpus in data/")
    p.add_argument("--dev", default=d.dev,
                   help="dev TSV; default: a seeded random split of --data")
    p.add_argument("--out", default=d.out, help="checkpoint directory to write")
    p.add_argument("--tokens", choices=["char", "spm"], default=d.tokens)
    p.add_argument("--vocab-size", type=int, default=d.vocab_size,
                   help="spm: pieces learned from text per language (source adds 256 bytes)")
    p.add_argument("--spm-model-type", choices=["unigram", "bpe"], default=d.spm_model_type)
    p.add_argument("--spm-joint", action=switch, default=d.spm_joint,
                   help="one spm model for both languages")
    p.add_argument("--attention", action=switch, default=d.attention,
                   help="add Bahdanau attention")
    p.add_argument("--input-feeding", action=switch, default=d.input_feeding,
                   help="attend before the decoder LSTMs: each step's attentional vector joins "
                   "the next step's input (needs --attention; trains slower)")
    p.add_argument("--bidirectional", action=switch, default=d.bidirectional,
                   help="bidirectional encoder")
    p.add_argument("--units", type=int, default=d.units)
    p.add_argument("--embedding-dim", type=int, default=d.embedding_dim)
    p.add_argument("--layers", type=int, default=d.layers)
    p.add_argument("--dropout", type=float, default=d.dropout)
    p.add_argument("--token-dropout", type=float, default=d.token_dropout,
                   help="share of real source and decoder-input characters replaced by <unk> "
                   "in training")
    p.add_argument("--label-smoothing", type=float, default=d.label_smoothing,
                   help="share of each target's probability spread over the vocabulary")
    p.add_argument("--epochs", type=int, default=argparse.SUPPRESS,  # absent unless given
                   help=f"training epochs (default: {d.epochs}; with --resume, the interrupted "
                   "run's own)")
    p.add_argument("--batch-size", type=int, default=d.batch_size,
                   help="the most pairs per batch")
    p.add_argument("--batch-tokens", type=int, default=d.batch_tokens or 0, metavar="N",
                   help="the most padded source + target characters per batch: long pairs come "
                   "fewer at a time, so memory stays flat in sentence length (0: no limit)")
    p.add_argument("--max-length", type=int, default=d.max_length,
                   help="skip (and report) pairs with a side longer than this")
    p.add_argument("--learning-rate", type=float, default=d.learning_rate)
    p.add_argument("--patience", type=int, default=d.patience, help="early-stopping patience")
    p.add_argument("--time-budget", type=float, default=d.time_budget, metavar="MINUTES",
                   help="start no epoch that would end after this many minutes of training "
                   "(judged by the mean epoch time so far); the best epoch on dev is kept")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--keep-epochs", type=int, default=d.keep_epochs, metavar="K",
                   help="also keep the weights of the last K epochs as bundles in OUT/epochs/, "
                   "for seq2seq average")
    p.add_argument("--tensorboard", metavar="DIR", default=d.tensorboard,
                   help="write TensorBoard logs here: loss, accuracy and learning rate per "
                   "epoch, and the attention heatmap of the first dev sentence")
    p.add_argument("--strict", action=switch, default=d.strict,
                   help="bad corpus lines are an error")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
    p.add_argument("--overwrite", action="store_true", help="replace an existing run in --out")
    p.add_argument("--init-from", metavar="CKPT", default=d.init_from,
                   help="start from this checkpoint's weights and vocabularies (same "
                   "architecture) instead of a new network, with a new optimizer")
    p.add_argument("--device", choices=["auto", "cpu", "gpu"], default=d.device)
    p.add_argument("--precision", choices=PRECISIONS, default=d.precision,
                   help="mixed_bfloat16: bf16 compute, 1.3-1.4x faster plain-LSTM training on "
                   "CPUs with native bf16 (AVX512-BF16/AMX); weights and checkpoints stay float32")
    p.set_defaults(run=run_train, base_config=d)


def read_train_config(path: str) -> TrainConfig:
    """The settings of ``--config FILE``; unknown keys and bad values are errors naming them."""
    import json
    from pathlib import Path

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"--config {path}: cannot be read ({error.strerror or error})") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"--config {path}: not valid JSON ({error.msg} at line {error.lineno} "
                         f"column {error.colno})") from None
    known = TrainConfig.__dataclass_fields__
    if isinstance(data, dict) and (unknown := [k for k in data if k not in known]):
        raise ValueError(f"--config {path}: unknown key(s) {', '.join(map(repr, unknown))}; "
                         f"the keys are those of a checkpoint's config.json: {', '.join(known)}")
    try:
        return TrainConfig.from_dict(data)
    except ValueError as error:
        raise ValueError(f"--config {path}: {error}") from None


def train_defaults(argv: list[str]) -> TrainConfig | None:
    """The settings of ``seq2seq train --config FILE``, read before the full parse."""
    if not argv or argv[0] != "train":
        return None
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    path = pre.parse_known_args(argv[1:])[0].config
    return read_train_config(path) if path else None


class Terminated(KeyboardInterrupt):
    """SIGTERM (from ``kill``, ``timeout``, a scheduler or a container stop), raised in the main
    thread like Ctrl-C's KeyboardInterrupt, so that training stops the same clean way."""


def _terminate(signum, frame):
    raise Terminated


def resume_hint(out: str) -> str:
    """How to continue an interrupted run in ``out``, or why it cannot be."""
    from pathlib import Path

    from .checkpoint import RESUME_DIR

    if not (Path(out) / RESUME_DIR).is_dir():
        return "no epoch had finished, so there is nothing to resume"
    return f"continue with: seq2seq train --resume --out {shlex.quote(out)}"


def run_train(args) -> int:
    import dataclasses
    import signal
    import threading

    from .training import train

    fields = set(TrainConfig.__dataclass_fields__)
    # flags (or their defaults, which --config set) over the file's settings without a flag
    settings = {k: v for k, v in vars(args).items() if k in fields and k != "data"}
    settings["batch_tokens"] = settings["batch_tokens"] or None  # 0: no limit
    if args.resume and "epochs" not in settings:
        settings["epochs"] = None  # the interrupted run's own, not the default 10
    config = dataclasses.replace(args.base_config, **settings)
    if args.data:  # --data appends, so the file's list is not its default but replaced here
        config = dataclasses.replace(config, data=args.data)
    # handlers can be set from the main thread only (a caller may run main() in another)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        result = train(config, overwrite=args.overwrite)
    except (KeyboardInterrupt, OSError) as stop:  # Ctrl-C, SIGTERM, a full disk: OUT/resume
        stop.hint = resume_hint(config.out)  # holds the last finished epoch, whole
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    last = result.history[-1] if result.history else {}
    print(f"checkpoint: {result.checkpoint}  epochs: {len(result.history)}  "
          f"dev loss: {result.best_dev_loss:.4f}  dev char accuracy: "
          f"{last.get('val_accuracy', float('nan')):.3f}  time: {result.seconds:.0f}s")
    return 0


def plot_first_attention(translator, text: str, settings, path: str) -> int:
    """Save the attention heatmap of ``text``; 2 (nothing written) for a model without attention."""
    from .plotting import plot_attention

    if not translator.has_attention:
        print("seq2seq translate: this model has no attention (trained without --attention): "
              "nothing plotted", file=sys.stderr)
        return 2
    a = translator.translate_with_attention(text, beam=settings.beam, alpha=settings.alpha,
                                            no_repeat=settings.no_repeat)
    print(f"wrote {plot_attention(a.weights, a.source_pieces, a.output_pieces, path)}",
          file=sys.stderr)
    return 0


def add_decoding_rules(p, lite: bool = False) -> None:
    """``--no-repeat`` and ``--split``, shared by translate and evaluate. With ``lite`` (translate)
    --no-repeat is absent unless given, as --beam is, so that --lite can tell 0 from no flag."""
    p.add_argument("--no-repeat", type=int, metavar="N",
                   default=argparse.SUPPRESS if lite else DEFAULT_NO_REPEAT,
                   help="never output the same N tokens (characters) twice; 0 = off"
                   + (f" (default: {DEFAULT_NO_REPEAT}, with --lite 0)" if lite else ""))
    p.add_argument("--split", type=int, default=DEFAULT_SPLIT, metavar="CHARS",
                   help="translate inputs longer than this piece by piece (sentences, then "
                   "clauses); 0 = whole")


def add_evaluate_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "evaluate", help="translate a TSV test set and score it with sacrebleu (BLEU, chrF)",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--checkpoint", action="append", help="checkpoint directory; default: "
                   "checkpoints/default in the repository. Repeat it to decode with an ensemble "
                   "(mean log-probabilities; the checkpoints must share their vocabularies)")
    p.add_argument("--data", required=True, help="test TSV; every line is used (no length "
                   "filter), translations of one English sentence become its references")
    p.add_argument("--beam", type=int, default=DEFAULT_BEAM,
                   help="beam width (1 = greedy search)")
    p.add_argument("--alpha", type=float, default=DEFAULT_ALPHA,
                   help="beam length-penalty exponent (GNMT; 0 = plain log-probability)")
    add_decoding_rules(p)
    p.add_argument("--batch-size", type=int, default=64, help="sentences decoded together")
    p.add_argument("--output", help="write one hypothesis per distinct source, in order of "
                   "first appearance")
    p.add_argument("--report", help="write a report: Markdown (.md) or HTML (.html)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--compare", metavar="CKPT", help="also evaluate this baseline checkpoint and "
                   "report paired bootstrap resampling: each model's BLEU/chrF with its 95%% "
                   "interval and the p-value of the difference")
    p.add_argument("--samples", type=int, default=1000, help="bootstrap resamples for --compare")
    p.set_defaults(run=run_evaluate)


def run_evaluate(args) -> int:
    import json
    from pathlib import Path

    from .evaluation import evaluate, paired_bootstrap
    from .files import atomic_write
    from .progress import Progress
    from .report import write_report
    from .translator import open_translator

    if args.beam < 1 or args.batch_size < 1 or args.samples < 1:
        raise ValueError("--beam, --batch-size and --samples must be at least 1")
    rules = {"no_repeat": args.no_repeat, "split": args.split}
    translator = open_translator(args.checkpoint)
    progress = None if args.json else Progress.on_terminal(sys.stderr)
    evaluation = evaluate(translator, args.data, beam=args.beam, alpha=args.alpha,
                          batch_size=args.batch_size, progress=progress, **rules)
    if evaluation.settings["bad_lines"]:
        print(f"note: {evaluation.settings['bad_lines']} unparsable lines of {args.data} were "
              "skipped", file=sys.stderr)
    if args.output:
        text = "".join(h + "\n" for h in evaluation.hypotheses)
        atomic_write(Path(args.output), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    if args.report:
        write_report(evaluation, args.report)
    comparison = None
    if args.compare:
        baseline = evaluate(open_translator(args.compare), args.data, beam=args.beam,
                            alpha=args.alpha, batch_size=args.batch_size, progress=progress,
                            **rules)
        comparison = paired_bootstrap((str(translator.directory), evaluation.hypotheses),
                                      (args.compare, baseline.hypotheses),
                                      evaluation.references, samples=args.samples)
    if args.json:
        result = evaluation.to_dict()
        if comparison is not None:
            result["comparison"] = comparison.to_dict()
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{translator.directory} on {args.data} (beam {args.beam}):")
        print(evaluation.scores.summary())
        if comparison is not None:
            print(comparison.summary())
    return 0


def add_score_parser(subparsers) -> None:
    p = subparsers.add_parser("score", help="BLEU and chrF of a hypothesis file (sacrebleu)")
    p.add_argument("--hyp", required=True, help="hypotheses, one per line")
    p.add_argument("--ref", required=True, action="append", help="line-aligned references; "
                   "repeat for several (an empty line means no reference there)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run_score)


def run_score(args) -> int:
    from .evaluation import score_files

    scores = score_files(args.hyp, args.ref)
    print(scores.to_json() if args.json else scores.summary())
    return 0


def add_plot_history_parser(subparsers) -> None:
    p = subparsers.add_parser("plot-history", help="plot loss and accuracy per epoch as PNG")
    p.add_argument("checkpoint", help="checkpoint directory (reads its history.csv)")
    p.add_argument("png", help="PNG file to write")
    p.set_defaults(run=run_plot_history)


def run_plot_history(args) -> int:
    from .checkpoint import CheckpointError, ensemble_members, read_history
    from .plotting import plot_history

    rows = read_history(args.checkpoint)
    if not rows and (members := ensemble_members(args.checkpoint)):
        raise CheckpointError(f"{args.checkpoint} is an ensemble; each member has its own "
                              f"history: plot one of them, e.g. {members[0]}")
    if not rows:
        raise CheckpointError(f"no training history in {args.checkpoint} (history.csv)")
    print(f"wrote {plot_history(rows, args.png)}")
    return 0


def add_translate_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "translate", help="translate English: sentences as arguments, lines on stdin, "
        "or an interactive prompt on a terminal",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("text", nargs="*", help="sentences to translate (none: read stdin)")
    p.add_argument("--checkpoint", action="append", help="checkpoint directory; default: "
                   "checkpoints/default in the repository. Repeat it to decode with an ensemble "
                   "(mean log-probabilities; the checkpoints must share their vocabularies)")
    # absent unless given, so that --lite (greedy only) can tell a request for a beam from none
    p.add_argument("--beam", type=int, default=argparse.SUPPRESS,
                   help=f"beam width (1 = greedy search; default: {DEFAULT_BEAM}, with --lite 1)")
    p.add_argument("--n-best", type=int, default=1, help="print the N best as "
                   "'index ||| text ||| score' lines (widens the beam to N)")
    p.add_argument("--alpha", type=float, default=DEFAULT_ALPHA,
                   help="beam length-penalty exponent (GNMT; 0 = plain log-probability)")
    add_decoding_rules(p, lite=True)
    p.add_argument("--batch-size", type=int, default=64, help="sentences decoded together")
    p.add_argument("--lite", metavar="DIR", help="translate with a tflite export (seq2seq export "
                   "CKPT DIR --format tflite) through LiteRT, greedily, without TensorFlow "
                   "(and without the --no-repeat rule)")
    p.add_argument("--plot-attention", metavar="FILE", help="also save the attention of the "
                   "first sentence argument as a PNG heatmap (a model without attention prints "
                   "so and exits with status 2 after translating)")
    p.set_defaults(run=run_translate)


def run_translate(args) -> int:
    args.beam = getattr(args, "beam", 1 if args.lite else DEFAULT_BEAM)
    args.no_repeat = getattr(args, "no_repeat", 0 if args.lite else DEFAULT_NO_REPEAT)
    if args.lite:
        return run_lite_translate(args)
    from .progress import Progress
    from .repl import Settings, interactive, translate_stream
    from .translator import open_translator

    settings = Settings(args.beam, args.n_best, args.alpha, args.batch_size, args.no_repeat,
                        args.split)
    if args.plot_attention and not args.text:
        raise ValueError("--plot-attention plots the first sentence given as an argument; "
                         "at the interactive prompt use :plot FILE")
    translator = open_translator(args.checkpoint)
    if args.text:
        translate_stream(translator, args.text, settings, sys.stdout, sys.stderr)
        if args.plot_attention:
            return plot_first_attention(translator, args.text[0], settings, args.plot_attention)
    elif sys.stdin.isatty():
        return interactive(translator, settings)
    else:
        translate_stream(translator, sys.stdin, settings, sys.stdout, sys.stderr,
                         Progress.on_terminal(sys.stderr))
    return 0


def run_lite_translate(args) -> int:
    """``translate --lite DIR``: an exported .tflite model through LiteRT, without TensorFlow."""
    from .lite import LiteTranslator

    if args.checkpoint or args.beam != 1 or args.n_best != 1 or args.plot_attention:
        raise ValueError("--lite decodes greedily with its own model: --checkpoint, --beam, "
                         "--n-best and --plot-attention do not apply")
    if args.no_repeat != 0:
        raise ValueError("--lite decodes inside its own model, without the --no-repeat rule "
                         "(only --no-repeat 0 applies)")
    try:
        translator = LiteTranslator.load(args.lite)
    except (FileNotFoundError, ImportError) as error:
        raise ValueError(str(error)) from None
    texts = args.text or [line.rstrip("\r\n") for line in sys.stdin]
    for translation in translator.translate(texts, split=args.split):
        print(translation, flush=True)
    return 0


def add_demo_parser(subparsers) -> None:
    p = subparsers.add_parser("demo", help="translate examples with the shipped model and score "
                              "it on the sample corpus (no arguments needed)")
    p.add_argument("--checkpoint", help="checkpoint directory (default: checkpoints/default)")
    p.add_argument("--data", help="TSV to score on (default: data/sample-en-pt.tsv)")
    p.set_defaults(run=run_demo)


def run_demo(args) -> int:
    from .demo import run_demo as demo

    demo(args.checkpoint, args.data)
    return 0


def add_export_parser(subparsers) -> None:
    p = subparsers.add_parser("export", help="copy a checkpoint without its optimizer state, "
                              "ready to ship (e.g. to checkpoints/default), or write it as a "
                              "TensorFlow SavedModel that translates strings on its own")
    p.add_argument("checkpoint", help="finished checkpoint directory")
    p.add_argument("out", help="new directory to write")
    p.add_argument("--format", choices=["bundle", "saved-model", "tflite"], default="bundle",
                   help="bundle: this toolkit's checkpoint; saved-model: a 'serving_default' "
                   "signature from text (1-D tf.string) to translation (greedy), for TensorFlow "
                   "Serving or any TensorFlow runtime without this package; tflite: a LiteRT "
                   "model with greedy decoding inside, for `translate --lite` without TensorFlow")
    p.add_argument("--beam", type=int, default=DEFAULT_BEAM, metavar="K",
                   help="saved-model only: the width of its beam_search signature, which "
                   "returns K translations and scores per sentence, the first as translate "
                   "--beam K gives it")
    p.add_argument("--quantize", choices=["none", "dynamic", "float16"], default="none",
                   help="tflite only: dynamic stores int8 weights (dynamic-range quantisation), "
                   "float16 half-precision ones")
    p.set_defaults(run=run_export)


def run_export(args) -> int:
    from .translator import Translator

    translator = Translator.load(args.checkpoint)
    if args.quantize != "none" and args.format != "tflite":
        raise ValueError("--quantize applies to --format tflite only")
    if args.format == "saved-model":
        from .serving import export_saved_model

        out = export_saved_model(translator, args.out, beam=args.beam)
    elif args.format == "tflite":
        from .lite_export import export_lite

        out = export_lite(translator, args.out, args.quantize)
    else:
        out = translator.save(args.out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6
    print(f"exported {args.checkpoint} -> {out} ({args.format}, {size:.1f} MB)")
    return 0


def add_serve_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="translate over HTTP: POST /translate (JSON), GET /health, and a web page "
        "at / (see seq2seq/server.py)", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--checkpoint", action="append", help="checkpoint directory; default: "
                   "checkpoints/default. Repeat it to serve an ensemble")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every "
                   "interface, reachable from other machines)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on")
    p.set_defaults(run=run_serve)


def run_serve(args) -> int:
    from .server import serve
    from .translator import open_translator

    translator = open_translator(args.checkpoint)
    serve(translator, args.host, args.port, str(translator.directory))
    return 0


def add_average_parser(subparsers) -> None:
    p = subparsers.add_parser("average", help="average the weights of several checkpoints of "
                              "one architecture (e.g. a run's last epochs, see train "
                              "--keep-epochs) into a new checkpoint")
    p.add_argument("out", help="new directory to write")
    p.add_argument("checkpoints", nargs="+", help="checkpoint directories to average")
    p.set_defaults(run=run_average)


def run_average(args) -> int:
    from .translator import Translator

    out = Translator.load_average(args.checkpoints).save(args.out)
    print(f"averaged {len(args.checkpoints)} checkpoints -> {out}")
    return 0


def add_ensemble_parser(subparsers) -> None:
    p = subparsers.add_parser("ensemble", help="combine checkpoints over the same vocabularies "
                              "(e.g. runs with different --seed) into one ensemble checkpoint, "
                              "which decodes with the mean of their log-probabilities and "
                              "opens as one model everywhere")
    p.add_argument("out", help="new directory to write")
    p.add_argument("checkpoints", nargs="+", help="checkpoint directories, two or more")
    p.set_defaults(run=run_ensemble)


def run_ensemble(args) -> int:
    from .translator import Translator

    translator = Translator.load_ensemble(args.checkpoints)
    if len(translator.networks) < 2:
        raise ValueError("an ensemble needs at least two checkpoints")
    out = translator.save(args.out)
    print(f"ensemble of {len(translator.networks)} models -> {out}")
    return 0


def build_parser(train_defaults: TrainConfig | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seq2seq", description="Train, use and score encoder-decoder LSTM translators."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_demo_parser(subparsers)
    add_train_parser(subparsers, train_defaults)
    add_translate_parser(subparsers)
    add_evaluate_parser(subparsers)
    add_score_parser(subparsers)
    add_plot_history_parser(subparsers)
    add_export_parser(subparsers)
    add_average_parser(subparsers)
    add_ensemble_parser(subparsers)
    add_serve_parser(subparsers)
    for command in subparsers.choices.values():
        command.add_argument("--verbose", action="store_true",
                             help=f"also show TensorFlow's C++ log lines (or set "
                             f"{tf_logs.ENVIRONMENT}=1)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``seq2seq`` console script and ``python -m seq2seq``."""
    command_line, argv = argv is None, sys.argv[1:] if argv is None else list(argv)
    try:
        defaults = train_defaults(argv)
    except ValueError as error:
        print(f"seq2seq train: error: {error}", file=sys.stderr)
        return 2
    args = build_parser(defaults).parse_args(argv)
    if command_line and not args.verbose:  # a process of its own: TensorFlow's chatter filtered
        tf_logs.filter_stderr()
    from .checkpoint import CheckpointError
    from .data import CorpusError
    from .device import DeviceError

    try:
        return args.run(args)
    except (CorpusError, CheckpointError, DeviceError, ValueError) as error:
        print(f"seq2seq {args.command}: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a full disk, a read-only folder: one line, the file and why
        hint = f"; {error.hint}" if getattr(error, "hint", None) else ""
        print(f"seq2seq {args.command}: error: {error}{hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        terminated = isinstance(stop, Terminated)
        hint = f"; {stop.hint}" if getattr(stop, "hint", None) else ""
        print(f"\nseq2seq {args.command}: {'terminated' if terminated else 'interrupted'}{hint}",
              file=sys.stderr)
        return 143 if terminated else 130  # 128 + the signal's number, as a shell reports it


if __name__ == "__main__":
    sys.exit(main())
