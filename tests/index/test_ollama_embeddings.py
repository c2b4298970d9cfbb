"""NEWSBOT_EMBEDDINGS=ollama: the embedder served by Ollama, against the stand-in's /api/embed.

The stand-in's models are hashed bags of words (standins/ollama_api.py), so dense retrieval over
them finds the article that shares a question's words; these tests turn keyword retrieval off
(``retrieval_hybrid=False``), so what they find was found by the Ollama vectors alone.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from index import EmbeddingMismatchError, Indexer
from index.embeddings import EmbeddingModelError, OllamaEmbedder, embeddings_for
from index.reader import IndexReader
from tests.conftest import VENV_BIN, free_port, make_settings
from tests.helpers.invariants import check_index

ARTICLES = {
    "volcano.txt": "Etna erupts again\nMount Etna in Sicily erupted overnight, sending lava down its eastern slope. "
    "Catania airport closed while ash fell on nearby villages.",
    "rates.txt": "Central bank holds rates\nThe central bank kept its interest rate at four percent, saying inflation "
    "was slowing but wages were still rising quickly.",
    "football.txt": "Cup final goes to penalties\nThe cup final ended goalless after extra time and the home side won "
    "the penalty shoot-out in front of a sold-out stadium.",
    "wahl.txt": "Die Wahl in Bayern\nDie Wählerinnen und Wähler in Bayern haben am Sonntag einen neuen Landtag gewählt; "
    "die Wahlbeteiligung war höher als vor fünf Jahren.",
}


@pytest.fixture
def news(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


def ollama_settings(data_dir, ollama, model="bge-m3", **overrides):
    return make_settings(data_dir, embeddings="ollama", ollama_base_url=ollama.url, ollama_embedding_model=model,
                         retrieval_hybrid=False, condense_with_llm=False, refusal_min_similarity=0.0, **overrides)


def top_file(settings, question: str) -> str:
    from rag import Assistant

    return os.path.basename(Assistant(settings).retrieve(question, 1)[0].path)


def test_the_settings_choose_the_ollama_embedder(tmp_path, ollama):
    emb = embeddings_for(ollama_settings(tmp_path, ollama, model="bge-m3:latest"))
    assert isinstance(emb, OllamaEmbedder)
    assert (emb.name, emb.dim) == ("ollama/bge-m3", 1024)  # ":latest" is the same model: one name in the index
    assert type(embeddings_for(make_settings(tmp_path))).__name__ == "HashEmbeddings"


def test_index_and_retrieve_with_ollama_embeddings(tmp_path, ollama, news):
    s = ollama_settings(tmp_path / "store", ollama, embedding_batch_size=2)
    report = Indexer(s).run([str(news)])
    assert (report.added, report.skipped) == (4, [])
    check_index(s)
    embeds = [r for r in ollama.requests if r["path"] == "/api/embed"]
    assert embeds and {r["model"] for r in embeds} == {"bge-m3"}
    assert max(len(r["input"]) for r in embeds) <= 2  # batched by NEWSBOT_EMBEDDING_BATCH_SIZE
    manifest = IndexReader(s).open_manifest()
    try:
        assert (manifest.get_meta("embedding_model"), int(manifest.get_meta("embedding_dim"))) == ("ollama/bge-m3", 1024)
    finally:
        manifest.close()

    assert top_file(s, "Did the Etna volcano erupt?") == "volcano.txt"
    assert top_file(s, "What interest rate did the central bank set?") == "rates.txt"
    assert top_file(s, "Wie hoch war die Wahlbeteiligung in Bayern?") == "wahl.txt"
    questions = [r["input"] for r in ollama.requests[len(embeds):] if r["path"] == "/api/embed"]
    assert ["Did the Etna volcano erupt?"] in questions  # the question was embedded by Ollama, too


def test_switching_embedders_needs_a_rebuild(tmp_path, ollama, news):
    local = make_settings(tmp_path / "store")  # hash-256, in process
    Indexer(local).run([str(news)])
    s = ollama_settings(tmp_path / "store", ollama)
    with pytest.raises(EmbeddingMismatchError, match=r"built with embedding model hash-256 .*ollama/bge-m3 \(1024 "
                                                     r"dimensions\)\. Run `newsbot index --rebuild`"):
        Indexer(s).run([str(news)])
    from rag import Assistant

    with pytest.raises(EmbeddingMismatchError, match="newsbot index --rebuild"):
        Assistant(s).retrieve("Etna")  # reading with the other embedder is refused as well
    assert Indexer(s).run([str(news)], rebuild=True).added == 4
    assert top_file(s, "Did the Etna volcano erupt?") == "volcano.txt"
    # another Ollama model is another embedder
    other = ollama_settings(tmp_path / "store", ollama, model="nomic-embed-text")
    with pytest.raises(EmbeddingMismatchError, match=r"ollama/bge-m3 \(1024 dimensions\) .*ollama/nomic-embed-text"):
        Indexer(other).run([str(news)])


def test_cli_says_rebuild_in_one_line(tmp_path, ollama, news):
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(tmp_path / "store"), "NEWSBOT_EMBEDDING_MODEL": "hash-64"}
    newsbot = [str(VENV_BIN / "newsbot"), "index", str(news)]
    assert subprocess.run(newsbot, env=env, capture_output=True, text=True, timeout=300).returncode == 0
    env.update(NEWSBOT_EMBEDDINGS="ollama", NEWSBOT_OLLAMA_BASE_URL=ollama.url)
    out = subprocess.run(newsbot, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().count("\n") == 0 and "newsbot index --rebuild" in out.stderr
    rebuilt = subprocess.run([*newsbot, "--rebuild"], env=env, capture_output=True, text=True, timeout=300)
    assert rebuilt.returncode == 0, rebuilt.stderr


def test_a_model_not_pulled_says_pull_it(tmp_path, ollama, news):
    s = ollama_settings(tmp_path / "store", ollama, model="mxbai-embed-large")
    with pytest.raises(EmbeddingModelError, match=r"no embedding model 'mxbai-embed-large': run `ollama pull "
                                                  r"mxbai-embed-large`"):
        Indexer(s).run([str(news)])


def test_a_server_that_is_down_says_start_it(tmp_path, news):
    class Down:
        url = f"http://127.0.0.1:{free_port()}"

    s = ollama_settings(tmp_path / "store", Down, ollama_timeout=5)
    with pytest.raises(EmbeddingModelError, match=r"Ollama is not reachable at http://127\.0\.0\.1:\d+ for embeddings"):
        Indexer(s).run([str(news)])
