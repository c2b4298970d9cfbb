"""Recognise a line that is a publication date and nothing else, in the formats news exports use."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PREFIX = r"(?:(?:date|dated|published(?: on)?|posted(?: on)?|updated(?: on)?)\s*:?\s*)?"
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_DATE_PREFIX}(\d{{4}})-(\d{{2}})-(\d{{2}})(?:[T ][\d:.]+(?:Z|[+-]\d{{2}}:?\d{{2}})?)?$", re.I), "ymd"),
    (re.compile(rf"^{_DATE_PREFIX}({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.I), "mdy"),
    (re.compile(rf"^{_DATE_PREFIX}(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})$", re.I), "dmy"),
    (re.compile(rf"^{_DATE_PREFIX}(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}})$", re.I), "dmy_num"),
    (re.compile(rf"^{_DATE_PREFIX}(\d{{4}})/(\d{{2}})/(\d{{2}})$", re.I), "ymd"),
]

def parse_date_line(line: str) -> str | None:
    """Return ISO ``YYYY-MM-DD`` if the whole line is a date, else ``None``."""
    text = line.strip().strip("|").strip()
    for pattern, order in _DATE_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        a, b, c = m.groups()
        try:
            if order == "ymd":
                d = date(int(a), int(b), int(c))
            elif order == "mdy":
                d = date(int(c), _MONTHS[a.lower()], int(b))
            elif order == "dmy":
                d = date(int(c), _MONTHS[b.lower()], int(a))
            else:
                d = date(int(c), int(b), int(a))
        except ValueError:
            return None
        return d.isoformat()
    return None
