"""One-command GPU check: train one epoch and decode on each device, and say whether the LSTMs
ran on cuDNN.

For the CPU and, when TensorFlow sees one, the first GPU: the default attention model
(bidirectional, units 256, embedding 64) trains one epoch on the first --pairs pairs of
train.tsv (the sample corpus in data/ when the shared Tatoeba data is absent), then greedily
decodes --decode dev sources. Printed per device: whether the traced training step holds a
cuDNN LSTM op (``CudnnRNN*``: Keras uses cuDNN only on a GPU and only for cuDNN-compatible LSTM
settings), training pairs/s, decoding sentences/s and milliseconds per output character.

    python bench/gpu_check.py [--pairs 2048] [--decode 200] [--precision float32|mixed_float16]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import keras
import tensorflow as tf

from seq2seq.batching import make_dataset
from seq2seq.config import TrainConfig
from seq2seq.data import read_corpus
from seq2seq.model import Seq2Seq
from seq2seq.training import SAMPLE_CORPUS, compile_model
from seq2seq.translator import Translator
from seq2seq.vocabulary import CharVocabulary

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "tatoeba-en-pt"


def graph_ops(concrete) -> set[str]:
    """Every op type of a traced function, including those inside its nested functions."""
    graph = concrete.graph.as_graph_def()
    ops = {node.op for node in graph.node}
    for function in graph.library.function:
        ops.update(node.op for node in function.node_def)
    return ops


def check(device: str, train_pairs, dev_sources, precision: str) -> dict:
    """Train one epoch and decode on ``device`` (e.g. "/CPU:0"); the figures of that run."""
    config = TrainConfig(attention=True)  # the shipped recipe, default batching
    with tf.device(device):
        keras.utils.set_random_seed(0)
        if precision == "mixed_float16":  # loss scaling comes with Keras' LossScaleOptimizer
            keras.mixed_precision.set_global_policy("mixed_float16")
        source_vocab = CharVocabulary.build(s for s, _ in train_pairs)
        target_vocab = CharVocabulary.build(t for _, t in train_pairs)
        network = Seq2Seq(config, source_vocab.size, target_vocab.size,
                          precision if precision != "mixed_float16" else "mixed_float16")
        compile_model(network.training_model, config)
        data = make_dataset(train_pairs, source_vocab, target_vocab, config.batch_size,
                            shuffle=True, seed=0, batch_tokens=config.batch_tokens)
        (source, decoder_in), _ = next(iter(data))
        step = tf.function(lambda s, d: network.training_model([s, d], training=True))
        cudnn = sorted(op for op in graph_ops(step.get_concrete_function(source, decoder_in))
                       if op.startswith("CudnnRNN"))
        network.training_model.fit(data.take(2), epochs=1, verbose=0)  # tracing, off the clock
        started = time.perf_counter()
        network.training_model.fit(data, epochs=1, verbose=0)
        train_seconds = time.perf_counter() - started
        translator = Translator(config, source_vocab, target_vocab, network)
        translator.translate(dev_sources[:8], beam=1)  # tracing
        started = time.perf_counter()
        outputs = translator.translate(dev_sources, beam=1)
        decode_seconds = time.perf_counter() - started
    keras.mixed_precision.set_global_policy("float32")
    characters = sum(len(o) + 1 for o in outputs)  # + the end marker
    return {"cudnn": ", ".join(cudnn) or "no", "pairs_s": len(train_pairs) / train_seconds,
            "sentences_s": len(dev_sources) / decode_seconds,
            "ms_per_char": 1000 * decode_seconds / characters}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=2048, help="training pairs for the epoch")
    parser.add_argument("--decode", type=int, default=200, help="dev sources to decode")
    parser.add_argument("--precision", choices=["float32", "mixed_float16"], default="float32",
                        help="on the GPU only; the CPU row is always float32")
    args = parser.parse_args()
    if DATA.is_dir():
        train_pairs = read_corpus(DATA / "train.tsv").pairs[: args.pairs]
        dev = read_corpus(DATA / "dev.tsv").pairs
    else:
        print(f"note: {DATA} not found; using the sample corpus {SAMPLE_CORPUS}")
        pairs = read_corpus(SAMPLE_CORPUS).pairs
        train_pairs, dev = pairs[: args.pairs], pairs[-args.decode:]
    dev_sources = list(dict.fromkeys(s for s, _ in dev))[: args.decode]
    gpus = tf.config.list_physical_devices("GPU")
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}; GPUs: "
          f"{', '.join(g.name for g in gpus) or 'none'}; {len(train_pairs)} training pairs, "
          f"{len(dev_sources)} dev sources")
    devices = [("CPU", "/CPU:0", "float32")]
    if gpus:
        devices.append(("GPU", "/GPU:0", args.precision))
    else:
        print("no GPU: only the CPU row (install `.[gpu]` on a machine with an NVIDIA driver)")
    print(f"{'device':>6} {'precision':>13} {'cuDNN LSTM':>24} {'train pairs/s':>14} "
          f"{'decode sent/s':>14} {'ms/char':>8}")
    for name, device, precision in devices:
        row = check(device, train_pairs, dev_sources, precision)
        print(f"{name:>6} {precision:>13} {row['cudnn']:>24} {row['pairs_s']:14.1f} "
              f"{row['sentences_s']:14.1f} {row['ms_per_char']:8.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
