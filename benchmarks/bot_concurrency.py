"""N chats ask the real bot at once, on the embedded model: how long the first and last answers take.

The real python-telegram-bot stack polls a loopback Bot API stand-in (standins/botapi.py); the answers
come from the real index (MiniLM) and the real SmolLM2 through llama.cpp, one at a time, queued
fairly. Prints the figures; checks that every chat got exactly one answer.

    .venv/bin/python -m benchmarks.bot_concurrency [--chats 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from core.settings import REPO_ROOT, Settings
from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions


def questions(n: int) -> list[str]:
    qs = [q.question for q in load_questions(DEFAULT_QUESTIONS) if q.answerable and not q.history and q.category != "russian"]
    return [qs[i % len(qs)] for i in range(n)]


async def measure(settings: Settings, n: int) -> dict:
    from pydantic import SecretStr

    from bot.app import build_application
    from standins.botapi import BotApiStandIn, polling

    with BotApiStandIn() as api:
        s = settings.model_copy(update={"telegram_bot_token": SecretStr("1:BENCH"), "telegram_api_base_url": api.base_url})
        app = build_application(s)
        service = app.bot_data["service"]
        await asyncio.to_thread(service.assistant.ask, "warm-up: who is the ambassador?")  # load models first
        chats = list(range(500, 500 + n))

        finals = api.finals

        async with polling(app):
            t0 = time.perf_counter()
            for chat, q in zip(chats, questions(n)):
                api.message(chat, q)
            await asyncio.sleep(2.0)  # answers are being generated now
            api.message(chats[0], "/help")
            t_help = time.perf_counter()
            while not any("Quotes" in t for t in api.texts(chats[0])):
                await asyncio.sleep(0.01)
            help_latency = time.perf_counter() - t_help
            done: dict[int, float] = {}
            while len(done) < n and time.perf_counter() - t0 < 900:
                for c in chats:
                    if c not in done and finals(c):
                        done[c] = time.perf_counter() - t0
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)
            counts = {c: len(finals(c)) for c in chats}
    times = sorted(done.values())
    return {"chats": n, "answered": len(done), "answered_exactly_once": sum(1 for v in counts.values() if v == 1),
            "first_answer_s": round(times[0], 2) if times else None, "last_answer_s": round(times[-1], 2) if times else None,
            "median_answer_s": round(statistics.median(times), 2) if times else None,
            "help_while_busy_s": round(help_latency, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10)
    args = parser.parse_args()
    from index import Indexer

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), articles_dir=REPO_ROOT / "data" / "articles")
        Indexer(settings).run([])
        print(json.dumps(asyncio.run(measure(settings, args.chats))))


if __name__ == "__main__":
    main()
