"""Every update kind python-telegram-bot parses that the bot does not handle: no crash, no reply
to the wrong thing, and the bot keeps answering afterwards. A flood from one user is rate-limited."""

from __future__ import annotations

import asyncio

from bot import texts as bot_texts
from tests.bot.conftest import Q, finals, running, until

U = {"id": 3, "is_bot": False, "first_name": "A"}
CHAT = {"id": 3, "type": "private", "first_name": "A"}
MSG = {"message_id": 9, "date": 0, "chat": CHAT, "from": U}
KINDS = {
    "photo": {"message": {**MSG, "photo": [{"file_id": "p", "file_unique_id": "p1", "width": 1, "height": 1}]}},
    "voice": {"message": {**MSG, "voice": {"file_id": "v", "file_unique_id": "v1", "duration": 1}}},
    "document": {"message": {**MSG, "document": {"file_id": "d", "file_unique_id": "d1"}}},
    "location": {"message": {**MSG, "location": {"latitude": 1.0, "longitude": 2.0}}},
    "contact": {"message": {**MSG, "contact": {"phone_number": "1", "first_name": "B"}}},
    "dice": {"message": {**MSG, "dice": {"emoji": "🎲", "value": 3}}},
    "new_members": {"message": {**MSG, "chat": {"id": -7, "type": "group", "title": "G"}, "new_chat_members": [U]}},
    "edited_channel_post": {"edited_channel_post": {"message_id": 1, "date": 0, "edit_date": 1, "chat": {"id": -9, "type": "channel", "title": "C"}, "text": "x"}},
    "inline_query": {"inline_query": {"id": "iq", "from": U, "query": "ambassador", "offset": ""}},
    "chosen_inline_result": {"chosen_inline_result": {"result_id": "r", "from": U, "query": "q"}},
    "callback_without_data": {"callback_query": {"id": "cq", "from": U, "chat_instance": "ci", "game_short_name": "g"}},
    "shipping_query": {"shipping_query": {"id": "s", "from": U, "invoice_payload": "p", "shipping_address": {
        "country_code": "DE", "state": "", "city": "B", "street_line1": "x", "street_line2": "", "post_code": "1"}}},
    "pre_checkout_query": {"pre_checkout_query": {"id": "pc", "from": U, "currency": "EUR", "total_amount": 1, "invoice_payload": "p"}},
    "poll": {"poll": {"id": "p", "members_only": False, "question": "Q?", "options": [{"text": "a", "voter_count": 0, "persistent_id": "o1"}], "total_voter_count": 0,
                      "is_closed": False, "is_anonymous": True, "type": "regular", "allows_multiple_answers": False, "allows_revoting": False}},
    "poll_answer": {"poll_answer": {"poll_id": "p", "option_ids": [0], "option_persistent_ids": ["o1"], "user": U}},
    "chat_member": {"chat_member": {"chat": CHAT, "from": U, "date": 0, "old_chat_member": {"status": "left", "user": U},
                                    "new_chat_member": {"status": "member", "user": U}}},
    "chat_join_request": {"chat_join_request": {"chat": {"id": -7, "type": "group", "title": "G"}, "from": U, "user_chat_id": 3, "date": 0}},
    "message_reaction": {"message_reaction": {"chat": CHAT, "message_id": 1, "date": 0, "old_reaction": [],
                                              "new_reaction": [{"type": "emoji", "emoji": "👍"}], "user": U}},
    "chat_boost": {"chat_boost": {"chat": CHAT, "boost": {"boost_id": "b", "add_date": 0, "expiration_date": 1,
                                                          "source": {"source": "premium", "user": U}}}},
    "unknown_future_field": {"some_update_kind_from_2030": {"x": 1}},
}


def test_unhandled_update_kinds(bot_settings, api, caplog):
    """All kinds in one session (each a separate update), then the bot still answers /help."""
    async def scenario():
        async with running(bot_settings):
            for update in KINDS.values():
                api.push(update)
            api.message(3, "/help")
            await until(api, lambda: any("Quotes" in t for t in api.texts(3)))
            await asyncio.sleep(0.5)

    asyncio.run(scenario())
    texts = api.texts(3)
    assert "Sorry, something went wrong, please try again." not in texts
    assert "handler failed" not in caplog.text
    media = {"photo", "voice", "location", "contact", "dice"}
    assert texts.count("I can only read text questions. Please type your question.") == len(media)
    assert texts.count(bot_texts.ADMINS_ONLY_FILES) == 1  # a file from someone who is not an admin: not downloaded
    assert api.downloads == []
    assert api.texts(-7) == [] and api.texts(-9) == []  # group joins and channel edits get no reply


def test_flood_from_one_user_is_rate_limited_and_nothing_is_lost(bot_settings, api):
    settings = bot_settings.model_copy(update={"bot_questions_per_minute": 3})

    async def scenario():
        async with running(settings):
            for _ in range(30):
                api.message(4, Q)
            api.message(5, Q)  # another user is not slowed down by the flood
            await until(api, lambda: len(finals(api, 4)) == 3 and finals(api, 5))
            await asyncio.sleep(1.0)

    asyncio.run(scenario())
    sends = [p["text"] for m, p in api.sent(4) if m == "sendMessage"]
    assert len(sends) == 30  # every message got exactly one reply: a placeholder or the rate-limit note
    assert sum("faster than I can read" in t for t in sends) == 27
