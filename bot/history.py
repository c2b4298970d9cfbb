"""Per-chat conversation history and issued answers, in SQLite under ``data_dir``.

Why SQLite: history must survive a restart, and the "Quotes" button of an answer sent yesterday
must still work; one small file, safe with the bot's worker threads, nothing to run.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS turns_chat ON turns(chat_id, id);
CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL,
    citations TEXT NOT NULL, at REAL NOT NULL);
"""


class ChatStore:
    """History (bounded to ``max_turns`` per chat) and the citations behind each Quotes button."""

    def __init__(self, path: Path, max_turns: int = 20) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.max_turns = max_turns
        self._lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def history(self, chat_id: int, turns: int | None = None) -> list[tuple[str, str]]:
        n = self.max_turns if turns is None else turns
        with self._lock:
            rows = self.db.execute(
                "SELECT question, answer FROM turns WHERE chat_id=? ORDER BY id DESC LIMIT ?", (chat_id, n)
            ).fetchall()
        return [(q, a) for q, a in reversed(rows)]

    def add_turn(self, chat_id: int, question: str, answer: str) -> None:
        with self._lock, self.db:
            self.db.execute("INSERT INTO turns(chat_id, question, answer, at) VALUES(?,?,?,?)", (chat_id, question, answer, time.time()))
            self.db.execute(
                "DELETE FROM turns WHERE chat_id=? AND id NOT IN (SELECT id FROM turns WHERE chat_id=? ORDER BY id DESC LIMIT ?)",
                (chat_id, chat_id, self.max_turns),
            )

    def reset(self, chat_id: int) -> None:
        with self._lock, self.db:
            self.db.execute("DELETE FROM turns WHERE chat_id=?", (chat_id,))

    def save_answer(self, chat_id: int, citations: list[dict]) -> int:
        with self._lock, self.db:
            cur = self.db.execute("INSERT INTO answers(chat_id, citations, at) VALUES(?,?,?)", (chat_id, json.dumps(citations), time.time()))
            return int(cur.lastrowid)

    def citations(self, answer_id: int, chat_id: int) -> list[dict] | None:
        with self._lock:
            row = self.db.execute("SELECT citations FROM answers WHERE id=? AND chat_id=?", (answer_id, chat_id)).fetchone()
        return json.loads(row[0]) if row else None

    def close(self) -> None:
        self.db.close()
