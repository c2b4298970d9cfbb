"""Build and run the Telegram application: ``main()`` only wires handlers and starts polling or a webhook."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import alerts, handlers, i18n
from bot.delivery import RetryingRateLimiter
from bot.pairing import PairingStore
from bot.service import AnswerService
from bot.subscriptions import SubscriptionStore
from core.settings import Settings

log = logging.getLogger(__name__)


class BotConfigError(RuntimeError):
    """The bot cannot start as configured (no token, a token Telegram refuses, no way to reach it)."""


class _RaisedAnyway(logging.Filter):
    """python-telegram-bot logs a failed start with its traceback, then raises it: :func:`run` reports it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno >= logging.ERROR and str(record.msg).endswith(("Aborting.", "Aborting retry loop.")))


def build_application(settings: Settings, service: AnswerService | None = None) -> Application:
    """The python-telegram-bot ``Application`` with every handler registered.

    Args:
        settings: needs ``telegram_bot_token``; ``telegram_api_base_url`` points it at another Bot API.
        service: the answering service (tests pass one with a scripted model).
    """
    if settings.telegram_bot_token is None:
        raise BotConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env.")
    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_url.replace("/bot", "/file/bot"))
        .rate_limiter(RetryingRateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data["settings"] = settings
    app.bot_data["service"] = service or AnswerService(settings)
    app.bot_data["subscriptions"] = SubscriptionStore(settings.data_dir / "subscriptions.sqlite3")
    if settings.telegram_pairing:
        app.bot_data["pairing"] = PairingStore(settings.data_dir / "pairing.sqlite3", settings.telegram_pairing_code_minutes)
    app.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    app.add_handler(CommandHandler("start", handlers.start))
    app.add_handler(CommandHandler("help", handlers.help_command))
    app.add_handler(CommandHandler("sources", handlers.sources))
    app.add_handler(CommandHandler("reset", handlers.reset))
    app.add_handler(CommandHandler("ask", handlers.ask_command))
    app.add_handler(CommandHandler("reindex", handlers.reindex))
    app.add_handler(CommandHandler("approve", handlers.approve))
    app.add_handler(CommandHandler("latest", handlers.latest))
    app.add_handler(CommandHandler("digest", handlers.digest))
    app.add_handler(CommandHandler("subscribe", handlers.subscribe))
    app.add_handler(CommandHandler("unsubscribe", handlers.unsubscribe))
    app.add_handler(CommandHandler("subscriptions", handlers.subscriptions_command))
    app.add_handler(CallbackQueryHandler(handlers.button))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, handlers.text_message))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, handlers.document))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.unsupported))
    app.add_error_handler(handlers.on_error)
    alerts.schedule_refresh(app, settings)
    return app


async def _post_init(app: Application) -> None:
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in handlers.COMMANDS])
    for language in i18n.languages():  # Telegram shows each user the menu in their client's language
        with i18n.speaking(language):
            await app.bot.set_my_commands([BotCommand(name, i18n._(text)) for name, text in handlers.COMMANDS],
                                          language_code=language)
    _serve_metrics(app)
    app.bot_data["service"].start()
    if not handlers.articles(app):
        log.warning("The index is empty: users will be told to ask the admin to run `newsbot index PATH` or /reindex.")


def _serve_metrics(app: Application) -> None:
    """Serve the service's metrics (bot/metrics.py) when NEWSBOT_METRICS_PORT is set; the index size is read per scrape."""
    settings, service = app.bot_data["settings"], app.bot_data["service"]
    if not settings.metrics_port:
        return
    import rag
    from bot.metrics import MetricsServerError

    service.metrics.watch_index(lambda: rag.sources(settings))
    try:
        service.metrics.serve(settings.metrics_listen, settings.metrics_port)
    except MetricsServerError as exc:
        raise BotConfigError(str(exc)) from exc


async def _post_shutdown(app: Application) -> None:
    app.bot_data["service"].metrics.stop()
    await app.bot_data["service"].stop()
    app.bot_data["subscriptions"].close()
    if "pairing" in app.bot_data:
        app.bot_data["pairing"].close()


def run(settings: Settings) -> None:
    """Serve until interrupted: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set.

    Stops before connecting when answering cannot work at all (embedding model, prompts, store:
    :func:`rag.check_ready`); an empty index is served (admins can /reindex), and an LLM that is
    down is reported to users question by question.
    """
    from core.log import redact
    from rag import check_ready

    redact(settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None)
    app = build_application(settings)
    check_ready(app.bot_data["service"].assistant, articles=False)
    logging.getLogger("telegram.ext").addFilter(_RaisedAnyway())
    try:
        if settings.telegram_webhook_url:
            secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else None
            path = settings.telegram_webhook_url.rstrip("/").rsplit("/", 1)[-1] if "/" in settings.telegram_webhook_url[8:] else ""
            app.run_webhook(listen=settings.telegram_webhook_listen, port=settings.telegram_webhook_port, url_path=path,
                            webhook_url=settings.telegram_webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken as exc:  # only at start: later failures are retried by python-telegram-bot
        raise BotConfigError("Telegram does not accept TELEGRAM_BOT_TOKEN: copy the token from @BotFather again.") from exc
    except NetworkError as exc:
        token = settings.telegram_bot_token.get_secret_value()
        raise BotConfigError(f"Cannot reach the Telegram Bot API at {settings.telegram_api_base_url} "
                             f"({str(exc).replace(token, '[REDACTED]')}): check the network, or TELEGRAM_API_BASE_URL.") from exc
