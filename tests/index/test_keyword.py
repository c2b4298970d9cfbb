"""The BM25 keyword index: tokenized by core.language, and rebuilt when it was saved with another tokenization."""

from __future__ import annotations

import json

from index import Indexer
from index.embeddings import build_embeddings
from index.keyword import TOKENIZER_VERSION, KeywordIndex
from index.layout import Layout
from index.reader import SearchIndex


def test_queries_match_other_forms_of_a_word():
    kw = KeywordIndex.build(["a", "b"], ["The U.S. sanctioned the embassy.", "Talks were held in Geneva."], revision=1)
    assert [cid for cid, _ in kw.search("US sanctions on embassies", 2)] == ["a"]
    assert [cid for cid, _ in kw.search("Where did they hold talks?", 2)] == ["b"]
    assert kw.search("the of and", 2) == [] and kw.search("unknownword", 2) == []


def test_an_index_saved_with_another_tokenization_is_rebuilt_not_queried(settings, corpus):
    Indexer(settings).run([str(corpus)])
    folder = Layout(settings.data_dir, settings.collection).current().keyword_dir
    info = json.loads((folder / "newsbot.json").read_text())
    assert info["tokenizer"] == TOKENIZER_VERSION and KeywordIndex.load(folder) is not None

    info["tokenizer"] = TOKENIZER_VERSION - 1  # as the previous tokenizer saved it
    (folder / "newsbot.json").write_text(json.dumps(info))
    assert KeywordIndex.load(folder) is None

    search = SearchIndex(settings, build_embeddings(settings.embedding_model))
    search.refresh()
    assert search.keyword("Darchiyev appointed ambassador", 3)  # rebuilt in memory by the reader

    Indexer(settings).run([str(corpus)])  # the writer saves it again, with this tokenization
    assert json.loads((folder / "newsbot.json").read_text())["tokenizer"] == TOKENIZER_VERSION
