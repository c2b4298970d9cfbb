"""`newsbot doctor`: is every part newsbot needs in working order, and if not, what to do about it.

Why a command of its own: the other commands stop at the first thing that is wrong, and people
setting newsbot up (or a cron job's author, or a container's health check) want the whole picture at
once: settings, the data folder, the index, the embedding model, the LLM, the Chroma server, Telegram
and each feed. Each check is a small function that returns a :class:`Check` and never raises; a
check that does not apply (no token, no Chroma URL, no feeds) is *skipped*, which is not a failure.

Each check goes through the same code the product runs (the index's read side, the embedder seam,
the LLM seam, python-telegram-bot, the guarded fetch of feeds), so "✓" means that code works here,
not that a look-alike probe did; the index's parts are reached through ``rag.health``, since front
ends read the index only through ``rag``. Network checks give up after :data:`NETWORK_TIMEOUT`
seconds, so a service that is down or unreachable fails fast instead of hanging the report.

The bot token is never printed: not in a detail, not in a fix, not in an error a library raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.settings import Settings

NETWORK_TIMEOUT = 5.0
"""Seconds each network check waits (Ollama's model list, Chroma's heartbeat, getMe, each feed)."""

TOKEN_FORMAT = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
"""What @BotFather issues: the bot's numeric id, a colon, and a secret of 30+ URL-safe characters."""


@dataclass(frozen=True)
class Check:
    """The outcome of one check: ``ok`` (or ``skipped``: it does not apply), what was found, what to do."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    skipped: bool = False

    def to_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "skipped": self.skipped, "detail": self.detail, "fix": self.fix}

    def line(self) -> str:
        """One line: ``✓``, ``✗`` or ``–``, the name, what was found, and for a failure the fix."""
        if self.skipped:
            return f"– {self.name}: skipped: {self.detail}"
        return f"{'✓' if self.ok else '✗'} {self.name}: {self.detail}" + (f" — fix: {self.fix}" if self.fix and not self.ok else "")


def passed(name: str, detail: str) -> Check:
    return Check(name, True, detail)


def failed(name: str, detail: str, fix: str) -> Check:
    return Check(name, False, detail, fix)


def skipped(name: str, detail: str) -> Check:
    return Check(name, True, detail, skipped=True)


def one_line(text: str, most: int = 160) -> str:
    """A library's message as one short line (pydantic and httpx write several)."""
    text = " ".join(str(text).split())
    return text if len(text) <= most else text[: most - 1] + "…"


# --- settings and the data folder ------------------------------------------------------------------

def env_name(field: str) -> str:
    """The variable a setting is read from: ``llm_threads`` → ``NEWSBOT_LLM_THREADS``, the Telegram ones by their alias."""
    if field.isupper():
        return field
    info = Settings.model_fields.get(field)
    alias = getattr(info.validation_alias, "choices", None) if info else None
    return str(alias[0]) if alias else f"NEWSBOT_{field.upper()}"


def check_settings() -> tuple[Check, Settings | None]:
    """Load the settings the way every command does (environment, then ``.env`` files); the settings
    too, or ``None`` when a value is invalid (then every other check is skipped: they would read it)."""
    from pydantic import ValidationError

    from core.settings import env_files, load_settings

    try:
        settings = load_settings()
    except ValidationError as exc:
        problems = [f"{env_name(str(e['loc'][0])) if e['loc'] else '?'}: {one_line(e['msg'], 100)}" for e in exc.errors()]
        return failed("settings", "invalid: " + "; ".join(problems),
                      "correct the value in the environment or .env (each option is described in .env.example)"), None
    read = [str(p) for p in env_files() if p.is_file()]
    return passed("settings", "valid (environment" + (", " + ", ".join(read) if read else "") + ")"), settings


def check_data_dir(settings: Settings) -> Check:
    """``data_dir`` must take new files (the index, the feeds, the bot's history). A folder that does not
    exist yet passes when it could be created; the doctor itself creates nothing there."""
    import tempfile

    where = settings.data_dir
    fix = "set NEWSBOT_DATA_DIR to a folder you can write to"
    existing = where
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return failed("data_dir", f"{where} cannot be created: {existing} is a file, not a folder", fix)
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        return failed("data_dir", f"{existing} is not writable ({exc.strerror or exc.__class__.__name__})", fix)
    return passed("data_dir", f"{where} is writable" if existing == where else f"{where} does not exist yet; it can be created")


# --- the index and the embedding model --------------------------------------------------------------

def check_index(settings: Settings) -> Check:
    """The current generation's manifest opens read-only and lists articles (``rag.health.index_stats``)."""
    from rag.health import StoreError, index_stats

    index_it = f"run `newsbot index PATH` (with no PATH it indexes {settings.articles_dir})"
    try:
        stats = index_stats(settings)
    except StoreError as exc:
        return failed("index", one_line(str(exc).split(": run")[0]), "run `newsbot index --rebuild` to build it again")
    if stats is None:
        return failed("index", f"nothing is indexed in {settings.data_dir}", index_it)
    if not stats["articles"]:
        return failed("index", f"generation {stats['generation']} in {settings.data_dir} holds no articles", index_it)
    return passed("index", f"{stats['articles']} articles in {stats['chunks']} chunks (generation {stats['generation']})")


def check_embeddings(settings: Settings) -> Check:
    """The embedding model loads, and the index's collection was built by it: the model name and
    dimension stored in the collection's metadata match (``rag.health.embedder_matches``)."""
    from rag.health import EmbeddingModelError, StoreError, built_with, embedder_matches, index_stats, load_embedder

    try:
        # The embedder the settings choose (NEWSBOT_EMBEDDINGS): onnx-int8 records another name than PyTorch.
        embedder = load_embedder(settings)
        name, dim = embedder.name, embedder.dim
    except EmbeddingModelError as exc:
        fix = ("set NEWSBOT_EMBEDDING_MODEL to all-MiniLM-L6-v2 (installed by ./scripts/setup.sh) or a local model folder"
               if settings.embeddings != "ollama" else "see the message: start Ollama or pull the model")
        return failed("embeddings", one_line(str(exc).split("; newsbot never")[0]), fix)
    loaded = f"{name} loads ({dim} dimensions)"
    try:
        stats = index_stats(settings)
    except StoreError:
        stats = None  # the index check reports it
    if not stats:
        return passed("embeddings", f"{loaded}; no index to compare it with yet")
    if settings.chroma_url and (down := chroma_down(settings.chroma_url)):
        return failed("embeddings", f"{loaded}, but the index's collection cannot be read: the Chroma server {down}",
                      "start the Chroma server (see the chroma check)")
    try:
        metadata = built_with(settings, stats["collection"])
    except Exception as exc:  # noqa: BLE001 - a missing collection and a client error both mean "cannot compare"
        return failed("embeddings", f"{loaded}, but the index's collection {stats['collection']!r} cannot be read "
                      f"({one_line(str(exc) or exc.__class__.__name__, 100)})", "run `newsbot index --rebuild`")
    if not embedder_matches(metadata, embedder):
        built = f"{metadata.get('embedding_model')} ({metadata.get('embedding_dim')} dimensions)"
        return failed("embeddings", f"the index was built with {built} but NEWSBOT_EMBEDDING_MODEL is {name} ({dim} dimensions)",
                      f"run `newsbot index --rebuild` to re-embed every article, or set NEWSBOT_EMBEDDING_MODEL={metadata.get('embedding_model')}")
    return passed("embeddings", f"{loaded} and matches the index")


# --- the LLM ------------------------------------------------------------------------------------

def check_llm(settings: Settings) -> Check:
    """The configured LLM writes one token: llama.cpp loads its GGUF file, or Ollama is up, has the
    model pulled and answers. Built by ``rag.llm.chat_model``, as answering builds it."""
    from langchain_core.messages import HumanMessage

    from rag.llm import LLMUnavailableError, chat_model, explain, ollama_has_model

    one_token = settings.model_copy(update={"llm_max_tokens": 1})
    if settings.llm == "ollama":
        where = f"Ollama at {settings.ollama_base_url}"
        try:
            if not ollama_has_model(settings, timeout=min(NETWORK_TIMEOUT, settings.ollama_timeout)):
                return failed("llm", f"{where} has no model {settings.ollama_model!r}",
                              f"run `ollama pull {settings.ollama_model}` (or set NEWSBOT_OLLAMA_MODEL to a model it has)")
        except LLMUnavailableError:
            return failed("llm", f"{where} is not reachable",
                          "start it with `ollama serve`, fix NEWSBOT_OLLAMA_BASE_URL, or set NEWSBOT_LLM=llamacpp for the embedded model")
        what = f"{settings.ollama_model} on {where}"
    else:
        what = f"llama.cpp with {settings.llm_model_path or 'the packaged SmolLM2-135M-Instruct'}"
    try:
        chat_model(one_token).invoke([HumanMessage("Reply with one word: ready")])
    except Exception as exc:  # noqa: BLE001 - a model that cannot load or answer fails the check, whatever it raised
        reason = explain(exc, settings) if settings.llm == "ollama" else exc
        if settings.llm == "ollama":
            fix = f"see that the model runs with `ollama run {settings.ollama_model}`, or set NEWSBOT_LLM=llamacpp"
        elif settings.llm_model_path is None:
            fix = "run ./scripts/setup.sh (it installs llama-cpp-python and the packaged model), or set NEWSBOT_LLM_MODEL_PATH to a GGUF file"
        else:
            fix = "set NEWSBOT_LLM_MODEL_PATH to a GGUF model file that llama.cpp can load, or unset it for the packaged model"
        detail = str(reason) if isinstance(reason, LLMUnavailableError) else f"{what} does not load or answer ({reason.__class__.__name__}: {reason})"
        return failed("llm", one_line(detail), fix)
    return passed("llm", f"{what} answers")


# --- services: Chroma and Telegram --------------------------------------------------------------

def chroma_down(url: str) -> str | None:
    """Why the Chroma server at ``url`` does not answer its heartbeat, or ``None`` when it does.

    Asked with httpx rather than chromadb's ``HttpClient``, whose requests have no timeout: a server
    behind a dead route would hang the doctor instead of failing in :data:`NETWORK_TIMEOUT` seconds.
    """
    import httpx

    try:
        response = httpx.get(url.rstrip("/") + "/api/v2/heartbeat", timeout=NETWORK_TIMEOUT, trust_env=False)
    except httpx.TimeoutException:
        return f"at {url} did not answer within {NETWORK_TIMEOUT:g} s"
    except httpx.HTTPError as exc:
        return f"at {url} is not reachable ({exc.__class__.__name__})"
    if response.status_code != 200:
        return f"at {url} answered its heartbeat with HTTP {response.status_code} (is it a Chroma server?)"
    return None


def check_chroma(settings: Settings) -> Check:
    """With ``chroma_url`` set, the server answers its heartbeat."""
    if not settings.chroma_url:
        return skipped("chroma", f"NEWSBOT_CHROMA_URL is not set: the embedded store in {settings.data_dir / 'chroma'} is used")
    from urllib.parse import urlparse

    url = urlparse(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        return failed("chroma", f"NEWSBOT_CHROMA_URL {settings.chroma_url!r} is not an http(s) address",
                      "set it to http://HOST:PORT, or unset it to use the embedded store")
    if down := chroma_down(settings.chroma_url):
        return failed("chroma", f"the Chroma server {down}",
                      "start it with `chroma run --path DIR --port PORT`, fix NEWSBOT_CHROMA_URL, or unset it to use the embedded store")
    return passed("chroma", f"the Chroma server at {settings.chroma_url} answers")


def check_telegram(settings: Settings) -> Check:
    """The bot token looks like one and Telegram (``telegram_api_base_url``) accepts it: ``getMe``
    through python-telegram-bot, as the bot starts. The token appears in nothing this returns."""
    if settings.telegram_bot_token is None:
        return skipped("telegram", "TELEGRAM_BOT_TOKEN is not set: `newsbot run` opens the terminal chat instead of the bot")
    token = settings.telegram_bot_token.get_secret_value().strip()
    if not TOKEN_FORMAT.fullmatch(token):
        return failed("telegram", "TELEGRAM_BOT_TOKEN is not a bot token (digits, a colon, then 30 or more letters, digits, - or _)",
                      "copy the token from @BotFather again (message it /mybots → your bot → API Token)")
    import asyncio

    from telegram.error import InvalidToken, NetworkError, TelegramError

    from core.log import redact

    redact(token)  # httpx and python-telegram-bot log request URLs, which carry the token (`newsbot -v doctor`)
    base = settings.telegram_api_base_url
    try:
        username = asyncio.run(_get_me(token, base))
    except InvalidToken:
        return failed("telegram", f"the Bot API at {base} refused TELEGRAM_BOT_TOKEN (Unauthorized)",
                      "copy the current token from @BotFather (it changes when revoked) into TELEGRAM_BOT_TOKEN")
    except NetworkError as exc:  # TimedOut is one
        reason = one_line(str(exc).replace(token, "[REDACTED]"), 100)
        return failed("telegram", f"the Bot API at {base} is not reachable ({exc.__class__.__name__}: {reason})",
                      "check the network, or TELEGRAM_API_BASE_URL")
    except TelegramError as exc:
        return failed("telegram", f"getMe failed at {base} ({one_line(str(exc).replace(token, '[REDACTED]'), 100)})",
                      "check TELEGRAM_API_BASE_URL and the token")
    return passed("telegram", f"the token is accepted: the bot is @{username} ({base})")


async def _get_me(token: str, base_url: str) -> str:
    """The bot's username, from ``getMe`` (python-telegram-bot's ``Bot.initialize`` asks it), with short timeouts."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    request = HTTPXRequest(connect_timeout=NETWORK_TIMEOUT, read_timeout=NETWORK_TIMEOUT,
                           write_timeout=NETWORK_TIMEOUT, pool_timeout=NETWORK_TIMEOUT)
    async with Bot(token, base_url=base_url, request=request) as bot:
        return bot.username


# --- feeds --------------------------------------------------------------------------------------

def check_feeds(settings: Settings) -> list[Check]:
    """Each followed feed (``data_dir/feeds.sqlite3``) answers through the guarded fetch a refresh
    uses (``rag.health.probe_feed``: private addresses refused unless allowed, the size cap), in parallel."""
    import sqlite3
    from concurrent.futures import ThreadPoolExecutor

    from rag.health import feed_list_path, followed_feeds

    none = "no feeds followed (add one with `newsbot feeds add URL`)"
    if not feed_list_path(settings).is_file():
        return [skipped("feeds", none)]
    try:
        feeds = followed_feeds(settings)
    except sqlite3.DatabaseError as exc:
        return [failed("feeds", f"the feed list {feed_list_path(settings)} cannot be read ({exc})",
                       "move the file away and add the feeds again with `newsbot feeds add URL`")]
    if not feeds:
        return [skipped("feeds", none)]
    with ThreadPoolExecutor(min(8, len(feeds))) as pool:
        return list(pool.map(lambda feed: _check_feed(settings, feed), feeds))


def _check_feed(settings: Settings, feed) -> Check:
    from rag.health import probe_feed

    name = f"feed {feed.name or feed.url}"
    got = probe_feed(settings, feed.url, min(NETWORK_TIMEOUT, settings.url_timeout))
    if not got.ok:
        fix = "check the address, or stop following it with `newsbot feeds remove " + (feed.name or feed.url) + "`"
        if "NEWSBOT_ALLOW_PRIVATE_URLS" in got.reason:
            fix = "set NEWSBOT_ALLOW_PRIVATE_URLS=true if you trust this address, or " + fix.replace("check the address, or ", "")
        return failed(name, f"{feed.url}: {one_line(got.reason, 120)}", fix)
    return passed(name, f"{feed.url} answers (HTTP {got.status}, {got.size / 1024:.0f} KB)")


# --- all of them --------------------------------------------------------------------------------

def run_checks(settings: Settings | None = None) -> list[Check]:
    """Every check, in the order a setup is built. ``settings``: use these instead of loading them
    (tests); with invalid settings every other check is skipped, since each would read them."""
    if settings is None:
        first, settings = check_settings()
    else:
        first = passed("settings", "valid (given)")
    if settings is None:
        return [first, skipped("others", "not run: every other check needs valid settings")]
    checks = [first]
    for name, check in (("data_dir", check_data_dir), ("chroma", check_chroma), ("index", check_index),
                        ("embeddings", check_embeddings), ("llm", check_llm), ("telegram", check_telegram),
                        ("feeds", check_feeds)):
        try:
            found = check(settings)
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others' report
            secret = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
            message = str(exc).replace(secret, "[REDACTED]") if secret else str(exc)
            found = failed(name, f"the check stopped on {exc.__class__.__name__}: {one_line(message, 120)}",
                           "run `newsbot --debug doctor` to see where; if it looks like a bug, please report it")
        checks.extend(found if isinstance(found, list) else [found])
    return checks


def report(checks: list[Check]) -> dict:
    """The ``--json`` form: ``{"ok": bool, "checks": [{name, ok, skipped, detail, fix}]}``."""
    return {"ok": all(c.ok for c in checks), "checks": [c.to_dict() for c in checks]}
