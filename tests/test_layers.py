"""The floors hold: no import points up (core → index → rag → front ends and benchmarks), front ends
do not import each other, read the index only through ``rag``, and tests and benchmarks stay apart.

The rules are import-linter contracts in pyproject.toml (``[tool.importlinter]``), checked with its
own command. Imports inside functions count. The second test plants one forbidden import per
contract in a copy of the code and checks that the contract breaks, so a contract that silently
stopped matching anything (a renamed package, a typo) fails here instead of passing forever.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from core.settings import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def config() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def lint(root: Path, *contracts: str) -> subprocess.CompletedProcess:
    """``lint-imports`` over the packages under ``root`` (only ``contracts``, if named)."""
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo", *(a for c in contracts for a in ("--contract", c))]
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "200"}  # the copy, not the checkout; unwrapped lines
    return subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_every_package_is_under_the_contracts():
    """A new top-level package must be placed on a floor (added to root_packages and a contract)."""
    on_disk = {p.parent.name for p in REPO_ROOT.glob("*/__init__.py")}
    assert on_disk == set(config()["root_packages"])
    shipped = set(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    assert {p.split(".")[0] for p in shipped} == on_disk - {"tests"}


def test_the_floors_hold():
    out = lint(REPO_ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{len(config()['contracts'])} kept, 0 broken" in out.stdout


# (contract, file, import planted inside a function, the import the report must name)
PLANTED = [
    ("floors", "core/settings.py", "from index import Indexer", "core.settings -> index"),
    ("floors", "index/reader.py", "from rag import ask", "index.reader -> rag"),
    ("floors", "rag/retrieval.py", "from bot import render", "rag.retrieval -> bot"),
    ("front-ends", "bot/handlers.py", "from newsbot.chat import run_chat", "bot.handlers -> newsbot.chat"),
    ("front-ends", "newsbot/evaluation/runner.py", "from bot.render import escape", "newsbot.evaluation.runner -> bot.render"),
    ("cli-on-top", "bot/app.py", "from newsbot.cli import main", "bot.app -> newsbot.cli"),
    ("benchmarks-on-top", "newsbot/chat.py", "from benchmarks.retrieval import score", "newsbot.chat -> benchmarks.retrieval"),
    ("read-through-rag", "bot/handlers.py", "from index.dates import describe_span", "bot.handlers -> index.dates"),
    ("read-through-rag", "newsbot/chat.py", "from index import Indexer", "newsbot.chat -> index"),
    ("tests-not-benchmarks", "tests/bot/test_bot.py", "from benchmarks.soak import soak", "tests.bot.test_bot -> benchmarks.soak"),
    ("benchmarks-not-tests", "benchmarks/soak.py", "from tests.helpers.fakes import scripted_llm",
     "benchmarks.soak -> tests.helpers.fakes"),
    ("no-test-support-in-the-product", "bot/app.py", "from standins.botapi import BotApiStandIn", "bot.app -> standins.botapi"),
]


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory) -> Path:
    """The packages and pyproject.toml, copied once; each planting test restores the file it changes."""
    root = tmp_path_factory.mktemp("floors")
    shutil.copy(REPO_ROOT / "pyproject.toml", root)
    for package in config()["root_packages"]:
        shutil.copytree(REPO_ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_copy_holds_before_planting(code_copy):
    out = lint(code_copy)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("contract, file, statement, reported", PLANTED, ids=[f"{p[0]}:{p[1]}" for p in PLANTED])
def test_an_import_that_breaks_a_rule_is_caught(code_copy, contract, file, statement, reported):
    path = code_copy / file
    original = path.read_text()
    path.write_text(original + f"\n\ndef _planted():\n    {statement}\n")
    try:
        out = lint(code_copy, contract)
    finally:
        path.write_text(original)
    assert out.returncode != 0, out.stdout
    assert "BROKEN" in out.stdout and reported in out.stdout, out.stdout
