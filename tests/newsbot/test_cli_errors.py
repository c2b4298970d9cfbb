"""Every command, on what people get wrong or what is down, says what happened and what to do, in a
line or two on stderr, with a non-zero exit code and no traceback (``newsbot --debug`` shows it).

Each case runs the real `newsbot` console script on a store of the sample articles embedded with the
fast hashing embedder (hash-256), with one setting broken.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess

import pytest

from core.settings import REPO_ROOT
from tests.conftest import SAMPLE_DIR, VENV_BIN, make_settings

QUESTION = "Who was appointed Russia's new ambassador to the United States?"
DOWN = "http://127.0.0.1:9"  # nothing listens on the discard port: connections are refused at once


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from index import Indexer

    s = make_settings(tmp_path_factory.mktemp("errors") / "store")
    Indexer(s).run([str(SAMPLE_DIR)])
    return s.data_dir


@pytest.fixture(scope="module")
def prompts_without_answer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("prompts")
    for path in (REPO_ROOT / "prompts").glob("*.txt"):
        if path.name != "answer.txt":
            shutil.copy(path, folder / path.name)
    return folder


def newsbot(cwd, *args, stdin="", **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    return subprocess.run([str(VENV_BIN / "newsbot"), *args], env={**base, "NEWSBOT_EMBEDDING_MODEL": "hash-256", **env},
                          input=stdin, capture_output=True, text=True, timeout=120, cwd=cwd)


# (failure, settings, phrase stderr must hold); "{store}", "{empty}", "{prompts}" are filled in per test
FAILURES = {
    "no-model": ({"NEWSBOT_EMBEDDING_MODEL": "/nonexistent"}, "Set NEWSBOT_EMBEDDING_MODEL"),
    "other-model": ({"NEWSBOT_EMBEDDING_MODEL": "hash-64"}, "hash-64 (64 dimensions). Run `newsbot index --rebuild`"),
    "no-index": ({"NEWSBOT_DATA_DIR": "{empty}"}, "run `newsbot index PATH` first"),
    "no-prompts": ({"NEWSBOT_PROMPTS_DIR": "/nonexistent"}, "set NEWSBOT_PROMPTS_DIR"),
    "no-answer-prompt": ({"NEWSBOT_PROMPTS_DIR": "{prompts}"}, "answer.txt"),
    "ollama-down": ({"NEWSBOT_LLM": "ollama", "NEWSBOT_OLLAMA_BASE_URL": DOWN}, "start it with `ollama serve`"),
    "chroma-down": ({"NEWSBOT_CHROMA_URL": DOWN}, "start it with `chroma run"),
    "telegram-down": ({"TELEGRAM_API_BASE_URL": f"{DOWN}/bot"}, "check the network, or TELEGRAM_API_BASE_URL"),
}

COMMANDS = {
    "index": ["index"],
    "ask": ["ask", QUESTION],
    "chat": ["chat"],
    "eval": ["eval", "--ids", "q01"],
    "bench": ["bench", "--quick"],
    "bot": ["bot"],
    "run": ["run"],
}

CASES = [
    ("index", "no-model"), ("index", "other-model"), ("index", "chroma-down"),
    ("ask", "no-model"), ("ask", "other-model"), ("ask", "no-index"), ("ask", "no-prompts"), ("ask", "no-answer-prompt"),
    ("ask", "ollama-down"), ("ask", "chroma-down"),
    ("chat", "no-model"), ("chat", "other-model"), ("chat", "no-index"), ("chat", "no-prompts"), ("chat", "chroma-down"),
    ("eval", "no-model"), ("eval", "other-model"), ("eval", "no-index"), ("eval", "no-prompts"), ("eval", "ollama-down"),
    ("eval", "chroma-down"),
    ("bench", "no-model"), ("bench", "no-prompts"), ("bench", "ollama-down"), ("bench", "chroma-down"),
    ("bot", "no-model"), ("bot", "other-model"), ("bot", "no-prompts"), ("bot", "chroma-down"), ("bot", "telegram-down"),
    ("run", "other-model"), ("run", "no-prompts"),
]


@pytest.mark.parametrize(("command", "failure"), CASES, ids=[f"{c}-{f}" for c, f in CASES])
def test_failure_is_a_line_that_says_what_to_do(command, failure, store, prompts_without_answer, tmp_path):
    settings, phrase = FAILURES[failure]
    fill = {"store": str(store), "empty": str(tmp_path / "empty"), "prompts": str(prompts_without_answer)}
    env = {"NEWSBOT_DATA_DIR": str(store), "NEWSBOT_ARTICLES_DIR": str(SAMPLE_DIR), **{k: v.format(**fill) for k, v in settings.items()}}
    if (command, failure) == ("index", "chroma-down"):
        env["NEWSBOT_DATA_DIR"] = str(tmp_path / "fresh")  # a run with nothing to write never opens Chroma
    if command == "bot":
        env["TELEGRAM_BOT_TOKEN"] = "123456:not-a-real-token"
    r = newsbot(tmp_path, *COMMANDS[command], **env)
    assert r.returncode != 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    assert phrase in r.stderr, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and len(r.stderr.strip().splitlines()) <= 2 + (command == "run"), r.stderr
    assert "not-a-real-token" not in r.stderr + r.stdout


def test_chat_goes_on_after_the_llm_fails_on_a_question(store, tmp_path):
    script = f"{QUESTION}\n{QUESTION}\n/quit\n"
    r = newsbot(tmp_path, "chat", stdin=script, NEWSBOT_DATA_DIR=str(store), NEWSBOT_LLM="ollama", NEWSBOT_OLLAMA_BASE_URL=DOWN)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stdout.count("Sorry, I cannot answer right now: Ollama is not reachable") == 2


def test_debug_shows_the_traceback(store, tmp_path):
    r = newsbot(tmp_path, "--debug", "ask", QUESTION, NEWSBOT_DATA_DIR=str(store), NEWSBOT_EMBEDDING_MODEL="/nonexistent")
    assert r.returncode != 0 and "Traceback" in r.stderr and "EmbeddingModelError" in r.stderr


def test_every_mapped_error_exists():
    from newsbot.cli import USER_ERRORS

    for module, name, _ in USER_ERRORS:
        assert issubclass(getattr(importlib.import_module(module), name), Exception), f"{module}.{name}"
