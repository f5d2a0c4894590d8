"""PNG plots with matplotlib's Agg backend (no display needed): attention maps, training curves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # file output only; works on servers without a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from .files import atomic_write  # noqa: E402


def label(piece: str) -> str:
    """A tick label that stays visible: spaces shown as '␣', empty pieces as '∅'."""
    return piece.replace(" ", "␣") if piece else "∅"


def save_figure(figure, path: str | Path) -> Path:
    """Write ``figure`` as PNG atomically, creating the folder, and close it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write(path, lambda tmp: figure.savefig(tmp, format="png", dpi=100))
    finally:
        plt.close(figure)
    return path


def plot_attention(weights, source_pieces: Sequence[str], output_pieces: Sequence[str],
                   path: str | Path) -> Path:
    """Heatmap of attention weights: source pieces along x, output pieces down y.

    ``weights`` is (T_out, S): row t is the attention over the source when piece t was output.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.size == 0:
        raise ValueError("nothing to plot: the sentence or its translation is empty")
    expected = (len(output_pieces), len(source_pieces))
    if weights.ndim != 2 or weights.shape != expected:
        raise ValueError(f"attention weights have shape {weights.shape}, expected "
                         f"(outputs, sources) = {expected}")
    height, width = expected
    figure, axes = plt.subplots(figsize=(min(2 + 0.3 * width, 40), min(1.5 + 0.3 * height, 40)))
    image = axes.imshow(weights, cmap="viridis", vmin=0.0, vmax=max(weights.max(), 1e-9),
                        aspect="auto", interpolation="nearest")
    axes.set_xticks(range(width), [label(p) for p in source_pieces], fontsize=8)
    axes.set_yticks(range(height), [label(p) for p in output_pieces], fontsize=8)
    axes.xaxis.tick_top()
    axes.set_xlabel("source")
    axes.set_ylabel("output")
    figure.colorbar(image, ax=axes, fraction=0.04)
    figure.tight_layout()
    return save_figure(figure, path)


def plot_history(history_rows: Sequence[dict], path: str | Path) -> Path:
    """Two panels, loss and accuracy per epoch, each with train and dev curves.

    ``history_rows`` are ``checkpoint.read_history`` rows (epoch counted from 0 as Keras logs
    it, shown from 1); the epoch with the lowest dev loss is marked.
    """
    if not history_rows:
        raise ValueError("no training history to plot (history.csv is missing or empty)")
    rows = [(int(row.get("epoch", i)) + 1, row) for i, row in enumerate(history_rows)]
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(10, 4))
    for axes, metric, title in ((loss_axes, "loss", "loss (masked cross-entropy)"),
                                (accuracy_axes, "accuracy", "token accuracy (teacher-forced)")):
        for key, name in ((metric, "train"), (f"val_{metric}", "dev")):
            points = [(e, row[key]) for e, row in rows if key in row]
            if points:
                axes.plot(*zip(*points, strict=True), marker="o", markersize=3, label=name)
        axes.set_title(title)
        axes.set_xlabel("epoch")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(alpha=0.3)
    dev = [(row["val_loss"], e) for e, row in rows if "val_loss" in row]
    if dev:
        best_epoch = min(dev)[1]
        loss_axes.axvline(best_epoch, color="grey", linestyle="--", label=f"best dev: {best_epoch}")
    loss_axes.legend()
    accuracy_axes.legend()
    figure.tight_layout()
    return save_figure(figure, path)
