"""Every call the bot makes to Telegram goes through here: rate-limited, and tried again when the
connection drops.

python-telegram-bot's ``AIORateLimiter`` keeps the bot inside Telegram's flood limits and waits out a
``RetryAfter``; it does not try again when the connection itself fails (a reset, a refused connect, a
timeout), and then a user's reply is simply lost: the handler fails and the user sees nothing. A reply
sent twice (the rare case where Telegram got the request but the answer did not come back) is the
smaller harm, so a transient network failure of a call that delivers something to a user (a message,
an edit, an answer to a button) is retried twice after a short pause. Errors Telegram *answered* with
(``BadRequest``, ``Forbidden``, ...) are never retried: they would fail again. Start-up calls
(``getMe``, ``setMyCommands``) are not retried either: a bot that cannot reach Telegram at start says
so at once (``bot.app.run``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

PAUSES = (0.5, 1.5)
"""Seconds to wait before each further try: two more tries, about two seconds in all."""


DELIVERIES = ("send", "edit", "answer", "copy", "forward")
"""Bot API methods (by prefix) that deliver something to a user: the ones worth another try."""


def transient(exc: BaseException) -> bool:
    """A failure of the connection, not an answer from Telegram (``BadRequest`` is a ``NetworkError`` too)."""
    return type(exc) in (NetworkError, TimedOut)


class RetryingRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` that also retries a call whose connection failed (see the module docstring)."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args) -> Any:
        for pause in PAUSES:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:  # TimedOut and BadRequest are NetworkErrors too: transient() tells them apart
                if not transient(exc) or not endpoint.startswith(DELIVERIES):
                    raise
                log.warning("Telegram %s failed (%s); trying again in %.1f s", endpoint, exc, pause)
                await asyncio.sleep(pause)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
