"""Nothing happens at import time: no model loads, no project file, setting or env read, no sockets.

Every module of the packages is imported on its own, in a fresh interpreter that watches ``open``,
``os.environ`` and ``socket`` from before the import.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

from core.settings import REPO_ROOT

PACKAGES = ("core", "index", "rag", "bot", "newsbot", "benchmarks", "standins")  # newsbot.evaluation is walked as part of newsbot
MODELS = ("torch", "sentence_transformers", "transformers", "llama_cpp")

PROBE = r"""
import builtins, io, json, os, pathlib, socket, sys

repo, module = sys.argv[1], sys.argv[2]
data_dir = "/nonexistent/should-not-be-created"
found = {"opened": [], "env": [], "network": []}


def project_file(file):
    # the project's data, prompts, docs, state and settings (package metadata and code are fine)
    if isinstance(file, int):
        return False
    path = os.path.abspath(os.fsdecode(file))
    folders = [os.path.join(repo, name) + os.sep for name in ("data", "prompts", "docs", ".newsbot")] + [data_dir]
    return path.startswith(tuple(folders)) or path == os.path.join(repo, ".env")


real_open = io.open
def watched_open(file, *args, **kwargs):
    if project_file(file):
        found["opened"].append(os.fsdecode(file))
    return real_open(file, *args, **kwargs)
builtins.open = io.open = watched_open
for name in ("read_text", "read_bytes"):
    real = getattr(pathlib.Path, name)
    def watched_read(self, *args, _real=real, **kwargs):
        if project_file(self):
            found["opened"].append(str(self))
        return _real(self, *args, **kwargs)
    setattr(pathlib.Path, name, watched_read)


class Watch(dict):
    def _seen(self, key):
        if isinstance(key, str) and key.startswith(("NEWSBOT_", "TELEGRAM_")):
            found["env"].append(key)
    def __getitem__(self, key):
        self._seen(key); return super().__getitem__(key)
    def __contains__(self, key):
        self._seen(key); return super().__contains__(key)
    def get(self, key, default=None):
        self._seen(key); return super().get(key, default)
os.environ["NEWSBOT_DATA_DIR"] = data_dir
os.environ = Watch(os.environ)  # os.getenv reads os.environ


def no_network(*args, **kwargs):
    found["network"].append(repr(args[1:] or args)[:100])
    raise ConnectionRefusedError("network at import time")
socket.socket.connect = socket.socket.connect_ex = no_network
socket.create_connection = no_network

__import__(module)
found["models"] = [m for m in %s if m in sys.modules]
found["telegram"] = "telegram" in sys.modules
found["data_dir_created"] = os.path.exists("/nonexistent")
print(json.dumps({k: sorted(set(v)) if isinstance(v, list) else v for k, v in found.items()}))
""" % (MODELS,)


def modules() -> list[str]:
    names = []
    for package in PACKAGES:
        names.append(package)
        names += [m.name for m in pkgutil.walk_packages([str(REPO_ROOT / package)], prefix=f"{package}.")]
    return sorted(names)


def test_every_package_is_walked():
    found = modules()
    assert {"core.settings", "core.log", "newsbot.evaluation.runner", "newsbot.evaluation.verifier_set", "benchmarks.bench",
            "benchmarks.verifier", "bot.app", "index.pipeline", "rag.assistant", "standins.botapi", "standins.ollama_api"} <= set(found)


@pytest.mark.parametrize("module", modules())
def test_importing_has_no_side_effects(module):
    out = subprocess.run([sys.executable, "-c", PROBE, str(REPO_ROOT), module], capture_output=True, text=True,
                         cwd=REPO_ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.strip().splitlines()[-1])
    if module.startswith(("bot.", "benchmarks.")):  # elsewhere (the CLI, rag) nobody pays for the Telegram library
        found["telegram"] = False
    problems = {what: found[what] for what in ("models", "opened", "env", "network", "data_dir_created", "telegram")
                if found[what]}
    assert not problems, f"importing {module}: {problems}"
