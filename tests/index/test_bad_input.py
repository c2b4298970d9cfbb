"""Bad input never crashes a run and never vanishes silently: each kind is reported as skipped."""

from __future__ import annotations

import builtins
import os

import pytest

from index import Indexer
from index.reader import IndexReader
from tests.conftest import make_settings
from tests.helpers.invariants import check_index

GOOD = "A headline about the embassy\n\nThe embassy in Moscow reopened its consular section on Monday, officials said.\n"


@pytest.fixture
def messy(tmp_path):
    d = tmp_path / "messy"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.md").write_text("   \n\n\t\n")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    (d / "nul in text.txt").write_bytes(b"Some text\x00with a NUL byte in the middle of it.")
    (d / "garbage.txt").write_bytes(bytes(range(1, 32)) * 100)
    (d / "big.txt").write_text(GOOD * 20000)
    (d / "slides.pdf").write_bytes(b"%PDF-1.4 not for us")
    (d / "slides.pptx").write_bytes(b"PK\x03\x04 not for us")
    (d / "folder.txt").mkdir()
    (d / "folder.txt" / "inner.md").write_text("# Inner headline here\n\nThe inner article talks about the consulate in Yekaterinburg reopening soon.\n")
    os.symlink(d / "missing-target.txt", d / "dangling.txt")
    (d / "menus.html").write_text("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>")
    (d / "unreadable.txt").write_text(GOOD.replace("Monday", "Tuesday"))
    (d / "naïve – name with spaces.txt").write_text(GOOD.replace("Monday", "Wednesday"))
    (d / "new\nline.txt").write_text(GOOD.replace("Monday", "Thursday"))
    os.mkfifo(d / "pipe.txt")
    return d


def test_every_bad_kind_is_reported(tmp_path, messy, monkeypatch):
    settings = make_settings(tmp_path / "store", max_file_mb=0.5)
    real_open = builtins.open

    def open_denying(path, *args, **kwargs):  # root reads chmod-000 files, so deny one explicitly
        if str(path).endswith("unreadable.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_denying)
    report = Indexer(settings).run([str(messy)])
    reasons = {os.path.basename(s.path): s.reason for s in report.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.md"].startswith("empty file")
    assert "binary" in reasons["binary.txt"]
    assert "binary" in reasons["nul in text.txt"]
    assert "not text" in reasons["garbage.txt"] or "undecodable" in reasons["garbage.txt"]
    assert reasons["big.txt"].startswith("too large") and "NEWSBOT_MAX_FILE_MB" in reasons["big.txt"]
    assert reasons["slides.pdf"].startswith("not a readable PDF")
    assert "unsupported file type '.pptx'" in reasons["slides.pptx"] and ".pdf" in reasons["slides.pptx"]
    assert reasons["dangling.txt"] == "dangling symlink"
    assert "no article text" in reasons["menus.html"]
    assert reasons["unreadable.txt"].startswith("unreadable")
    assert reasons["pipe.txt"] == "not a regular file"
    # indexed: the good file, the file inside the folder named like a file, the odd names
    assert report.added == 4, reasons
    assert len(report.skipped) == 12
    titles = sorted(s["path"].rsplit("/", 1)[-1] for s in IndexReader(settings).sources())
    assert titles == sorted(["good.txt", "inner.md", "naïve – name with spaces.txt", "new\nline.txt"])
    check_index(settings)


def test_a_folder_of_only_bad_files_leaves_an_empty_usable_index(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "x.txt").write_bytes(b"")
    settings = make_settings(tmp_path / "store")
    report = Indexer(settings).run([str(d)])
    assert (report.added, report.articles, len(report.skipped)) == (0, 0, 1)
    check_index(settings)


def test_a_file_that_turns_bad_keeps_its_previous_version(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    f = d / "a.txt"
    f.write_text(GOOD)
    settings = make_settings(tmp_path / "store")
    Indexer(settings).run([str(d)])
    f.write_bytes(b"\x00\x01binary now")
    report = Indexer(settings).run([str(d)])
    assert [s.reason for s in report.skipped] == ["binary file (contains NUL bytes)"]
    assert (report.removed, report.articles) == (0, 1)
