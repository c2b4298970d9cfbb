"""Topic subscriptions and the alerts already sent, in SQLite under ``data_dir``.

Why SQLite (as bot/history.py): subscriptions must survive a restart, and "at most one alert per
article per chat" must hold across refreshes and restarts, so what was sent is recorded before it
is sent (:meth:`SubscriptionStore.claim`), in one small file that the bot's threads share safely.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (chat_id INTEGER NOT NULL, topic_key TEXT NOT NULL, topic TEXT NOT NULL,
    since TEXT NOT NULL, PRIMARY KEY (chat_id, topic_key));
CREATE TABLE IF NOT EXISTS alerts_sent (chat_id INTEGER NOT NULL, article_id TEXT NOT NULL, topic TEXT NOT NULL,
    at TEXT NOT NULL, PRIMARY KEY (chat_id, article_id));
"""
MAX_TOPICS = 20
MAX_TOPIC_CHARS = 100


@dataclass(frozen=True)
class Subscription:
    """A chat follows ``topic`` since ``since`` (UTC ISO 8601): only articles indexed after it alert."""

    chat_id: int
    topic: str
    since: str


def topic_key(topic: str) -> str:
    """"  Embassy   closures" and "embassy closures" are one topic."""
    return " ".join(topic.lower().split())


class SubscriptionStore:
    """Who follows what, and which article each chat has already been alerted about."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def subscribe(self, chat_id: int, topic: str, now: datetime | None = None) -> bool:
        """Follow ``topic`` from now on; False if the chat already follows it (its start is kept)."""
        since = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self._lock, self.db:
            cur = self.db.execute("INSERT OR IGNORE INTO subscriptions(chat_id, topic_key, topic, since) VALUES(?,?,?,?)",
                                  (chat_id, topic_key(topic), " ".join(topic.split()), since))
            return cur.rowcount == 1

    def unsubscribe(self, chat_id: int, topic: str) -> bool:
        with self._lock, self.db:
            return self.db.execute("DELETE FROM subscriptions WHERE chat_id=? AND topic_key=?", (chat_id, topic_key(topic))).rowcount == 1

    def topics(self, chat_id: int) -> list[Subscription]:
        with self._lock:
            rows = self.db.execute("SELECT chat_id, topic, since FROM subscriptions WHERE chat_id=? ORDER BY since, topic",
                                   (chat_id,)).fetchall()
        return [Subscription(*r) for r in rows]

    def all(self) -> list[Subscription]:
        with self._lock:
            rows = self.db.execute("SELECT chat_id, topic, since FROM subscriptions ORDER BY chat_id, since").fetchall()
        return [Subscription(*r) for r in rows]

    def claim(self, chat_id: int, article_id: str, topic: str) -> bool:
        """Record that ``chat_id`` is being alerted about ``article_id``; False if it already was."""
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._lock, self.db:
            cur = self.db.execute("INSERT OR IGNORE INTO alerts_sent(chat_id, article_id, topic, at) VALUES(?,?,?,?)",
                                  (chat_id, article_id, topic, at))
            return cur.rowcount == 1

    def release(self, chat_id: int, article_id: str) -> None:
        """Forget a claim whose message could not be sent, so a later pass may send it."""
        with self._lock, self.db:
            self.db.execute("DELETE FROM alerts_sent WHERE chat_id=? AND article_id=?", (chat_id, article_id))

    def sent(self, chat_id: int) -> list[str]:
        with self._lock:
            return [r[0] for r in self.db.execute("SELECT article_id FROM alerts_sent WHERE chat_id=? ORDER BY at", (chat_id,))]

    def close(self) -> None:
        self.db.close()
