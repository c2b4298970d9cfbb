"""Keep llama.cpp builds with AMX kernels out of .venv/ (run by scripts/setup.sh before it installs).

Why: llama-cpp-python compiles llama.cpp with ``-march=native``. On a CPU that reports AMX (Sapphire
Rapids and later) that compiles ggml's AMX matrix kernels, and where the kernel or the VM does not
grant a process the AMX tile state, the first prompt of more than one token dies with a segmentation
fault in ``ggml_backend_amx_mul_mat`` (``ldtilecfg``): every answer the model writes crashes the
process. setup.sh builds with ``-mno-amx-*`` instead; this script removes what an earlier build left
that would be reused: a cached wheel with AMX kernels (pip reuses a locally built wheel whatever the
flags) and an installed copy with them. Standard library only: it runs before the install.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

AMX_SYMBOL = b"ggml_backend_amx_mul_mat"
"""In libggml-cpu only when its AMX kernels were compiled in."""


def has_amx(library: bytes) -> bool:
    return AMX_SYMBOL in library


def wheel_has_amx(wheel: Path) -> bool:
    """Whether a built llama-cpp-python wheel's CPU library holds AMX kernels."""
    with zipfile.ZipFile(wheel) as z:
        return any(has_amx(z.read(n)) for n in z.namelist() if Path(n).name.startswith("libggml-cpu"))


def installed_has_amx() -> bool:
    """Whether the llama_cpp installed in this interpreter holds AMX kernels (``False`` if none is installed)."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return False
    lib = Path(list(spec.submodule_search_locations)[0]) / "lib"
    return any(has_amx(p.read_bytes()) for p in lib.glob("libggml-cpu*"))


def pip(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, check=False)
    return done.stdout


def main() -> int:
    for line in pip("cache", "list", "llama_cpp_python", "--format=abspath").splitlines():
        wheel = Path(line.strip())
        if wheel.suffix == ".whl" and wheel.is_file() and wheel_has_amx(wheel):
            wheel.unlink()
            print(f"setup: removed a cached llama-cpp-python wheel built with AMX kernels: {wheel.name}", file=sys.stderr)
    if installed_has_amx():
        pip("uninstall", "-y", "-q", "llama-cpp-python")
        print("setup: uninstalled a llama-cpp-python built with AMX kernels; it is built again without", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
