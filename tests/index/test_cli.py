"""The `newsbot` command as outside checks use it, with the real packaged embedding model."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from index.layout import Layout
from tests.conftest import SAMPLE_DIR, VENV_BIN, make_settings
from tests.helpers.invariants import check_index


def newsbot(data_dir, *args, **env):
    full_env = {**os.environ, "NEWSBOT_DATA_DIR": str(data_dir), **env}
    return subprocess.run([str(VENV_BIN / "newsbot"), *args], env=full_env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_index_sample_with_real_model(tmp_path):
    data = tmp_path / "store"
    first = newsbot(data, "index", str(SAMPLE_DIR), "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert {k: report[k] for k in ("added", "updated", "unchanged", "removed", "duplicates", "articles")} == {
        "added": 5, "updated": 0, "unchanged": 0, "removed": 0, "duplicates": 0, "articles": 5}
    assert report["skipped"] == [] and report["chunks"] > 5
    second = json.loads(newsbot(data, "index", str(SAMPLE_DIR), "--json").stdout)
    assert (second["added"], second["updated"], second["unchanged"]) == (0, 0, 5)

    sources = json.loads(newsbot(data, "sources", "--json").stdout)
    assert len(sources) == 5
    assert set(sources[0]) == {"id", "title", "outlet", "date", "date_source", "date_updated", "url", "path", "chunks"}
    exact = sorted(s["date"] for s in sources if s["date"] and s["date_source"] != "estimate")
    assert exact == ["2021-03-30", "2021-10-12", "2022-11-28"]
    # article 004 names no date but mentions 2022: a lower bound, never an exact date; CNN names no year
    assert sorted((s["date"], s["date_source"]) for s in sources if s["date_source"] == "estimate") == [
        ("2022-01-01", "estimate")]
    assert sum(1 for s in sources if not s["date"]) == 1
    assert "Biden hopes for return of Russian and US ambassadors" in {s["title"].removeprefix("CNN: ") for s in sources}
    settings = make_settings(data, embedding_model="all-MiniLM-L6-v2")
    check_index(settings)
    # the collection records the model and its dimension
    from index.store import make_client

    meta = make_client(None, data).get_collection(Layout(data, "newsbot").current().collection).metadata
    assert meta["embedding_model"] == "sentence-transformers/all-MiniLM-L6-v2" and meta["embedding_dim"] == 384

    human = newsbot(data, "sources")
    assert "30 March 2021 (dateline)" in human.stdout
    assert "Vedomosti: Russia, US unlikely to reboot dialogue — TASS  (8 chunks)" in human.stdout
    assert "not before 2022 (estimate)" in human.stdout

    mismatch = newsbot(data, "index", str(SAMPLE_DIR), NEWSBOT_EMBEDDING_MODEL="hash-64")
    assert mismatch.returncode == 1
    assert "newsbot index --rebuild" in mismatch.stderr and "Traceback" not in mismatch.stderr


def test_missing_path_is_exit_2_with_one_line(tmp_path):
    r = newsbot(tmp_path / "store", "index", str(tmp_path / "no-such-folder"), NEWSBOT_EMBEDDING_MODEL="hash-64")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"error: path does not exist: {tmp_path / 'no-such-folder'}"]


def test_busy_store_is_exit_3(tmp_path):
    lock = Layout(tmp_path / "store", "newsbot").lock(0)
    try:
        r = newsbot(tmp_path / "store", "index", str(SAMPLE_DIR), NEWSBOT_EMBEDDING_MODEL="hash-64")
    finally:
        lock.release()
    assert r.returncode == 3 and "Another `newsbot index` run" in r.stderr


def test_bad_setting_is_one_clear_line(tmp_path):
    r = newsbot(tmp_path / "store", "index", str(SAMPLE_DIR), NEWSBOT_CHUNK_SIZE="tiny")
    assert r.returncode == 1 and "chunk_size" in r.stderr and "Traceback" not in r.stderr


def test_empty_index_says_how_to_fill_it(tmp_path):
    r = newsbot(tmp_path / "store", "sources")
    assert r.returncode == 0 and "newsbot index" in r.stdout
    assert newsbot(tmp_path / "store", "sources", "--json").stdout.strip() == "[]"


@pytest.mark.parametrize("command", [[], ["index"], ["sources"], ["digest"], ["run"], ["ask"], ["chat"], ["bot"], ["eval"],
                                     ["bench"], ["feeds"], ["feeds", "add"], ["feeds", "list"], ["feeds", "remove"], ["refresh"]])
def test_every_command_has_help(command):
    r = subprocess.run([str(VENV_BIN / "newsbot"), *command, "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "Usage:" in r.stdout
