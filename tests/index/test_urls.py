"""Indexing http(s) URLs from a loopback server: extraction, refusals, timeouts, size caps."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index import Indexer
from index.reader import IndexReader
from tests.conftest import make_settings
from tests.helpers.invariants import check_index

ARTICLE_HTML = """<!doctype html><html><head><title>Envoys meet in Istanbul | Example News</title>
<meta property="og:site_name" content="Example News"><meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2025-02-27T10:00:00Z"></head><body>
<nav><a href="/">Home</a><a href="/world">World</a><a href="/sport">Sport</a></nav>
<article><h1>Envoys meet in Istanbul</h1>
<p>Russian and US delegations met in Istanbul on Thursday to discuss the work of their embassies, the foreign ministry said.</p>
<p>The talks lasted six hours and were described as businesslike by both sides, who agreed to meet again in the spring.</p>
<p>Diplomats said the next round would focus on banking restrictions that have hampered the missions for years.</p>
</article><footer>Leave a Reply. Your email address will not be published.</footer></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        routes = {
            "/article": (200, "text/html; charset=utf-8", ARTICLE_HTML.encode()),
            "/plain": (200, "text/plain; charset=utf-8", b"Plain headline here\n\nThe consulate in Vladivostok will reopen next month, the embassy said."),
            "/empty-page": (200, "text/html", b"<html><body><nav>Home</nav></body></html>"),
            "/missing": (404, "text/html", b"not found"),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x01" * 100),
        }
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except ConnectionError:
                pass
            return
        if self.path == "/redirect-to-loopback":
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/article")
            self.end_headers()
            return
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(2000):
                    self.wfile.write(b"x" * 1024)
            except ConnectionError:
                pass  # the client stops reading at its cap
            return
        status, ctype, body = routes.get(self.path, (200, "text/plain", b"slow body that arrives far too late for us."))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    class QuietServer(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # clients that stop reading (size cap, timeout) are the point of these tests

    server = QuietServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_html_page_is_extracted_with_metadata(tmp_path, site):
    settings = make_settings(tmp_path / "s", allow_private_urls=True)
    report = Indexer(settings).run([f"{site}/article", f"{site}/plain"])
    assert (report.added, report.skipped) == (2, [])
    by_path = {s["path"]: s for s in IndexReader(settings).sources()}
    page = by_path[f"{site}/article"]
    assert page["title"] == "Envoys meet in Istanbul"
    assert page["date"] == "2025-02-27"
    assert page["outlet"] == "Example News"
    assert page["url"] == f"{site}/article"
    check_index(settings)
    from index.manifest import Manifest
    from index.layout import Layout

    m = Manifest(Layout(settings.data_dir, settings.collection).current().manifest_path, readonly=True)
    text = next(a for a in m.articles() if a["title"] == "Envoys meet in Istanbul")
    body = m.article(text["id"])["text"]
    m.close()
    assert "businesslike" in body and "Leave a Reply" not in body and "Sport" not in body


def test_bad_urls_are_skipped_with_reasons(tmp_path, site):
    settings = make_settings(tmp_path / "s", allow_private_urls=True, url_timeout=1.0, url_max_mb=1.0)
    urls = [f"{site}/{p}" for p in ("empty-page", "missing", "image", "slow", "huge", "trickle")]
    urls += ["http://127.0.0.1:9/refused"]
    report = Indexer(settings).run(urls)
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in report.skipped}
    assert "no article text" in reasons["empty-page"]
    assert reasons["missing"] == "HTTP 404"
    assert "unsupported content type" in reasons["image"]
    assert reasons["slow"].startswith("timed out")
    assert reasons["trickle"].startswith("timed out")
    assert "larger than" in reasons["huge"]
    assert reasons["refused"].startswith("unreachable")
    assert report.added == 0


def test_private_addresses_and_odd_schemes_are_refused_by_default(tmp_path, site):
    settings = make_settings(tmp_path / "s")
    report = Indexer(settings).run([f"{site}/article", f"{site}/redirect"])
    assert all("private address" in s.reason for s in report.skipped) and len(report.skipped) == 2
    from index.loaders import fetch_url

    skipped = fetch_url("ftp://example.com/x", 1, 1000, allow_private=False)
    assert "unsupported URL scheme" in skipped.reason


def test_redirects_are_followed_and_checked(tmp_path, site):
    settings = make_settings(tmp_path / "s", allow_private_urls=True)
    report = Indexer(settings).run([f"{site}/redirect"])
    assert report.added == 1


def test_redirect_to_a_private_address_is_refused(tmp_path, site, monkeypatch):
    """The first hop stands for a public site; its redirect to loopback is checked and refused."""
    import index.loaders as loaders

    real = loaders._check_host
    first = f"{site}/redirect-to-loopback"

    def check(url, allow_private):
        if url == first:
            return None  # pretend this one resolved to a public address
        return real(url, allow_private)

    monkeypatch.setattr(loaders, "_check_host", check)
    report = Indexer(make_settings(tmp_path / "s")).run([first])
    assert report.added == 0 and "private address" in report.skipped[0].reason
