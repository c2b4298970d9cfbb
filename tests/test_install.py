"""`pip install .` works outside the checkout: the wheel carries the prompts and the sample articles,
and an installed newsbot keeps its state in the per-user data directory.

The wheel is built from a copy of the checkout (so the build leaves nothing in it) and installed
into a fresh virtual environment; the dependencies already installed for the tests are made
visible through a ``.pth`` file instead of being downloaded. The commands then run from an empty
directory with ``HOME`` in tmp, no ``PYTHONPATH`` and no ``NEWSBOT_*`` variables: nothing points
at the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from core.settings import REPO_ROOT

pytestmark = pytest.mark.slow

QUESTION = "Who is Russia's ambassador to the United States?"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A fresh venv with the newsbot wheel, an empty working directory and a HOME, all in tmp."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    shutil.copytree(REPO_ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".newsbot*", "build", "*.egg-info", "__pycache__", ".pytest_cache", "reports", ".env"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-w", str(tmp / "dist"), str(src)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp / "dist").glob("newsbot-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # Install before the shared packages become visible: pip would otherwise see the checkout's own
    # (editable) newsbot among them and try to uninstall it.
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    str(wheel)], check=True, capture_output=True, timeout=300)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    shared = {sysconfig.get_path(k, vars={"base": sys.prefix, "platbase": sys.prefix}) for k in ("purelib", "platlib")}
    (Path(site) / "newsbot-test-deps.pth").write_text("".join(f"{p}\n" for p in sorted(shared)))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEWSBOT_", "TELEGRAM_", "XDG_", "PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = str(tmp / "home")
    (tmp / "home").mkdir()
    (tmp / "empty").mkdir()
    return {"venv": venv, "site": Path(site), "env": env, "cwd": tmp / "empty", "home": tmp / "home"}


def newsbot(installed: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed["venv"] / "bin" / "newsbot"), *args], env=installed["env"], cwd=installed["cwd"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)


def checkout_state() -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in (REPO_ROOT / ".newsbot").rglob("*")}


def test_the_installed_code_and_prompts_come_from_the_wheel(installed):
    probe = ("import json, newsbot, rag; from core.settings import load_settings; s = load_settings(); "
             "from bot import i18n; i18n.use('ru'); "
             "print(json.dumps([newsbot.__file__, rag.__file__, str(s.prompts_dir), str(s.articles_dir), str(s.data_dir), "
             "i18n.languages(), i18n._('Quotes')]))")
    r = subprocess.run([str(installed["venv"] / "bin" / "python"), "-c", probe], env=installed["env"], cwd=installed["cwd"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    *paths, languages, quotes = json.loads(r.stdout)
    newsbot_file, rag_file, prompts, articles, data = map(Path, paths)
    assert (languages, quotes) == (["ru"], "Цитаты")  # the compiled catalogue ships in the wheel
    site = installed["site"]
    assert newsbot_file.is_relative_to(site) and rag_file.is_relative_to(site)
    assert prompts == site / "newsbot" / "prompts" and sorted(p.name for p in prompts.glob("*.txt")) == [
        "answer.txt", "condense.txt", "refusal.txt", "source.txt", "system.txt"]
    assert articles == site / "newsbot" / "sample_articles" and len(list(articles.glob("*.txt"))) == 5
    assert data == installed["home"] / ".local" / "share" / "newsbot"


def test_run_then_ask_from_an_empty_directory(installed):
    before = checkout_state()
    run = newsbot(installed, "run")  # stdin closed: the terminal chat ends at once
    assert run.returncode == 0, run.stderr
    assert "5 added" in run.stdout and "opening the terminal chat" in run.stdout

    sources = newsbot(installed, "sources", "--json")
    assert sources.returncode == 0, sources.stderr
    paths = [Path(s["path"]) for s in json.loads(sources.stdout)]
    assert len(paths) == 5 and all(p.is_relative_to(installed["site"] / "newsbot" / "sample_articles") for p in paths)

    ask = newsbot(installed, "ask", QUESTION, "--json")
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert not answer["refused"] and answer["citations"] and "[1]" in answer["answer"]
    assert any(name in answer["answer"] for name in ("Darchiyev", "Antonov")), answer["answer"]

    state = installed["home"] / ".local" / "share" / "newsbot"
    assert (state / "index" / "CURRENT").is_file() and (state / "chroma").is_dir()
    assert not any(installed["cwd"].iterdir())  # nothing written where newsbot was started
    assert checkout_state() == before  # nor into the checkout's .newsbot/
