"""Shared test fixtures (a tiny parallel corpus in a temporary directory) and xdist ordering."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One of several worker processes: one thread per TensorFlow op, here and in the CLI
    # processes the tests start, instead of a pool as wide as the machine in every process.
    # It no longer measures faster: 268 s with this, 265 s without (idle 2-core machine). The
    # 313 s against 349 s that first justified it came from tf.data's epoch-end stalls, since
    # fixed (see bench/README.md); kept so two workers never oversubscribe CI's 2 cores.
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "tatoeba-en-pt"

TINY_PAIRS = [
    ("Hello.", "Olá."),
    ("Thank you.", "Obrigado."),
    ("Good night.", "Boa noite."),
    ("I am tired.", "Estou cansado."),
    ("I love you.", "Eu te amo."),
    ("Where is it?", "Onde está?"),
    ("Come here.", "Venha aqui."),
    ("It is cold.", "Está frio."),
    ("I am hungry.", "Estou com fome."),
    ("See you later.", "Até mais tarde."),
    ("Good morning.", "Bom dia."),
    ("How are you?", "Como vai você?"),
    ("I know.", "Eu sei."),
    ("Help me.", "Me ajude."),
    ("Wait a minute.", "Espere um minuto."),
    ("We are late.", "Estamos atrasados."),
    ("It is raining.", "Está chovendo."),
    ("Open the door.", "Abra a porta."),
    ("I like tea.", "Eu gosto de chá."),
    ("Call me.", "Me ligue."),
]


def write_tsv(path: Path, pairs) -> Path:
    path.write_text("".join(f"{en}\t{pt}\n" for en, pt in pairs), encoding="utf-8")
    return path


@pytest.fixture
def tiny_tsv(tmp_path) -> Path:
    return write_tsv(tmp_path / "tiny.tsv", TINY_PAIRS)


# Modules of long tests (README commands, trainings, the notebook), handed out first under xdist
# so that the two workers end together rather than one running a long test alone at the end.
SLOW_MODULES_FIRST = ("test_readme.py", "test_training.py", "test_notebook.py")


def pytest_collection_modifyitems(config, items):
    """Under xdist: long modules first, the same order on every worker (xdist checks that);
    within a module the order is unchanged."""
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers only
        return
    slow = {name: rank for rank, name in enumerate(SLOW_MODULES_FIRST)}
    items.sort(key=lambda item: slow.get(item.path.name, len(slow)))  # stable


def shared_file(name: str) -> Path:
    """A file of the shared Tatoeba data, or a skip saying why it is missing."""
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.skip(f"shared Tatoeba data not found at {path} (it sits beside the repo, not in it)")
    return path
