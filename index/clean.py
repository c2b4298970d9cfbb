"""From a decoded document to a clean :class:`~index.models.Article`.

Order matters and is fixed here: normalise whitespace and Unicode, read metadata (which consumes
its own lines), cut comment footers, drop junk lines and repeats, then join paragraphs. The
cleaned text is what chunk offsets and citation quotes point into, so it is produced once and
stored as is.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from pathlib import Path

from index.junk import FOOTER_START, TEASER_START, is_junk_line, is_sentence
from index.metadata import extract_metadata
from index.models import Article, RawDocument

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# A sentence glued to the next one by a lost space: `functioning."The` or `world.Last`.
_GLUED = re.compile(r"(?<=[a-z0-9][.!?][\"”’])(?=[A-Z“\"])|(?<=[a-z][.!?])(?=[A-Z][a-z])")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")


class EmptyArticleError(ValueError):
    """Nothing that reads as article text is left after cleaning."""


def normalise(text: str) -> str:
    """NFC, one kind of newline, no invisible characters, single spaces, no trailing blanks."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def read_front_matter(text: str, hints: dict[str, str | None]) -> str:
    """Take a YAML front matter block (``---`` lines) off the top of a text or Markdown file.

    This is how a user sets an article's metadata by hand (docs/indexing.md): ``date`` (any common
    form; it becomes the article's date with ``date_source: user``, the most trusted), ``title``,
    ``outlet`` (or ``source``/``publisher``), ``url``, ``author``. Front matter that is not valid YAML
    is left in the text, where the cleaner drops it line by line.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return text
    import yaml

    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return text
    if not isinstance(data, dict):
        return text
    for key, value in data.items():
        key = str(key).strip().lower()
        value = str(value).strip() if value is not None else ""
        if not value:
            continue
        if key in {"title", "url", "author"}:
            hints[key] = value
        elif key in {"source", "outlet", "publisher"}:
            hints["outlet"] = value
        elif key in {"date", "published", "date_published"}:
            hints["date"], hints["date_source"] = value, "user"
        elif key in {"updated", "date_updated", "modified"}:
            hints["date_updated"] = value
    return text[m.end():]


def _markdown_to_lines(text: str) -> str:
    """Headings, links and emphasis become plain text."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^#{1,6}\s+", "", line)
        line = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+(?=\S)", "", line)
        line = _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", line))
        lines.append("" if re.fullmatch(r"[-*_=]{3,}", line.strip()) else line)
    return "\n".join(lines)


def clean_document(doc: RawDocument) -> Article:
    """Clean ``doc`` and read its metadata.

    Raises:
        EmptyArticleError: when no article text is left (a page of menus, an empty export).
    """
    hints = {k: v for k, v in doc.hints.items() if v}
    text = normalise(doc.text)
    if doc.kind in ("md", "txt"):
        text = read_front_matter(text, hints)
    if doc.kind == "md":
        text = _markdown_to_lines(text)
    lines = text.split("\n")
    meta, used = extract_metadata(lines, hints)
    title = meta.title
    kept: list[str] = []
    counts = Counter(line for line in lines if line)
    seen: set[str] = set()
    skip_teaser = False
    for i, line in enumerate(lines):
        if i in used:
            continue
        if not line:
            continue
        if FOOTER_START.match(line):
            break
        if TEASER_START.match(line):
            skip_teaser = True
            continue
        if skip_teaser:
            skip_teaser = False
            if not is_sentence(line) and len(line.split()) <= 25:
                continue
        if line == title or is_junk_line(line):
            continue
        if counts[line] > 1:
            if line in seen:
                continue
            seen.add(line)
        kept.append(_GLUED.sub(" ", line))
    body = "\n\n".join(line for line in kept if line)  # one paragraph per line in news exports
    if len(body.split()) < 5:
        raise EmptyArticleError("no article text found after cleaning")
    if not title:
        title = _title_from_source(doc.path)
    content_hash = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return Article(
        id=content_hash[:16],
        path=doc.path,
        title=title,
        outlet=meta.outlet,
        date=meta.date,
        date_source=meta.date_source,
        date_updated=meta.date_updated,
        url=meta.url,
        author=meta.author,
        text=body,
        content_hash=content_hash,
    )


def _title_from_source(source: str) -> str:
    name = source.rstrip("/").rsplit("/", 1)[-1]
    stem = Path(name).stem if "." in name else name
    return re.sub(r"[_-]+", " ", stem).strip() or source
