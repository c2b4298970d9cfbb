"""`newsbot ask` and `newsbot chat` as people and outside checks use them (embedded defaults)."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from tests.conftest import VENV_BIN

pytestmark = pytest.mark.slow


def newsbot(settings, *args, stdin=None):
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(settings.data_dir)}
    return subprocess.run([str(VENV_BIN / "newsbot"), *args], env=env, input=stdin, capture_output=True, text=True, timeout=600)


def test_ask_json(minilm_store):
    r = newsbot(minilm_store, "ask", "How many Russian diplomats did a US congressional proposal want to expel?", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"answer", "refused", "citations", "timings"} <= set(data)
    assert data["refused"] is False and "300" in data["answer"]
    assert set(data["citations"][0]) >= {"n", "title", "outlet", "date", "url", "quote"}
    assert data["timings"]["total"] > 0


def test_ask_prints_answer_and_sources(minilm_store):
    r = newsbot(minilm_store, "ask", "Who won the 2022 FIFA World Cup?")
    assert r.returncode == 0 and "do not say" in r.stdout


def test_chat_conversation(minilm_store):
    script = ("Who was appointed Russia's new ambassador to the United States?\n"
              "Where were the consultations held?\n/sources\n/reset\n/quit\n")
    r = newsbot(minilm_store, "chat", stdin=script)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Darchiyev" in out and "Istanbul" in out
    assert re.search(r"30 March 2021 +Vedomosti: Russia, US unlikely to reboot dialogue — TASS", out)
    assert re.search(r"not before 2022 +Russia mending diplomatic relations", out)  # an estimate, never exact
    assert "Conversation cleared." in out and "Traceback" not in r.stderr


def test_llm_unavailable_is_one_clear_line(minilm_store):
    env_settings = minilm_store.model_copy()
    r = subprocess.run([str(VENV_BIN / "newsbot"), "ask", "Who is Russia's ambassador to the United States?"],
                       env={**os.environ, "NEWSBOT_DATA_DIR": str(env_settings.data_dir), "NEWSBOT_LLM": "ollama",
                            "NEWSBOT_OLLAMA_BASE_URL": "http://127.0.0.1:9"}, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "ollama serve" in r.stderr and "Traceback" not in r.stderr
