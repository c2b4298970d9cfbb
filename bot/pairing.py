"""Pairing: who may use a private bot besides TELEGRAM_ALLOWED_USERS, in SQLite under ``data_dir``.

With ``TELEGRAM_PAIRING=true`` a stranger who writes to the bot gets a short one-time code; they hand
it to an admin through a channel the admin trusts, and the admin's ``/approve CODE`` lets them in by
their numeric Telegram id (never by username, which can change hands). Why SQLite (as bot/history.py
and bot/subscriptions.py): approvals must survive a restart, and one small file is safe to share
between the bot's threads.

Codes come from :mod:`secrets` over an alphabet without look-alikes (no 0/O, 1/I/L), six characters:
about 10^9 values, each valid for ``TELEGRAM_PAIRING_CODE_MINUTES`` and used at most once, so
guessing one is hopeless; typing one is easy ("K7Q XM2" and "k7qxm2" are read as the same code).
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
SCHEMA = """
CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, user_id INTEGER NOT NULL UNIQUE, issued REAL NOT NULL,
    language TEXT);
CREATE TABLE IF NOT EXISTS approved (user_id INTEGER PRIMARY KEY, approved_by INTEGER NOT NULL, at REAL NOT NULL);
"""


@dataclass(frozen=True)
class Approval:
    """What became of an ``/approve CODE``: ``status`` is "approved", "unknown" or "expired"."""

    status: str
    code: str
    user_id: int | None = None
    language: str | None = None


def normalize(code: str) -> str:
    """What the admin typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


class PairingStore:
    """Pending codes (one per user) and approved users."""

    def __init__(self, path: Path, minutes: float = 10.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.lifetime = minutes * 60
        self._lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def is_approved(self, user_id: int) -> bool:
        with self._lock:
            return self.db.execute("SELECT 1 FROM approved WHERE user_id=?", (user_id,)).fetchone() is not None

    def code_for(self, user_id: int, language: str | None = None, now: float | None = None) -> tuple[str, bool]:
        """The user's pending code and whether it is new: a code still valid is given again (not a fresh
        one per message), an expired one is replaced. ``language`` is kept to welcome them in it."""
        now = time.time() if now is None else now
        with self._lock, self.db:
            row = self.db.execute("SELECT code, issued FROM codes WHERE user_id=?", (user_id,)).fetchone()
            if row and now - row[1] < self.lifetime:
                return row[0], False
            self.db.execute("DELETE FROM codes WHERE user_id=?", (user_id,))
            while True:
                code = new_code()
                if self.db.execute("INSERT OR IGNORE INTO codes(code, user_id, issued, language) VALUES(?,?,?,?)",
                                   (code, user_id, now, language)).rowcount == 1:
                    return code, True

    def approve(self, code: str, admin_id: int, now: float | None = None) -> Approval:
        """Let the code's user in and spend the code; an expired code is spent too (the user asks again)."""
        now = time.time() if now is None else now
        code = normalize(code)
        with self._lock, self.db:
            row = self.db.execute("SELECT user_id, issued, language FROM codes WHERE code=?", (code,)).fetchone()
            if row is None:
                return Approval("unknown", code)
            self.db.execute("DELETE FROM codes WHERE code=?", (code,))
            if now - row[1] >= self.lifetime:
                return Approval("expired", code, row[0])
            self.db.execute("INSERT OR REPLACE INTO approved(user_id, approved_by, at) VALUES(?,?,?)", (row[0], admin_id, now))
            return Approval("approved", code, row[0], row[2])

    def approved(self) -> list[int]:
        with self._lock:
            return [r[0] for r in self.db.execute("SELECT user_id FROM approved ORDER BY at")]

    def revoke(self, user_id: int) -> bool:
        with self._lock, self.db:
            return self.db.execute("DELETE FROM approved WHERE user_id=?", (user_id,)).rowcount == 1

    def close(self) -> None:
        self.db.close()
