"""Choosing where TensorFlow runs: CPU, one GPU, or several GPUs through tf.distribute."""

from __future__ import annotations

import tensorflow as tf


class DeviceError(RuntimeError):
    """The requested device is not available on this machine."""


def select_strategy(device: str = "auto") -> tf.distribute.Strategy:
    """Return the distribution strategy for ``--device auto|cpu|gpu``.

    auto: every visible GPU (MirroredStrategy when there are several), else the CPU.
    cpu:  hide the GPUs even if there are some.  gpu: fail clearly when there is none.
    """
    gpus = tf.config.list_physical_devices("GPU")
    if device == "cpu":
        if gpus:
            try:
                tf.config.set_visible_devices([], "GPU")
            except RuntimeError as error:  # GPUs were already initialised in this process
                raise DeviceError(f"--device cpu: too late to hide the GPUs ({error})") from None
        return tf.distribute.get_strategy()
    if device == "gpu" and not gpus:
        raise DeviceError(
            "--device gpu: TensorFlow sees no GPU on this machine. Install the GPU build with "
            "`pip install -e '.[gpu]'` on a machine with an NVIDIA driver (check `nvidia-smi`), "
            "or use --device cpu / auto."
        )
    if device not in ("auto", "gpu"):
        raise DeviceError(f"unknown device {device!r}: use auto, cpu or gpu")
    if len(gpus) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def describe(strategy: tf.distribute.Strategy) -> str:
    gpus = tf.config.get_visible_devices("GPU")
    where = f"{len(gpus)} GPU(s)" if gpus else "CPU"
    return f"{where}, {strategy.num_replicas_in_sync} replica(s)"
