"""The no-argument main job: the shipped model translates example sentences and is scored.

``seq2seq demo`` loads ``checkpoints/default``, prints greedy and default-beam (5) translations of
a few everyday sentences, then scores greedy output on the shipped sample corpus with sacrebleu.
"""

from __future__ import annotations

import time
from pathlib import Path

from .config import DEFAULT_BEAM
from .evaluation import evaluate
from .training import SAMPLE_CORPUS
from .translator import open_translator

EXAMPLES = ["I love you.", "Where is the station?", "I am very tired today.",
            "Do you speak English?", "We have to go now."]


def run_demo(checkpoint: str | Path | None = None, data: str | Path | None = None,
             print_=print) -> dict:
    """Translate EXAMPLES and score the model on ``data`` (default: the sample corpus)."""
    translator = open_translator(checkpoint)
    print_(f"model: {translator.directory}")
    greedy = translator.translate(EXAMPLES, beam=1)
    beam = translator.translate(EXAMPLES, beam=DEFAULT_BEAM)
    for source, g, b in zip(EXAMPLES, greedy, beam, strict=True):
        print_(f"  {source}\n    greedy: {g}\n    beam {DEFAULT_BEAM}: {b}")
    data = Path(data or SAMPLE_CORPUS)
    started = time.perf_counter()
    evaluation = evaluate(translator, data, beam=1)
    seconds = time.perf_counter() - started
    scores = evaluation.scores
    print_(f"scored on {scores.sentences} sentences of {data.name} (greedy, {seconds:.1f}s):")
    print_(scores.summary())
    return {"examples": list(zip(EXAMPLES, greedy, beam, strict=True)), "scores": scores}
