"""``seq2seq translate`` front ends: sentences as arguments, a pipe (batched), or a REPL.

All three print translations on stdout and the same notices (unknown characters, inputs longer
than the model was trained on). The REPL uses ``readline`` for line editing and keeps its
history in ``~/.seq2seq_history``.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from .config import DEFAULT_ALPHA, DEFAULT_BEAM, DEFAULT_NO_REPEAT, DEFAULT_SPLIT
from .translator import Translator, check_rules, open_translator  # noqa: F401 (re-export)

HISTORY_FILE = "~/.seq2seq_history"
PROMPT = "en> "
HELP = """\
Type an English sentence to translate it. Commands:
  :beam K      beam width (1 = greedy search)
  :nbest N     show the N best translations with their scores (widens the beam to N)
  :alpha A     length-penalty exponent of beam search (0 = plain log-probability)
  :norepeat N  never output the same N characters twice (0 = off)
  :split C     translate inputs longer than C characters piece by piece (0 = whole)
  :plot FILE   save the attention of the last sentence as a PNG heatmap
  :help        this help
  :quit        leave (or Ctrl-D); Ctrl-C cancels the current line"""


@dataclass
class Settings:
    """How to decode: beam width, n-best size, length-penalty alpha, sentences per batch,
    the no-repeat n-gram size and the length past which inputs are split (0: off)."""

    beam: int = DEFAULT_BEAM
    n_best: int = 1
    alpha: float = DEFAULT_ALPHA
    batch_size: int = 64
    no_repeat: int = DEFAULT_NO_REPEAT
    split: int = DEFAULT_SPLIT

    def __post_init__(self):
        if self.beam < 1 or self.n_best < 1 or self.batch_size < 1:
            raise ValueError("--beam, --n-best and --batch-size must be at least 1")
        check_rules(self.no_repeat, self.split)  # before the model loads, not at the first line
        self.beam = max(self.beam, self.n_best)  # n best need a beam at least that wide


def notices(translator: Translator, text: str) -> list[str]:
    """One line per problem with an input: unseen characters, longer than training sentences."""
    lines = []
    unknown = translator.unknown(text)
    if unknown:
        shown = " ".join(repr(c) for c in unknown)
        lines.append(f"unknown characters (translated as <unk>): {shown}")
    if translator.too_long([text]):
        limit = translator.config.max_length
        lines.append(f"{len(text.strip())} characters, longer than the {limit} the model was "
                     "trained on: translated anyway, expect a weaker result")
    return lines


def translate_batch(translator: Translator, texts: list[str], settings: Settings) -> list:
    """Translations (or n-best lists) of ``texts`` with ``settings``."""
    return translator.translate(texts, beam=settings.beam, n_best=settings.n_best,
                                alpha=settings.alpha, batch_size=settings.batch_size,
                                no_repeat=settings.no_repeat, split=settings.split)


def translate_stream(translator: Translator, lines: Iterable[str], settings: Settings,
                     out: TextIO, err: TextIO, progress=None) -> int:
    """Translate lines in batches, one output line per input line (Moses n-best format if N>1).

    Empty input lines give empty output lines; notices go to ``err`` with the line number.
    ``progress`` (a ``progress.Progress``) counts the lines done. Returns that count.
    """
    count = 0
    batch: list[str] = []

    def flush() -> None:
        nonlocal count
        for offset, text in enumerate(batch):
            for notice in notices(translator, text):
                print(f"seq2seq translate: line {count + offset + 1}: {notice}", file=err)
        for offset, result in enumerate(translate_batch(translator, batch, settings)):
            if settings.n_best == 1:
                print(result, file=out)
            else:  # "sentence index ||| translation ||| score", best first
                for text, score in result:
                    print(f"{count + offset} ||| {text} ||| {score:.4f}", file=out)
        out.flush()
        count += len(batch)
        batch.clear()
        if progress is not None:
            progress.update(count)

    if progress is not None:
        progress.start()
    for line in lines:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= settings.batch_size:
            flush()
    if batch:
        flush()
    if progress is not None:
        progress.close()
    return count


class Repl:
    """Read a sentence or a ``:command``, print its translation, repeat until :quit or EOF."""

    def __init__(self, translator: Translator, settings: Settings,
                 read: Callable[[str], str] = input, out: TextIO | None = None):
        self.translator, self.settings = translator, settings
        self.read, self.out = read, out or sys.stdout
        self.last_text: str | None = None

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def run(self) -> int:
        """The read-translate-print loop; returns the exit status (0)."""
        model = "attention" if self.translator.has_attention else "no attention"
        self.say(f"seq2seq translate: {self.translator.directory} ({model}, "
                 f"beam {self.settings.beam}). :help for commands, Ctrl-D to quit.")
        while True:
            try:
                line = self.read(PROMPT)
            except EOFError:  # Ctrl-D
                self.say("")
                return 0
            except KeyboardInterrupt:  # Ctrl-C: drop the line being typed
                self.say("")
                continue
            try:
                if not self.handle(line.strip()):
                    return 0
            except KeyboardInterrupt:
                self.say("(cancelled)")

    def handle(self, line: str) -> bool:
        """Act on one input line; False means quit."""
        if not line:
            return True
        if line.startswith(":"):
            return self.command(line)
        for notice in notices(self.translator, line):
            self.say(f"note: {notice}")
        result = translate_batch(self.translator, [line], self.settings)[0]
        self.last_text = line
        if self.settings.n_best == 1:
            self.say(result)
        else:
            for rank, (text, score) in enumerate(result, start=1):
                self.say(f"{rank}. {text}   (score {score:.3f})")
        return True

    def command(self, line: str) -> bool:
        """``:beam K``, ``:nbest N``, ``:alpha A``, ``:norepeat N``, ``:split C``, ``:plot FILE``,
        ``:help``, ``:quit``."""
        name, _, arg = line[1:].partition(" ")
        arg, s = arg.strip(), self.settings
        if name in ("quit", "q", "exit"):
            return False
        if name in ("help", "h", "?"):
            self.say(HELP)
        elif name in ("beam", "nbest", "alpha"):
            try:
                value = float(arg) if name == "alpha" else int(arg)
                if name != "alpha" and value < 1:
                    raise ValueError
            except ValueError:
                self.say(f":{name} needs a {'number' if name == 'alpha' else 'whole number >= 1'}")
                return True
            if name == "beam":
                s.beam, s.n_best = value, min(s.n_best, value)
            elif name == "nbest":
                s.n_best, s.beam = value, max(s.beam, value)
            else:
                s.alpha = value
            self.say(f"beam {s.beam}, n-best {s.n_best}, alpha {s.alpha}")
        elif name in ("norepeat", "split"):
            if not arg.isdigit():
                self.say(f":{name} needs a whole number >= 0 (0 = off)")
                return True
            setattr(s, "no_repeat" if name == "norepeat" else name, int(arg))
            self.say(f"no-repeat {s.no_repeat}, split {s.split}")
        elif name == "plot":
            self.plot(arg)
        else:
            self.say(f"unknown command :{name} (:help lists them)")
        return True

    def plot(self, path: str) -> None:
        """Save the attention heatmap of the last translated sentence to ``path``."""
        if not path:
            self.say(":plot needs a file name, e.g. :plot attention.png")
        elif not self.translator.has_attention:
            self.say("this model has no attention (trained without --attention): nothing to plot")
        elif self.last_text is None:
            self.say("nothing to plot yet: translate a sentence first")
        else:
            try:
                from .plotting import plot_attention
            except ImportError as error:
                self.say(f"plotting is not available: {error}")
                return
            a = self.translator.translate_with_attention(
                self.last_text, beam=self.settings.beam, alpha=self.settings.alpha,
                no_repeat=self.settings.no_repeat)
            written = plot_attention(a.weights, a.source_pieces, a.output_pieces, path)
            self.say(f"wrote {written}")


def interactive(translator: Translator, settings: Settings) -> int:
    """Run the REPL on the terminal with readline line editing and a history file."""
    history = os.path.expanduser(HISTORY_FILE)
    # Ctrl-C must cancel the line even when a parent started us with SIGINT ignored (as shells
    # do for background jobs): Python then never installs its KeyboardInterrupt handler.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        import readline
    except ImportError:  # e.g. Windows without pyreadline: plain input() still works
        readline = None
    if readline is not None:
        try:
            readline.read_history_file(history)
        except OSError:
            pass
        readline.set_history_length(1000)
    try:
        return Repl(translator, settings).run()
    finally:
        if readline is not None:
            try:
                readline.write_history_file(history)
            except OSError:
                pass
