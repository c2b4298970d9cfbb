"""Admins hand the bot news: links in a message, or a file. Each is indexed through ``index.Indexer``
(the same guards as ``newsbot index URL``: schemes, private addresses, size and time caps) and
reported back by title, outlet and date, or by why it was skipped.

The handlers only check who is asking and reply; this module finds the links, keeps uploaded files
under ``data_dir/uploads`` (so a later ``newsbot index`` or ``--rebuild`` still finds them) and
runs the index. Indexing is blocking work: callers run :func:`index_inputs` in a thread.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import rag
from bot import texts
from bot.i18n import _
from core.settings import Settings
from index import Indexer

_LINK = re.compile(r"https?://[^\s<>\"'«»“”]+", re.I)
FILE_TYPES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
MAX_LINKS = 10


@dataclass(frozen=True)
class Ingested:
    """One link or file: the article it became (``item``; ``new`` if it was not indexed before), or why not."""

    name: str
    item: rag.NewsItem | None = None
    new: bool = False
    reason: str = ""


def find_links(text: str) -> list[str]:
    """The http(s) links in a message, in order, without repeats or the punctuation that ends a sentence."""
    links = [m.group(0).rstrip(".,;:!?)]}") for m in _LINK.finditer(text or "")]
    return list(dict.fromkeys(links))[:MAX_LINKS]


def upload_path(settings: Settings, file_name: str | None, unique_id: str) -> Path:
    """Where an uploaded file is kept: ``data_dir/uploads/<telegram's unique id>-<safe name>``."""
    name = re.sub(r"[^\w.-]+", "_", Path(file_name or "upload.txt").name).strip("._") or "upload.txt"
    return settings.data_dir / "uploads" / f"{unique_id}-{name}"


def check_upload(settings: Settings, file_name: str | None, size: int | None) -> str | None:
    """Why a file will not be read (its type, its size) before it is downloaded, or None."""
    suffix = Path(file_name or "").suffix.lower()
    if suffix not in FILE_TYPES:
        return _(texts.UNSUPPORTED_FILE).format(suffix=suffix or "(none)")
    if size and size > settings.max_file_mb * 1024 * 1024:
        return _(texts.FILE_TOO_LARGE).format(mb=size / 1024 / 1024, limit=settings.max_file_mb)
    return None


def index_inputs(settings: Settings, inputs: list[str], names: dict[str, str] | None = None) -> tuple[list[Ingested], list[str]]:
    """Index ``inputs`` (URLs, or absolute file paths) and say what became of each.

    Returns:
        One :class:`Ingested` per input (named by ``names[input]``, default the input), and the ids
        of the articles this run added: what topic alerts are sent for.

    Raises:
        IndexBusyError: another run (a feed refresh, another upload) holds the index.
    """
    before = {i.id for i in rag.latest(10**9, settings)} if inputs else set()
    report = Indexer(settings).run(inputs)
    skipped = {s.path: s.reason for s in report.skipped}
    found = rag.items_by_path(inputs, settings)
    results = []
    for key in inputs:
        name = (names or {}).get(key, key)
        if key in found:
            results.append(Ingested(name, found[key], new=found[key].id not in before))
        else:
            results.append(Ingested(name, reason=skipped.get(key) or skipped.get(os.path.abspath(key)) or _(texts.UNREADABLE)))
    new_ids = list(dict.fromkeys(r.item.id for r in results if r.item is not None and r.new))
    return results, new_ids
