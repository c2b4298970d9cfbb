"""Find and read the inputs of an index run: files in folders (recursively) and http(s) URLs.

Every input either becomes a :class:`RawDocument` or a :class:`Skipped` with a reason a person
can act on; nothing raises out of here and nothing vanishes.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

from index.decode import UndecodableError, decode_bytes
from index.models import RawDocument, Skipped

SUPPORTED = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
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
    try:
        text, _encoding = decode_bytes(data)
    except UndecodableError as exc:
        return Skipped(name, str(exc))
    if not text.strip():
        return Skipped(name, "empty file (only whitespace)")
    kind = SUPPORTED[found.path.suffix.lower()]
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


def fetch_url(url: str, timeout: float, max_bytes: int, allow_private: bool) -> RawDocument | Skipped:
    """Fetch ``url`` (redirects checked hop by hop, body capped) and extract its article text."""
    import httpx

    current = url
    deadline = time.monotonic() + timeout  # the whole fetch, not each read: a trickling server cannot hold us
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False) as client:
            for _ in range(_MAX_REDIRECTS + 1):
                _check_host(current, allow_private)
                with client.stream("GET", current, headers={"User-Agent": "newsbot/0.1"}) as resp:
                    if resp.is_redirect:
                        current = urljoin(current, resp.headers.get("location", ""))
                        continue
                    if resp.status_code >= 400:
                        return Skipped(url, f"HTTP {resp.status_code}")
                    body = bytearray()
                    for part in resp.iter_bytes():
                        body += part
                        if time.monotonic() > deadline:
                            return Skipped(url, f"timed out after {timeout:g} s (the server kept sending slowly)")
                        if len(body) > max_bytes:
                            return Skipped(url, f"response larger than {max_bytes / 1e6:.1f} MB (NEWSBOT_URL_MAX_MB)")
                    ctype = resp.headers.get("content-type", "").lower()
                    break
            else:
                return Skipped(url, f"more than {_MAX_REDIRECTS} redirects")
    except UrlRefused as exc:
        return Skipped(url, str(exc))
    except httpx.TimeoutException:
        return Skipped(url, f"timed out after {timeout:g} s")
    except httpx.HTTPError as exc:
        return Skipped(url, f"unreachable: {exc.__class__.__name__}: {exc}")
    if ctype and not ("html" in ctype or ctype.startswith("text/")):
        return Skipped(url, f"unsupported content type {ctype.split(';')[0]!r}")
    try:
        text, _ = decode_bytes(bytes(body))
    except UndecodableError as exc:
        return Skipped(url, str(exc))
    if "html" in ctype or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return html_document(url, text, url=current)
    return RawDocument(path=url, text=text, kind="txt", hints={"url": current})
