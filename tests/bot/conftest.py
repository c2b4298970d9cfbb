"""Run the real python-telegram-bot Application against the loopback Bot API stand-in."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from pydantic import SecretStr

from bot.app import build_application
from bot.service import AnswerService
from rag import Assistant
from tests.conftest import make_settings
from tests.helpers.botapi_standin import BotApiStandIn
from tests.helpers.fakes import scripted_llm

TOKEN = "123456:TEST-SECRET-TOKEN-abcdef"
GOOD = ("A congressional proposal would expel 300 Russian diplomats from the United States [1]. "
        "The Russian foreign ministry said the proposal to expel the diplomats would lead to the closure of "
        "U.S. diplomatic facilities in Russia [1].")
Q = "How many Russian diplomats did a US congressional proposal want to expel?"


@pytest.fixture
def api():
    with BotApiStandIn() as server:
        yield server


@pytest.fixture
def bot_settings(indexed, api):
    return indexed.model_copy(update={
        "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": api.base_url, "bot_edit_interval": 0.1,
    })


@contextlib.asynccontextmanager
async def running(settings, llm=None, assistant=None):
    """The bot, polling the stand-in, until the block ends."""
    service = AnswerService(settings, assistant or Assistant(settings, llm=llm or scripted_llm(GOOD)))
    app = build_application(settings, service)
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


async def until(api, predicate, timeout=60.0):
    await asyncio.to_thread(api.wait_for, predicate, timeout)


def finals(api, chat_id):
    """Final answers in a chat: edits that carry the Sources block or a refusal/failure text."""
    return [p for m, p in api.sent(chat_id) if m == "editMessageText" and not p.get("text", "").endswith("…")]
