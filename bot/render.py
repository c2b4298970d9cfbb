"""Answers as Telegram HTML: escaped, with numbered citations, split under 4096 characters.

Article text is full of ``<``, ``&`` and quotes, so everything that is not our own markup is
escaped. Long answers are split on paragraph boundaries, so a citation or a tag is never cut.
"""

from __future__ import annotations

from html import escape

from bot import texts
from bot.i18n import _, english, n_
from rag.models import Answer

LIMIT = 4096


def citation_line(c) -> str:
    """``[1] <a href=url>Title</a> — Outlet, 2021-10-12``"""
    title = f'<a href="{escape(c["url"], quote=True)}">{escape(c["title"])}</a>' if c.get("url") else escape(c["title"])
    outlet = f" — {escape(c['outlet'])}" if c.get("outlet") else ""
    return f"[{c['n']}] {title}{outlet}, {escape(c.get('date_label') or c['date'] or _(texts.UNDATED))}"


def answer_html(answer: Answer, text: str | None = None) -> str:
    """The answer (or ``text`` in its place: a refusal in the user's language) and its numbered sources."""
    parts = [escape(answer.text if text is None else text)]
    if answer.citations:
        parts.append(f"<b>{_(texts.SOURCES)}</b>\n" + "\n".join(citation_line(c.to_dict()) for c in answer.citations))
    return "\n\n".join(parts)


def span(rows: list[dict]) -> str:
    """The dates of a set of articles in the user's language; in English the words of ``rag.describe_span``."""
    exact = sorted(r["date"] for r in rows if r.get("date") and r.get("date_source") != "estimate")
    estimated = sum(1 for r in rows if r.get("date") and r.get("date_source") == "estimate")
    undated = sum(1 for r in rows if not r.get("date"))
    parts = [_(texts.SPAN_DATED).format(first=exact[0], last=exact[-1]) if exact else _(texts.SPAN_NONE_DATED)]
    if estimated:
        parts.append(n_(texts.SPAN_ESTIMATED, estimated).format(n=estimated))
    if undated:
        parts.append(n_(texts.SPAN_UNDATED, undated).format(n=undated))
    return ", ".join(parts)


def refusal(answer: Answer, settings, sources) -> str | None:
    """A refusal of rag's in the user's language, or None to show rag's own words.

    The seam: rag says *why* it refused (``Answer.refusal``) and the bot words it. English, and a
    refusal kind the bot has no words for (a missing period, an empty index), keep rag's text, which
    the operator may have reworded (prompts/refusal.txt). ``sources`` is ``rag.sources``.
    """
    if not answer.refused or answer.refusal not in ("not_said", "other_script") or english():
        return None
    if answer.refusal == "other_script":
        words = _(texts.OTHER_SCRIPT)
        return words.format(model=settings.embedding_model) if words != texts.OTHER_SCRIPT else None
    rows = sources(settings)
    words = n_(texts.NOT_SAID, len(rows))
    if words == texts.NOT_SAID[len(rows) != 1]:
        return None  # no translation: rag's English
    return words.format(n=len(rows), span=span(rows), question=answer.question)


def quotes_html(citations: list[dict]) -> str:
    return "\n\n".join(f"{citation_line(c)}\n<blockquote>{escape(c['quote'])}</blockquote>" for c in citations)


def split_message(html: str, limit: int = LIMIT) -> list[str]:
    """Split at paragraph boundaries (blank lines), then lines; a piece is only cut inside if a
    single line is longer than ``limit``, and then outside any tag."""
    pieces: list[str] = []
    current = ""
    for block in html.split("\n\n"):
        for part in _fit(block, limit):
            candidate = f"{current}\n\n{part}" if current else part
            if len(candidate) <= limit:
                current = candidate
            else:
                pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def _fit(block: str, limit: int) -> list[str]:
    if len(block) <= limit:
        return [block]
    out, current = [], ""
    for line in block.split("\n"):
        while len(line) > limit:
            cut = _safe_cut(line, limit)
            out.append(line[:cut])
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = line
    if current:
        out.append(current)
    return out


def _safe_cut(line: str, limit: int) -> int:
    """The last space before ``limit`` that is outside a tag and an HTML entity."""
    cut = line.rfind(" ", 0, limit)
    while cut > 0 and (line.rfind("<", 0, cut) > line.rfind(">", 0, cut) or line.rfind("&", 0, cut) > line.rfind(";", 0, cut)):
        cut = line.rfind(" ", 0, cut)
    return cut if cut > 0 else limit


def _text(value: str) -> str:
    """Escaped for a text node (quotes need no escaping there, so titles read as they are)."""
    return escape(value, quote=False)


def news_line(item) -> str:
    """``12 October 2021 · <a href=url>Title</a> — Outlet`` for a :class:`rag.NewsItem` (no link for a file)."""
    title = f'<a href="{escape(item.url, quote=True)}">{_text(item.title)}</a>' if item.url else _text(item.title)
    outlet = f" — {_text(item.outlet)}" if item.outlet else ""
    return f"{_text(item.date_label)} · {title}{outlet}"


def latest_html(items) -> str:
    if not items:
        return _(texts.LATEST_EMPTY)
    return "\n".join([_(texts.LATEST_HEADER).format(n=len(items))] + [f"• {news_line(i)}" for i in items])


def digest_html(digest) -> str:
    """Each story numbered: its newest article, the others on it, one quoted sentence cited ``[n]``; the sources last."""
    if not digest.stories:
        return escape(_(texts.DIGEST_EMPTY).format(since=digest.since))
    n_stories = len(digest.stories)
    parts = [_(texts.DIGEST_HEADER).format(since=escape(digest.since),
                                           articles=n_(texts.DIGEST_ARTICLES, digest.articles).format(n=digest.articles),
                                           stories=n_(texts.DIGEST_STORIES, n_stories).format(n=n_stories))]
    for n, story in enumerate(digest.stories, start=1):
        block = [f"{n}. <b>{_text(story.articles[0].title)}</b>", f"“{_text(story.sentence)}” [{n}]"]
        if len(story.articles) > 1:
            others = "; ".join(f"{_text(a.title)} ({_text(a.outlet or a.date_label)})" for a in story.articles[1:])
            block.append(_(texts.DIGEST_ALSO).format(titles=others))
        parts.append("\n".join(block))
    parts.append(f"<b>{_(texts.SOURCES)}</b>\n" + "\n".join(citation_line({**s.citation.to_dict(), "n": n}) for n, s in enumerate(digest.stories, start=1)))
    return "\n\n".join(parts)


def alert_html(alert, topic: str) -> str:
    """A topic alert: the headline, outlet and date, one sentence of the article cited [1], and the link."""
    a = alert.article
    head = f"<b>{_text(a.title)}</b>\n{_text(', '.join(x for x in (a.outlet, a.date_label) if x))}"
    parts = [_(texts.ALERT_HEADER).format(topic=_text(topic)), head, f"“{_text(alert.sentence)}” [1]",
             citation_line(alert.citation.to_dict())]
    if a.url:
        parts[-1] += "\n" + _(texts.READ_IT).format(link=f'<a href="{escape(a.url, quote=True)}">{escape(a.url)}</a>')
    return "\n\n".join(parts)


def ingest_html(results) -> str:
    """What became of each link or file sent to be indexed: its title, outlet and date, or why it was skipped."""
    lines = [_(texts.INDEXED_HEADER)]
    for r in results:
        if r.item is None:
            lines.append(f"• {escape(r.name, quote=False)}: {escape(_(texts.SKIPPED).format(reason=r.reason), quote=False)}")
        else:
            known = f" {_(texts.ALREADY_HAD)}" if not r.new else ""
            lines.append(f"• {news_line(r.item)}{known}")
    return "\n".join(lines)


def subscriptions_html(subscriptions) -> str:
    if not subscriptions:
        return escape(_(texts.SUBSCRIPTIONS_EMPTY))
    return "\n".join([_(texts.SUBSCRIPTIONS_HEADER)] + [f"• {_text(s.topic)} ({_(texts.SINCE).format(date=escape(s.since[:10]))})"
                                                         for s in subscriptions])
