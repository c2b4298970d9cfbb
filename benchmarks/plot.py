"""Draw retrieval latency against corpus size from a `newsbot bench --json` result.

    .venv/bin/newsbot bench --json > bench.json && .venv/bin/python -m benchmarks.plot bench.json docs/performance_latency.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def plot(result: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = result["retrieval"]
    chunks = [v["chunks"] for v in sizes.values()]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.plot(chunks, [v["p50_ms"] for v in sizes.values()], "o-", label="p50")
    ax.plot(chunks, [v["p95_ms"] for v in sizes.values()], "s--", label="p95")
    ax.axhline(50, color="grey", lw=0.8, ls=":", label="50 ms target (p50 at 100k)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in the store")
    ax.set_ylabel("hybrid retrieval, k=5 (ms)")
    ax.set_title("Retrieval latency against corpus size (2 CPU cores)")
    ax.legend()
    fig.savefig(out, dpi=110, bbox_inches="tight")


if __name__ == "__main__":
    plot(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2]))
