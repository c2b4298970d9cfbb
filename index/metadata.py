"""Read an article's metadata (title, outlet, date, URL, author) from the lines of its text.

Why rules and not a model: news exports state these things in a handful of recognisable shapes
(a "CNN:" headline prefix, "Published at tass.com", "SOURCE: REUTERS", a dateline of its own), and a
rule that misses leaves a field empty instead of inventing it. Dates are taken only from a line
that is a date and nothing else near the top, never from dates mentioned in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from index.dates import parse_date_line
from index.junk import URL_LINE, is_image_url, is_junk_line, is_sentence

_DATE_URL_LINE = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\s+(https?://\S+)$", re.I)
_PUBLISHED_AT = re.compile(r"^(?:published|originally published|first published) (?:at|on|by)\s+(\S.*?)\.?$", re.I)
_SOURCE_LINE = re.compile(r"^source\s*:\s*(\S.*?)\.?$", re.I)
_BYLINE = re.compile(r"^by\s+([^\d.,;:!?]{3,60})$", re.I)
_PREFIX_OUTLET = re.compile(r"^([A-Z][A-Za-z.&'-]{1,24}(?: [A-Z][A-Za-z.&'-]{1,24})?):\s+(\S.*)$")

KNOWN_OUTLETS = {
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "sputniknews.com": "Sputnik",
    "reuters.com": "Reuters",
    "cnn.com": "CNN",
    "edition.cnn.com": "CNN",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "apnews.com": "AP",
    "rt.com": "RT",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian",
    "moderndiplomacy.eu": "Modern Diplomacy",
}
# Headline prefixes that are sections or genres, not outlets ("Analysis: ...").
_NOT_OUTLETS = {"analysis", "opinion", "update", "breaking", "exclusive", "explainer", "live", "watch", "video", "factbox", "chapter", "editorial", "interview", "comment"}


@dataclass
class Metadata:
    """What the text states about itself; ``None`` where it states nothing."""

    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    author: str | None = None


def outlet_from_url(url: str | None) -> str | None:
    """Name the outlet behind a URL: a known newsroom's name, else its bare domain."""
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    if not host:
        return None
    host = host.removeprefix("www.")
    for domain, name in KNOWN_OUTLETS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host


def _outlet_name(raw: str) -> str:
    raw = raw.strip().strip(".")
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}", raw, re.I):
        return outlet_from_url("http://" + raw) or raw
    if raw.isupper() and len(raw) > 4:
        return raw.title()
    return raw


def extract_metadata(lines: list[str], hints: dict[str, str | None] | None = None, head: int = 15) -> tuple[Metadata, set[int]]:
    """Find the metadata in ``lines`` and return it with the indexes of the lines that carried it.

    ``hints`` (from an HTML page or a URL) win over what the text says. Only the first ``head``
    non-empty lines before the first line of prose are searched for the title, date, URL and byline; outlet statements ("Published at …",
    "SOURCE: …") are looked for anywhere, because exports put them at the end.
    """
    hints = hints or {}
    meta = Metadata(
        title=hints.get("title"),
        outlet=hints.get("outlet"),
        date=hints.get("date"),
        url=hints.get("url"),
        author=hints.get("author"),
    )
    used: set[int] = set()
    stated_outlet: str | None = None
    prefix_outlet: str | None = None
    seen = 0
    in_body = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        in_head = seen <= head and not in_body
        m = _DATE_URL_LINE.match(line)
        if m and in_head:
            meta.date = meta.date or m.group(1)
            meta.url = meta.url or m.group(2)
            used.add(i)
            continue
        if in_head and (iso := parse_date_line(line)):
            meta.date = meta.date or iso
            used.add(i)
            continue
        if in_head and URL_LINE.match(line) and not is_image_url(line):
            meta.url = meta.url or line
            used.add(i)
            continue
        if m := _PUBLISHED_AT.match(line):
            stated_outlet = stated_outlet or _outlet_name(m.group(1))
            used.add(i)
            continue
        if m := _SOURCE_LINE.match(line):
            stated_outlet = stated_outlet or _outlet_name(m.group(1))
            used.add(i)
            continue
        if in_head and (m := _BYLINE.match(line)):
            meta.author = meta.author or m.group(1).strip()
            used.add(i)
            continue
        if meta.title is None and in_head and _title_like(line):
            meta.title = line
            used.add(i)
            if (m := _PREFIX_OUTLET.match(line)) and m.group(1).lower() not in _NOT_OUTLETS:
                prefix_outlet = m.group(1)
            continue
        if len(line.split()) >= 8 and is_sentence(line) and not is_junk_line(line):
            in_body = True  # the head (title, dateline, byline) ends where prose begins
    meta.outlet = meta.outlet or stated_outlet or outlet_from_url(meta.url) or prefix_outlet
    return meta, used


def _title_like(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 30 and not is_junk_line(line, allow_short_heading=True)
