"""Run the real python-telegram-bot Application against the loopback Bot API stand-in."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from pydantic import SecretStr

from bot.app import build_application
from bot.service import AnswerService
from rag import Assistant
from standins.botapi import BotApiStandIn, polling
from tests.conftest import make_settings
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
    async with polling(build_application(settings, service)) as app:
        yield app


async def until(api, predicate, timeout=60.0):
    await asyncio.to_thread(api.wait_for, predicate, timeout)


def finals(api, chat_id):
    return api.finals(chat_id)
