"""The one settings object of a training run, saved as ``config.json`` in every checkpoint."""

from __future__ import annotations

import json
import typing
from dataclasses import asdict, dataclass, fields
from pathlib import Path

PRECISIONS = ("float32", "mixed_bfloat16")  # Keras dtype policies a run may train under
# GNMT length-penalty exponent of beam search (see decoding.py); here so that the CLI can show
# it without importing Keras. Tuned on dev for the shipped ensemble (its model card): beam 5
# chrF 52.74 at 0.6, 52.77 at 1.0 and 1.6, 52.89 at 2.0, a plateau within one dev set's noise;
# the three ensembles before it gave the same picture, and BLEU was highest at 1.0 for two.
DEFAULT_ALPHA = 1.0
# Beam width wherever none is given (translate, evaluate, the REPL, the server, the Python API,
# the SavedModel's beam signature); 1 is greedy search. The shipped ensemble on dev, chrF by
# width (α 1.0): 1 49.23, 2 52.19, 3 52.66, 5 52.77, 8 53.28, 12 53.43. Past 3 the wider beams
# add under 1 chrF (no p-value measured); 5, the common choice of NMT toolkits, costs 3.1x
# greedy's time (bench/decode_speed.py).
DEFAULT_BEAM = 5
# Decoding never outputs the same n tokens (characters) twice, n = DEFAULT_NO_REPEAT, and inputs
# longer than DEFAULT_SPLIT characters are translated piece by piece (segmenting.py); 0 turns
# either off. Loops ("de pessoas de pessoas") and long inputs were the shipped model's commonest
# failures. Tuned on dev and dev-long with member-3 + member-5 + member-6, beam 5 chrF:
# no-repeat 6, 8, 12, 16, 20 gave dev-long 34.29, 34.55, 33.24, 32.97, 32.73 (31.71 without);
# with split 60 (before pieces reached the model as sentences), no-repeat 8 gave dev 53.47 and
# dev-long 38.60, 12 gave 53.26 and 38.12; split 40 and 100 were within 0.15 of 60. Both rules
# against neither (bench/decoding_rules.py): dev 53.53 vs 52.77 (p = 0.011), dev-long 38.52 vs
# 31.71 (p = 0.001); greedy dev 49.64 vs 49.23 (p = 0.019).
DEFAULT_NO_REPEAT = 8
DEFAULT_SPLIT = 60
# most padded source + target characters per training batch: 64 pairs of up to 128 characters
DEFAULT_BATCH_TOKENS = 16384
# Sizes past any model this toolkit is for: a damaged or hostile config.json asking for more
# would otherwise spend minutes and gigabytes before failing (8192 units: ~1 GB per LSTM)
UPPER_BOUNDS = {"embedding_dim": 8192, "units": 8192, "layers": 16, "vocab_size": 1_000_000,
                "batch_size": 1_000_000, "batch_tokens": 100_000_000, "max_length": 1_000_000}
# What a JSON value must be for each annotated type (bool is an int in Python, not in a config)
_JSON_TYPES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


@dataclass
class TrainConfig:
    """Everything that defines a run: data, tokens, architecture, optimisation.

    The architecture fields (tokens .. input_feeding; token_dropout and seed only add a weightless
    layer) are all a checkpoint needs to rebuild the model; the rest records how it was trained.
    """

    # data
    # training TSV, or a list of them read one by one; None means the sample corpus in data/
    data: str | list[str] | None = None
    dev: str | None = None  # dev TSV; None means a seeded random split of `data`
    out: str = "checkpoints/run"
    max_length: int | None = 100  # characters per side; longer pairs are skipped and reported
    dev_fraction: float = 0.05
    strict: bool = False
    # tokens
    tokens: str = "char"  # "char" or "spm"
    vocab_size: int = 1000  # spm only
    spm_model_type: str = "unigram"  # spm only: unigram | bpe
    spm_joint: bool = False  # spm only: one model for both languages
    # architecture; embedding 64, dropout 0.35, a bidirectional encoder and label smoothing 0.1
    # are the shipped model's recipe (checkpoints/default/README.md), so `--attention` alone
    # trains it
    embedding_dim: int = 64
    units: int = 256
    layers: int = 1
    dropout: float = 0.35
    # share of real source and decoder-input characters replaced by <unk> in training
    token_dropout: float = 0.0
    bidirectional: bool = True  # units are split over the two directions
    attention: bool = False
    # attend before the decoder LSTMs step: the last attentional vector joins the next input
    # (Luong et al. 2015's input feeding; see input_feeding.py); needs attention
    input_feeding: bool = False
    # optimisation
    epochs: int | None = 10  # None with resume: the interrupted run's own count
    batch_size: int = 64  # the most pairs a batch holds
    # ... and the most padded source + target characters (None: no limit, batch_size pairs):
    # long pairs come in smaller batches, so memory stays flat in sentence length. The default
    # binds only above 128 characters, so training at the default --max-length 100 keeps its
    # batches of 64 (bench/README.md, "Batches by a character budget")
    batch_tokens: int | None = DEFAULT_BATCH_TOKENS
    learning_rate: float = 1e-3
    clipnorm: float = 1.0
    label_smoothing: float = 0.1  # share of each target's probability spread over the vocabulary
    # "float32", or "mixed_bfloat16": bf16 compute with float32 weights, 1.3-1.4x faster plain-LSTM
    # training on CPUs with native bf16 (AVX512-BF16, AMX); a bundle always translates in float32
    precision: str = "float32"
    patience: int = 5  # early stopping on dev loss
    # minutes of training after which no further epoch is started (None: no limit); an epoch
    # that would end past the budget, judged by the mean epoch time so far, is not begun
    time_budget: float | None = None
    lr_patience: int = 2  # halve the learning rate after this many epochs without progress
    seed: int = 42
    keep_epochs: int = 0  # keep the last K epochs' weights in OUT/epochs/ (seq2seq average)
    tensorboard: str | None = None  # log directory for TensorBoard (loss, accuracy, lr, attention)
    resume: bool = False
    # start from this bundle's weights and vocabularies instead of a fresh network (fine-tuning,
    # or continuing a finished run on more data with a new optimizer); architectures must match
    init_from: str | None = None
    device: str = "auto"  # auto | cpu | gpu

    def __post_init__(self):
        # accept pathlib.Path; store plain strings in JSON
        for name in ("data", "dev", "out", "tensorboard", "init_from"):
            value = getattr(self, name)
            if name == "data" and isinstance(value, (list, tuple)):  # one file: a plain string
                setattr(self, name, str(value[0]) if len(value) == 1 else [str(v) for v in value])
            elif value is not None:
                setattr(self, name, str(value))

    def data_files(self) -> list[str]:
        """The training corpus files, in order (``data`` may name one or several)."""
        if self.data is None:
            return []
        return [self.data] if isinstance(self.data, str) else list(self.data)

    def validate(self) -> None:
        """Fail early, with the option's name, on settings that cannot work."""
        if self.tokens not in ("char", "spm"):
            raise ValueError(f"--tokens must be 'char' or 'spm', not {self.tokens!r}")
        if self.spm_model_type not in ("unigram", "bpe"):
            raise ValueError(f"--spm-model-type must be 'unigram' or 'bpe', "
                             f"not {self.spm_model_type!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"--precision must be one of {', '.join(PRECISIONS)}, "
                             f"not {self.precision!r}")
        if self.device not in ("auto", "cpu", "gpu"):
            raise ValueError(f"--device must be auto, cpu or gpu, not {self.device!r}")
        if self.input_feeding and not self.attention:
            raise ValueError("--input-feeding feeds the attention back: it needs --attention")
        if self.epochs is None and not self.resume:
            raise ValueError("--epochs must be given, except with --resume")
        for name in ("embedding_dim", "units", "layers", "epochs", "batch_size"):
            if getattr(self, name) is not None and getattr(self, name) < 1:  # epochs: None
                raise ValueError(f"--{name.replace('_', '-')} must be at least 1")
        for name, most in UPPER_BOUNDS.items():
            if (getattr(self, name) or 0) > most:
                raise ValueError(f"--{name.replace('_', '-')} must be at most {most:,}, not "
                                 f"{getattr(self, name):,}")
        for name in ("dropout", "token_dropout", "label_smoothing"):
            if not 0.0 <= getattr(self, name) < 1.0:
                raise ValueError(f"--{name.replace('_', '-')} must be in [0, 1)")
        if self.bidirectional and self.units % 2:
            raise ValueError("--units must be even with --bidirectional (split over 2 directions)")
        if self.data is not None and not self.data_files():
            raise ValueError("--data: give at least one corpus file")
        if self.batch_tokens is not None and self.batch_tokens < 2:
            raise ValueError("--batch-tokens must be at least 2 (one source and one target "
                             "character)")
        if self.time_budget is not None and self.time_budget <= 0:
            raise ValueError("--time-budget must be a positive number of minutes")
        if self.keep_epochs < 0:
            raise ValueError("--keep-epochs must be 0 or more")
        if self.max_length is not None and self.max_length < 1:
            raise ValueError("--max-length must be at least 1")

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def from_dict(cls, data) -> TrainConfig:
        """A validated config from parsed JSON; a ValueError names the first bad field.

        Keys this version does not know are ignored (bundles of newer versions still load);
        missing keys take their defaults (bundles of older versions still load).
        """
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object of settings, got {type(data).__name__}")
        hints = typing.get_type_hints(cls)
        values = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value, allowed = data[f.name], typing.get_args(hints[f.name]) or (hints[f.name],)
            if not any(_json_is(value, kind) for kind in allowed):
                expected = " or ".join(_describe(k) for k in allowed)
                raise ValueError(f"field {f.name!r} must be {expected}, not {value!r}")
            values[f.name] = value
        config = cls(**values)
        config.validate()
        return config

    @classmethod
    def load(cls, path: str | Path) -> TrainConfig:
        return cls.from_dict(json.loads(Path(path).read_text()))


def _describe(kind) -> str:
    if kind is type(None):
        return "null"
    if typing.get_origin(kind) is list:
        return "a list of strings"
    return _JSON_TYPES[kind]


def _json_is(value, kind) -> bool:
    """Whether a parsed JSON value is of the annotated ``kind`` (an int counts as a float)."""
    if typing.get_origin(kind) is list:  # list[str], the only list a config holds
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind is type(None):
        return value is None
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)
