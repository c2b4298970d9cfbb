"""Fixtures shared by all tests: isolated settings, a copy of the sample corpus, servers, and the
fakes that stand in for the LLM (``llm``, ``broken_llm``, ``assistant``, the ``ollama`` stand-in).

Every test gets its own data_dir; the environment's NEWSBOT_* variables and any .env file are
ignored, so a developer's configuration never leaks into a test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import REPO_ROOT, Settings
from tests.helpers.fakes import BrokenLLM, ScriptedChatModel, scripted_llm

SAMPLE_DIR = REPO_ROOT / "data" / "articles"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("NEWSBOT_") or name.startswith("TELEGRAM_"):
            monkeypatch.delenv(name)


def make_settings(data_dir: Path, **overrides) -> Settings:
    values = {"data_dir": data_dir, "embedding_model": "hash-256", "articles_dir": data_dir / "articles"}
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Fast settings: embedded Chroma in a temp dir, the hashing embedder."""
    return make_settings(tmp_path / "store")


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the sample articles."""
    dest = tmp_path / "articles"
    shutil.copytree(SAMPLE_DIR, dest)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout} s")


class ChromaServer:
    """A real `chroma run` on a loopback port, stoppable and restartable on the same data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = path.parent / "chroma-server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        chroma = VENV_BIN / "chroma"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def chroma_server(tmp_path):
    server = ChromaServer(tmp_path / "chroma-server-data")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def indexed(tmp_path, corpus):
    """Settings for a store holding the sample corpus (hashing embedder: fast, no model)."""
    from index import Indexer

    s = make_settings(tmp_path / "store", condense_with_llm=False, refusal_min_similarity=0.0)
    Indexer(s).run([str(corpus)])
    return s


@pytest.fixture(scope="session")
def minilm_store(tmp_path_factory):
    """A store of the sample corpus embedded with the real packaged MiniLM (built once per session)."""
    from index import Indexer

    s = make_settings(tmp_path_factory.mktemp("minilm") / "store", embedding_model="all-MiniLM-L6-v2",
                      articles_dir=SAMPLE_DIR)
    Indexer(s).run([str(SAMPLE_DIR)])
    return s


@pytest.fixture
def llm() -> ScriptedChatModel:
    """The scripted chat model: queue its replies with ``llm.script("...")``; ``llm.prompts`` records
    what it was sent (empty when the LLM was never reached)."""
    return scripted_llm()


@pytest.fixture
def broken_llm() -> BrokenLLM:
    """A chat model whose backend has gone away: every call raises a connection error."""
    return BrokenLLM(responses=[])


@pytest.fixture
def assistant(indexed, llm):
    """An assistant over the indexed sample corpus that answers with the scripted ``llm``."""
    from rag import Assistant

    return Assistant(indexed, llm=llm)


@pytest.fixture
def ollama():
    """The loopback stand-in for Ollama's HTTP API (set ``replies``; read ``requests``)."""
    from standins.ollama_api import OllamaStandIn

    with OllamaStandIn() as server:
        yield server
