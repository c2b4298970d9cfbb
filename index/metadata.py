"""Read an article's metadata (title, outlet, date, URL, author) from the lines of its text.

Why rules and not a model: news exports state these things in a handful of recognisable shapes
(a "CNN:" headline prefix, "Published at tass.com", "SOURCE: REUTERS", a dateline, a URL line), and a
rule that misses leaves a field empty instead of inventing it. Dates follow the order of trust in
``index/dates.py``; a date the text only implies is an estimate, never an exact date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from index import dates
from index.junk import URL_LINE, is_credit_line, is_image_url, is_junk_line, is_sentence

_DATE_URL_LINE = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\s+(https?://\S+)$", re.I)
_PUBLISHED_AT = re.compile(r"^(?:published|originally published|first published) (?:at|on|by)\s+(\S.*?)\.?$", re.I)
_SOURCE_LINE = re.compile(r"^source\s*:\s*(\S.*?)\.?$", re.I)
_BYLINE = re.compile(r"^by\s+([^\d.,;:!?]{3,60})$", re.I)
_PREFIX_OUTLET = re.compile(r"^([A-Z][A-Za-z.&'-]{1,24}(?: [A-Z][A-Za-z.&'-]{1,24})?):\s+(\S.*)$")
# CNN's dateline marker: "Seoul, South Korea CNN —" or a bare "CNN —".
_WIRE_MARK = re.compile(r"^(?:[A-Z][\w.,' -]{0,40}\s+)?\(?([A-Z][A-Za-z]{1,15})\)?\s+[—–-]\s*$")
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+[|–—-]\s+(?P<site>[A-Z][\w.&' ]{1,30})$")

KNOWN_OUTLETS = {
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "sputniknews.com": "Sputnik",
    "reuters.com": "Reuters",
    "cnn.com": "CNN",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "apnews.com": "AP",
    "rt.com": "RT",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian",
    "moderndiplomacy.eu": "Modern Diplomacy",
    "usatoday.com": "USA TODAY",
    "theweek.co.uk": "The Week",
    "theweek.com": "The Week",
    "npr.org": "NPR",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "politico.com": "Politico",
    "axios.com": "Axios",
    "bloomberg.com": "Bloomberg",
    "wsj.com": "The Wall Street Journal",
    "ft.com": "Financial Times",
    "aljazeera.com": "Al Jazeera",
}
"""Newsrooms whose registered domain does not spell their name; any other site is named by its domain."""
# Headline prefixes that are sections or genres, not outlets ("Analysis: ...").
_NOT_OUTLETS = {"analysis", "opinion", "update", "breaking", "exclusive", "explainer", "live", "watch", "video", "factbox",
                "chapter", "editorial", "interview", "comment", "photos", "review", "fact check", "correction", "editor's note"}


@dataclass
class Metadata:
    """What the text states about itself; ``None`` where it states nothing."""

    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    date_source: str | None = None
    date_updated: str | None = None
    url: str | None = None
    author: str | None = None


def registered_domain(url: str | None) -> str | None:
    """"https://www.theweek.co.uk/x" → "theweek.co.uk", by the public-suffix list bundled with tldextract
    (never fetched: ``suffix_list_urls=()``)."""
    if not url:
        return None
    extract = _extractor()
    parts = extract(url)
    if not parts.domain:
        return None
    return f"{parts.domain}.{parts.suffix}" if parts.suffix else parts.domain


def _extractor():
    global _TLD
    if _TLD is None:
        import tldextract

        _TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return _TLD


_TLD = None


def outlet_from_url(url: str | None) -> str | None:
    """Name the outlet behind a URL: a known newsroom's name, else its registered domain ("usatoday.com")."""
    domain = registered_domain(url)
    if not domain:
        return None
    host = domain.lower()
    full = (re.sub(r"^https?://", "", url or "").split("/")[0].split(":")[0]).lower()
    for candidate in (full.removeprefix("www."), host):
        if candidate in KNOWN_OUTLETS:
            return KNOWN_OUTLETS[candidate]
    return host


def plausible_outlet(name: str | None) -> bool:
    """An outlet is a short name, not a sentence, a credit or a caption ("FEMA press conference attended by …")."""
    if not name:
        return False
    words = name.split()
    if not 1 <= len(words) <= 6 or len(name) > 60 or re.search(r"[!?…]|\.\.", name) or is_credit_line(name):
        return False
    return not any(w.lower() in {"attended", "said", "says", "during", "photo", "image", "credit", "by"} for w in words)


def _outlet_name(raw: str) -> str:
    raw = raw.strip().strip(".")
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}", raw, re.I):
        return outlet_from_url("http://" + raw) or raw
    if raw.isupper() and len(raw) > 4 and raw not in {"USA TODAY"}:
        return raw.title()
    return raw


def extract_metadata(lines: list[str], hints: dict[str, str | None] | None = None, head: int = 15,
                     today: date | None = None) -> tuple[Metadata, set[int]]:
    """Find the metadata in ``lines`` and return it with the indexes of the lines that carried it.

    ``hints`` (front matter, an HTML page's metadata, a feed entry) win over what the text says; a
    hinted date comes with ``date_source``. Only the first ``head`` non-empty lines before the first
    line of prose are searched for the title, dateline, URL and byline; outlet statements
    ("Published at …", "SOURCE: …") are looked for anywhere, because exports put them at the end.
    """
    hints = hints or {}
    meta = Metadata(title=hints.get("title"), outlet=hints.get("outlet"), url=hints.get("url"), author=hints.get("author"))
    if hints.get("date"):
        meta.date = dates.parse_date(hints["date"] or "") or None
        meta.date_source = hints.get("date_source") or "meta" if meta.date else None
        meta.date_updated = dates.parse_date(hints.get("date_updated") or "") or None
    used: set[int] = set()
    stated_outlet = prefix_outlet = suffix_outlet = wire_outlet = None
    head_lines: list[tuple[int, str]] = []
    seen = 0
    in_body = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        in_head = seen <= head and not in_body
        if in_head:
            head_lines.append((i, line))
        m = _DATE_URL_LINE.match(line)
        if m and in_head:
            head_lines.pop()
            head_lines.append((i, m.group(1)))  # "date 2022-11-28 URL": a dateline and a URL line in one
            meta.url = meta.url or m.group(2)
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
        if in_head and (m := _WIRE_MARK.match(line)):
            wire_outlet = wire_outlet or m.group(1)
            used.add(i)
            continue
        if in_head and (m := _BYLINE.match(line)):
            meta.author = meta.author or m.group(1).strip()
            used.add(i)
            continue
        if meta.title is None and in_head and _title_like(line, first=seen == 1):
            meta.title = line
            used.add(i)
            if m := _TITLE_SUFFIX.match(line):
                meta.title, suffix_outlet = m.group("title").strip(), m.group("site").strip()
            if (m := _PREFIX_OUTLET.match(line)) and m.group(1).lower() not in _NOT_OUTLETS:
                prefix_outlet = m.group(1)
            continue
        if len(line.split()) >= 8 and is_sentence(line) and not is_junk_line(line):
            in_body = True  # the head (title, dateline, byline) ends where prose begins
    _read_date(meta, head_lines, lines, used, today)
    for candidate in (meta.outlet, stated_outlet, _known(meta.url), suffix_outlet, wire_outlet,
                      outlet_from_url(meta.url), prefix_outlet):
        if plausible_outlet(candidate):
            meta.outlet = candidate
            break
    else:
        meta.outlet = None
    return meta, used


def _known(url: str | None) -> str | None:
    name = outlet_from_url(url)
    return name if name in KNOWN_OUTLETS.values() else None


def _read_date(meta: Metadata, head_lines: list[tuple[int, str]], lines: list[str], used: set[int],
               today: date | None) -> None:
    """Fill the date in order of trust: hints, then the dateline, then the URL, then an estimate.

    Dateline lines are consumed (they are not article text) even when a hint already dated the article.
    """
    url_date = dates.from_url(meta.url)
    base = date.fromisoformat(meta.date or url_date) if (meta.date or url_date) else None
    for i, line in head_lines:
        if i in used and not _DATE_URL_LINE.match(lines[i].strip()):
            continue
        found = dates.from_datelines([line], base)
        if found is None:
            continue
        used.add(i)
        if meta.date is None:
            meta.date, meta.date_source, meta.date_updated = found.date, found.how, found.updated
        elif meta.date_updated is None and found.updated:
            meta.date_updated = found.updated
        break
    if meta.date is None and url_date:
        meta.date, meta.date_source = url_date, "url"
    if meta.date is None:
        body = "\n".join(line for k, line in enumerate(lines) if k not in used)
        guess = dates.estimate(body, today)
        if guess is not None:
            meta.date, meta.date_source = guess.date, guess.how


def _title_like(line: str, first: bool = False) -> bool:
    """A headline: a few real words (one will do on the first line: "GONE"), not a number, byline,
    date, timestamp or photo credit."""
    words = line.split()
    alpha = [w for w in words if sum(c.isalpha() for c in w) >= 3]
    if not (1 if first else 2) <= len(words) <= 30 or not alpha:
        return False
    if _BYLINE.match(line) or re.match(r"^by\s", line, re.I) or is_credit_line(line) or dates.is_date_line(line):
        return False
    return first and len(words) == 1 or not is_junk_line(line, allow_short_heading=True)
