"""`newsbot digest`: what was added lately, by story, as text or JSON, from the command line."""

from __future__ import annotations

import json
import os
import subprocess

from index import Indexer
from tests.conftest import VENV_BIN, make_settings


def newsbot(data_dir, *args):
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(data_dir), "NEWSBOT_EMBEDDING_MODEL": "hash-256"}
    return subprocess.run([str(VENV_BIN / "newsbot"), *args], env=env, capture_output=True, text=True, timeout=600)


def test_digest_prints_the_stories_added_in_the_window(tmp_path, corpus):
    Indexer(make_settings(tmp_path / "store")).run([str(corpus)])
    r = newsbot(tmp_path / "store", "digest", "--since", "24h", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["since"] == "24h" and data["articles"] == 5
    for story in data["stories"]:
        assert story["citation"]["quote"] == story["sentence"] and story["articles"][0]["title"] == story["citation"]["title"]
    text = newsbot(tmp_path / "store", "digest")
    assert text.returncode == 0 and text.stdout.startswith("5 articles added in the last 24h, ")
    assert "   [1] https://sputniknews.com/" in text.stdout


def test_a_bad_span_is_one_clear_line_and_exit_2(tmp_path):
    r = newsbot(tmp_path / "store", "digest", "--since", "yesterday")
    assert r.returncode == 2 and r.stderr.strip().startswith("error: Cannot read 'yesterday' as a time span")
    empty = newsbot(tmp_path / "store", "digest", "--since", "7d")
    assert empty.returncode == 0 and empty.stdout.strip() == "Nothing was added in the last 7d."
