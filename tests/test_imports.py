"""Nothing happens at import time: no model loads, no settings or env reads, no sockets."""

from __future__ import annotations

import subprocess
import sys

PROBE = r"""
import os, socket, sys

class Watch(dict):
    seen = []
    def __getitem__(self, k):
        self.seen.append(k); return super().__getitem__(k)
    def get(self, k, d=None):
        self.seen.append(k); return super().get(k, d)

def no_network(*a, **k):
    raise AssertionError("network at import time")

socket.socket.connect = no_network
socket.create_connection = no_network
os.environ["NEWSBOT_DATA_DIR"] = "/nonexistent/should-not-be-created"
watched = Watch(os.environ)
os.environ = watched
import newsbot, newsbot.cli, newsbot.settings, newsbot.evaluation.evaluate, index, index.pipeline, rag, bot, benchmarks.bench
heavy = [m for m in ("torch", "sentence_transformers", "llama_cpp", "telegram") if m in sys.modules]
ours = [k for k in watched.seen if k.startswith(("NEWSBOT_", "TELEGRAM_"))]
print(heavy, ours, os.path.exists("/nonexistent"))
"""


def test_importing_the_packages_has_no_side_effects():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[] [] False"
