"""Training on several machines (TF_CONFIG): two worker processes on localhost ports.

One two-worker run serves three checks: both finish and only the chief writes (a bundle that
translates), and its first epoch equals one process with the same global batch (the loss is
neither summed over the workers nor halved). A lone worker of a two-worker cluster fails.
"""

import csv
import json
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from .conftest import write_tsv

pytestmark = pytest.mark.xdist_group("distributed")

# Every source and every target has 5 characters: each worker's half of a global batch then
# holds as many real target tokens as the other, and the mean of the two halves' per-token
# losses is exactly the whole batch's (with uneven halves it is the mean of the halves' means).
LETTERS = "abcdefgh"
TRAIN = [(LETTERS[i:i + 5], LETTERS[i:i + 5][::-1].upper()) for i in range(4)]
TRAIN = [(s[k:] + s[:k], t[k:] + t[:k]) for s, t in TRAIN for k in range(4)]  # 16 pairs
DEV = [("hgfed", "DEFGH"), ("gfedc", "CDEFG"), ("bcdea", "AEDCB"), ("cdeab", "BAEDC")]
# batch 4: 4 steps an epoch, each split 2 + 2 over the workers; no dropout (no randomness)
SETTINGS = dict(units=8, embedding_dim=4, epochs=2, batch_size=4, dropout=0.0, keep_epochs=2,
                learning_rate=0.5, device="cpu")
# `seq2seq train` (its main()) with plain SGD instead of Adam: Adam's step hardly changes when
# the gradient is doubled or halved, SGD's doubles or halves, so a wrongly scaled loss shows
SGD_COMPILE = """
import keras
from seq2seq import training
def compile_model(model, config):
    model.compile(optimizer=keras.optimizers.SGD(config.learning_rate),
                  loss=training.masked_loss(), metrics=[training.MaskedAccuracy()])
"""
SGD_TRAIN = SGD_COMPILE + """
import sys
from seq2seq import cli
training.compile_model = compile_model
sys.exit(cli.main(sys.argv[1:]))
"""
EXPECTED = {"config.json", "source_vocab.json", "target_vocab.json", "model.weights.h5",
            "history.csv", "epochs"}


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def worker(index: int, ports: list[int], args: list[str], timeout: float = 60, sgd=False):
    """``seq2seq train ARGS`` as worker ``index`` of a cluster on ``ports``."""
    env = dict(os.environ, SEQ2SEQ_PEER_TIMEOUT=str(timeout), CUDA_VISIBLE_DEVICES="",
               TF_CPP_MIN_LOG_LEVEL="2", TF_CONFIG=json.dumps({
                   "cluster": {"worker": [f"localhost:{p}" for p in ports]},
                   "task": {"type": "worker", "index": index}}))
    command = ["-c", SGD_TRAIN] if sgd else ["-m", "seq2seq"]
    return subprocess.Popen([sys.executable, *command, "train", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def flags(settings: dict) -> list[str]:
    return [f"--{k.replace('_', '-')}={v}" for k, v in settings.items()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A two-worker run (chief --out, the other worker's own --out) and one process alike,
    both with SGD; returns the root, exit codes, outputs, one process's result and start."""
    import keras

    from seq2seq import training

    class Start(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.weights = self.model.get_weights()

    root = tmp_path_factory.mktemp("distributed")
    data, dev = write_tsv(root / "train.tsv", TRAIN), write_tsv(root / "dev.tsv", DEV)
    ports = free_ports(2)
    common = ["--data", str(data), "--dev", str(dev), *flags(SETTINGS)]
    started = time.monotonic()
    workers = [worker(i, ports, [*common, "--out", str(root / f"out{i}")], sgd=True)
               for i in (0, 1)]
    namespace = {}  # one process, in this one, while the workers run
    exec(SGD_COMPILE, namespace)
    compile_model, training.compile_model = training.compile_model, namespace["compile_model"]
    try:
        start = Start()
        single = training.train(data=str(data), dev=str(dev), out=str(root / "single"),
                                verbose=0, callbacks=[start], **SETTINGS)
    finally:
        training.compile_model = compile_model
    outputs = [w.communicate(timeout=180) for w in workers]
    for i, (stdout, stderr) in enumerate(outputs):  # for a failure's post-mortem
        (root / f"worker{i}.log").write_text(stdout + stderr)
    print(f"two workers: {time.monotonic() - started:.1f}s")
    return root, [w.returncode for w in workers], outputs, single, start.weights


def test_two_workers_finish_and_only_the_chief_writes(runs):
    from seq2seq import Translator

    root, codes, outputs, _, _ = runs
    assert codes == [0, 0], [stderr[-3000:] for _, stderr in outputs]
    chief = root / "out0"
    assert {p.name for p in chief.iterdir()} == EXPECTED
    assert not (root / "out1").exists()  # the other worker wrote nothing, not even its --out
    history = (chief / "history.csv").read_text().splitlines()
    assert len(history) == 1 + SETTINGS["epochs"] and "val_loss" in history[0]
    assert isinstance(Translator.load(chief).translate(["abcde"])[0], str)
    assert "2 replica(s)" in outputs[0][0] and "2 replica(s)" in outputs[1][0]


def test_two_workers_make_the_update_of_one_process_with_the_same_global_batch(runs):
    from seq2seq import Translator

    root, codes, outputs, single, start = runs
    assert codes == [0, 0], [stderr[-3000:] for _, stderr in outputs]
    for epoch in ("epoch-001", "epoch-002"):  # 4 and 8 SGD steps from the same start
        two = Translator.load(root / "out0" / "epochs" / epoch).network.training_model
        one = Translator.load(root / "single" / "epochs" / epoch).network.training_model
        for a, b, w in zip(two.get_weights(), one.get_weights(), start, strict=True):
            np.testing.assert_allclose(a - w, b - w, rtol=1e-3, atol=1e-6)
    rows = list(csv.DictReader(open(root / "out0" / "history.csv")))
    for row, expected in zip(rows, single.history, strict=True):
        assert float(row["loss"]) == pytest.approx(expected["loss"], rel=1e-5)
        assert float(row["val_loss"]) == pytest.approx(expected["val_loss"], rel=1e-5)


def test_a_worker_whose_peer_never_comes_fails_clearly(tmp_path):
    """Both positions: worker 0 leads the cluster (TensorFlow would wait for ever), worker 1
    joins it (TensorFlow's own registration times out)."""
    data = write_tsv(tmp_path / "train.tsv", TRAIN)
    lone = []
    for index in (0, 1):
        ports = free_ports(2)
        lone.append((ports[1 - index], worker(index, ports, [
            "--data", str(data), "--out", str(tmp_path / f"out{index}"), *flags(SETTINGS)],
            timeout=3)))
    for missing_port, process in lone:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 2, stderr
        assert f"localhost:{missing_port}" in stderr and "within 3 s" in stderr, stderr
    assert not (tmp_path / "out1").exists()


def test_tf_config_names_the_chief_and_the_peers():
    from seq2seq.device import DeviceError
    from seq2seq.distributed import read_cluster

    def cluster(jobs, kind, index):
        return read_cluster({"TF_CONFIG": json.dumps({"cluster": jobs,
                                                      "task": {"type": kind, "index": index}})})

    assert read_cluster({}) is None
    assert cluster({"worker": ["a:1"]}, "worker", 0) is None  # one worker: one machine
    two = cluster({"worker": ["a:1", "b:2"]}, "worker", 1)
    assert not two.is_chief and two.peers == ["a:1"]
    with_chief = cluster({"chief": ["c:3"], "worker": ["a:1", "b:2"]}, "chief", 0)
    assert with_chief.is_chief and with_chief.peers == ["a:1", "b:2"]
    assert not cluster({"chief": ["c:3"], "worker": ["a:1"]}, "worker", 0).is_chief
    with pytest.raises(DeviceError, match="not one of"):
        cluster({"worker": ["a:1", "b:2"]}, "worker", 2)
    with pytest.raises(DeviceError, match="TF_CONFIG"):
        read_cluster({"TF_CONFIG": "{not json"})
