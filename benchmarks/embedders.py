"""The embedders side by side: PyTorch (sentence-transformers) against ONNX Runtime float32 and int8.

Part of `newsbot bench` (``newsbot bench --only embedders`` runs it alone); every figure of the three
comes from the same run, the same texts, the same batch size, timings alternated between them:

- ``encoder_chunks_per_s`` and ``*_vs_pytorch`` ratios, on the bench's chunks (the synthetic ratio
  corpus of ``benchmarks.bench``). Target: ONNX int8 / PyTorch ≥ 2.0.
- ``query_embedding_p50_ms``: one eval question at a time.
- ``cosine_to_pytorch`` mean and min, on the bench's chunks and on real news chunks.
- retrieval (hit@1, hit@5, MRR, facts@5; hybrid and dense-only) on the sample eval questions, and on
  a real-news subset: the ``questions.yaml`` questions whose answer lies in at most two articles,
  those articles plus random distractors (all 970 articles are 41,000 chunks: too slow to embed
  three times here). Target: within 0.01 of PyTorch.
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from pathlib import Path

from benchmarks.synthetic import write_corpus
from core.settings import REPO_ROOT, Settings
from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions
from newsbot.evaluation.scoring import percentile

BACKENDS = ("sentence-transformers", "onnx", "onnx-int8")
LABELS = {"sentence-transformers": "pytorch", "onnx": "onnx_fp32", "onnx-int8": "onnx_int8"}
REALNEWS = REPO_ROOT.parent / "shared" / "realnews"


def _settings(data_dir: Path, **kw) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, **kw)


def _chunk_texts(tmp: Path, name: str, source: Path) -> list[str]:
    """The chunk texts the index embeds for the articles in ``source`` (indexed with the hashing embedder)."""
    from index import Indexer
    from index.layout import Layout
    from index.manifest import Manifest

    s = _settings(tmp / name, embedding_model="hash-384", embedding_batch_size=256)
    Indexer(s).run([str(source)])
    m = Manifest(Layout(s.data_dir, s.collection).current().manifest_path, readonly=True)
    texts = [f"{c['header']}\n\n{c['text']}" for c in m.chunks()]
    m.close()
    return texts


def _embedders(tmp: Path, batch_size: int) -> dict:
    from index.embeddings import embeddings_for

    out = {}
    for backend in BACKENDS:
        t = time.perf_counter()
        emb = embeddings_for(_settings(tmp / "embedders", embeddings=backend, embedding_batch_size=batch_size))
        emb.embed_query("warm up: load the model, and export it if this machine has no export yet")
        out[backend] = (emb, round(time.perf_counter() - t, 2))
    return out


def _encode(emb, texts: list[str]):
    import numpy as np

    if hasattr(emb, "encode"):  # ONNX: the numpy array straight away
        return emb.encode(texts)
    return np.asarray(emb.model.encode(texts, batch_size=emb.batch_size, normalize_embeddings=True, convert_to_numpy=True))


def throughput(embedders: dict, texts: list[str], repeats: int) -> tuple[dict, dict]:
    """Chunks/s of each encoder on ``texts`` (alternating, medians), and the vectors of the last round."""
    times: dict[str, list[float]] = {b: [] for b in embedders}
    vectors = {}
    for _ in range(repeats):
        for backend, (emb, _) in embedders.items():
            t = time.perf_counter()
            vectors[backend] = _encode(emb, texts)
            times[backend].append(time.perf_counter() - t)
    return {b: round(len(texts) / statistics.median(ts), 1) for b, ts in times.items()}, vectors


def cosine(vectors: dict) -> dict:
    ref = vectors["sentence-transformers"]
    out = {}
    for backend, v in vectors.items():
        if backend != "sentence-transformers":
            cos = (v * ref).sum(axis=1)
            out[LABELS[backend]] = {"mean": round(float(cos.mean()), 5), "min": round(float(cos.min()), 5)}
    return out


def query_p50(embedders: dict, queries: list[str]) -> dict:
    times: dict[str, list[float]] = {b: [] for b in embedders}
    for q in queries:
        for backend, (emb, _) in embedders.items():
            t = time.perf_counter()
            emb.embed_query(q)
            times[backend].append((time.perf_counter() - t) * 1000)
    return {LABELS[b]: round(percentile(ts, 0.5), 2) for b, ts in times.items()}


def retrieval(tmp: Path, name: str, articles: Path, rows: list[dict], embedders: dict, k: int = 5) -> dict:
    """hit@1/hit@k/MRR/facts@k of each backend, hybrid and dense-only, each on its own store of ``articles``."""
    from benchmarks.retrieval import score
    from index import Indexer
    from rag import Assistant

    out = {}
    for backend, (emb, _) in embedders.items():
        s = _settings(tmp / f"{name}-{LABELS[backend]}", embeddings=backend, articles_dir=articles)
        t = time.perf_counter()
        report = Indexer(s).run([str(articles)])  # builds its embedder through the same seam; models load once
        seconds = time.perf_counter() - t
        result = {"chunks": report.chunks, "index_s": round(seconds, 1)}
        for mode, hybrid in (("hybrid", True), ("dense", False)):
            a = Assistant(s.model_copy(update={"retrieval_hybrid": hybrid}), embeddings=emb)
            result[mode] = {key: round(val, 4) for key, val in score(a, rows, k).items()}
        out[LABELS[backend]] = result
    base = out["pytorch"]
    for label, r in out.items():
        if label != "pytorch":
            r["worst_drop_vs_pytorch"] = round(max(base[m][key] - r[m][key] for m in ("hybrid", "dense")
                                                   for key in ("hit@1", f"hit@{k}", "mrr")), 4)
    return out


def sample_rows() -> list[dict]:
    from dataclasses import asdict

    from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions

    return [asdict(q) for q in load_questions(DEFAULT_QUESTIONS) if q.answerable]


def realnews_subset(tmp: Path, quick: bool, seed: int = 7) -> tuple[Path, list[dict]] | None:
    """A folder with the real-news articles that answer the questions answered by at most 2 (quick: 1)
    articles, plus as many random other articles as distractors; and those questions as score rows."""
    from newsbot.evaluation.realnews import load_yaml_questions

    articles = REALNEWS / "articles"
    if not (REALNEWS / "questions.yaml").is_file():
        return None
    questions, _ = load_yaml_questions(REALNEWS / "questions.yaml", articles)
    picked = [q for q in questions if len(q.expected_sources) <= (1 if quick else 2)]
    sources = sorted({s for q in picked for s in q.expected_sources})
    others = sorted(p.name for p in articles.glob("*.txt") if p.name not in sources)
    names = sources + random.Random(seed).sample(others, len(sources))
    folder = tmp / "realnews-subset"
    folder.mkdir()
    for n in names:
        shutil.copy(articles / n, folder / n)
    rows = [{"question": q.question, "history": [], "expected_sources": q.expected_sources,
             "expected_facts": q.expected_facts} for q in picked]
    return folder, rows


def run(tmp: Path, quick: bool = False, progress=print) -> dict:
    """All the figures of the module docstring, under ``{"embedders": ...}``."""
    progress("embedders: PyTorch vs ONNX fp32 vs ONNX int8 …")
    embedders = _embedders(tmp, batch_size=32)
    result: dict = {"load_s": {LABELS[b]: s for b, (_, s) in embedders.items()}}
    corpus = tmp / "embedders-corpus"
    write_corpus(corpus, 60 if quick else 200, seed=11)
    texts = _chunk_texts(tmp, "embedders-chunks", corpus)
    speed, vectors = throughput(embedders, texts, repeats=3)
    result["bench_chunks"] = len(texts)
    result["encoder_chunks_per_s"] = {LABELS[b]: v for b, v in speed.items()}
    result["onnx_fp32_vs_pytorch"] = round(speed["onnx"] / speed["sentence-transformers"], 2)
    result["onnx_int8_vs_pytorch"] = round(speed["onnx-int8"] / speed["sentence-transformers"], 2)
    result["cosine_to_pytorch"] = {"bench_chunks": cosine(vectors)}
    result["query_embedding_p50_ms"] = query_p50(embedders, [q.question for q in load_questions(DEFAULT_QUESTIONS)])
    progress("embedders: retrieval on the sample eval, each backend …")
    result["retrieval_sample"] = retrieval(tmp, "emb-sample", REPO_ROOT / "data" / "articles", sample_rows(), embedders)
    subset = realnews_subset(tmp, quick)
    if subset is None:
        result["retrieval_realnews"] = "skipped: no ../shared/realnews"
    else:
        folder, rows = subset
        progress(f"embedders: real-news retrieval, {len(rows)} questions over {len(list(folder.iterdir()))} articles …")
        real = _chunk_texts(tmp, "emb-real-chunks", folder)
        sample = random.Random(3).sample(real, min(512, len(real)))
        result["cosine_to_pytorch"]["realnews_chunks"] = cosine({b: _encode(e, sample) for b, (e, _) in embedders.items()})
        result["retrieval_realnews"] = {"questions": len(rows), "articles": len(list(folder.iterdir())),
                                        **retrieval(tmp, "emb-real", folder, rows, embedders)}
    return {"embedders": result}
