"""Export a character bundle as a LiteRT (TFLite) model: greedy decoding inside the model.

The ``.tflite`` file takes the source ids of one sentence, ``source`` (1, S) int32, and returns
the target ids of its greedy translation, ``target`` (T,) int32, end id included when reached:
the encoder, then a ``WHILE`` loop of decoder steps with the Translator's length limit and
banned ids. One call translates a sentence. Text handling stays outside, in the client
(``lite.py``): TFLite's builtin ops have no Unicode normalisation, and LiteRT has no Select-TF
ops. The output buffer is a tensor updated in place, not a TensorArray: the converter cannot
lower TensorArray's tensor-list ops to builtins.

    OUT/model.tflite       the model
    OUT/source_vocab.json  character -> id, as in the bundle
    OUT/target_vocab.json  id -> character
    OUT/lite.json          what was exported: the bundle, the quantisation
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import tensorflow as tf

from . import checkpoint
from .files import atomic_write, new_directory_beside
from .lite import MODEL, SETTINGS  # the client's file names, written here
from .serving import GraphDecoder, check_export
from .vocabulary import END_ID, START_ID

QUANTIZATIONS = ("none", "dynamic", "float16")


class _GreedyIds(GraphDecoder):
    """The encoder and the one-step decoder in a greedy loop over ids, for the converter."""

    @tf.function(input_signature=[tf.TensorSpec([1, None], tf.int32, name="source")])
    def greedy(self, source):
        states, context = self.encode(source)
        # the Decoder's max_steps: int(max_ratio * S + max_extra)
        limit = tf.cast(self.max_ratio * tf.cast(tf.shape(source)[1], tf.float32)
                        + self.max_extra, tf.int32)

        def step(t, token, states, ended, target):
            log_probs, states = self.advance(tf.reshape(token, [1, 1]), states, context)
            best = tf.argmax(log_probs[0] + self.banned, output_type=tf.int32)  # ()
            target = tf.tensor_scatter_nd_update(target, [[t]], [best])  # (limit,)
            return t + 1, best, states, tf.equal(best, END_ID), target

        def going_on(t, token, states, ended, target):
            return tf.logical_and(tf.logical_not(ended), t < limit)

        length, _, _, _, target = tf.while_loop(
            going_on, step, (tf.constant(0), tf.constant(START_ID), states,
                             tf.constant(False), tf.zeros([limit], tf.int32)))
        return {"target": target[:length]}


def convert(translator, quantize: str = "none") -> bytes:
    """The ``.tflite`` bytes of ``translator``'s greedy decoder (``quantize``: none, dynamic
    (int8 weights, dynamic-range quantisation) or float16 (half-precision weights))."""
    if quantize not in QUANTIZATIONS:
        raise ValueError(f"--quantize must be one of {', '.join(QUANTIZATIONS)}, not {quantize!r}")
    module = _GreedyIds(translator)
    greedy = module.greedy.get_concrete_function()
    module.track_variables(greedy)  # or the weights stay uninitialised variables
    converter = tf.lite.TFLiteConverter.from_concrete_functions([greedy], module)
    if quantize != "none":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantize == "float16":
        converter.target_spec.supported_types = [tf.float16]
    return converter.convert()


def export_lite(translator, out: str | Path, quantize: str = "none") -> Path:
    """Write ``translator`` (a character model) as OUT/model.tflite with its vocabularies."""
    out = check_export(
        translator, out, "--format tflite exports character models only: the client would "
        "need SentencePiece to cut text into subwords, and LiteRT cannot run its ops inside "
        "the model")
    model = convert(translator, quantize)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = new_directory_beside(out)
    try:
        atomic_write(staging / MODEL, lambda tmp: Path(tmp).write_bytes(model))
        atomic_write(staging / checkpoint.SOURCE_VOCAB, translator.source_vocab.save)
        atomic_write(staging / checkpoint.TARGET_VOCAB, translator.target_vocab.save)
        settings = {"checkpoint": str(translator.directory), "quantize": quantize,
                    "decoding": "greedy", "input": "source (1, S) int32 character ids",
                    "output": "target (T,) int32 ids, the end id included when reached"}
        atomic_write(staging / SETTINGS,
                     lambda tmp: Path(tmp).write_text(json.dumps(settings, indent=2) + "\n"))
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
