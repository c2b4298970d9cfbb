"""The fair queue in front of the one LLM: questions wait their turn, round-robin across chats.

Why round-robin: the model answers one question at a time, so a chat that sends five questions
must not make everyone else wait behind all five. Each chat's own questions stay in order.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any


@dataclass
class Job:
    """One question waiting for the model."""

    chat_id: int
    payload: Any


class FairQueue:
    """Round-robin over chats, FIFO within a chat. Not thread-safe: use it from the event loop."""

    def __init__(self) -> None:
        self._chats: OrderedDict[int, deque[Job]] = OrderedDict()
        self._ready = asyncio.Event()

    def __len__(self) -> int:
        return sum(len(q) for q in self._chats.values())

    def order(self) -> list[Job]:
        """The jobs in the order they will run."""
        queues = [list(q) for q in self._chats.values()]
        out: list[Job] = []
        depth = 0
        while any(depth < len(q) for q in queues):
            out += [q[depth] for q in queues if depth < len(q)]
            depth += 1
        return out

    def put(self, job: Job) -> int:
        """Queue ``job``; return how many questions will be answered before it."""
        self._chats.setdefault(job.chat_id, deque()).append(job)
        self._ready.set()
        return self.order().index(job)

    async def get(self) -> Job:
        while not self._chats:
            self._ready.clear()
            await self._ready.wait()
        chat_id, jobs = next(iter(self._chats.items()))
        job = jobs.popleft()
        del self._chats[chat_id]
        if jobs:
            self._chats[chat_id] = jobs  # to the back of the line
        return job
