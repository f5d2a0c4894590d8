"""PNG plots: attention heatmaps and training curves are real images of the expected size."""

import matplotlib.image
import numpy as np
import pytest

from seq2seq.checkpoint import read_history
from seq2seq.cli import main
from seq2seq.plotting import plot_attention, plot_history

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def read_png(path):
    """Pixels (H, W, channels) of a PNG, after checking the file really is one."""
    assert path.read_bytes()[:8] == PNG_MAGIC
    return matplotlib.image.imread(path)


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    """A real two-epoch checkpoint of a tiny model, with its history.csv."""
    from conftest import TINY_PAIRS, write_tsv

    from seq2seq import train

    folder = tmp_path_factory.mktemp("plot")
    data = str(write_tsv(folder / "tiny.tsv", TINY_PAIRS))
    result = train(data=data, dev=data, out=str(folder / "ckpt"), units=16, embedding_dim=8,
                   epochs=2, batch_size=8, learning_rate=1e-2, verbose=0)
    return result.checkpoint


def test_attention_heatmap_grows_with_the_sentence(tmp_path):
    small = plot_attention(np.eye(3), list("abc"), list("xyz"), tmp_path / "small.png")
    source, output = "a long source sentence here!!!", "uma frase longa de saída"  # 30, 24
    weights = np.random.default_rng(0).dirichlet(np.ones(30), size=24)  # (T_out=24, S=30)
    large = plot_attention(weights, list(source), list(output), tmp_path / "large.png")
    small_pixels, large_pixels = read_png(small), read_png(large)
    assert small_pixels.ndim == 3 and small_pixels.shape[2] in (3, 4)
    # figure size is 2 + 0.3 per source piece (x) by 1.5 + 0.3 per output piece (y), at 100 dpi
    assert large_pixels.shape[1] == pytest.approx(100 * (2 + 0.3 * 30), abs=2)
    assert large_pixels.shape[0] == pytest.approx(100 * (1.5 + 0.3 * 24), abs=2)
    assert large_pixels.shape[1] > small_pixels.shape[1]


def test_attention_rejects_weights_that_do_not_match_the_labels(tmp_path):
    with pytest.raises(ValueError, match="expected"):
        plot_attention(np.ones((3, 4)), list("abc"), list("xyz"), tmp_path / "bad.png")
    assert not (tmp_path / "bad.png").exists()


def test_history_plot_of_a_real_checkpoint(tiny_checkpoint, tmp_path, capsys):
    rows = read_history(tiny_checkpoint)
    assert len(rows) == 2 and {"loss", "val_loss", "accuracy", "val_accuracy"} <= set(rows[0])
    path = plot_history(rows, tmp_path / "direct.png")
    assert read_png(path).shape[:2] == (400, 1000)  # figsize (10, 4) at 100 dpi

    out = tmp_path / "sub" / "cli.png"
    assert main(["plot-history", str(tiny_checkpoint), str(out)]) == 0
    assert read_png(out).shape[:2] == (400, 1000)
    assert str(out) in capsys.readouterr().out


def test_plot_history_without_history_is_an_error(tmp_path, capsys):
    with pytest.raises(ValueError, match="no training history"):
        plot_history([], tmp_path / "none.png")
    assert main(["plot-history", str(tmp_path), str(tmp_path / "none.png")]) == 2
    assert "no training history" in capsys.readouterr().err
    assert not (tmp_path / "none.png").exists()
