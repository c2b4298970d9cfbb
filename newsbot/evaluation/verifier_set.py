"""The verifier on its own: the labeled answer sentences of data/eval/verifier.jsonl through the real
``rag.verify.check_sentence``, against the chunks answering would retrieve for each question.

For every row the sample corpus is searched as answering does (``Assistant.retrieve(question, 5)``
over a temp store built by the real indexing pipeline), and the sentence, with a ``[n]`` marker at
its source article's chunk when that was retrieved (else ``[1]``), is checked. Reported: the share
of correct sentences kept (target >= 0.90) and of wrong ones dropped (target >= 0.97), per kind,
the misses, how many rows had their source article retrieved, and the keep rate with the source
article's chunks forced in (the verifier's own quality, free of retrieval misses).

It lives in the evaluation floor because the tests hold the verifier to these targets
(tests/rag/test_verifier_set.py) and ``benchmarks/verifier.py`` prints the same figures; tests and
benchmarks do not import each other, and both may import this.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

from core.settings import REPO_ROOT

LABELS = REPO_ROOT / "data" / "eval" / "verifier.jsonl"
ARTICLES = REPO_ROOT / "data" / "articles"
KEEP_TARGET, DROP_TARGET = 0.90, 0.97


def load_rows(path: Path = LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_assistant(data_dir: Path, embedding_model: str = "hash-256"):
    """An :class:`rag.Assistant` over a fresh store of the sample corpus in ``data_dir``."""
    from core.settings import Settings
    from index import Indexer
    from rag import Assistant

    settings = Settings(_env_file=None, data_dir=data_dir, embedding_model=embedding_model, articles_dir=ARTICLES)
    Indexer(settings).run([str(ARTICLES)])
    return Assistant(settings)


def with_marker(sentence: str, n: int) -> str:
    """"… ago." → "… ago [n].": a marker where a model puts it."""
    s = sentence.rstrip()
    return f"{s[:-1]} [{n}]{s[-1]}" if s and s[-1] in ".!?" else f"{s} [{n}]"


def source_chunks(assistant, file: str) -> list:
    """Every live chunk of the article file ``file``, in text order, as retrieved chunks."""
    from rag.models import RetrievedChunk

    search = assistant.search
    search.refresh()
    rows = sorted((r for r in search.chunks.values() if os.path.basename(r["path"]) == file), key=lambda r: r["start"])
    return [RetrievedChunk.from_row(r) for r in rows]


def judge(row: dict, chunks: list) -> bool:
    """Whether the real verifier keeps ``row['sentence']`` against ``chunks``."""
    from rag.verify import check_sentence

    at = [i for i, c in enumerate(chunks, start=1) if os.path.basename(c.path) == row["file"]]
    marked = with_marker(row["sentence"], at[0] if at else 1)
    return check_sentence(marked, chunks, row["question"], final=True).supported


def evaluate(assistant, rows: list[dict]) -> dict:
    """Keep/drop figures for ``rows``; see the module docstring."""
    results = []
    for row in rows:
        chunks = assistant.retrieve(row["question"], 5)
        retrieved = any(os.path.basename(c.path) == row["file"] for c in chunks)
        kept = judge(row, chunks)
        have = {c.id for c in chunks}
        forced_chunks = chunks + [c for c in source_chunks(assistant, row["file"]) if c.id not in have]
        kept_forced = kept if retrieved and len(forced_chunks) == len(chunks) else judge(row, forced_chunks)
        results.append({**row, "retrieved": retrieved, "kept": kept, "kept_forced": kept_forced})
    return summarise(results)


def summarise(results: list[dict]) -> dict:
    correct = [r for r in results if r["label"] == "correct"]
    wrong = [r for r in results if r["label"] == "wrong"]

    def share(rs, key, want):
        return round(sum(r[key] == want for r in rs) / len(rs), 4) if rs else None

    per_kind: dict[str, dict] = defaultdict(dict)
    for kind in sorted({r["kind"] for r in results}):
        rs = [r for r in results if r["kind"] == kind]
        label = rs[0]["label"]
        want = label == "correct"
        per_kind[kind] = {"label": label, "n": len(rs), "rate": share(rs, "kept", want),
                          "rate_forced": share(rs, "kept_forced", want)}
    misses = [{k: r[k] for k in ("id", "label", "kind", "retrieved", "kept", "kept_forced", "question", "sentence")}
              for r in results if r["kept"] != (r["label"] == "correct")]
    return {
        "rows": len(results),
        "keep_correct": share(correct, "kept", True),
        "drop_wrong": share(wrong, "kept", False),
        "keep_correct_forced": share(correct, "kept_forced", True),
        "drop_wrong_forced": share(wrong, "kept_forced", False),
        "source_retrieved": sum(r["retrieved"] for r in results),
        "correct_source_not_retrieved": [r["id"] for r in correct if not r["retrieved"]],
        # Kept once the source's chunks are there, dropped with what retrieval returned: retrieval's misses.
        "correct_retrieval_limited": [r["id"] for r in correct if r["kept_forced"] and not r["kept"]],
        "per_kind": dict(per_kind),
        "misses": misses,
        "targets": {"keep_correct": KEEP_TARGET, "drop_wrong": DROP_TARGET},
    }


def report(summary: dict) -> str:
    s = summary
    lines = [
        f"{s['rows']} labeled sentences; source article among the 5 retrieved chunks: {s['source_retrieved']}/{s['rows']}",
        f"correct kept:  {s['keep_correct']:.3f} (target >= {KEEP_TARGET}); with the source's chunks forced in: "
        f"{s['keep_correct_forced']:.3f}",
        f"wrong dropped: {s['drop_wrong']:.3f} (target >= {DROP_TARGET}); with the source's chunks forced in: "
        f"{s['drop_wrong_forced']:.3f}",
        f"correct sentences whose source article was not retrieved: {', '.join(s['correct_source_not_retrieved']) or 'none'}",
        f"correct sentences dropped only because retrieval missed the passage (kept when forced in): "
        f"{', '.join(s['correct_retrieval_limited']) or 'none'}",
        "",
        f"{'kind':16} {'label':8} {'n':>3} {'rate':>6} {'forced':>7}   (rate = kept for correct, dropped for wrong)",
    ]
    for kind, k in s["per_kind"].items():
        lines.append(f"{kind:16} {k['label']:8} {k['n']:3} {k['rate']:6.3f} {k['rate_forced']:7.3f}")
    lines += ["", f"misses ({len(s['misses'])}):"]
    for m in s["misses"]:
        what = "dropped" if m["label"] == "correct" else "KEPT"
        lines.append(f"  {m['id']} {m['label']:7} {m['kind']:15} {what:7} retrieved={m['retrieved']!s:5} "
                     f"forced={'kept' if m['kept_forced'] else 'dropped'}  Q: {m['question']}  S: {m['sentence']}")
    return "\n".join(lines)
