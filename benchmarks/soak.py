"""A bounded soak through the real bot stack: N chats keep asking for a while, on the embedded model.

Each chat sends its next question when the previous one is answered, until the time is up (or until it
has asked ``--per-chat`` questions); then the run waits (bounded) for the last answers. Reports questions
asked and answered (each must be answered exactly once), answers per minute at saturation (every chat
waiting), time to answer p50/p95, how soon the queue-position message arrived, answer-cache hits, and
resident memory after warm-up and at the end.

``--compare`` runs the same workload twice in one process, the answer cache off then on, and prints both
side by side. ``--distinct N`` draws the questions from N of the eval set's, round-robin, so that chats
repeat each other's questions as readers of one bot do (20 chats × 3 questions over 20 questions: each
asked three times); 0 keeps them all distinct.

    .venv/bin/python -m benchmarks.soak [--chats 20] [--seconds 180] [--per-chat 3] [--distinct 20] [--compare]
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
from newsbot.evaluation.scoring import percentile


def rss_mb() -> float:
    """Current resident memory of this process (not the peak)."""
    import os

    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def questions() -> list[str]:
    from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions

    return [q.question for q in load_questions(DEFAULT_QUESTIONS) if not q.history]


def warm_up_questions(pool: list[str], n: int) -> list[str]:
    """``n`` questions, one of each kind first (a place, a date, an organisation …): what a served
    process loads on first use for a kind (the town gazetteer for "which city", word-form tables) is in
    before the memory baseline, so the soak's growth is what answering keeps, not what it loads once."""
    from rag.answer_types import classify

    by_kind: dict[str, str] = {}
    for q in reversed(pool):
        by_kind.setdefault(classify(q).kind, q)
    chosen = list(by_kind.values())[:n]
    return chosen + [q for q in reversed(pool) if q not in chosen][:n - len(chosen)]


async def soak(settings: Settings, chats: int, seconds: float, drain: float = 300.0, per_chat: int = 0,
               distinct: int = 0, warmup: int = 8) -> dict:
    from pydantic import SecretStr

    from bot.app import build_application
    from standins.botapi import BotApiStandIn, polling

    pool = questions()
    warm, pool = warm_up_questions(pool, warmup), (pool[:distinct] if distinct else pool)
    with BotApiStandIn() as api:
        s = settings.model_copy(update={"telegram_bot_token": SecretStr("1:SOAK"), "telegram_api_base_url": api.base_url,
                                        "bot_questions_per_minute": 1000})
        app = build_application(s)
        service = app.bot_data["service"]
        for q in warm:
            await asyncio.to_thread(service.assistant.ask, q)  # warm-up: models loaded, caches filled
        if service.assistant.answers is not None:
            service.assistant.answers.clear()  # the warm-up's answers are not the workload's hits
        rss_start = rss_mb()
        ids = list(range(1000, 1000 + chats))
        sent = {c: 0 for c in ids}
        started: dict[tuple[int, int], float] = {}
        latencies: list[float] = []
        queue_messages: list[float] = []  # asking → the placeholder ("N questions ahead of yours") arrived
        placeholders: dict[int, tuple[int, float]] = {}  # chat → (sendMessage count when it asked, when)

        finals = api.finals

        def sends(c: int) -> int:
            return len(api.sent(c, methods=("sendMessage",)))

        async with polling(app):
            t0 = time.perf_counter()
            k = 0
            while True:
                now = time.perf_counter()
                sending = now - t0 < seconds
                for c in ids:
                    if c in placeholders and sends(c) > placeholders[c][0]:
                        queue_messages.append(now - placeholders.pop(c)[1])
                    answered = len(finals(c))
                    if answered == sent[c]:
                        if (c, answered) in started and (c, answered, "done") not in started:
                            latencies.append(now - started[(c, answered)])
                            started[(c, answered, "done")] = now
                        if sending and (not per_chat or sent[c] < per_chat):
                            placeholders[c] = (sends(c), now)
                            # with --distinct, chat i asks question i, then i+1, …: each question comes from other chats
                            api.message(c, pool[(c - ids[0] + sent[c]) % len(pool)] if distinct else pool[k % len(pool)])
                            k += 1
                            sent[c] += 1
                            started[(c, sent[c])] = now
                if per_chat and all(sent[c] >= per_chat for c in ids):
                    sending = False
                if not sending and all(len(finals(c)) >= sent[c] for c in ids):
                    break
                if now - t0 > seconds + drain:
                    break
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - t0
            await asyncio.sleep(1.0)
            answered = {c: len(finals(c)) for c in ids}
    rss_end = rss_mb()
    cache = service.assistant.answers
    return {
        "answer_cache": settings.answer_cache, "cache_hits": cache.hits if cache else 0,
        "cache_misses": cache.misses if cache else 0,
        "answers_per_minute": round(sum(answered.values()) / elapsed * 60, 1),
        "queue_message_p95_s": round(percentile(queue_messages, 0.95), 2) if queue_messages else None,
        "queue_message_max_s": round(max(queue_messages), 2) if queue_messages else None,
        "chats": chats, "seconds": round(elapsed, 1), "asked": sum(sent.values()), "answered": sum(answered.values()),
        "exactly_once": all(answered[c] == sent[c] for c in ids), "latency_p50_s": round(statistics.median(latencies), 2) if latencies else None,
        "latency_p95_s": round(percentile(latencies, 0.95), 2) if latencies else None,
        "rss_after_warmup_mb": round(rss_start, 1), "rss_end_mb": round(rss_end, 1),
        "rss_growth": round(rss_end / rss_start - 1, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--per-chat", type=int, default=0, help="stop each chat after this many questions (0: no limit)")
    parser.add_argument("--distinct", type=int, default=0, help="draw questions from this many (0: all, no repeats)")
    parser.add_argument("--warmup", type=int, default=8, help="questions asked before the clock starts")
    parser.add_argument("--compare", action="store_true", help="run with the answer cache off, then on; print both")
    args = parser.parse_args()
    from index import Indexer

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), articles_dir=REPO_ROOT / "data" / "articles")
        Indexer(settings).run([])
        modes = ("off", "memory") if args.compare else (settings.answer_cache,)
        runs = {mode: asyncio.run(soak(settings.model_copy(update={"answer_cache": mode}), args.chats, args.seconds,
                                       per_chat=args.per_chat, distinct=args.distinct, warmup=args.warmup))
                for mode in modes}
        if args.compare:
            keys = ("answers_per_minute", "latency_p50_s", "latency_p95_s", "cache_hits", "queue_message_max_s")
            for key in keys:
                print(f"{key:24} cache off {runs['off'][key]!s:>8}   cache on {runs['memory'][key]!s:>8}")
            print(json.dumps(runs))
        else:
            print(json.dumps(runs[modes[0]]))


if __name__ == "__main__":
    main()
