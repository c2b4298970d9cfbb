"""The embedder seam: the packaged MiniLM (offline) and the hashing embedder for fast tests."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from index.embeddings import EmbeddingModelError, HashEmbeddings, build_embeddings, packaged_model_path


def cos(a, b):
    return sum(x * y for x, y in zip(a, b))


@pytest.mark.slow
def test_packaged_minilm_loads_offline_and_embeds_meaningfully():
    emb = build_embeddings("all-MiniLM-L6-v2")
    assert emb.name == "sentence-transformers/all-MiniLM-L6-v2"
    assert packaged_model_path().joinpath("model.safetensors").exists()
    docs = emb.embed_documents([
        "Anatoly Antonov, Russia's ambassador to the United States, was recalled to Moscow.",
        "The minister said western companies may return to the Russian market.",
    ])
    assert emb.dim == len(docs[0]) == 384
    assert all(math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-4) for v in docs)
    q = emb.embed_query("Who is the Russian envoy in Washington?")
    assert cos(q, docs[0]) > cos(q, docs[1]) + 0.1


def test_hash_embeddings_are_deterministic_and_lexical():
    emb = HashEmbeddings(128)
    a, b, c = emb.embed_documents(["embassy talks in Moscow", "embassy talks in Moscow", "football results"])
    assert a == b and len(a) == 128
    q = emb.embed_query("talks about the embassy")
    assert cos(q, a) > cos(q, c)


def test_unknown_model_is_never_downloaded():
    with pytest.raises(EmbeddingModelError, match="never downloads"):
        build_embeddings("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")


def test_a_no_op_run_does_not_load_the_model(tmp_path):
    """Building the embedder is free; the model loads on the first text to embed."""
    code = (
        "import sys; from index.embeddings import build_embeddings;"
        "e = build_embeddings('all-MiniLM-L6-v2'); print(e.name);"
        "print('sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["sentence-transformers/all-MiniLM-L6-v2", "False"]
