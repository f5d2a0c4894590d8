"""Tiny models trained on ``TINY_PAIRS`` once per test process and shared.

Used by the training, decoding, REPL, plotting and evaluation tests; a plain helper module (not
a fixture) so that each test module can wrap it in its own module-scoped fixture while each
training runs only once. The tests that share the float32 models are marked
``xdist_group(TINY_GROUP)``: pytest-xdist (``--dist loadgroup``) runs them all on one worker,
which trains each once.
"""

import shutil
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


def tiny_run(tmp_path_factory, attention: bool = True, precision: str = "float32"):
    """``TrainResult`` of a ``TINY`` model trained on the 20 tiny pairs (train = dev) on CPU for
    ``OVERFIT_EPOCHS``; its weights after ``BARELY_TRAINED_EPOCHS`` are kept as a second bundle,
    ``barely_trained/`` beside the run's (one training gives both models)."""
    from seq2seq import checkpoint, train

    key = (attention, precision)
    if key not in _runs:
        root = tmp_path_factory.mktemp("tiny_model")
        data = write_tsv(root / "tiny.tsv", TINY_PAIRS)
        barely = root / "barely_trained"
        _runs[key] = train(data=data, dev=data, out=root / "model",  # pathlib paths work too
                           attention=attention, precision=precision, epochs=OVERFIT_EPOCHS,
                           device="cpu", callbacks=[_weights_after(BARELY_TRAINED_EPOCHS, barely)],
                           **TINY)
        for name in (checkpoint.CONFIG, checkpoint.SOURCE_VOCAB, checkpoint.TARGET_VOCAB):
            shutil.copy(root / "model" / name, barely / name)
    return _runs[key]


def _weights_after(epochs: int, directory: Path):
    """A callback that saves the weights after ``epochs`` epochs into ``directory``."""
    import keras

    from seq2seq.checkpoint import save_weights

    class WeightsAfter(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 == epochs:
                directory.mkdir()
                save_weights(self.model, directory)

    return WeightsAfter()


def tiny_checkpoint(tmp_path_factory, attention: bool = True) -> Path:
    """Checkpoint directory of a tiny model: overfit with attention (it reproduces every pair),
    barely trained without (the plain model's weights after ``BARELY_TRAINED_EPOCHS``)."""
    run = Path(tiny_run(tmp_path_factory, attention=attention).checkpoint)
    return run if attention else run.parent / "barely_trained"
