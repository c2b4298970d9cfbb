"""scripts/no_amx.py: setup keeps llama.cpp builds with AMX kernels out of .venv/ and pip's wheel cache.

On a CPU that reports AMX where the process is not granted the tile state (this machine), such a
build dies on the first prompt of more than one token; the real-model tests would crash, not fail."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

from core.settings import REPO_ROOT

spec = importlib.util.spec_from_file_location("no_amx", REPO_ROOT / "scripts" / "no_amx.py")
no_amx = importlib.util.module_from_spec(spec)
spec.loader.exec_module(no_amx)


def _wheel(path: Path, library: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("llama_cpp/lib/libggml-cpu.so", library)
        z.writestr("llama_cpp/__init__.py", "")
    return path


def test_a_wheel_is_judged_by_its_cpu_library(tmp_path):
    assert no_amx.wheel_has_amx(_wheel(tmp_path / "a.whl", b"\x7fELF ... ggml_backend_amx_mul_mat ..."))
    assert not no_amx.wheel_has_amx(_wheel(tmp_path / "b.whl", b"\x7fELF ... ggml_backend_cpu_init ..."))


def test_the_installed_llama_cpp_has_no_amx_kernels():
    """What setup.sh installed: without AMX kernels, and it evaluates a prompt of several tokens in a
    separate process (a crash there is a signal, not an exception)."""
    assert not no_amx.installed_has_amx()
    code = ("from rag.llm import packaged_gguf\nfrom llama_cpp import Llama\n"
            "m = Llama(model_path=str(packaged_gguf()), n_ctx=256, n_threads=1, verbose=False)\n"
            "m.eval(m.tokenize(b'Russia and the United States agreed to talk about their embassies.'))\nprint(m.n_tokens)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 5


def test_setup_builds_without_amx_and_prunes_first():
    """The flags and the pruning come before the install that builds llama-cpp-python."""
    setup = (REPO_ROOT / "scripts" / "setup.sh").read_text()
    assert "-mno-amx-tile" in setup and "-mno-amx-int8" in setup
    assert setup.index("scripts/no_amx.py") < setup.index('pip install -e ".$extras"')
