"""Questions in a script the embedding model cannot read: say so, instead of "the articles do not say".

Why: all-MiniLM-L6-v2 (the packaged default) was trained on English. A question in Russian still
gets a vector, but a meaningless one, so retrieval finds nothing and the honest-looking refusal
"the articles do not say" would be wrong: the articles may well say, the model cannot read the
question. :func:`script_note` tells the asker that, and which setting fixes it.

The script is read from Unicode character names (stdlib ``unicodedata``): no language detector is
needed to tell Cyrillic from Latin, and a question with a few Latin names ("Что сказал Antonov?") is
still mostly Cyrillic.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePath

# Sentence-transformers models trained on English only (their model cards say so). A local folder
# counts by its last path part, as the packaged model's name does.
ENGLISH_ONLY = frozenset({
    "all-minilm-l6-v2", "all-minilm-l12-v2", "all-mpnet-base-v2", "all-distilroberta-v1",
    "multi-qa-minilm-l6-cos-v1", "multi-qa-mpnet-base-dot-v1", "paraphrase-minilm-l6-v2",
})
MOSTLY = 0.5


def main_script(text: str) -> str | None:
    """The script most of ``text``'s letters are in ("Cyrillic", "Greek", "CJK", ...) when it is not
    Latin; None for a Latin (or letterless) text."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            script = name.split(" ")[0] if name else "OTHER"
            counts[script] = counts.get(script, 0) + 1
    letters = sum(counts.values())
    if not letters or counts.get("LATIN", 0) / letters >= MOSTLY:
        return None
    script = max((s for s in counts if s != "LATIN"), key=counts.__getitem__)
    return script.title() if script != "CJK" else script


def english_only(model: str) -> bool:
    """Whether the configured embedding model (a name or a local folder) reads English only."""
    return PurePath(model.rstrip("/\\")).name.lower() in ENGLISH_ONLY


def reading_model(settings) -> str:
    """The model that embeds questions under ``settings``: Ollama's embedding model when that backend is
    chosen (``bge-m3`` reads 100+ languages), else ``NEWSBOT_EMBEDDING_MODEL``."""
    return settings.ollama_embedding_model if settings.embeddings == "ollama" else settings.embedding_model


def script_note(question: str, model: str) -> str | None:
    """What to say instead of a refusal when ``model`` cannot read ``question``'s script; None when it can."""
    script = main_script(question)
    if script is None or not english_only(model):
        return None
    return (f"Your question is in {script} script, but my search model ({model}) reads English only, so I cannot "
            f"tell whether the articles say. Please ask in English; or switch to a multilingual embedder and re-index "
            f"(`newsbot index --rebuild`): NEWSBOT_EMBEDDINGS=ollama with NEWSBOT_OLLAMA_EMBEDDING_MODEL=bge-m3, or "
            f"NEWSBOT_EMBEDDING_MODEL set to a multilingual model saved in a local folder (docs/access.md).")
