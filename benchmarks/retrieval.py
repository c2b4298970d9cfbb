"""Retrieval quality side by side: hybrid (dense + BM25, RRF) against dense-only, same run, same index.

Per answerable question of data/eval/questions.jsonl (follow-ups use their keyword rewrite):
hit@1, hit@k and MRR by expected article, and facts@k (every expected fact is in the top k).

    .venv/bin/python -m benchmarks.retrieval [--k 5]      (after `newsbot index data/articles`)
"""

from __future__ import annotations

import argparse
import os

from core.settings import load_settings


def score(assistant, rows, k):
    from rag.condense import keyword_rewrite

    hit1 = hitk = rr = facts = 0.0
    for r in rows:
        q = keyword_rewrite(r["question"], [tuple(h) for h in r["history"]]) if r.get("history") else r["question"]
        chunks = assistant.retrieve(q, k)
        ranks = [i for i, c in enumerate(chunks) if os.path.basename(c.path) in r["expected_sources"]]
        hit1 += bool(ranks and ranks[0] == 0)
        hitk += bool(ranks)
        rr += 1 / (ranks[0] + 1) if ranks else 0
        text = " ".join(c.text for c in chunks).lower()
        facts += all(any(a.lower() in text for a in f) for f in r["expected_facts"])
    n = len(rows)
    return {"hit@1": hit1 / n, f"hit@{k}": hitk / n, "mrr": rr / n, f"facts@{k}": facts / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    from rag import Assistant

    from dataclasses import asdict

    from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions

    rows = [asdict(q) for q in load_questions(DEFAULT_QUESTIONS) if q.answerable]
    base = load_settings()
    print(f"{len(rows)} answerable questions, k={args.k}")
    for name, hybrid in (("hybrid", True), ("dense-only", False)):
        result = score(Assistant(base.model_copy(update={"retrieval_hybrid": hybrid})), rows, args.k)
        print(f"{name:11} " + "  ".join(f"{key}={val:.3f}" for key, val in result.items()))


if __name__ == "__main__":
    main()
