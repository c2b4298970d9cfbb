"""Private access and the bot's languages, end to end over HTTP (real python-telegram-bot, loopback Bot API,
real index): the allowlist by id and by username, pairing codes with /approve across restarts, and the
fixed texts in the Telegram user's language."""

from __future__ import annotations

import asyncio
import logging
import re

from bot import texts
from bot.i18n import speaking
from bot.i18n import _ as translate
from tests.bot.conftest import GOOD, Q, TOKEN, finals, running, until

ADMIN, STRANGER = 42, 7
CODE = re.compile(r": ([A-Z2-9]{6})\n")


def run(coro):
    return asyncio.run(coro)


def logged_by_the_bot(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("bot")]


def ru(msgid: str) -> str:
    with speaking("ru"):
        return translate(msgid)


def test_a_username_on_the_allowlist_still_works_with_one_warning_naming_the_id_to_use(bot_settings, api, caplog):
    settings = bot_settings.model_copy(update={"telegram_allowed_users": "42, @Pal_of_the_bot"})

    async def scenario():
        async with running(settings):
            api.message(8, "/help", username="pal_of_the_bot")
            api.message(8, "/help", username="pal_of_the_bot")
            api.message(9, "/help", username="someone_else")
            await until(api, lambda: len(api.texts(8)) == 2 and api.texts(9))

    with caplog.at_level(logging.INFO):
        run(scenario())
    assert api.texts(8) == [texts.HELP, texts.HELP]
    assert api.texts(9) == [texts.PRIVATE]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "username" in r.getMessage()]
    assert len(warnings) == 1 and "@pal_of_the_bot" in warnings[0] and "numeric id 8" in warnings[0]
    assert not any(TOKEN.split(":")[1] in own for own in logged_by_the_bot(caplog))


def test_pairing_wrong_and_expired_codes_then_approval_that_survives_restarts(bot_settings, api, caplog):
    pairing = bot_settings.model_copy(update={"telegram_pairing": True, "telegram_admin_ids": str(ADMIN)})
    short = pairing.model_copy(update={"telegram_pairing_code_minutes": 0.001})  # codes older than 60 ms are expired

    def codes():
        return [m.group(1) for t in api.texts(STRANGER) if (m := CODE.search(t))]

    async def first_run():
        async with running(pairing):
            api.message(STRANGER, "secret question about the embassy", language="ru")
            await until(api, lambda: codes())
            api.message(STRANGER, "/help", language="ru")  # a code still valid is not sent again
            api.message(ADMIN, "/approve ZZZZZZ")
            await until(api, lambda: len(api.texts(ADMIN)) == 1)
            api.message(ADMIN, "/approve")
            await until(api, lambda: len(api.texts(ADMIN)) == 2)
            api.message(ADMIN, "/help")  # admins get in without being on any list
            await until(api, lambda: len(api.texts(ADMIN)) == 3)

    caplog.set_level(logging.INFO)  # the level the bot logs at, for all four runs
    run(first_run())
    first = codes()
    assert len(first) == 1 and len(api.texts(STRANGER)) == 1
    assert api.texts(STRANGER)[0] == ru(texts.PAIRING_CODE).format(code=first[0], minutes="10")
    assert api.texts(ADMIN) == [texts.CODE_UNKNOWN.format(code="ZZZZZZ"), texts.APPROVE_USAGE, texts.HELP]

    async def second_run():  # a restart with short-lived codes: the first one has expired
        async with running(short):
            api.message(ADMIN, f"/approve {first[0]}")
            await until(api, lambda: len(api.texts(ADMIN)) == 4)
            api.message(STRANGER, "hello again", language="ru")
            await until(api, lambda: len(codes()) == 2)

    run(second_run())
    assert api.texts(ADMIN)[3] == texts.CODE_EXPIRED.format(code=first[0], minutes="0.001")
    second = codes()[1]
    assert second != first[0]

    async def third_run():  # another restart, codes valid for 10 minutes again: the admin approves, typed loosely
        async with running(pairing):
            api.message(ADMIN, f"/approve {second[:3].lower()} {second[3:].lower()}")
            await until(api, lambda: len(api.texts(ADMIN)) == 5 and len(api.texts(STRANGER)) == 3)
            api.message(ADMIN, f"/approve {second}")  # one time only
            await until(api, lambda: len(api.texts(ADMIN)) == 6)

    run(third_run())
    assert api.texts(ADMIN)[4] == texts.APPROVED.format(user_id=STRANGER)
    assert api.texts(STRANGER)[2] == ru(texts.WELCOME)  # in the language they asked in
    assert api.texts(ADMIN)[5] == texts.CODE_UNKNOWN.format(code=second)

    async def fourth_run():  # the approval is on disk: after a restart the stranger is answered
        async with running(pairing):
            api.message(STRANGER, Q)
            await until(api, lambda: finals(api, STRANGER))

    run(fourth_run())
    assert "300 Russian diplomats" in finals(api, STRANGER)[-1]["text"]
    for own in logged_by_the_bot(caplog):  # (httpx logs request URLs: `newsbot bot` redacts the token there, core/log.py)
        assert first[0] not in own and second not in own and "secret question" not in own and TOKEN.split(":")[1] not in own
    assert any("approved a user" in own for own in logged_by_the_bot(caplog))


def test_pairing_off_the_allowlist_alone_decides_and_approve_says_so(bot_settings, api):
    settings = bot_settings.model_copy(update={"telegram_allowed_users": str(ADMIN), "telegram_admin_ids": str(ADMIN)})

    async def scenario():
        async with running(settings):
            api.message(STRANGER, "/start")
            api.message(ADMIN, "/approve ABCDEF")
            await until(api, lambda: api.texts(STRANGER) and api.texts(ADMIN))

    run(scenario())
    assert api.texts(STRANGER) == [texts.PRIVATE]
    assert api.texts(ADMIN) == [texts.PAIRING_OFF]
    assert not (bot_settings.data_dir / "pairing.sqlite3").exists()


def test_the_fixed_texts_follow_the_users_telegram_language(bot_settings, api):
    async def scenario():
        async with running(bot_settings, llm=None):
            api.message(1, "/help", language="ru")
            api.message(2, "/help", language="en-US")
            api.message(3, "/help")  # no language sent: English
            api.message(4, "/help", language="pt-br")  # no catalogue: English
            api.message(5, "/reset", language="RU")
            await until(api, lambda: all(api.texts(u) for u in (1, 2, 3, 4, 5)))
            api.message(1, "What did Zebulon Quattlebaum say about the embassy?", language="ru")
            api.message(2, "What did Zebulon Quattlebaum say about the embassy?", language="en")
            await until(api, lambda: finals(api, 1) and finals(api, 2))

    run(scenario())
    help_ru = api.texts(1)[0]
    assert help_ru == ru(texts.HELP) and "Задайте мне вопрос" in help_ru and "<b>Цитаты</b>" in help_ru
    assert api.texts(2)[0] == api.texts(3)[0] == api.texts(4)[0] == texts.HELP
    assert api.texts(5) == ["Готово: я забыл наш разговор."]
    assert api.texts(1)[1] == "🔎 Читаю статьи…"
    refusal_ru, refusal_en = finals(api, 1)[-1]["text"], finals(api, 2)[-1]["text"]
    assert refusal_ru.startswith("В моих статьях об этом не сказано. Я искал в 5 статьях (даты с 2021-03-30 по "), refusal_ru
    assert "1 с примерной датой, 1 без даты" in refusal_ru and "«What did Zebulon Quattlebaum" in refusal_ru
    assert refusal_en.startswith("The articles I have do not say. I searched 5 articles (dated 2021-03-30 to ")
    menus = {p.get("language_code"): p["commands"] for m, p in api.calls if m == "setMyCommands"}
    assert menus["ru"][1] == {"command": "help", "description": "Как задавать вопросы"}
    assert menus[None][1] == {"command": "help", "description": "How to ask"}

