"""The read side of the index: what is live now, for `newsbot sources`, retrieval and the bot.

Readers never take the write lock and never write; they open the current generation's manifest
read-only, so listing sources loads no model and touches no Chroma.
"""

from __future__ import annotations

from index.layout import Generation, Layout
from index.manifest import Manifest
from newsbot.settings import Settings


class IndexReader:
    """A read-only view of the current generation of the index under ``settings.data_dir``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.layout = Layout(settings.data_dir, settings.collection)

    def generation(self) -> Generation | None:
        gen = self.layout.current()
        return gen if gen is not None and gen.manifest_path.exists() else None

    def open_manifest(self) -> Manifest | None:
        gen = self.generation()
        return Manifest(gen.manifest_path, readonly=True) if gen else None

    def sources(self) -> list[dict]:
        """Indexed articles, oldest first (undated last): ``{id, title, source, date, url, path, chunks}``."""
        manifest = self.open_manifest()
        if manifest is None:
            return []
        try:
            return [
                {
                    "id": a["id"],
                    "title": a["title"],
                    "source": a["outlet"],
                    "date": a["date"],
                    "url": a["url"],
                    "path": a["source"],
                    "chunks": a["chunks"],
                }
                for a in manifest.articles()
            ]
        finally:
            manifest.close()
