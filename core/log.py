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


class _Redact(logging.Filter):
    """Replaces a secret with ``[REDACTED]`` in every record, message and arguments alike."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "[REDACTED]"), None
        if record.exc_info and record.exc_info[1] is not None and self.secret in str(record.exc_info[1]):
            import traceback

            text = "".join(traceback.format_exception(*record.exc_info)).replace(self.secret, "[REDACTED]")
            record.msg, record.args, record.exc_info, record.exc_text = f"{record.getMessage()}\n{text}", None, None, None
        return True


def redact(secret: str | None) -> None:
    """Keep ``secret`` (the bot token) out of every log line, from every library, from now on."""
    if not secret:
        return
    flt = _Redact(secret)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.WARNING)
    for handler in root.handlers:
        handler.addFilter(flt)
