"""The one logging setup, done by entry points (CLI, bot), never at import time."""

from __future__ import annotations

import logging


def setup_logging(verbose: bool = False) -> None:
    """Log to stderr; third-party HTTP and model libraries are turned down so progress stays readable."""
    level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)  # some libraries (bm25s) set their own loggers to DEBUG
    for noisy in ("httpx", "httpcore", "chromadb", "sentence_transformers", "urllib3", "bm25s", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
