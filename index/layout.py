"""Where an index lives on disk, and which generation of it is current.

``data_dir/CURRENT`` names the live generation; each generation has its own folder (manifest,
keyword index) and its own Chroma collection. ``--rebuild`` fills a new generation while the old one
keeps answering, then switches ``CURRENT`` with one atomic rename: a rebuild killed half-way
changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout


class IndexBusyError(RuntimeError):
    """Another index run holds the store."""


@dataclass(frozen=True)
class Generation:
    """One complete copy of the index: ``gNNNN`` with its folder and Chroma collection."""

    name: str
    dir: Path
    collection: str

    @property
    def manifest_path(self) -> Path:
        return self.dir / "manifest.sqlite3"

    @property
    def keyword_dir(self) -> Path:
        return self.dir / "keyword"


class Layout:
    """The generations under one ``data_dir`` for one collection base name."""

    def __init__(self, data_dir: Path, collection: str) -> None:
        self.data_dir = data_dir
        self.base = collection
        self.root = data_dir / "index"
        self.pointer = self.root / "CURRENT"

    def _generation(self, name: str) -> Generation:
        return Generation(name, self.root / name, f"{self.base}_{name}")

    def current(self) -> Generation | None:
        try:
            info = json.loads(self.pointer.read_text())
        except (OSError, ValueError):
            return None
        return self._generation(info["generation"])

    def generations(self) -> list[Generation]:
        if not self.root.is_dir():
            return []
        return [self._generation(p.name) for p in sorted(self.root.iterdir()) if re.fullmatch(r"g\d{4,}", p.name)]

    def new_generation(self) -> Generation:
        numbers = [int(g.name[1:]) for g in self.generations()]
        gen = self._generation(f"g{max(numbers, default=0) + 1:04d}")
        gen.dir.mkdir(parents=True, exist_ok=False)
        return gen

    def set_current(self, gen: Generation) -> None:
        """Atomically make ``gen`` the live generation (write, fsync, rename)."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.pointer.with_suffix(".tmp")
        with open(tmp, "w") as fh:
            json.dump({"generation": gen.name, "collection": gen.collection}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.pointer)

    def remove(self, gen: Generation) -> None:
        shutil.rmtree(gen.dir, ignore_errors=True)

    def lock(self, wait: float) -> FileLock:
        """The store's write lock; raises :class:`IndexBusyError` after ``wait`` seconds."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.data_dir / "index.lock"))
        try:
            lock.acquire(timeout=wait)
        except Timeout as exc:
            raise IndexBusyError(
                f"Another `newsbot index` run is using {self.data_dir}; wait for it to finish "
                "(or set NEWSBOT_INDEX_LOCK_WAIT to a number of seconds to wait)."
            ) from exc
        return lock
