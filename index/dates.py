"""An article's publication date, and where it came from.

Order of trust (docs/indexing.md), kept with every article as ``date_source``:
``user`` (front matter) > ``meta`` (HTML metadata) > ``feed`` (a feed entry's time) > ``dateline``
(a date line near the top) > ``url`` (a date in the URL path) > ``estimate`` (the latest year the
text mentions, shown as "not before …", never as an exact date).

Libraries, and why: dateparser reads the many ways newsrooms write a date ("Dec. 17, 2025",
"Sept. 12, 2024", "Tuesday, July 21, 2020", "10:37 a.m. ET", "5 hours ago"), so no month table is
written here; htmldate (which trafilatura already uses) reads HTML metadata and dates in URL paths.
Their fallbacks are kept out: dateparser must find a day, a month and a year in a candidate
(``REQUIRE_PARTS``, strict parsing), and htmldate runs without its extensive search, which turns a
bare year into 1 January. A dateline line is first cut into date-shaped candidates by a generic
pattern (a word, a day, a year; or ISO digits), because dateparser's own free-text search misreads
lines that hold two dates ("Dec. 17, 2025 Updated Dec. 18, 2025").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from core.language import MONTHS

DATE_SOURCES = ("user", "meta", "feed", "dateline", "url", "estimate")
"""Where a date can come from, most trusted first."""
EXACT_SOURCES = frozenset(DATE_SOURCES) - {"estimate"}

# Date-shaped candidates; dateparser decides whether the word is a month (no month table here).
_CANDIDATE = re.compile(
    r"(?:[A-Za-z]{3,9},?\s+)?[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"  # Dec. 17, 2025 / Tuesday, July 21, 2020
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"  # 17 December 2025
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"  # ISO
    r"|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}"
    r"|\d+\s+(?:minutes?|mins?|hours?|hrs?|days?)\s+ago|\byesterday\b",
    re.I,
)
_UPDATED = re.compile(r"\b(?:updated|modified|revised)\b", re.I)
_LABEL = re.compile(r"^(?:updated|published|posted|modified|revised|on|at)\b\W*", re.I)
_RELATIVE = re.compile(r"\bago\b|\byesterday\b", re.I)
# What may stand beside the dates in a dateline: times, zones, labels, separators, a byline's name.
_TIME = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?(?=\W|$)", re.I)
_FILLER = re.compile(
    r"\b(?:published|updated|modified|posted|last|first|on|at|date[d]?|time|[ap]\.?m\.?|"
    r"[ECMP][SD]?T|GMT|UTC|BST|CET|CEST|MSK|IST|JST|AEST|AEDT)\b|[|,:;()\-–—•·/]",
    re.I,
)
_BYLINE_START = re.compile(r"^\s*by\s+", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_FUTURE_CUE = re.compile(r"\b(?:by|until|through|before|target|goal|plans?|expected|projected|fiscal|FY|class of)\s*$", re.I)


@dataclass(frozen=True)
class FoundDate:
    """A date read from a line: ISO day, and whether the line labels it as an update."""

    iso: str
    updated: bool


@dataclass(frozen=True)
class ArticleDate:
    """An article's date: ``date`` (ISO; for an estimate, its lower bound), ``how`` it was found (stored as the
    article's ``date_source``), and the
    last update where the article states one."""

    date: str | None = None
    how: str | None = None
    updated: str | None = None

    @property
    def exact(self) -> bool:
        return self.how in EXACT_SOURCES and self.date is not None


@lru_cache(maxsize=4096)
def _parse(candidate: str, base: datetime | None) -> date | None:
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}
    if _RELATIVE.search(candidate):
        if base is None:
            return None  # "5 hours ago" means nothing without the page's own date
        settings = {"RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        parsed = dateparser.parse(candidate, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return parsed.date()


def parse_date(text: str, base: date | None = None) -> str | None:
    """ISO date of a text that is one date in any common form ("Mar. 30, 2021", "2021-03-30"), else None."""
    found = dates_in(text.strip(), base)
    return found[0].iso if found else None


def dates_in(line: str, base: date | None = None) -> list[FoundDate]:
    """Every full date in ``line``, in order, each marked ``updated`` when "Updated" labels it.

    ``base`` is the page's own date, against which "5 hours ago" is read.
    """
    if not any(c.isdigit() for c in line) and "yesterday" not in line.lower():
        return []
    base_dt = datetime(base.year, base.month, base.day, 12) if base else None
    out: list[FoundDate] = []
    gap_start = 0
    for m in _CANDIDATE.finditer(line):
        text, start = m.group(), m.start()
        if label := _LABEL.match(text):  # "Updated Dec. 18, 2025": the label is not part of the date
            text, start = text[label.end():], start + label.end()
        day = _parse(text, base_dt)
        if day is None:
            continue
        # A date is an update when "Updated" stands between it and the previous date.
        out.append(FoundDate(day.isoformat(), bool(_UPDATED.search(line[gap_start:start]))))
        gap_start = m.end()
    return out


def dateline(line: str, base: date | None = None) -> list[FoundDate]:
    """The dates of ``line`` if it is a dateline (dates, times, zones and labels, perhaps a byline),
    else ``[]``: a sentence that mentions a date is not a dateline."""
    if len(line) > 160:
        return []
    found = dates_in(line, base)
    if not found:
        return []
    rest = _CANDIDATE.sub(" ", line)
    rest = _FILLER.sub(" ", _TIME.sub(" ", rest))
    words = [w for w in rest.split() if any(c.isalpha() for c in w)]
    if not words:
        return found
    if _BYLINE_START.match(line) or re.search(r"\b(?:published|updated|posted)\b", line, re.I):
        return found if len(words) <= 6 else []  # "By Jane Doe, USA TODAY Published Oct. 3, 2025"
    return found if len(words) <= 1 else []  # "Jan 25, 2005 —", "Washington, Dec. 17, 2025"


def is_date_line(line: str) -> bool:
    """A line that is a date and nothing else (or a dateline): junk in the article text."""
    return len(line.split()) <= 24 and bool(dateline(line))


def from_datelines(lines: list[str], base: date | None = None) -> ArticleDate | None:
    """The article date stated by the first dateline among ``lines`` (the head of the article).

    Where a published and an updated date both appear, the published one is the article's date and
    the latest update is kept beside it; a page that only says "Updated …" is dated by that.
    """
    for line in lines:
        found = dateline(line, base)
        if not found:
            continue
        published = [f.iso for f in found if not f.updated]
        updates = [f.iso for f in found if f.updated]
        day = published[0] if published else updates[0]
        later = max(updates) if updates else None
        return ArticleDate(day, "dateline", later if later and later != day else None)
    return None


def from_url(url: str | None) -> str | None:
    """The day in a URL path (``/2025/12/17/``, ``/2024-09-12/``), via htmldate; a year and month alone are not a day."""
    if not url:
        return None
    from htmldate import find_date

    try:
        return find_date("<html><body></body></html>", url=url, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - htmldate raises on odd URLs; no date then
        return None


def from_html(html: str) -> ArticleDate | None:
    """Published (and modified) date from HTML metadata: ``article:published_time``, JSON-LD
    ``datePublished``, ``<time>``. No extensive search and no URL: neither is metadata."""
    from htmldate import find_date

    try:
        published = find_date(html, extensive_search=False, original_date=True)
        modified = find_date(html, extensive_search=False, original_date=False)
    except Exception:  # noqa: BLE001 - a malformed page has no usable metadata
        return None
    if not published:
        return None
    return ArticleDate(published, "meta", modified if modified and modified != published else None)


def estimate(text: str, today: date | None = None) -> ArticleDate | None:
    """A lower bound from the text: the latest past year it mentions (not a plan "by 2030"),
    refined to the latest full date of that year it names. Never an exact date."""
    today = today or date.today()
    years: list[int] = []
    for m in _YEAR.finditer(text):
        year = int(m.group())
        if year > today.year or _FUTURE_CUE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        years.append(year)
    if not years:
        return None
    latest = max(years)
    best = f"{latest}-01-01"
    for m in list(re.finditer(rf"\b{latest}\b", text))[:8]:
        for found in dates_in(text[max(0, m.start() - 30):m.end()]):
            if found.iso[:4] == str(latest) and found.iso > best and found.iso <= today.isoformat():
                best = found.iso
    return ArticleDate(best, "estimate")


def date_label(iso: str | None, date_source: str | None = None) -> str:
    """How a date is shown to people: "30 March 2021", "not before 2023" for an estimate, or "undated"."""
    if not iso:
        return "undated"
    if date_source == "estimate":
        return f"not before {iso[:4]}" if iso.endswith("-01-01") else f"not before {human_date(iso)}"
    return human_date(iso)


def describe_span(rows: list[dict]) -> str:
    """The dates of a set of articles in words, for refusals and the bot's greeting:
    "dated 2021-03-30 to 2022-11-28, 1 with an estimated date, 1 undated"."""
    exact = sorted(r["date"] for r in rows if r.get("date") and r.get("date_source") != "estimate")
    estimated = sum(1 for r in rows if r.get("date") and r.get("date_source") == "estimate")
    undated = sum(1 for r in rows if not r.get("date"))
    parts = [f"dated {exact[0]} to {exact[-1]}" if exact else "none dated"]
    if estimated:
        parts.append(f"{estimated} with an estimated date")
    if undated:
        parts.append(f"{undated} undated")
    return ", ".join(parts)


def human_date(iso: str) -> str:
    """"2021-03-30" → "30 March 2021"."""
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
