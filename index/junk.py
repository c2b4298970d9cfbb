"""Tell a line of article text from the junk that scrapers leave around it.

Each rule names one kind of junk seen in real exports (the sample corpus has all of them): site
navigation menus, comment-form footers, "Read also" teasers, xpath/meta lines, image URLs, contact
lines, bare keyword lines and stray one-character lines. A line that is a sentence is never junk by
the short-line rules, so article text survives.
"""

from __future__ import annotations

import re

from index.dates import parse_date_line

URL_LINE = re.compile(r"^https?://\S+$")
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?$|/img/|/images?/", re.I)
_XPATH = re.compile(r"^/html/|/@[\w:-]+|@content\b|^//meta\[")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\+\d[\d\s()-]{7,}\d")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?$")
_CREDIT = re.compile(r"^(?:image|photo|picture|illustration|video)\s*(?:source|credit|by)?s?\s*:", re.I)
_TEASER_DESC = re.compile(r"(?:\.\.\.|…)\s*\d{1,2}\.\d{1,2}\.\d{4},\s*[\w .'-]+$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_LOCALE = re.compile(r"^[a-z]{2}_[A-Z]{2}$")
FOOTER_START = re.compile(
    r"^(?:leave a reply|leave a comment|post a comment|\d+ comments?|comments are closed|"
    r"your email address will not be published|required fields are marked|share this(?: article)?:?|"
    r"like this:?|related posts?:?|subscribe to our newsletter)\b",
    re.I,
)
_FUNCTION_WORDS = frozenset(
    "a an the of for in on to that is it its with as by at from says said will be are was were has have "
    "amid over after before than not no this these those who what when why how".split()
)
TEASER_START = re.compile(r"^(?:read also|read more|see also|also read|related|recommended|more on this)\s*:?\s*$", re.I)
TEASER_INLINE = re.compile(r"^(?:read also|read more|see also|also read|related)\s*:\s*\S", re.I)


def is_sentence(line: str) -> bool:
    """A line that ends like a sentence (or runs long enough to be prose) is article text."""
    return bool(_SENTENCE_END.search(line)) or len(line.split()) >= 20


def is_nav_menu(line: str) -> bool:
    """A run of capitalised words with no punctuation: a site's section menu."""
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    if len(words) < 6 or re.search(r"[.,;!?\"“”]", line):
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    function_words = sum(1 for w in words if w.lower() in _FUNCTION_WORDS)
    # A Title Case headline ("Says It Is Important for Biden That ...") has function words; a menu has none.
    return capitalised / len(words) >= 0.8 and function_words / len(words) < 0.1


def is_image_url(line: str) -> bool:
    return bool(URL_LINE.match(line) and _IMAGE_URL.search(line))


def is_junk_line(line: str, allow_short_heading: bool = False) -> bool:
    """True when ``line`` (stripped) is scraper junk rather than article text.

    ``allow_short_heading`` keeps headline-shaped lines (used when looking for the title, which
    has no final full stop).
    """
    line = line.strip()
    if len(line) <= 2:
        return True
    if URL_LINE.match(line) or _XPATH.search(line) or _TIMESTAMP.match(line) or _LOCALE.match(line):
        return True
    if parse_date_line(line) or _CREDIT.match(line) or FOOTER_START.match(line):
        return True
    if TEASER_START.match(line) or TEASER_INLINE.match(line) or _TEASER_DESC.search(line):
        return True
    if is_nav_menu(line):
        return True
    if (_EMAIL.search(line) or _PHONE.search(line)) and not is_sentence(line):
        return True
    if is_sentence(line):
        return False
    if not any(c.isupper() for c in line):
        return True  # bare keyword lines: "russia", "us embassy", "1920 1080 true"
    if allow_short_heading:
        return len(line.split()) < 2
    return len(line.split()) < 4
