"""The main job's entry points: `newsbot run` falls back to the terminal chat; `newsbot bot` needs a token."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import SAMPLE_DIR, VENV_BIN


def test_bot_without_token_is_one_clear_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    r = subprocess.run([str(VENV_BIN / "newsbot"), "bot"], env={**env, "NEWSBOT_DATA_DIR": str(tmp_path)},
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 1 and "TELEGRAM_BOT_TOKEN is not set" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_run_without_token_indexes_then_opens_the_terminal_chat(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(NEWSBOT_DATA_DIR=str(tmp_path / "store"), NEWSBOT_ARTICLES_DIR=str(SAMPLE_DIR))
    r = subprocess.run([str(VENV_BIN / "newsbot"), "run"], env=env, input="Who won the 2022 FIFA World Cup?\n/quit\n",
                       capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "5 added" in r.stdout and "opening the terminal chat" in r.stdout
    assert "do not say" in r.stdout
