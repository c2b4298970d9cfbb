"""The keyword (BM25) index that hybrid retrieval fuses with Chroma's dense search.

It is derived data: rebuilt from the manifest's chunk texts and saved next to it with the
manifest revision it was built from. A reader that finds the revisions differ (a run killed between
the manifest commit and the save) rebuilds it, so it can never drift out of step with Chroma.
Saving goes to a temporary folder first and is swapped in with a rename.

Texts and queries are tokenized by :func:`core.language.tokens`, the words verification and the refusal
gate compare too. The saved index records :data:`TOKENIZER_VERSION`; one saved with another
tokenization is not loaded (it is rebuilt), because querying it with other tokens would find nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.language import tokens

if TYPE_CHECKING:
    from index.manifest import Manifest

TOKENIZER_VERSION = 2
"""Bump when :func:`core.language.tokens` changes what a term is: saved indexes are then rebuilt.
1 was bm25s's own tokenizer (lower case, its English stopwords, no stemming)."""


@dataclass
class KeywordIndex:
    """BM25 over chunk texts; ``ids[i]`` is the chunk id of document ``i``."""

    ids: list[str]
    revision: int
    retriever: object | None

    @classmethod
    def build(cls, ids: list[str], texts: list[str], revision: int) -> "KeywordIndex":
        import bm25s

        if not ids:
            return cls([], revision, None)
        retriever = bm25s.BM25()
        retriever.index([tokens(t) for t in texts], show_progress=False)
        return cls(list(ids), revision, retriever)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids with their BM25 scores (positive scores only)."""
        if self.retriever is None or not query.strip():
            return []
        terms = [t for t in tokens(query) if t in self.retriever.vocab_dict]
        if not terms:
            return []
        k = min(k, len(self.ids))
        docs, scores = self.retriever.retrieve([terms], k=k, show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def save(self, folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".keyword-", dir=folder.parent))
        try:
            if self.retriever is not None:
                self.retriever.save(str(tmp), show_progress=False)
            (tmp / "newsbot.json").write_text(json.dumps({"revision": self.revision, "ids": self.ids,
                                                              "tokenizer": TOKENIZER_VERSION}))
            old = folder.with_name(folder.name + ".old")
            if folder.exists():
                os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, folder: Path) -> "KeywordIndex | None":
        """The saved index, or ``None`` if there is none, it is unreadable, or another tokenization built it."""
        import bm25s

        try:
            info = json.loads((folder / "newsbot.json").read_text())
            if info.get("tokenizer", 1) != TOKENIZER_VERSION:
                return None
            retriever = bm25s.BM25.load(str(folder), mmap=False, show_progress=False) if info["ids"] else None
            return cls(info["ids"], int(info["revision"]), retriever)
        except (OSError, ValueError, KeyError):
            return None


def build_keyword_index(manifest: Manifest) -> KeywordIndex:
    """BM25 over the manifest's live chunks (header + text, so titles and outlets match too).

    Here, not in the pipeline, because both sides need it: the writer saves it after each run, and a
    reader that finds the saved one stale rebuilds it in memory without importing the writer.
    """
    rows = manifest.chunks()
    return KeywordIndex.build([r["id"] for r in rows], [f"{r['header']}\n\n{r['text']}" for r in rows], manifest.revision)
