"""Answers as Telegram HTML: escaped, with numbered citations, split under 4096 characters.

Article text is full of ``<``, ``&`` and quotes, so everything that is not our own markup is
escaped. Long answers are split on paragraph boundaries, so a citation or a tag is never cut.
"""

from __future__ import annotations

from html import escape

from rag.models import Answer

LIMIT = 4096


def citation_line(c) -> str:
    """``[1] <a href=url>Title</a> — Outlet, 2021-10-12``"""
    title = f'<a href="{escape(c["url"], quote=True)}">{escape(c["title"])}</a>' if c.get("url") else escape(c["title"])
    outlet = f" — {escape(c['outlet'])}" if c.get("outlet") else ""
    return f"[{c['n']}] {title}{outlet}, {escape(c.get('date_label') or c['date'] or 'undated')}"


def answer_html(answer: Answer) -> str:
    parts = [escape(answer.text)]
    if answer.citations:
        parts.append("<b>Sources</b>\n" + "\n".join(citation_line(c.to_dict()) for c in answer.citations))
    return "\n\n".join(parts)


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
