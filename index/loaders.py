"""Find and read the inputs of an index run: files in folders (recursively) and http(s) URLs.

Every input either becomes a :class:`RawDocument` or a :class:`Skipped` with a reason a person
can act on; nothing raises out of here and nothing vanishes.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

from index.decode import UndecodableError, decode_bytes
from index.models import RawDocument, Skipped

SUPPORTED = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
             ".pdf": "pdf"}
_MAX_REDIRECTS = 5


@dataclass(frozen=True)
class FoundFile:
    """A regular file found under a root, with the stat used to skip it cheaply when unchanged."""

    path: Path
    size: int
    mtime_ns: int


def is_url(arg: str) -> bool:
    return urlparse(arg).scheme in ("http", "https") and "://" in arg


def walk_files(root: Path, skipped: list[Skipped]) -> Iterator[FoundFile]:
    """Yield supported files under ``root`` in a stable order; report everything else as skipped.

    Hidden files and folders (``.git``, editor backups) are passed over silently, as every tool does.
    """
    if root.is_file():
        entries = [root]
    else:
        entries = []
        for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: skipped.append(Skipped(str(e.filename), f"unreadable folder: {e.strerror}"))):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            entries += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith(".")]
    for path in entries:
        name = str(path)
        try:
            st = path.stat()
        except FileNotFoundError:
            skipped.append(Skipped(name, "dangling symlink" if path.is_symlink() else "vanished while indexing"))
            continue
        except OSError as exc:
            skipped.append(Skipped(name, f"cannot stat: {exc.strerror}"))
            continue
        if not stat.S_ISREG(st.st_mode):
            skipped.append(Skipped(name, "not a regular file"))
            continue
        if path.suffix.lower() not in SUPPORTED:
            skipped.append(Skipped(name, f"unsupported file type {path.suffix or '(no extension)'!r}; "
                                         f"supported: {', '.join(sorted(SUPPORTED))}"))
            continue
        yield FoundFile(path, st.st_size, st.st_mtime_ns)


def read_file(found: FoundFile, max_bytes: int) -> RawDocument | Skipped:
    """Read and decode one file, or say why it cannot be indexed."""
    name = str(found.path)
    if found.size > max_bytes:
        return Skipped(name, f"too large ({found.size / 1e6:.1f} MB > limit {max_bytes / 1e6:.1f} MB; "
                             "raise NEWSBOT_MAX_FILE_MB to index it)")
    try:
        with open(found.path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return Skipped(name, f"unreadable: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return Skipped(name, f"grew past the size limit ({max_bytes / 1e6:.1f} MB) while being read")
    if not data.strip():
        return Skipped(name, "empty file")
    kind = SUPPORTED[found.path.suffix.lower()]
    if kind == "pdf":
        return pdf_document(name, data)
    try:
        text, _encoding = decode_bytes(data)
    except UndecodableError as exc:
        return Skipped(name, str(exc))
    if not text.strip():
        return Skipped(name, "empty file (only whitespace)")
    if kind == "html":
        return html_document(name, text, url=None)
    return RawDocument(path=name, text=text, kind=kind)


def html_document(source: str, html: str, url: str | None) -> RawDocument | Skipped:
    """Main text and metadata of an HTML page via trafilatura; the date from the page's metadata only
    (``index.dates.from_html``: no guessing from the body; a date in the URL is read later, as less trusted)."""
    import trafilatura

    from index.dates import from_html

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        return Skipped(source, "no article text found in the HTML")
    published = from_html(html)
    hints = {
        "title": doc.title,
        "author": doc.author,
        "outlet": doc.sitename,
        "url": url or doc.url,
    }
    if published is not None:
        hints.update(date=published.date, date_source="meta", date_updated=published.updated)
    return RawDocument(path=source, text=doc.text, kind="html", hints={k: v for k, v in hints.items() if v})


_SENTENCE_END = re.compile(r"[.!?:;\"”»)]$")


def pdf_document(source: str, data: bytes) -> RawDocument | Skipped:
    """The text layer of a PDF (press releases, printed articles) via pypdf, its lines joined into paragraphs.

    Why pypdf: pure Python, well kept, no system libraries. A PDF has no paragraphs, only placed lines,
    and the cleaner reads one paragraph per line, so wrapped lines are joined back (:func:`pdf_paragraphs`).
    A scanned PDF has no text layer: it is skipped with a reason, since reading it would need OCR.
    Args:
        source: the name reported and stored (a path, or the name of a file sent to the bot).
        data: the file's bytes.
    """
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns about every odd cross-reference table
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return Skipped(source, "the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        return Skipped(source, f"not a readable PDF ({exc.__class__.__name__}: {exc})")
    text = "\n\n".join(pdf_paragraphs(page) for page in pages if page.strip())
    if len(text.split()) < 5:
        return Skipped(source, f"no text layer in the PDF ({len(pages)} page(s); a scanned document?): "
                               "run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`, and index the result")
    hints = {"title": str(info.get("/Title") or "").strip() or None, "author": str(info.get("/Author") or "").strip() or None}
    return RawDocument(path=source, text=text, kind="txt", hints={k: v for k, v in hints.items() if v})


def pdf_paragraphs(page: str) -> str:
    """Join a PDF page's wrapped lines into paragraphs (one per line, as the cleaner expects).

    A line ends its paragraph when it is followed by a blank line, or when it is short (well under the
    page's usual line width) — a headline, or the last line of a paragraph. Words hyphenated across a
    line break are joined.
    """
    lines = [line.strip() for line in page.splitlines()]
    width = sorted((len(x) for x in lines if x), reverse=True)
    usual = width[len(width) // 4] if width else 0  # most body lines are about this long
    out: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                out.append(current)
            current = ""
            continue
        if current.endswith("-") and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}" if current else line
        if len(line) < 0.7 * usual or (_SENTENCE_END.search(line) and len(line) < 0.85 * usual):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return "\n".join(out)


class UrlRefused(ValueError):
    """A URL we will not fetch (scheme, private address, size); the message is the reason."""


def _check_host(url: str, allow_private: bool) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise UrlRefused(f"unsupported URL scheme {parsed.scheme!r} (only http and https)")
    if not parsed.hostname:
        raise UrlRefused("URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UrlRefused(f"unreachable: cannot resolve {parsed.hostname} ({exc.strerror})") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast:
            raise UrlRefused(f"refused: {parsed.hostname} resolves to a private address ({addr}); "
                             "set NEWSBOT_ALLOW_PRIVATE_URLS=true to allow it")


@dataclass(frozen=True)
class Fetched:
    """A response that passed the guards: the final URL (after redirects), status, headers and body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").lower()


def fetch(url: str, timeout: float, max_bytes: int, allow_private: bool, headers: dict[str, str] | None = None,
          client=None) -> Fetched | Skipped:
    """GET ``url`` with the guards every network read in newsbot goes through.

    Why one function: a feed, the pages its entries link to and a URL given to ``newsbot index`` are all
    untrusted addresses, so each gets the same rules: http(s) only, private addresses refused (each
    redirect hop checked before it is followed), the body capped at ``max_bytes`` and the whole fetch
    at ``timeout`` seconds. A 304 (a conditional GET's "unchanged") comes back as a :class:`Fetched`
    with an empty body; any other status of 400 and above is a :class:`Skipped`. ``client`` lets a
    caller that fetches many URLs share one ``httpx.Client`` (its connection pool and TLS context).
    """
    import httpx

    current = url
    deadline = time.monotonic() + timeout  # the whole fetch, not each read: a trickling server cannot hold us
    own = client is None
    if own:
        client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False)
    try:
        for _ in range(_MAX_REDIRECTS + 1):
            _check_host(current, allow_private)
            with client.stream("GET", current, headers={"User-Agent": "newsbot/0.1", **(headers or {})},
                               follow_redirects=False, timeout=httpx.Timeout(timeout)) as resp:
                if resp.has_redirect_location:
                    current = urljoin(current, resp.headers.get("location", ""))
                    continue
                if resp.status_code >= 400:
                    return Skipped(url, f"HTTP {resp.status_code}")
                body = bytearray()
                if resp.status_code != 304:
                    for part in resp.iter_bytes():
                        body += part
                        if time.monotonic() > deadline:
                            return Skipped(url, f"timed out after {timeout:g} s (the server kept sending slowly)")
                        if len(body) > max_bytes:
                            return Skipped(url, f"response larger than {max_bytes / 1e6:.1f} MB (NEWSBOT_URL_MAX_MB)")
                return Fetched(current, resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, bytes(body))
        return Skipped(url, f"more than {_MAX_REDIRECTS} redirects")
    except UrlRefused as exc:
        return Skipped(url, str(exc))
    except httpx.TimeoutException:
        return Skipped(url, f"timed out after {timeout:g} s")
    except httpx.HTTPError as exc:
        return Skipped(url, f"unreachable: {exc.__class__.__name__}: {exc}")
    finally:
        if own:
            client.close()


def fetch_url(url: str, timeout: float, max_bytes: int, allow_private: bool, client=None) -> RawDocument | Skipped:
    """Fetch ``url`` (:func:`fetch`: redirects checked hop by hop, body capped) and extract its article text."""
    got = fetch(url, timeout, max_bytes, allow_private, client=client)
    if isinstance(got, Skipped):
        return got
    return page_document(url, got)


def page_document(source: str, got: Fetched) -> RawDocument | Skipped:
    """The article in a fetched page: HTML through trafilatura (:func:`html_document`), plain text as is."""
    ctype = got.content_type
    if got.status != 200:
        return Skipped(source, f"HTTP {got.status}")
    if ctype and not ("html" in ctype or ctype.startswith("text/")):
        return Skipped(source, f"unsupported content type {ctype.split(';')[0]!r}")
    try:
        text, _ = decode_bytes(got.body)
    except UndecodableError as exc:
        return Skipped(source, str(exc))
    if "html" in ctype or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return html_document(source, text, url=got.url)
    return RawDocument(path=source, text=text, kind="txt", hints={"url": got.url})
