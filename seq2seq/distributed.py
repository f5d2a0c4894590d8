"""Training on several machines: the ``TF_CONFIG`` cluster, joining it, and the epoch loop.

Every worker runs the same ``seq2seq train`` command with its own ``TF_CONFIG`` (the standard
variable of ``tf.distribute``); each global batch is split between the workers and their
gradients are summed, so N workers with batch B make the update one process makes with batch B.
Keras' ``fit`` cannot run under ``MultiWorkerMirroredStrategy`` (keras-team/keras#20585), so
``fit_distributed`` drives Keras' own compiled train and test steps and the same callbacks.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from numbers import Real

import keras
import tensorflow as tf

from .device import DeviceError, local_strategy, select_devices

# Seconds a worker waits for all its peers before giving up (SEQ2SEQ_PEER_TIMEOUT overrides)
DEFAULT_PEER_TIMEOUT = 120.0


@dataclass(frozen=True)
class Cluster:
    """This process's place in the ``TF_CONFIG`` cluster: all worker addresses and its own."""

    workers: tuple[str, ...]  # the chief first when there is a "chief" job, else worker 0 first
    index: int  # this process's position in ``workers``

    @property
    def is_chief(self) -> bool:
        """The chief (``chief`` task, else worker 0) alone writes the bundle in ``--out``."""
        return self.index == 0

    @property
    def peers(self) -> list[str]:
        return [a for i, a in enumerate(self.workers) if i != self.index]


def read_cluster(environ=os.environ) -> Cluster | None:
    """The cluster ``TF_CONFIG`` names when it has several workers, else None (one machine)."""
    text = environ.get("TF_CONFIG", "").strip()
    if not text:
        return None
    try:
        spec = json.loads(text)
        jobs = spec.get("cluster", {})
        chief, workers = list(jobs.get("chief", [])), list(jobs.get("worker", []))
        task = spec.get("task", {})
        kind, index = task.get("type"), int(task.get("index", 0))
    except (ValueError, AttributeError, TypeError) as error:
        raise DeviceError(f"TF_CONFIG is not a valid cluster description: {error}") from None
    everyone = tuple(chief + workers)
    if len(everyone) < 2:
        return None
    if kind == "chief" and chief:
        position = index
    elif kind == "worker" and index < len(workers):
        position = len(chief) + index
    else:
        raise DeviceError(f"TF_CONFIG: task {task} is not one of the cluster's workers "
                          f"({', '.join(everyone)})")
    return Cluster(everyone, position)


def peer_timeout(environ=os.environ) -> float:
    """``SEQ2SEQ_PEER_TIMEOUT`` (seconds), else ``DEFAULT_PEER_TIMEOUT``."""
    value = environ.get("SEQ2SEQ_PEER_TIMEOUT")
    try:
        seconds = float(value) if value else DEFAULT_PEER_TIMEOUT
    except ValueError:
        raise DeviceError(f"SEQ2SEQ_PEER_TIMEOUT must be a number of seconds, not {value!r}"
                          ) from None
    if seconds <= 0:
        raise DeviceError("SEQ2SEQ_PEER_TIMEOUT must be positive")
    return seconds


def _missing_message(missing: list[str], timeout: float) -> str:
    return (f"worker(s) {', '.join(missing)} did not join the cluster within {timeout:g} s "
            "(SEQ2SEQ_PEER_TIMEOUT); start `seq2seq train` with the same command on every "
            "machine of TF_CONFIG, and check the addresses and that the ports are open")


def _unreachable(addresses: list[str]) -> list[str]:
    """Those of ``addresses`` (host:port) that do not accept a TCP connection now."""
    missing = []
    for address in addresses:
        host, _, port = address.rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=1.0).close()
        except OSError:
            missing.append(address)
    return missing


def _wait_for(addresses: list[str], timeout: float) -> list[str]:
    """Poll until every address accepts connections; those that still do not after ``timeout``."""
    deadline = time.monotonic() + timeout
    missing = _unreachable(addresses)
    while missing and time.monotonic() < deadline:
        time.sleep(0.5)
        missing = _unreachable(missing)
    return missing


def multi_worker_strategy(cluster: Cluster, timeout: float | None = None):
    """``MultiWorkerMirroredStrategy`` over ``cluster``, or DeviceError after ``timeout`` s.

    TensorFlow's cluster leader (the chief) would wait for ever for a missing worker, inside a
    call that holds the interpreter, so it first waits here until the other workers' servers
    accept connections. Those servers start with their strategy, which then registers with the
    leader within the coordination service's timeout, set to ``timeout`` too.
    """
    from tensorflow.compiler.xla.tsl.protobuf import coordination_config_pb2
    from tensorflow.python.eager import context

    timeout = peer_timeout() if timeout is None else timeout
    if cluster.is_chief and (missing := _wait_for(cluster.peers, timeout)):
        raise DeviceError(_missing_message(missing, timeout))
    if context.context().coordination_service is None:  # as the strategy would, plus a timeout
        jobs = json.loads(os.environ["TF_CONFIG"])["cluster"]
        context.context().configure_coordination_service(
            service_type="standalone",
            service_leader=f"/job:{'chief' if 'chief' in jobs else 'worker'}/replica:0/task:0",
            cluster_register_timeout_in_ms=int(timeout * 1000),
            coordinated_jobs=[coordination_config_pb2.CoordinatedJob(name=j, num_tasks=len(jobs[j]))
                              for j in ("chief", "worker") if j in jobs],
        )
    try:
        return tf.distribute.MultiWorkerMirroredStrategy()
    except (tf.errors.DeadlineExceededError, tf.errors.UnavailableError) as error:
        missing = _unreachable(cluster.peers) or cluster.peers
        raise DeviceError(f"{_missing_message(missing, timeout)} ({type(error).__name__})"
                          ) from None


def select_strategy(device: str = "auto") -> tf.distribute.Strategy:
    """The strategy of a run with ``--device auto|cpu|gpu`` (see ``device.select_devices``):
    MultiWorkerMirroredStrategy over each worker's devices when ``TF_CONFIG`` names a cluster
    of several workers, else this machine's own (``device.local_strategy``)."""
    cluster = read_cluster()
    gpus = select_devices(device)
    return multi_worker_strategy(cluster) if cluster else local_strategy(gpus)


def is_multi_worker(strategy) -> bool:
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


def shard_by_data(dataset: tf.data.Dataset) -> tf.data.Dataset:
    """Every worker reads (and shuffles, with the same seed) all the data and takes its part of
    each global batch: the global batches are those of one process, whatever the files."""
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)


def _chief_values(strategy, values):
    """The chief's (replica 0's) ``values`` on every worker: a sum in which only it counts."""

    @tf.function
    def gather():
        def replica_fn():
            context = tf.distribute.get_replica_context()
            first = tf.equal(context.replica_id_in_sync_group, 0)
            return [context.all_reduce("SUM", tf.where(first, v, tf.zeros_like(v)))
                    for v in values]

        return strategy.run(replica_fn)

    return [strategy.experimental_local_results(v)[0] for v in gather()]


def _any_worker(strategy, flag: bool) -> bool:
    """Whether ``flag`` is true on any worker (the same answer on every worker)."""

    @tf.function
    def count():
        return strategy.run(lambda: tf.distribute.get_replica_context().all_reduce(
            "SUM", tf.constant(float(flag))))

    return float(strategy.experimental_local_results(count())[0]) > 0


def _broadcast_from_chief(strategy, variables) -> None:
    """Give every worker the chief's values of ``variables`` (after ``--resume`` restored them
    from the chief's --out, which the other workers do not have)."""
    variables = [v.value if isinstance(v, keras.Variable) else v for v in variables]
    for variable, value in zip(variables, _chief_values(strategy, variables), strict=True):
        variable.assign(value)


def _step_function(strategy, step):
    """One batch of the distributed data through Keras' ``step`` on every replica; the logs are
    the replicas' mean. (Keras' own ``train_function`` reduces scalars with ``axis=0``, which
    fails under this strategy.)"""

    @tf.function(reduce_retracing=True)
    def function(iterator):
        logs = strategy.run(step, args=(next(iterator),))
        return {name: strategy.reduce("MEAN", value, axis=None) for name, value in logs.items()}

    return function


def _run_epoch(function, iterator, callbacks, hook: str, stop=lambda: False):
    """Call a step function until the distributed data ends; returns the last logs."""
    logs, step = {}, 0
    while True:
        getattr(callbacks, f"on_{hook}_batch_begin")(step)
        try:
            logs = function(iterator)
        except (StopIteration, tf.errors.OutOfRangeError):
            return logs
        getattr(callbacks, f"on_{hook}_batch_end")(step, logs)
        step += 1
        if stop():
            return logs


def fit_distributed(model, train_data, dev_data, epochs: int, callbacks, strategy, verbose):
    """``model.fit(train_data, validation_data=dev_data, ...)`` for MultiWorkerMirroredStrategy.

    Keras' own ``train_step``/``test_step`` run through ``strategy.run``; epoch logs
    are the metrics all-reduced over the workers, identical on each, so EarlyStopping and
    ReduceLROnPlateau decide the same everywhere, and training stops after an epoch when any
    worker's callbacks ask for it (``--time-budget`` reads each worker's own clock). Returns the
    History callback.
    """
    train_data = strategy.experimental_distribute_dataset(shard_by_data(train_data))
    dev_data = strategy.experimental_distribute_dataset(shard_by_data(dev_data))
    callbacks = keras.callbacks.CallbackList(callbacks, add_history=True,
                                             add_progbar=verbose != 0, verbose=verbose,
                                             epochs=epochs, steps=None, model=model)
    model.stop_training = False
    with strategy.scope():  # now on every worker: creating variables is a collective operation
        model.optimizer.build(model.trainable_variables)
    train_step = _step_function(strategy, model.train_step)
    test_step = _step_function(strategy, model.test_step)
    callbacks.on_train_begin()
    # BackupAndRestore restored the interrupted run on the chief only: share its epoch and state
    initial_epoch = int(_chief_values(strategy, [tf.constant(
        getattr(model, "_initial_epoch", None) or 0, tf.int64)])[0])
    if initial_epoch:
        _broadcast_from_chief(strategy, model.variables + model.optimizer.variables)
    # and the callbacks' best values (BestCheckpoint's comes from the chief's history.csv), so
    # that every worker saves at the same epochs: saving reads metrics, a collective operation
    holders = [c for c in callbacks.callbacks if isinstance(getattr(c, "best", None), Real)]
    if holders:
        best = _chief_values(strategy, [tf.constant([float(c.best) for c in holders], tf.float64)])
        for holder, value in zip(holders, best[0].numpy(), strict=True):
            holder.best = float(value)
    training_logs = None
    for epoch in range(initial_epoch, epochs):
        model.reset_metrics()
        callbacks.on_epoch_begin(epoch)
        logs = _run_epoch(train_step, iter(train_data), callbacks, "train",
                          stop=lambda: model.stop_training)
        epoch_logs = dict(model._get_metrics_result_or_logs(logs))
        model.reset_metrics()
        callbacks.on_test_begin()
        logs = _run_epoch(test_step, iter(dev_data), callbacks, "test")
        val_logs = dict(model._get_metrics_result_or_logs(logs))
        callbacks.on_test_end(val_logs)
        epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
        callbacks.on_epoch_end(epoch, epoch_logs)
        training_logs = epoch_logs
        # the logs are the same everywhere, but a clock (--time-budget) is not: stop together
        model.stop_training = _any_worker(strategy, model.stop_training)
        if model.stop_training:
            break
    model.optimizer.finalize_variable_values(model.trainable_weights)
    callbacks.on_train_end(logs=training_logs)
    return model.history
