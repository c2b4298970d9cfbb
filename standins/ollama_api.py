"""A loopback stand-in for an Ollama server: the parts of its HTTP API newsbot uses.

`/api/chat` streams NDJSON (one JSON object a line, the last with ``"done": true``) or answers
with one object; `/api/tags` lists models; an unknown model is a 404 with ``{"error": ...}``, as
Ollama documents; a scripted reply can fail mid-stream with an ``{"error": ...}`` line.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class OllamaStandIn:
    def __init__(self, model: str = "llama3.2:3b", port: int = 0) -> None:
        self.model = model
        self.replies: list[str] = []
        self.fail_mid_stream = False
        self.requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "OllamaStandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                if self.path == "/api/tags":
                    self._json(200, {"models": [{"name": standin.model, "model": standin.model, "size": 1}]})
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                standin.requests.append({"path": self.path, **body})
                if self.path != "/api/chat":
                    self._json(404, {"error": "not found"})
                    return
                if body.get("model") != standin.model:
                    self._json(404, {"error": f"model \"{body.get('model')}\" not found, try pulling it first"})
                    return
                reply = standin.replies.pop(0) if standin.replies else "The articles do not say."
                now = time.strftime("%Y-%m-%dT%H:%M:%SZ")
                if not body.get("stream", True):
                    self._json(200, {"model": standin.model, "created_at": now, "done": True, "done_reason": "stop",
                                     "message": {"role": "assistant", "content": reply}})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                words = reply.split(" ")
                for i, word in enumerate(words):
                    if standin.fail_mid_stream and i == len(words) // 2:
                        self._chunk({"error": "an error was encountered while running the model: out of memory"})
                        break
                    piece = word if i == 0 else " " + word
                    self._chunk({"model": standin.model, "created_at": now, "done": False,
                                 "message": {"role": "assistant", "content": piece}})
                else:
                    self._chunk({"model": standin.model, "created_at": now, "done": True, "done_reason": "stop",
                                 "message": {"role": "assistant", "content": ""}, "total_duration": 1, "eval_count": len(words)})
                self.wfile.write(b"0\r\n\r\n")

            def _chunk(self, obj: dict) -> None:
                line = (json.dumps(obj) + "\n").encode()
                self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                self.wfile.flush()

        return Handler
