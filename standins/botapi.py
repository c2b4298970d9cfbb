"""A loopback stand-in for Telegram's Bot API, so tests and benchmarks drive the real python-telegram-bot
stack over HTTP.

It queues updates for ``getUpdates`` (long polling), records every call the bot makes
(``sendMessage``, ``editMessageText``, ``answerCallbackQuery``, ``setMyCommands``, ...) and answers
with the objects the real API returns. Files sent to the bot (:meth:`BotApiStandIn.document`) are
served as Telegram serves them: ``getFile`` gives a ``file_path``, then ``GET /file/bot<token>/<path>``. Form-encoded parameters are decoded the way the real
server reads them (JSON values for objects).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT = {"id": 999, "is_bot": True, "first_name": "NewsBot", "username": "news_test_bot", "can_join_groups": True,
       "can_read_all_group_messages": False, "supports_inline_queries": False}


def user(uid: int, username: str | None = None, language: str | None = None) -> dict:
    """A Telegram user; ``language`` is the client's IETF tag ("ru", "en-US"), sent as ``language_code``."""
    u = {"id": uid, "is_bot": False, "first_name": f"User{uid}"}
    if username:
        u["username"] = username
    if language:
        u["language_code"] = language
    return u


def chat(cid: int) -> dict:
    return {"id": cid, "type": "private", "first_name": f"User{cid}"} if cid > 0 else {"id": cid, "type": "group", "title": "News fans"}


class BotApiStandIn:
    def __init__(self, token: str | None = None) -> None:
        """``token``: the one token the server accepts (any other gets Telegram's 401 Unauthorized);
        ``None`` accepts every token."""
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self._updates: list[dict] = []
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.files: dict[str, bytes] = {}
        self.downloads: list[str] = []
        self._cond = threading.Condition()
        self._drops: dict[str, int] = {}
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # --- what tests send --------------------------------------------------------------------
    def push(self, update: dict) -> int:
        with self._cond:
            update = {"update_id": next(self._ids), **update}
            self._updates.append(update)
            self._cond.notify_all()
            return update["update_id"]

    def message(self, chat_id: int, text: str, user_id: int | None = None, username: str | None = None,
                reply_to_bot: bool = False, language: str | None = None, **extra) -> int:
        msg = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat(chat_id),
               "from": user(user_id or abs(chat_id), username, language), "text": text}
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to_bot:
            msg["reply_to_message"] = {"message_id": 1, "date": int(time.time()), "chat": chat(chat_id), "from": BOT, "text": "earlier answer"}
        msg.update(extra)
        return self.push({"message": msg})

    def document(self, chat_id: int, file_name: str, content: bytes, user_id: int | None = None,
                 mime_type: str = "text/plain") -> int:
        """A file sent to the bot, downloadable through ``getFile`` like a real one."""
        file_id = f"file{next(self._ids)}"
        self.files[file_id] = content
        doc = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name, "mime_type": mime_type,
               "file_size": len(content)}
        msg = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat(chat_id),
               "from": user(user_id or abs(chat_id)), "document": doc}
        return self.push({"message": msg})

    def press(self, chat_id: int, data: str, user_id: int | None = None, message_id: int = 1) -> int:
        return self.push({"callback_query": {
            "id": f"cq{next(self._ids)}", "from": user(user_id or abs(chat_id)), "chat_instance": "ci", "data": data,
            "message": {"message_id": message_id, "date": int(time.time()), "chat": chat(chat_id), "from": BOT, "text": "x"}}})

    def drop(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` lose their connection before any reply, as a flaky
        network does (the call is not recorded: Telegram never saw it)."""
        with self._cond:
            self._drops[method] = self._drops.get(method, 0) + times

    # --- what tests read --------------------------------------------------------------------
    def sent(self, chat_id: int | None = None, methods=("sendMessage", "editMessageText")) -> list[tuple[str, dict]]:
        with self._cond:
            return [(m, p) for m, p in self.calls if m in methods and (chat_id is None or int(p.get("chat_id", 0)) == chat_id)]

    def texts(self, chat_id: int) -> list[str]:
        return [p.get("text", "") for _, p in self.sent(chat_id)]

    def finals(self, chat_id: int) -> list[dict]:
        """Final answers in a chat: edits that are not streaming updates (those end with "…")."""
        return [p for m, p in self.sent(chat_id) if m == "editMessageText" and not p.get("text", "").endswith("…")]

    def wait_for(self, predicate, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out; calls: {[(m, p.get('text', '')[:80]) for m, p in self.calls][-15:]}")

    # --- the server -------------------------------------------------------------------------
    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                if self.path.startswith("/file/"):
                    file_id = self.path.rsplit("/", 1)[-1]
                    standin.downloads.append(file_id)
                    body = standin.files.get(file_id)
                    self.send_response(200 if body is not None else 404)
                    self.send_header("Content-Length", str(len(body or b"")))
                    self.end_headers()
                    self.wfile.write(body or b"")
                    return
                method = self.path.rsplit("/", 1)[-1]
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                if standin._take_drop(method):
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if standin.token is not None and not self.path.startswith(f"/bot{standin.token}/"):
                    self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: _decode(v[0]) for k, v in parse_qs(raw, keep_blank_values=True).items()}
                self._reply(200, {"ok": True, "result": standin._call(method, params)})

            def _reply(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot shut down while polling

            do_GET = do_POST  # noqa: N815

        return Handler

    def _take_drop(self, method: str) -> bool:
        with self._cond:
            if self._drops.get(method, 0) > 0:
                self._drops[method] -= 1
                return True
            return False

    def _call(self, method: str, params: dict):
        if method == "getUpdates":
            offset = int(params.get("offset", 0) or 0)
            deadline = time.monotonic() + min(float(params.get("timeout", 0) or 0), 1.0)
            with self._cond:
                if offset:  # as Telegram does: asking from N confirms every update before N
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                while True:
                    ready = [u for u in self._updates if u["update_id"] >= offset]
                    if ready or time.monotonic() >= deadline:
                        return ready
                    self._cond.wait(max(0.0, deadline - time.monotonic()))
        with self._cond:
            self.calls.append((method, params))
        if method == "getMe":
            return BOT
        if method == "getFile":
            file_id = params.get("file_id", "")
            return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self.files.get(file_id, b"")),
                    "file_path": f"documents/{file_id}"}
        if method in ("sendMessage", "editMessageText"):
            cid = int(params.get("chat_id", 0))
            mid = int(params["message_id"]) if method == "editMessageText" else next(self._message_ids)
            msg = {"message_id": mid, "date": int(time.time()), "chat": chat(cid), "from": BOT, "text": params.get("text", "")}
            if params.get("reply_markup"):
                msg["reply_markup"] = params["reply_markup"]
            return msg
        return True


class _Server(ThreadingHTTPServer):
    """Telegram takes many connections at once: the standard library's listen backlog of 5 made a flood
    of 30 messages reset connections on a loaded machine, a failure of the stand-in, not of the bot."""

    request_queue_size = 128


def _decode(value: str):
    try:
        return json.loads(value)
    except ValueError:
        return value


@contextlib.asynccontextmanager
async def polling(app):
    """A python-telegram-bot Application's whole life against the stand-in: post_init, start,
    long polling; then stop and post_shutdown, as ``run_polling`` does."""
    async with app:
        await app.post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)
