"""Ask every question of the eval set through `rag` and print what came back, with figures.

For calibration and for the closing notes of the Answer issue (the Eval issue builds the full
`newsbot eval` on the same question file). Run after `newsbot index data/articles`:

    .venv/bin/python -m benchmarks.answers [--ids q01,u01] [--gate-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", default="")
    parser.add_argument("--gate-only", action="store_true", help="only print the best dense similarity per question")
    args = parser.parse_args()
    from rag import default_assistant

    assistant = default_assistant()
    rows = load_questions(DEFAULT_QUESTIONS)
    if args.ids:
        rows = [r for r in rows if r.id in args.ids.split(",")]
    overhead, firsts, totals = [], [], []
    for r in rows:
        if args.gate_only:
            _, best = assistant.retriever.retrieve_scored(r.question, 5)
            print(f"{r.id:4} {r.category:12} best_dense={best:.3f}  {r.question}")
            continue
        t = time.perf_counter()
        a = assistant.ask(r.question, list(r.history))
        wall = time.perf_counter() - t
        text = (a.text + " " + " ".join(c.quote for c in a.citations)).lower()
        facts = all(any(alt.lower() in text for alt in f) for f in r.expected_facts) if r.expected_facts else None
        cited = {os.path.basename(c.path) for c in a.citations}
        ok_src = bool(cited & set(r.expected_sources)) if r.expected_sources else None
        should_refuse = not r.expected_sources
        print(f"{r.id:4} {r.category:12} mode={a.mode:10} refused={a.refused!s:5} ok_refusal={a.refused == should_refuse!s:5} "
              f"facts={facts!s:5} source={ok_src!s:5} {wall:5.1f}s  Q: {r.question}")
        print(f"      A: {a.text[:400]}")
        if a.standalone_question != r.question:
            print(f"      standalone: {a.standalone_question}")
        if a.timings.get("llm"):
            overhead.append((a.timings["total"] - a.timings["llm"]) / a.timings["total"])
            firsts.append(a.timings["first_token"])
            totals.append(a.timings["total"])
    if overhead:
        print(f"\nanswers through the LLM: {len(overhead)}; time to first token p50 {statistics.median(firsts):.2f} s; "
              f"total p50 {statistics.median(totals):.2f} s; share outside the LLM p50 {statistics.median(overhead):.3f} "
              f"max {max(overhead):.3f}")


if __name__ == "__main__":
    main()
