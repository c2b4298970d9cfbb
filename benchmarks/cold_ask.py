"""A cold `newsbot ask`, timed as a whole process: what a person waits for at the command line.

Five configurations on the same indexed sample store, run in turn (A B C …, A B C …) so a
drifting machine hits them alike; each figure is the median over the rounds:

- ``pytorch``: the embedder on sentence-transformers (PyTorch imported), no warm-up (the release before).
- ``onnx``: the default embedder on ONNX Runtime (no torch import), no warm-up.
- ``onnx_warm``: ONNX, and the LLM loads in a background thread while the index opens
  (``NEWSBOT_LLM_WARM_UP``).
- ``onnx_cached``: that with the disk answer cache holding this answer (``NEWSBOT_ANSWER_CACHE=disk``):
  start-up and a cache hit, no LLM.
- ``auto``: the defaults now: ``NEWSBOT_LLM_ANSWERS=auto``, the packaged SmolLM2 is asked only when the
  articles' sentence does not state the asked item, and so it does not warm up. The four above set
  ``always``: every answer written by the model, as before.

For each: ``wall_s`` (process start to exit), ``answer_s`` (the answer's own ``total`` timing, from
``--json``) and ``startup_s`` = wall − answer (imports, model loads that the answer did not wait for, the
index open, exit). The ≤ 3 s target is for the whole process; the LLM writing the answer is most of it.

    .venv/bin/python -m benchmarks.cold_ask [--rounds 5] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUESTION = "Who is the new Russian ambassador to the United States?"

_ALWAYS = {"NEWSBOT_LLM_ANSWERS": "always"}
CONFIGS: dict[str, dict[str, str]] = {
    "pytorch": {"NEWSBOT_EMBEDDINGS": "sentence-transformers", "NEWSBOT_LLM_WARM_UP": "false", "NEWSBOT_ANSWER_CACHE": "off",
                **_ALWAYS},
    "onnx": {"NEWSBOT_EMBEDDINGS": "onnx", "NEWSBOT_LLM_WARM_UP": "false", "NEWSBOT_ANSWER_CACHE": "off", **_ALWAYS},
    "onnx_warm": {"NEWSBOT_EMBEDDINGS": "onnx", "NEWSBOT_LLM_WARM_UP": "true", "NEWSBOT_ANSWER_CACHE": "off", **_ALWAYS},
    "onnx_cached": {"NEWSBOT_EMBEDDINGS": "onnx", "NEWSBOT_LLM_WARM_UP": "true", "NEWSBOT_ANSWER_CACHE": "disk", **_ALWAYS},
    # the default now: the packaged SmolLM2 writes only when the articles' sentence does not state the item,
    # and does not warm up (most answers need no model)
    "auto": {"NEWSBOT_EMBEDDINGS": "onnx", "NEWSBOT_ANSWER_CACHE": "off"},
}


def newsbot_command() -> list[str]:
    """The installed console script next to this interpreter, else the module (a checkout without install)."""
    script = Path(sys.executable).with_name("newsbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsbot.cli"]


def ask_once(data_dir: Path, env: dict[str, str], question: str = QUESTION) -> dict:
    """One whole `newsbot ask --json` process: its wall time and the answer's own timings."""
    full = {**os.environ, "NEWSBOT_DATA_DIR": str(data_dir), **env}
    t = time.perf_counter()
    out = subprocess.run([*newsbot_command(), "ask", "--json", question], capture_output=True, text=True, env=full,
                         timeout=600, cwd=data_dir)
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(f"newsbot ask failed ({out.returncode}): {out.stderr[-1500:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    answer = float(data["timings"].get("total", 0.0))
    return {"wall_s": wall, "answer_s": answer, "startup_s": wall - answer, "mode": data.get("mode")}


def run(data_dir: Path, rounds: int = 3, progress=print) -> dict:
    """Medians per configuration, run in turn; the cached one's cache is filled first (not counted)."""
    ask_once(data_dir, CONFIGS["onnx_cached"])  # fills the disk cache for the cached configuration
    runs: dict[str, list[dict]] = {name: [] for name in CONFIGS}
    for r in range(rounds):
        progress(f"cold ask, round {r + 1} of {rounds} …")
        for name, env in CONFIGS.items():
            runs[name].append(ask_once(data_dir, env))
    result: dict = {"rounds": rounds, "question": QUESTION}
    for name, rows in runs.items():
        result[name] = {k: round(statistics.median(row[k] for row in rows), 2) for k in ("wall_s", "answer_s", "startup_s")}
        result[name]["modes"] = sorted({row["mode"] for row in rows})
    base = result["pytorch"]["wall_s"]
    result["wall_ratio_onnx_warm_to_pytorch"] = round(result["onnx_warm"]["wall_s"] / base, 3) if base else None
    result["wall_ratio_auto_to_onnx_warm"] = (round(result["auto"]["wall_s"] / result["onnx_warm"]["wall_s"], 3)
                                              if result["onnx_warm"]["wall_s"] else None)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="an indexed store (default: index the sample corpus into a temporary one)")
    args = parser.parse_args()
    if args.data_dir:
        result = run(args.data_dir, args.rounds, progress=lambda m: print(m, file=sys.stderr))
    else:
        import tempfile

        from core.settings import REPO_ROOT, Settings
        from index import Indexer

        with tempfile.TemporaryDirectory(prefix="newsbot-cold-") as tmp:
            Indexer(Settings(_env_file=None, data_dir=Path(tmp))).run([REPO_ROOT / "data" / "articles"])
            result = run(Path(tmp), args.rounds, progress=lambda m: print(m, file=sys.stderr))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
