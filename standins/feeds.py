"""A loopback news site for feed tests and benchmarks: real RSS 2.0 and Atom documents, article pages, and the bad
cases a feed reader meets (malformed XML, an HTML page where a feed should be, windows-1251, a 10 MB
feed, a feed that never answers, a redirect to another address).

Every response carries an ETag (a hash of its body) and a Last-Modified date, and a request that sends
them back gets a 304, as real servers do. Tests change ``site.docs`` between refreshes and read
``site.hits`` (requests per path) to see what a refresh fetched.
"""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARAGRAPHS = {
    "envoys": [
        "Russian and US delegations met in Istanbul on Thursday to discuss the work of their embassies, the foreign "
        "ministry said, in the second round of talks this year.",
        "The talks lasted six hours and were described as businesslike by both sides, who agreed to meet again in the "
        "spring to settle the remaining questions about visas and diplomatic property.",
        "Diplomats said the next round would focus on banking restrictions that have hampered the missions for years, "
        "leaving embassies unable to pay local staff or rent on time.",
    ],
    "glacier": [
        "Scientists in Svalbard measured the fastest retreat of the Nathorst glacier on record this summer, the "
        "Norwegian Polar Institute said on Monday, after a season of unusually warm weather.",
        "The glacier lost almost three hundred metres at its front between June and September, according to satellite "
        "images and measurements taken by a team that camped on the ice for six weeks.",
        "Researchers warned that meltwater from Svalbard's glaciers now adds measurably to sea level rise, and that the "
        "archipelago is warming several times faster than the global average.",
    ],
    "telescope": [
        "Astronomers using a new radio telescope in South Africa have mapped hydrogen gas in a distant galaxy cluster "
        "for the first time, the observatory announced on Wednesday.",
        "The map shows streams of gas being stripped from galaxies as they fall into the cluster, a process that "
        "astronomers believe stops those galaxies from forming new stars.",
        "The team said the telescope would begin a five-year survey of the southern sky next year, with data released "
        "to researchers around the world every six months.",
    ],
    "undated": [
        "The city council of Tromsø approved a plan on its last session to build a new harbour for research vessels, "
        "the council's spokesperson told reporters after the vote.",
        "The harbour will serve ships that supply stations in Svalbard and the Barents Sea, and construction is expected "
        "to take three years and employ about two hundred people.",
        "Opponents argued the money would be better spent on schools, but the plan passed with a large majority after a "
        "debate that lasted most of the afternoon.",
    ],
}


def html_paragraphs(name: str, extra: str = "") -> str:
    return "".join(f"<p>{p}</p>" for p in PARAGRAPHS[name]) + (f"<p>{extra}</p>" if extra else "")


def article_page(title: str, name: str) -> str:
    """An article page as a news site serves it: menus, the article, a footer."""
    return (f"<!doctype html><html><head><title>{title} | Example World News</title>"
            f'<meta property="og:site_name" content="Example World News"></head><body>'
            f'<nav><a href="/">Home</a><a href="/world">World</a><a href="/sport">Sport</a></nav>'
            f"<article><h1>{title}</h1>{html_paragraphs(name)}</article>"
            f"<footer>Leave a Reply. Your email address will not be published.</footer></body></html>")


class FeedSite:
    """The server's state: documents by path (bytes, content type) and request counts."""

    def __init__(self) -> None:
        self.docs: dict[str, tuple[bytes, str]] = {}
        self.hits: dict[str, int] = {}
        self.server: ThreadingHTTPServer | None = None
        self.url = ""
        self.delay: dict[str, float] = {}

    def set(self, path: str, body: str | bytes, ctype: str = "application/rss+xml") -> None:
        self.docs[path] = (body.encode() if isinstance(body, str) else body, ctype)

    def start(self) -> FeedSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                path = self.path
                site.hits[path] = site.hits.get(path, 0) + 1
                if path in site.delay:
                    time.sleep(site.delay[path])
                if path.startswith("/redirect"):
                    self.send_response(302)
                    self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/{path.split('/', 2)[2]}")
                    self.end_headers()
                    return
                if path == "/huge-page" or path == "/huge.rss":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html" if path == "/huge-page" else "application/rss+xml")
                    self.end_headers()
                    try:
                        self.wfile.write(b"<rss version='2.0'><channel><title>Huge</title>" if path == "/huge.rss" else b"<html><body><p>")
                        for _ in range(10 * 1024):
                            self.wfile.write(b"x" * 1024)
                    except ConnectionError:
                        pass  # the client stops reading at its cap
                    return
                if path not in site.docs:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, ctype = site.docs[path]
                etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Thu, 27 Feb 2025 10:00:00 GMT")
                self.end_headers()
                try:
                    self.wfile.write(body)
                except ConnectionError:
                    pass

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128  # socketserver's default of 5 drops the SYNs of a refresh's parallel fetches (1 s retries)

            def handle_error(self, request, client_address):
                pass  # clients that stop reading (size cap, timeout) are the point of these tests

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def rss(title: str, items: list[str], encoding: str = "utf-8") -> str:
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{title}</title><link>http://example.com/</link><description>News</description>"
            + "".join(items) + "</channel></rss>")


def rss_item(title: str, link: str | None = None, date: str | None = "Thu, 27 Feb 2025 10:00:00 GMT",
             content: str | None = None, summary: str = "A short teaser of the story.") -> str:
    parts = [f"<title>{title}</title>", f"<description>{summary}</description>"]
    if link:
        parts.append(f"<link>{link.replace('&', '&amp;')}</link>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


def atom(title: str, entries: list[str]) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:example:science</id><updated>2025-03-01T08:00:00Z</updated>"
            + "".join(entries) + "</feed>")


def atom_entry(title: str, link: str, content: str, published: str = "2025-03-01T08:00:00Z",
               updated: str | None = None) -> str:
    return (f"<entry><title>{title}</title><link rel='alternate' href='{link}'/><id>{link}</id>"
            f"<published>{published}</published><updated>{updated or published}</updated>"
            f"<content type='html'><![CDATA[{content}]]></content></entry>")
