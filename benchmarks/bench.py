"""`newsbot bench`: how cost grows with the corpus, measured side by side in one run.

Every figure is a median of repeated runs (these machines are noisy), and the targets are ratios
against a baseline measured in the same run where one exists:

- ``index_vs_encoder_ratio``: chunks/s of the whole index pipeline (load, clean, chunk, embed,
  store, keyword index) over chunks/s of the bare encoder (the default, MiniLM on ONNX Runtime) on the
  same chunk texts, same batch size. Target ≥ 0.9.
- ``noop_reindex_1000_s``: a re-index of 1,000 unchanged articles. Target ≤ 2 s.
- ``retrieval`` p50/p95 of the full hybrid retrieval (k=5) at 1k, 10k (and 100k) chunks, and
  ``retrieval_p50_growth`` = p50 at the largest size / p50 at a tenth of it. Targets ≤ 2.0, and
  p50 ≤ 50 ms at 100k. Stores this big are embedded with the 384-dimension hashing embedder (the
  same dimension as MiniLM, so Chroma and BM25 do the same work); the MiniLM query embedding,
  which retrieval adds on the embedded model, is timed apart as ``query_embedding_p50_ms``.
- ``answer_overhead_ratio``: (ask time − time inside the LLM) / ask time on the embedded model.
  Target ≤ 0.10. With ``first_token_p50_s``, and ``answer_cache_hit_p50_ms`` / ``_max_ms``: the same
  questions asked again, answered from the answer cache (target ≤ 50 ms).
- ``serving_peak_rss_mb``: a serving process (embedded LLM + MiniLM + the largest store). Target ≤ 1,500.
- ``cold_start_s``: process start to the first answer ready.
- ``cold_ask``: a whole cold `newsbot ask` process, PyTorch vs ONNX vs ONNX with the LLM warming up in
  the background vs a cached answer, in turn, medians: wall, answer and start-up seconds
  (``benchmarks/cold_ask.py``; target ≤ 3 s).
- ``prefix_cache``: time to first token of an answer prompt that follows another prompt (a follow-up's
  rewrite), without and with the saved state of the prompt's system head (``benchmarks/prefix_cache.py``).
- ``embedders``: PyTorch against ONNX Runtime float32 and int8 on the same chunks: throughput ratios
  (target int8 / PyTorch ≥ 2.0), query-embedding p50, cosine agreement, retrieval on the sample eval
  and a real-news subset (target within 0.01 of PyTorch): ``benchmarks/embedders.py``.
- ``feeds_noop_refresh_s`` (50 feeds × 50 entries, all 304; target ≤ 2 s) and ``feeds_vs_plain_ratio``
  (a refresh adding 100 articles over plain indexing of the same texts; target ≥ 0.9): ``benchmarks/feeds.py``.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_corpus
from core.settings import REPO_ROOT, Settings
from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions
from newsbot.evaluation.scoring import percentile

def _queries() -> list[str]:
    """The eval set's questions, the retrieval workload."""
    return [q.question for q in load_questions(DEFAULT_QUESTIONS)]


def _settings(data_dir: Path, **kw) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, **kw)


def index_vs_encoder(tmp: Path, articles: int, repeats: int = 3) -> dict:
    """The index pipeline against the bare encoder on the same chunks, alternating, medians."""
    from index import Indexer
    from index.embeddings import embeddings_for
    from index.manifest import Manifest
    from index.layout import Layout

    corpus = tmp / "ratio-corpus"
    write_corpus(corpus, articles, seed=11)
    # The default embedder (ONNX Runtime) both in the pipeline and bare; benchmarks.embedders compares runtimes.
    emb = embeddings_for(_settings(tmp / "ratio-embedder"))
    emb.embed_documents(["warm up the model"])
    pipeline, encoder, chunks = [], [], 0
    for r in range(repeats):
        s = _settings(tmp / f"ratio-{r}")
        t = time.perf_counter()
        report = Indexer(s).run([str(corpus)])
        pipeline.append(time.perf_counter() - t)
        chunks = report.chunks
        m = Manifest(Layout(s.data_dir, s.collection).current().manifest_path, readonly=True)
        texts = [f"{c['header']}\n\n{c['text']}" for c in m.chunks()]
        m.close()
        t = time.perf_counter()
        if hasattr(emb, "encode"):
            emb.encode(texts)
        else:
            emb.model.encode(texts, batch_size=s.embedding_batch_size, normalize_embeddings=True, convert_to_numpy=True)
        encoder.append(time.perf_counter() - t)
    p, e = statistics.median(pipeline), statistics.median(encoder)
    return {"ratio_chunks": chunks, "pipeline_chunks_per_s": round(chunks / p, 1), "encoder_chunks_per_s": round(chunks / e, 1),
            "index_vs_encoder_ratio": round(e / p, 3)}


def build_store(tmp: Path, name: str, articles: int) -> tuple[Settings, int, float]:
    from index import Indexer

    corpus = tmp / f"{name}-corpus"
    write_corpus(corpus, articles, seed=3)
    s = _settings(tmp / name, embedding_model="hash-384", embedding_batch_size=256)
    t = time.perf_counter()
    report = Indexer(s).run([str(corpus)])
    return s, report.chunks, time.perf_counter() - t


def noop_reindex(s: Settings, repeats: int = 3) -> float:
    from index import Indexer

    corpus = next(p for p in s.data_dir.parent.iterdir() if p.name == f"{s.data_dir.name}-corpus")
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        r = Indexer(s).run([str(corpus)])
        times.append(time.perf_counter() - t)
        assert r.added == r.updated == 0
    return statistics.median(times)


def noop_reindex_cli(s: Settings, repeats: int = 3) -> float:
    """The same no-op re-index as a person runs it: `newsbot index PATH`, process start to exit."""
    corpus = s.data_dir.parent / f"{s.data_dir.name}-corpus"
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(s.data_dir), "NEWSBOT_EMBEDDING_MODEL": s.embedding_model}
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "newsbot"), "index", str(corpus), "--json"], env=env,
                       capture_output=True, check=True, timeout=300)
        times.append(time.perf_counter() - t)
    return round(statistics.median(times), 3)


def retrieval_latency(s: Settings, rounds: int = 3) -> dict:
    from rag import Assistant

    a = Assistant(s)
    a.retrieve("warm up")
    queries = _queries()
    times = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            a.retrieve(q, 5)
            times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(percentile(times, 0.5), 2), "p95_ms": round(percentile(times, 0.95), 2)}


def query_embedding_ms(tmp: Path) -> float:
    from index.embeddings import embeddings_for

    emb = embeddings_for(_settings(tmp / "query-embedder"))
    emb.embed_query("warm up")
    times = []
    for q in _queries():
        t = time.perf_counter()
        emb.embed_query(q)
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def answer_overhead(tmp: Path, n: int) -> dict:
    from index import Indexer
    from rag import Assistant

    s = _settings(tmp / "sample", articles_dir=REPO_ROOT / "data" / "articles")
    Indexer(s).run([])
    a = Assistant(s)
    a.ask("warm up: who is the ambassador?")
    qs = [q.question for q in load_questions(DEFAULT_QUESTIONS) if q.answerable and not q.history][:n]
    ratios, firsts, totals = [], [], []
    for q in qs:
        ans = a.ask(q)
        t = ans.timings
        if t.get("llm"):
            ratios.append((t["total"] - t["llm"]) / t["total"])
            firsts.append(t["first_token"])
            totals.append(t["total"])
    hits = []
    for q in qs:  # the same questions again: answered from the answer cache (rag/cache.py)
        t = time.perf_counter()
        ans = a.ask(q)
        hits.append(time.perf_counter() - t)
        assert ans.timings.get("cached"), "a repeated question missed the answer cache"
    return {"answer_cache_hit_p50_ms": round(statistics.median(hits) * 1000, 1),
            "answer_cache_hit_max_ms": round(max(hits) * 1000, 1),
            "answer_overhead_ratio": round(statistics.median(ratios), 3), "answer_overhead_p95": round(percentile(ratios, 0.95), 3),
            "first_token_p50_s": round(statistics.median(firsts), 2), "answer_total_p50_s": round(statistics.median(totals), 2),
            "answers_timed": len(ratios), "sample_store": str(s.data_dir)}


SERVE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from core.settings import Settings
from rag import Assistant
from index.embeddings import embeddings_for
s = Settings(_env_file=None, data_dir=sys.argv[1], embedding_model=sys.argv[2])
a = Assistant(s)
if sys.argv[2] != "all-MiniLM-L6-v2":
    embeddings_for(s.model_copy(update={"embedding_model": "all-MiniLM-L6-v2"})).embed_query("the serving process also holds the real embedder")
    a.chat_model().invoke("Say hello.")  # and the LLM, even if the synthetic store refuses the questions
first = a.ask("Who was appointed Russia's new ambassador to the United States?")
ready = time.perf_counter() - t0
for q in ["How many Russian diplomats did a US congressional proposal want to expel?", "When did Antonov leave Washington?"]:
    a.ask(q)
print(json.dumps({"first_answer_s": round(ready, 2), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def serving_process(data_dir: Path, model: str) -> dict:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", SERVE, str(data_dir), model], capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["process_wall_s"] = round(wall, 2)
    return data


def preflight(tmp: Path) -> None:
    """Fail in seconds, not after minutes of indexing, when what the run needs is missing or a setting
    from the environment cannot work: the packaged MiniLM, the embedding model, the prompts, a Chroma
    server, the LLM (each raises its own error, whose message says what to do)."""
    from index.embeddings import embeddings_for, packaged_model_path
    from index.store import make_client
    from rag.llm import check_llm
    from rag.prompts import answer_prompt

    s = _settings(tmp / "preflight")
    packaged_model_path()
    embeddings_for(s)
    answer_prompt(s.prompts_dir)
    if s.chroma_url:
        make_client(s.chroma_url, s.data_dir)
    check_llm(s)


SECTIONS = ("all", "embedders", "cold-ask")


def run(quick: bool = False, progress=print, only: str = "all") -> dict:
    """All measurements; ``quick`` stops retrieval at 10k chunks and uses fewer repeats.
    ``only="embedders"`` runs the embedder comparison alone (``benchmarks.embedders``)."""
    result: dict = {"quick": quick, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp_name:
        tmp = Path(tmp_name)
        preflight(tmp)
        from benchmarks import embedders

        if only == "cold-ask":
            from benchmarks import cold_ask
            from index import Indexer

            store = _settings(tmp / "cold-ask")
            Indexer(store).run([REPO_ROOT / "data" / "articles"])
            result["cold_ask"] = cold_ask.run(store.data_dir, 2 if quick else 5, progress)
            return result
        if only == "embedders":
            result.update(embedders.run(tmp, quick=quick, progress=progress))
            result["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            return result
        progress("index pipeline vs bare encoder …")
        result.update(index_vs_encoder(tmp, 60 if quick else 200, repeats=3))
        # the synthetic articles run about 6.5 chunks each
        sizes = {"1k": 154, "10k": 1540} if quick else {"1k": 154, "10k": 1540, "100k": 15400}
        stores, retrieval = {}, {}
        for label, articles in sizes.items():
            progress(f"store of ~{label} chunks …")
            s, chunks, seconds = build_store(tmp, f"store-{label}", articles)
            stores[label] = s
            lat = retrieval_latency(s, rounds=2 if quick else 3)
            retrieval[label] = {"chunks": chunks, "articles": articles, "index_s": round(seconds, 1), **lat}
        result["retrieval"] = retrieval
        labels = list(sizes)
        result["retrieval_p50_growth"] = round(retrieval[labels[-1]]["p50_ms"] / retrieval[labels[-2]]["p50_ms"], 3)
        result["retrieval_p50_ms_largest"] = retrieval[labels[-1]]["p50_ms"]
        result["query_embedding_p50_ms"] = query_embedding_ms(tmp)
        progress("no-op re-index of 1,000 articles …")
        s1000, _, _ = build_store(tmp, "store-1000-articles", 1000)
        result["noop_reindex_1000_s"] = round(noop_reindex(s1000), 3)
        result["noop_reindex_1000_cli_s"] = noop_reindex_cli(s1000)
        progress("answers on the embedded model …")
        overhead = answer_overhead(tmp, 6 if quick else 15)
        sample_store = Path(overhead.pop("sample_store"))
        result.update(overhead)
        progress("cold start and serving memory …")
        cold = serving_process(sample_store, "all-MiniLM-L6-v2")
        result["cold_start_s"] = cold["first_answer_s"]
        from benchmarks import cold_ask

        result["cold_ask"] = cold_ask.run(sample_store, 2 if quick else 5, progress)
        big = serving_process(stores[labels[-1]].data_dir, "hash-384")
        result["serving_peak_rss_mb"] = big["peak_rss_mb"]
        result["serving_store_chunks"] = retrieval[labels[-1]]["chunks"]
        progress("prompt-head state on the embedded model …")
        from benchmarks import prefix_cache

        result["prefix_cache"] = prefix_cache.run(3 if quick else 8)
        from benchmarks import feeds

        result.update(feeds.run(quick=quick, progress=progress))
        result.update(embedders.run(tmp, quick=quick, progress=progress))
    result["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result
