"""Tell a line of article text from the junk that scrapers leave around it.

Each rule names one kind of junk seen in real exports (the sample corpus has all of them): site
navigation menus, comment-form footers, "Read also" teasers, xpath/meta lines, image URLs, contact
lines, bare keyword lines and stray one-character lines. A line that is a sentence is never junk by
the short-line rules, so article text survives.
"""

from __future__ import annotations

import re

from index.dates import is_date_line

URL_LINE = re.compile(r"^https?://\S+$")
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?$|/img/|/images?/", re.I)
_XPATH = re.compile(r"^/html/|/@[\w:-]+|@content\b|^//meta\[")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\+\d[\d\s()-]{7,}\d")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?$")
_CREDIT = re.compile(r"^(?:image|photo|picture|illustration|video|photography)\s*(?:source|credit|by)?s?\s*[:\s]", re.I)
# A caption or credit ends with "Name/Agency" or "Getty Images": "… in New York City. Angela Weiss/AFP/Getty Images".
_CREDIT_TAIL = re.compile(
    r"(?:\b[A-Z][\w.'-]+(?:\s[A-Z][\w.'-]+){0,3}/(?:[A-Z][\w.&' -]{1,30}/)*[A-Z][\w.&' -]{1,30}|Getty Images|"
    r"\((?:Photo|Image|Credit)[^)]*\))\s*$"
)
# "Updated 10:37 a.m. ET Dec. 18, 2025", "Published 3 hours ago": a label with a time, not a headline
# ("Updated grocery store hours in Delaware").
_UPDATED_LINE = re.compile(r"^(?:updated|last updated|published|posted|modified)\b(?=[^.]*(?:\d|\bago\b))[^.]{0,60}$|"
                           r"^updated\s+[^:]{0,40}:\s*$", re.I)
_PROMO = re.compile(
    r"\b(?:sign up|subscribe)\b.{0,80}\b(?:newsletter|inbox|here|today|print edition|for free|& save)\b|"
    r"\bnewsletter\b.{0,40}\bsign up\b|^subscribe to\b|^support local journalism\b|^never miss a story\b|"
    r"^thank you for supporting our journalism\b",
    re.I,
)
_PROMO_WORDS = ("sign up", "subscribe", "newsletter", "support local", "never miss", "thank you for supporting")
_SHARE = re.compile(r"^(?:share|share this|email|print|tweet)(?:\s*[|/]\s*\w+){0,6}$", re.I)
_CAPTION_CONTROL = re.compile(r"^(?:show|hide|view|expand|close)\s+(?:caption|captions|all|gallery|photos?)\b|^\d+\s+of\s+\d+$|"
                              r"^(?:caption|enlarge this image|toggle caption)$", re.I)
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


def is_credit_line(line: str) -> bool:
    """A photo credit or a caption that ends with one; never article text."""
    line = line.strip()
    if _CREDIT.match(line):
        return True
    tail = _CREDIT_TAIL.search(line[-120:])  # credits stand at the end; a bounded tail keeps this cheap
    return bool(tail) and ("/" in tail.group() or "Getty" in tail.group() or tail.group().startswith("("))


def is_promo_line(line: str) -> bool:
    """Share, subscribe and newsletter blocks, and "Show caption" debris."""
    low = line.lower()
    if any(w in low for w in _PROMO_WORDS) and _PROMO.search(line):
        return True
    return len(line) <= 60 and bool(_SHARE.match(line.strip()) or _CAPTION_CONTROL.match(line.strip()))


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
    if FOOTER_START.match(line) or is_credit_line(line) or is_promo_line(line) or _UPDATED_LINE.match(line):
        return True
    if is_date_line(line):
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
