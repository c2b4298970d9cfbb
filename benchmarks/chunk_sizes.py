"""Choose the chunk size by measurement: dense retrieval quality on the eval questions per size.

For each (size, overlap) it indexes the sample corpus with the real embedding model into a temp
store and asks every answerable question of ``data/eval/questions.jsonl``:
- hit@k / MRR by expected article (is the right article among the top k chunks?);
- facts@k: do the top k chunks together contain every expected fact (any accepted wording)?
  This is what the LLM needs, and what too-small chunks lose;
- context chars@k: how much text the prompt carries (what too-large chunks cost on a small model).

Run: .venv/bin/python -m benchmarks.chunk_sizes [--k 5]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from core.settings import REPO_ROOT, Settings
from newsbot.evaluation.questions import DEFAULT_QUESTIONS, EvalQuestion, load_questions

CONFIGS = [(300, 75), (450, 100), (600, 150), (800, 200), (1000, 250), (1400, 300)]


def answerable(path: Path) -> list[EvalQuestion]:
    """The questions a chunk size can be judged on: answerable, standalone."""
    return [q for q in load_questions(path) if q.answerable and not q.history]


def measure(size: int, overlap: int, questions: list[dict], k: int) -> dict:
    from index import Indexer
    from index.embeddings import build_embeddings
    from index.layout import Layout
    from index.store import make_client, open_collection

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), chunk_size=size, chunk_overlap=overlap)
        report = Indexer(settings).run([str(REPO_ROOT / "data" / "articles")])
        emb = build_embeddings(settings.embedding_model)
        gen = Layout(settings.data_dir, settings.collection).current()
        store = open_collection(make_client(None, settings.data_dir), gen.collection, emb, emb.name, emb.dim, create=False)
        hits, rr, facts, chars = 0, 0.0, 0, 0
        for q in questions:
            docs = store.similarity_search(q.question, k=k)
            names = [os.path.basename(d.metadata["path"]) for d in docs]
            ranks = [i for i, n in enumerate(names) if n in q.expected_sources]
            hits += bool(ranks)
            rr += 1 / (ranks[0] + 1) if ranks else 0
            context = " ".join(d.page_content for d in docs).lower()
            facts += all(any(alt.lower() in context for alt in fact) for fact in q.expected_facts)
            chars += sum(len(d.page_content) for d in docs)
        n = len(questions)
        return {"size": size, "overlap": overlap, "chunks": report.chunks, f"hit@{k}": hits / n,
                "mrr": rr / n, f"facts@{k}": facts / n, f"context_chars@{k}": chars / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    questions = answerable(DEFAULT_QUESTIONS)
    print(f"{len(questions)} questions, dense retrieval, k={args.k}")
    for size, overlap in CONFIGS:
        r = measure(size, overlap, questions, args.k)
        print("  ".join(f"{key}={val:.3f}" if isinstance(val, float) else f"{key}={val}" for key, val in r.items()))


if __name__ == "__main__":
    main()
