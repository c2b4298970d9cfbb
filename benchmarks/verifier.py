"""The verifier on its own, as figures: ``newsbot.evaluation.verifier_set`` over a temp store of the sample corpus.

Prints the share of labeled correct sentences kept and wrong ones dropped, per kind, and the misses
(see that module for what is measured and why).

    .venv/bin/python -m benchmarks.verifier [--json] [--minilm]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path


def main() -> None:
    from newsbot.evaluation.verifier_set import build_assistant, evaluate, load_rows, report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--minilm", action="store_true", help="embed with the real MiniLM instead of the hashing embedder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsbot-verifier-") as tmp:
        assistant = build_assistant(Path(tmp) / "store", "all-MiniLM-L6-v2" if args.minilm else "hash-256")
        summary = evaluate(assistant, load_rows())
    print(json.dumps(summary, indent=2) if args.json else report(summary))


if __name__ == "__main__":
    main()
