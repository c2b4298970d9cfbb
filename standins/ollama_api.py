"""A loopback stand-in for an Ollama server: the parts of its HTTP API newsbot uses.

`/api/chat` streams NDJSON (one JSON object a line, the last with ``"done": true``) or answers
with one object; `/api/embed` embeds a string or a list of them; `/api/tags` lists models; an
unknown model is a 404 with ``{"error": ...}``, as Ollama documents; a scripted reply can fail
mid-stream with an ``{"error": ...}`` line.

Its embedding models are hashed bags of words (each model its own dimension and hash salt, vectors
L2-normalised as Ollama's are): deterministic and lexical, so retrieval over them is meaningful (a
question lands nearest the text that shares its words) and two models give incomparable vectors.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


_WORD = re.compile(r"\w+", re.UNICODE)
# Words a real embedding model gives little weight: without this, "the" would decide what is near.
_FUNCTION_WORDS = frozenset(
    "a an and are as at be by did do does for from had has have how in is it its of on or that the this to was "
    "were what when where which who why will with am auf das dem den der des die ein eine im ist und von war wie".split()
)


def bag_of_words(model: str, text: str, dim: int) -> list[float]:
    """A hashed bag of lower-cased content words, salted with the model name, L2-normalised."""
    vec = [0.0] * dim
    for word in _WORD.findall(text.lower()):
        if word in _FUNCTION_WORDS:
            continue
        h = int.from_bytes(hashlib.sha256(f"{model}\0{word}".encode()).digest()[:8], "big")
        vec[h % dim] += 1.0 if (h >> 40) & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


class OllamaStandIn:
    def __init__(self, model: str = "llama3.2:3b", port: int = 0,
                 embed_models: dict[str, int] | None = None) -> None:
        self.model = model
        # Embedding models it serves, name → dimension (the real ones' dimensions).
        self.embed_models = embed_models if embed_models is not None else {"bge-m3": 1024, "nomic-embed-text": 768}
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
                    names = [standin.model, *(f"{m}:latest" for m in standin.embed_models)]
                    self._json(200, {"models": [{"name": n, "model": n, "size": 1} for n in names]})
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                standin.requests.append({"path": self.path, **body})
                if self.path == "/api/embed":
                    self._embed(body)
                    return
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

            def _embed(self, body: dict) -> None:
                model = str(body.get("model", "")).removesuffix(":latest")
                if model not in standin.embed_models:
                    self._json(404, {"error": f"model \"{body.get('model')}\" not found, try pulling it first"})
                    return
                texts = body.get("input", [])
                texts = [texts] if isinstance(texts, str) else texts
                dim = standin.embed_models[model]
                self._json(200, {"model": body["model"], "embeddings": [bag_of_words(model, t, dim) for t in texts],
                                 "total_duration": 1, "load_duration": 1, "prompt_eval_count": len(texts)})

            def _chunk(self, obj: dict) -> None:
                line = (json.dumps(obj) + "\n").encode()
                self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                self.wfile.flush()

        return Handler
