"""Choosing where TensorFlow runs on this machine: the CPU, one GPU or several GPUs through
tf.distribute (several machines: distributed.py, which builds on this)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tensorflow as tf


class DeviceError(RuntimeError):
    """The requested device is not available on this machine."""


def select_devices(device: str = "auto") -> list:
    """The GPUs to use for ``--device auto|cpu|gpu`` (an empty list: the CPU).

    auto: every visible GPU, else the CPU.  cpu: hide the GPUs even if there are some.
    gpu: fail clearly when there is none. (``distributed.select_strategy`` builds on this.)
    """
    import tensorflow as tf  # here, not above: the CLI imports DeviceError for every command

    gpus = tf.config.list_physical_devices("GPU")
    if device == "cpu":
        if gpus:
            try:
                tf.config.set_visible_devices([], "GPU")
            except RuntimeError as error:  # GPUs were already initialised in this process
                raise DeviceError(f"--device cpu: too late to hide the GPUs ({error})") from None
        return []
    if device == "gpu" and not gpus:
        raise DeviceError(
            "--device gpu: TensorFlow sees no GPU on this machine. Install the GPU build with "
            "`pip install -e '.[gpu]'` on a machine with an NVIDIA driver (check `nvidia-smi`), "
            "or use --device cpu / auto."
        )
    if device not in ("auto", "gpu"):
        raise DeviceError(f"unknown device {device!r}: use auto, cpu or gpu")
    return gpus


def local_strategy(gpus: list) -> tf.distribute.Strategy:
    """MirroredStrategy over several GPUs, else TensorFlow's default (one GPU or the CPU)."""
    import tensorflow as tf

    return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()


def describe(strategy: tf.distribute.Strategy) -> str:
    import tensorflow as tf

    gpus = tf.config.get_visible_devices("GPU")
    where = f"{len(gpus)} GPU(s)" if gpus else "CPU"
    return f"{where}, {strategy.num_replicas_in_sync} replica(s)"


def check_precision(precision: str) -> None:
    """Refuse mixed_bfloat16 on GPUs and warn on CPUs that would only emulate bfloat16.

    The bf16 speed-up comes from the CPU's native bf16 matmuls (AVX512-BF16 or AMX); TensorFlow's
    cuDNN LSTM kernel takes float16/32/64 but not bfloat16, and cuDNN is fast in float32 anyway.
    """
    if precision != "mixed_bfloat16":
        return
    import tensorflow as tf

    if tf.config.get_visible_devices("GPU"):
        raise DeviceError(
            "--precision mixed_bfloat16 is a CPU option: TensorFlow's cuDNN LSTM has no bfloat16 "
            "kernel. On a GPU train with --precision float32 (cuDNN is fast), or pass --device cpu."
        )
    cpuinfo = Path("/proc/cpuinfo")
    flags = cpuinfo.read_text() if cpuinfo.is_file() else ""
    if flags and "avx512_bf16" not in flags and "amx_bf16" not in flags:
        print("warning: this CPU has no native bfloat16 instructions (avx512_bf16, amx_bf16); "
              "--precision mixed_bfloat16 may train slower than float32", file=sys.stderr)
