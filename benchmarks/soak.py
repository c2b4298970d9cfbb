"""A bounded soak through the real bot stack: N chats keep asking for a while, on the embedded model.

Each chat sends its next question when the previous one is answered, until the time is up; then
the run waits (bounded) for the last answers. Reports questions asked and answered (each must be
answered exactly once), latency p50/p95, and resident memory after warm-up and at the end.

    .venv/bin/python -m benchmarks.soak [--chats 20] [--seconds 180]
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
    rows = [json.loads(x) for x in (REPO_ROOT / "data/eval/questions.jsonl").read_text().splitlines() if x.strip()]
    return [r["question"] for r in rows if not r.get("history")]


async def soak(settings: Settings, chats: int, seconds: float, drain: float = 300.0) -> dict:
    from pydantic import SecretStr

    from bot.app import build_application
    from standins.botapi import BotApiStandIn, polling

    pool = questions()
    with BotApiStandIn() as api:
        s = settings.model_copy(update={"telegram_bot_token": SecretStr("1:SOAK"), "telegram_api_base_url": api.base_url,
                                        "bot_questions_per_minute": 1000})
        app = build_application(s)
        service = app.bot_data["service"]
        for q in pool[:8]:
            await asyncio.to_thread(service.assistant.ask, q)  # warm-up: models loaded, caches filled
        rss_start = rss_mb()
        ids = list(range(1000, 1000 + chats))
        sent = {c: 0 for c in ids}
        started: dict[tuple[int, int], float] = {}
        latencies: list[float] = []

        finals = api.finals

        async with polling(app):
            t0 = time.perf_counter()
            k = 0
            while True:
                now = time.perf_counter()
                sending = now - t0 < seconds
                for c in ids:
                    answered = len(finals(c))
                    if answered == sent[c]:
                        if (c, answered) in started and (c, answered, "done") not in started:
                            latencies.append(now - started[(c, answered)])
                            started[(c, answered, "done")] = now
                        if sending:
                            api.message(c, pool[k % len(pool)])
                            k += 1
                            sent[c] += 1
                            started[(c, sent[c])] = now
                if not sending and all(len(finals(c)) >= sent[c] for c in ids):
                    break
                if now - t0 > seconds + drain:
                    break
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - t0
            await asyncio.sleep(1.0)
            answered = {c: len(finals(c)) for c in ids}
    rss_end = rss_mb()
    return {
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
    args = parser.parse_args()
    from index import Indexer

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), articles_dir=REPO_ROOT / "data" / "articles")
        Indexer(settings).run([])
        print(json.dumps(asyncio.run(soak(settings, args.chats, args.seconds))))


if __name__ == "__main__":
    main()
