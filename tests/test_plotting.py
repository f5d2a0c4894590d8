"""PNG plots: attention heatmaps and training curves are real images of the expected size."""

import matplotlib.image
import numpy as np
import pytest

from seq2seq.checkpoint import read_history
from seq2seq.cli import main
from seq2seq.plotting import plot_attention, plot_history
from tests.tiny_translator import TINY_GROUP, tiny_checkpoint

pytestmark = pytest.mark.xdist_group(TINY_GROUP)  # one worker trains the tiny models once

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def read_png(path):
    """Pixels (H, W, channels) of a PNG, after checking the file really is one."""
    assert path.read_bytes()[:8] == PNG_MAGIC
    return matplotlib.image.imread(path)


@pytest.fixture(scope="module")
def attention_checkpoint(tmp_path_factory):
    """The shared tiny attention model (trained once, see tiny_translator), with its history.csv."""
    return tiny_checkpoint(tmp_path_factory)


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


def test_history_plot_of_a_real_checkpoint(attention_checkpoint, tmp_path, capsys):
    rows = read_history(attention_checkpoint)
    assert len(rows) >= 2 and {"loss", "val_loss", "accuracy", "val_accuracy"} <= set(rows[0])
    path = plot_history(rows, tmp_path / "direct.png")
    assert read_png(path).shape[:2] == (400, 1000)  # figsize (10, 4) at 100 dpi

    out = tmp_path / "sub" / "cli.png"
    assert main(["plot-history", str(attention_checkpoint), str(out)]) == 0
    assert read_png(out).shape[:2] == (400, 1000)
    assert str(out) in capsys.readouterr().out


def test_plot_history_without_history_is_an_error(tmp_path, capsys):
    with pytest.raises(ValueError, match="no training history"):
        plot_history([], tmp_path / "none.png")
    assert main(["plot-history", str(tmp_path), str(tmp_path / "none.png")]) == 2
    assert "no training history" in capsys.readouterr().err
    assert not (tmp_path / "none.png").exists()


def test_translate_plots_the_attention_of_the_first_sentence(attention_checkpoint, tmp_path,
                                                             capsys):
    from seq2seq import Translator

    path = tmp_path / "attention.png"
    argv = ["translate", "--checkpoint", str(attention_checkpoint), "--plot-attention", str(path)]
    assert main(argv + ["Good night.", "Hello."]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2 and str(path) in captured.err
    result = Translator.load(attention_checkpoint).translate_with_attention("Good night.")
    height, width = result.weights.shape  # (T_out, S) with S = 11 characters
    assert width == len("Good night.") and height == len(result.output_pieces)
    pixels = read_png(path)
    assert pixels.shape[1] == pytest.approx(100 * (2 + 0.3 * width), abs=2)
    assert pixels.shape[0] == pytest.approx(100 * min(1.5 + 0.3 * height, 40), abs=2)

    assert main(argv) == 2  # nothing to plot without a sentence argument
    assert ":plot FILE" in capsys.readouterr().err


def test_translate_plot_attention_without_attention_says_so(tmp_path_factory, tmp_path, capsys):
    checkpoint = tiny_checkpoint(tmp_path_factory, attention=False)
    path = tmp_path / "attention.png"
    assert main(["translate", "--checkpoint", str(checkpoint), "--plot-attention", str(path),
                 "Hello."]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1  # the translation is still printed
    assert "has no attention" in captured.err and not path.exists()
