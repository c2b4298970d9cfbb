"""bot.delivery: a reply survives a dropped connection; an error Telegram answered with is not retried."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import BadRequest, NetworkError, TimedOut

from bot import delivery
from bot.delivery import RetryingRateLimiter
from tests.bot.conftest import Q, finals, running, until


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch):
    monkeypatch.setattr(delivery, "PAUSES", (0.01, 0.02))


def calls_failing_with(*errors):
    """A Bot API call that raises ``errors`` in turn, then answers ``True``; ``tries`` counts the calls."""
    tries = []

    async def call(*args, **kwargs):
        tries.append(1)
        if len(tries) <= len(errors):
            raise errors[len(tries) - 1]
        return True

    return call, tries


def send(limiter, call, endpoint="sendMessage"):
    return asyncio.run(limiter.process_request(call, (), {}, endpoint, {"chat_id": 1}, None))


def test_a_dropped_connection_is_tried_again():
    call, tries = calls_failing_with(NetworkError("httpx.ReadError: "), TimedOut())
    assert send(RetryingRateLimiter(), call) is True
    assert len(tries) == 3


def test_it_gives_up_after_the_last_pause():
    call, tries = calls_failing_with(*[NetworkError("httpx.ConnectError: ")] * 3)
    with pytest.raises(NetworkError):
        send(RetryingRateLimiter(), call)
    assert len(tries) == 3


def test_an_answer_from_telegram_is_not_retried():
    call, tries = calls_failing_with(BadRequest("Message is too long"))
    with pytest.raises(BadRequest):
        send(RetryingRateLimiter(), call)
    assert len(tries) == 1


def test_a_start_up_call_is_not_retried():
    """``getMe`` failing means Telegram is unreachable at start: the bot says so at once (one error line)."""
    call, tries = calls_failing_with(NetworkError("httpx.ConnectError: "))
    with pytest.raises(NetworkError):
        send(RetryingRateLimiter(), call, "getMe")
    assert len(tries) == 1
    call, tries = calls_failing_with(NetworkError("httpx.ConnectError: "))
    with pytest.raises(NetworkError):
        send(RetryingRateLimiter(), call, "deleteWebhook")
    assert len(tries) == 1


def test_the_real_bot_answers_although_its_connection_dropped_twice(bot_settings, api, caplog):
    """Over HTTP: the stand-in cuts the first two ``sendMessage`` connections; the user still gets the
    placeholder and the answer, once each."""
    api.drop("sendMessage", 2)

    async def scenario():
        async with running(bot_settings):
            api.message(4, Q)
            await until(api, lambda: finals(api, 4))

    asyncio.run(scenario())
    sends = [p["text"] for m, p in api.sent(4) if m == "sendMessage"]
    assert len(sends) == 1
    assert "300" in finals(api, 4)[-1]["text"]
    assert "handler failed" not in caplog.text
    assert caplog.text.count("trying again") == 2
