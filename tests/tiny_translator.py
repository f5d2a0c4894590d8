"""Tiny models trained on ``TINY_PAIRS`` once per test process and shared.

Used by the training, decoding, REPL, plotting and evaluation tests; a plain helper module (not
a fixture) so that each test module can wrap it in its own module-scoped fixture while each
training runs only once. The tests that share the overfit attention model are marked
``xdist_group(TINY_GROUP)``: pytest-xdist (``--dist loadgroup``) runs them all on one worker,
which trains it once.
"""

from pathlib import Path

from .conftest import TINY_PAIRS, write_tsv

TINY_GROUP = "tiny_model"  # the xdist_group of the tests that use the overfit attention model

# Small, and quick to overfit: with these, teacher-forced accuracy passes 0.95 after ~15
# epochs, and with attention greedy and beam search reproduce all 20 pairs from ~18 on.
TINY = dict(units=64, embedding_dim=64, batch_size=4, learning_rate=2e-2, dropout=0.0,
            bidirectional=False, label_smoothing=0.0, patience=1000, lr_patience=1000, verbose=0)
OVERFIT_EPOCHS = 22  # a margin: CPU training is not bit-reproducible
BARELY_TRAINED_EPOCHS = 2  # the model without attention: long, unfinished outputs are likely

_runs: dict[tuple, object] = {}


def tiny_run(tmp_path_factory, attention: bool = True, precision: str = "float32",
             epochs: int = OVERFIT_EPOCHS):
    """``TrainResult`` of a ``TINY`` model trained on the 20 tiny pairs (train = dev) on CPU."""
    from seq2seq import train

    key = (attention, precision, epochs)
    if key not in _runs:
        root = tmp_path_factory.mktemp("tiny_model")
        data = write_tsv(root / "tiny.tsv", TINY_PAIRS)
        _runs[key] = train(data=data, dev=data, out=root / "model",  # pathlib paths work too
                           attention=attention, precision=precision, epochs=epochs,
                           device="cpu", **TINY)
    return _runs[key]


def tiny_checkpoint(tmp_path_factory, attention: bool = True) -> Path:
    """Checkpoint directory of a tiny model: overfit with attention (it reproduces every pair),
    barely trained without."""
    epochs = OVERFIT_EPOCHS if attention else BARELY_TRAINED_EPOCHS
    return Path(tiny_run(tmp_path_factory, attention=attention, epochs=epochs).checkpoint)
