"""What the Telegram handlers call: queue a question, stream its answer into one message, remember.

The answering engine (``rag.Assistant``) is synchronous and the model is one shared resource, so a
single worker thread runs it while the event loop stays free: /start, /help and /sources answer
instantly however many questions are waiting. Streamed text is passed back to the loop and the
message is edited at most once per ``bot_edit_interval`` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot import texts
from bot.history import ChatStore
from bot.metrics import BotMetrics
from bot.queue import FairQueue, Job
from core.settings import Settings
from rag import Answer, Assistant, LLMUnavailableError, StoreError

log = logging.getLogger(__name__)

# msgids: the reply translates them into the asker's language (bot/texts.py, bot/i18n.py).
UNAVAILABLE, STORE_DOWN, FAILED = texts.UNAVAILABLE, texts.STORE_DOWN, texts.FAILED


@dataclass
class Reply:
    """How the service talks back to one chat: edit the placeholder, then finish with the answer."""

    edit: Callable[[str], Awaitable[None]]
    finish: Callable[[Answer | None, str | None], Awaitable[None]]


class RateLimiter:
    """At most ``per_minute`` questions per user in any 60 seconds; says how long to wait."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.seen: dict[int, deque[float]] = defaultdict(deque)

    def wait_for(self, user_id: int, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        times = self.seen[user_id]
        while times and now - times[0] >= 60:
            times.popleft()
        if len(times) >= self.per_minute:
            return 60 - (now - times[0])
        times.append(now)
        return 0.0


class AnswerService:
    """Owns the assistant, the chat store, the fair queue and the one worker thread."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None) -> None:
        self.settings = settings
        self.assistant = assistant or Assistant(settings)
        self.store = ChatStore(settings.data_dir / "bot.sqlite3", settings.bot_history_max)
        self.queue = FairQueue()
        self.limiter = RateLimiter(settings.bot_questions_per_minute)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbot-llm")
        self._worker: asyncio.Task | None = None
        self.busy = False
        self.reserved = 0
        self.metrics = BotMetrics()
        self.metrics.watch_queue(lambda: len(self.queue) + self.reserved, lambda: 1 if self.busy else 0)

    def start(self) -> None:
        if self._worker is None:
            self._worker = asyncio.get_running_loop().create_task(self._work(), name="newsbot-answers")

    async def stop(self) -> None:
        if self._worker:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
            self._worker = None
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.store.close()

    def reserve(self) -> int:
        """Hold a place in line before the placeholder message is sent (other handlers run while it
        is); returns how many questions are ahead. Follow with :meth:`submit` or :meth:`release`."""
        ahead = len(self.queue) + (1 if self.busy else 0) + self.reserved
        self.reserved += 1
        return ahead

    def release(self) -> None:
        self.reserved = max(0, self.reserved - 1)

    def submit(self, chat_id: int, question: str, reply: Reply) -> int:
        """Queue a question (its place reserved); returns how many questions are ahead of it."""
        self.start()
        self.release()
        return self.queue.put(Job(chat_id, (question, reply)))

    async def _work(self) -> None:
        while True:
            job = await self.queue.get()
            question, reply = job.payload
            self.busy = True
            try:
                await self._answer(job.chat_id, question, reply)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - one failed answer must not stop the worker
                log.exception("answering failed")
                self.metrics.failed("failed")
                try:
                    await reply.finish(None, FAILED)
                except Exception:  # noqa: BLE001
                    log.exception("could not report the failure")
            finally:
                self.busy = False

    async def _answer(self, chat_id: int, question: str, reply: Reply) -> None:
        loop = asyncio.get_running_loop()
        deltas: asyncio.Queue = asyncio.Queue()
        history = self.store.history(chat_id, self.settings.history_turns)
        done = object()

        def run() -> None:
            try:
                for part in self.assistant.stream(question, history):
                    loop.call_soon_threadsafe(deltas.put_nowait, part)
            except BaseException as exc:  # noqa: BLE001 - handed to the loop
                loop.call_soon_threadsafe(deltas.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(deltas.put_nowait, done)

        future = loop.run_in_executor(self.executor, run)
        text, last_edit, answer, error = "", 0.0, None, None
        while True:
            part = await deltas.get()
            if part is done:
                break
            if isinstance(part, BaseException):
                error = part
            elif isinstance(part, Answer):
                answer = part
            else:
                text += part
                now = time.monotonic()
                if now - last_edit >= self.settings.bot_edit_interval:
                    last_edit = now
                    await reply.edit(text + " …")
        await future
        if error is not None:
            if isinstance(error, LLMUnavailableError):
                log.warning("LLM unavailable: %s", error)
                self.metrics.failed("llm_unavailable")
                await reply.finish(None, UNAVAILABLE)
                return
            if isinstance(error, StoreError):
                log.warning("store unavailable: %s", error)
                self.metrics.failed("store_unavailable")
                await reply.finish(None, STORE_DOWN)
                return
            raise error
        assert answer is not None
        self.metrics.answered(answer)
        self.store.add_turn(chat_id, question, answer.text)
        await reply.finish(answer, None)

