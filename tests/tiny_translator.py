"""A tiny attention model overfit on ``TINY_PAIRS``, trained once per test session and shared.

Used by the decoding and REPL tests; a plain helper module (not a fixture) so that each test
module can wrap it in its own module-scoped fixture while the training runs only once.
"""

from pathlib import Path

from .conftest import TINY_PAIRS, write_tsv

_trained: dict[str, Path] = {}


def tiny_checkpoint(tmp_path_factory, attention: bool = True, epochs: int = 60) -> Path:
    """Checkpoint directory of a units-32 model trained on the 20 tiny pairs (train = dev)."""
    from seq2seq import train

    key = f"attention={attention},epochs={epochs}"
    if key not in _trained:
        root = tmp_path_factory.mktemp("tiny_model")
        data = write_tsv(root / "tiny.tsv", TINY_PAIRS)
        result = train(data=str(data), dev=str(data), out=str(root / "model"),
                       attention=attention, units=32, embedding_dim=16, dropout=0.0,
                       epochs=epochs, batch_size=8, learning_rate=1e-2, patience=1000,
                       lr_patience=1000, device="cpu", verbose=0)
        _trained[key] = Path(result.checkpoint)
    return _trained[key]
