"""Telegram handlers: one thin async callback per action; the answering happens in ``bot.service``."""

from __future__ import annotations

import asyncio
import logging
import math

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

import rag
from bot import alerts, ingest, render, texts
from bot.i18n import _, current, n_, speaking, use_for
from bot.pairing import PairingStore
from bot.service import FAILED, AnswerService, Reply
from bot.subscriptions import MAX_TOPIC_CHARS, MAX_TOPICS, SubscriptionStore
from core.settings import id_list
from index import Indexer, IndexBusyError

log = logging.getLogger(__name__)
SOURCES_PAGE = 8
COMMANDS = texts.COMMANDS
LATEST_MOST = 30
_warned_usernames: set[str] = set()


def service(context: ContextTypes.DEFAULT_TYPE) -> AnswerService:
    return context.application.bot_data["service"]


def articles(app) -> list[dict]:
    """The indexed articles (``rag.sources``): read afresh each time, so a /reindex shows at once."""
    return rag.sources(app.bot_data["settings"])


def corpus_summary(context) -> str:
    sources = articles(context.application)
    if not sources:
        return _(texts.CORPUS_EMPTY)
    return n_(texts.CORPUS, len(sources)).format(n=len(sources), span=render.span(sources))


def pairing(context) -> PairingStore | None:
    return context.application.bot_data.get("pairing")


def admitted(user, settings, store: PairingStore | None) -> bool:
    """Whether ``user`` may use the bot: no gate at all, the allowlist (by id, or by @username with a
    warning), an admin when pairing is on, or a user an admin approved."""
    allowed = id_list(settings.telegram_allowed_users)
    if not allowed and store is None:
        return True
    if str(user.id) in allowed:
        return True
    username = (user.username or "").lower()
    if username and username in allowed:
        if username not in _warned_usernames:  # once per process and username: it is advice, not an event
            _warned_usernames.add(username)
            log.warning("TELEGRAM_ALLOWED_USERS lets @%s in by username; usernames can be given up and taken by "
                        "someone else: put their numeric id %d in it instead", username, user.id)
        return True
    if store is None:
        return False
    return str(user.id) in id_list(settings.telegram_admin_ids) or store.is_approved(user.id)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: the user's language, then the allowlist (and pairing) for every
    update kind, and updates we never handle."""
    use_for(update)
    if update.edited_message or update.edited_channel_post or update.channel_post:
        raise ApplicationHandlerStop  # edits and channel posts are not questions
    settings = context.application.bot_data["settings"]
    user = update.effective_user
    store = pairing(context)
    if user is None or admitted(user, settings, store):
        return
    if store is not None:
        await offer_code(update, context, store)
        raise ApplicationHandlerStop
    refused: set[int] = context.application.bot_data.setdefault("refused_users", set())
    if user.id not in refused:
        refused.add(user.id)
        log.info("refused a user not on the allowlist")  # neither the id nor the content is logged
        if update.callback_query:
            await update.callback_query.answer(_(texts.PRIVATE))
        elif update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, _(texts.PRIVATE))
    elif update.callback_query:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


async def offer_code(update: Update, context, store: PairingStore) -> None:
    """A stranger to a pairing bot: a one-time code when they have none valid, then silence until it expires.

    Only in private chats: a code posted in a group could be read and handed in by anyone there."""
    code, new = store.code_for(update.effective_user.id, current())
    if update.callback_query:
        await update.callback_query.answer(_(texts.PRIVATE) if new else None)
    if not new or update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
        return
    log.info("gave a pairing code to a user not on the allowlist")  # neither the id nor the code is logged
    minutes = context.application.bot_data["settings"].telegram_pairing_code_minutes
    await context.bot.send_message(update.effective_chat.id, _(texts.PAIRING_CODE).format(code=code, minutes=f"{minutes:g}"))


async def approve(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/approve CODE (admins): let in the user the bot gave CODE to; wrong and expired codes say so."""
    message = update.effective_message
    if not is_admin(update, context):
        await message.reply_text(_(texts.ADMINS_ONLY))
        return
    store = pairing(context)
    if store is None:
        await message.reply_text(_(texts.PAIRING_OFF))
        return
    code = "".join(context.args or [])
    if not code:
        await message.reply_text(_(texts.APPROVE_USAGE))
        return
    result = await asyncio.to_thread(store.approve, code, update.effective_user.id)
    minutes = f"{context.application.bot_data['settings'].telegram_pairing_code_minutes:g}"
    if result.status == "unknown":
        await message.reply_text(_(texts.CODE_UNKNOWN).format(code=result.code or code))
        return
    if result.status == "expired":
        await message.reply_text(_(texts.CODE_EXPIRED).format(code=result.code, minutes=minutes))
        return
    log.info("an admin approved a user by pairing code")
    await message.reply_text(_(texts.APPROVED).format(user_id=result.user_id))
    with speaking(result.language):  # theirs, as their client said when they got the code
        try:
            await context.bot.send_message(result.user_id, _(texts.WELCOME))
        except TelegramError as exc:
            log.warning("could not welcome the approved user (%s)", exc.__class__.__name__)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: what the bot is and what it has read."""
    await update.effective_message.reply_html(f"{_(texts.HELLO).format(summary=corpus_summary(context))}\n\n{_(texts.HELP)}")


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to ask."""
    await update.effective_message.reply_html(_(texts.HELP))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: the indexed articles, paged with buttons."""
    text, markup = sources_page(context, 0)
    await update.effective_message.reply_html(text, reply_markup=markup, disable_web_page_preview=True)


def sources_page(context, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    items = articles(context.application)
    if not items:
        return render.escape(corpus_summary(context)), None
    pages = math.ceil(len(items) / SOURCES_PAGE)
    page = max(0, min(page, pages - 1))
    lines = [_(texts.SOURCES_HEADER).format(first=page * SOURCES_PAGE + 1, last=min(len(items), (page + 1) * SOURCES_PAGE),
                                            n=len(items))]
    for s in items[page * SOURCES_PAGE:(page + 1) * SOURCES_PAGE]:
        lines.append(render.citation_line({"n": "•", **s}).removeprefix("[•] "))
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton(_(texts.PREVIOUS), callback_data=f"src:{page - 1}"))
    if page < pages - 1:
        buttons.append(InlineKeyboardButton(_(texts.NEXT), callback_data=f"src:{page + 1}"))
    return "\n".join(lines), InlineKeyboardMarkup([buttons]) if buttons else None


async def reset(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reset: forget this chat's conversation."""
    service(context).store.reset(update.effective_chat.id)
    await update.effective_message.reply_text(_(texts.RESET_DONE))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION: a question in any chat (the way to ask in groups)."""
    question = " ".join(context.args or []).strip()
    if not question:
        await update.effective_message.reply_text(_(texts.ASK_USAGE))
        return
    await queue_question(update, context, question)


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message: a question in private chats; in groups only when mentioned or replied to."""
    message = update.effective_message
    text = message.text or ""
    if update.effective_chat.type != ChatType.PRIVATE:
        me = context.bot.username or ""
        mentioned = f"@{me}".lower() in text.lower() if me else False
        replied = bool(message.reply_to_message and message.reply_to_message.from_user
                       and message.reply_to_message.from_user.id == context.bot.id)
        if not (mentioned or replied):
            return
        text = text.replace(f"@{me}", "").strip() if me else text
    elif ingest.find_links(text):
        await links(update, context, ingest.find_links(text))
        return
    await queue_question(update, context, text)


async def queue_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    svc = service(context)
    message = update.effective_message
    wait = svc.limiter.wait_for(update.effective_user.id if update.effective_user else message.chat_id)
    if wait:
        await message.reply_text(n_(texts.TOO_FAST, math.ceil(wait)).format(n=math.ceil(wait)))
        return
    if not question.strip():
        await message.reply_text(_(texts.ASK_SOMETHING))
        return
    ahead = svc.reserve()
    try:
        placeholder = await message.reply_text(
            n_(texts.AHEAD, ahead).format(n=ahead) if ahead else _(texts.READING)
        )
    except BaseException:
        svc.release()
        raise
    svc.submit(message.chat_id, question, telegram_reply(context, placeholder))


def telegram_reply(context: ContextTypes.DEFAULT_TYPE, placeholder: Message) -> Reply:
    """Edit ``placeholder`` as the answer streams; finish with the cited answer and a Quotes button.

    The worker that finishes runs in its own task: the asker's language is carried over (``speaking``)."""
    language = current()
    settings = context.application.bot_data["settings"]

    async def edit(text: str) -> None:
        try:
            await placeholder.edit_text(render.escape(text[: render.LIMIT - 10]), parse_mode=ParseMode.HTML)
        except BadRequest as exc:  # "message is not modified" and the like: harmless
            log.debug("edit skipped: %s", exc)

    async def finish(answer, error: str | None) -> None:
        with speaking(language):
            await _finish(answer, error)

    async def _finish(answer, error: str | None) -> None:
        if answer is None:
            await placeholder.edit_text(_(error or FAILED))
            return
        pieces = render.split_message(render.answer_html(answer, render.refusal(answer, settings, rag.sources)))
        markup = None
        if answer.citations and not answer.refused:
            answer_id = service(context).store.save_answer(placeholder.chat_id, [c.to_dict() for c in answer.citations])
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(_(texts.QUOTES), callback_data=f"q:{answer_id}")]])
        await placeholder.edit_text(pieces[0], parse_mode=ParseMode.HTML, disable_web_page_preview=True,
                                    reply_markup=markup if len(pieces) == 1 else None)
        for i, piece in enumerate(pieces[1:], start=2):
            await context.bot.send_message(placeholder.chat_id, piece, parse_mode=ParseMode.HTML,
                                           disable_web_page_preview=True, reply_markup=markup if i == len(pieces) else None)

    return Reply(edit, finish)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline buttons: Quotes of an answer, or a page of /sources. Unknown data gets a polite no."""
    query = update.callback_query
    data = query.data or ""
    kind, _sep, arg = data.partition(":")
    if kind == "q" and arg.isdigit():
        citations = service(context).store.citations(int(arg), query.message.chat.id if query.message else 0)
        if citations:
            await query.answer()
            for piece in render.split_message(render.quotes_html(citations)):
                await context.bot.send_message(query.message.chat.id, piece, parse_mode=ParseMode.HTML,
                                               disable_web_page_preview=True)
            return
    if kind == "src" and arg.isdigit() and query.message:
        await query.answer()
        text, markup = sources_page(context, int(arg))
        try:
            await query.message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True)
        except BadRequest as exc:
            log.debug("page unchanged: %s", exc)
        return
    await query.answer(_(texts.BUTTON_EXPIRED))


def subscriptions(context) -> SubscriptionStore:
    return context.application.bot_data["subscriptions"]


def is_admin(update: Update, context) -> bool:
    user = update.effective_user
    return user is not None and str(user.id) in id_list(context.application.bot_data["settings"].telegram_admin_ids)


async def links(update: Update, context: ContextTypes.DEFAULT_TYPE, urls: list[str]) -> None:
    """Links in a private chat: an admin's are indexed and reported; anyone else's are politely not opened."""
    if not is_admin(update, context):
        await update.effective_message.reply_text(_(texts.ADMINS_ONLY_LINKS))
        return
    what = n_(texts.LINKS, len(urls)).format(n=len(urls))
    await index_and_report(update, context, urls, {}, what)


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file in a private chat: an admin's .txt/.md/.html/.pdf is saved under data_dir/uploads and indexed."""
    message = update.effective_message
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    if not is_admin(update, context):
        await message.reply_text(_(texts.ADMINS_ONLY_FILES))
        return
    settings = context.application.bot_data["settings"]
    doc = message.document
    reason = ingest.check_upload(settings, doc.file_name, doc.file_size)
    if reason:
        await message.reply_html(render.ingest_html([ingest.Ingested(doc.file_name or "file", reason=reason)]))
        return
    path = ingest.upload_path(settings, doc.file_name, doc.file_unique_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    await (await doc.get_file()).download_to_drive(path)
    await index_and_report(update, context, [str(path)], {str(path): doc.file_name or path.name}, doc.file_name or _(texts.THE_FILE))


async def index_and_report(update: Update, context, inputs: list[str], names: dict[str, str], what: str) -> None:
    """Index in a thread (answering goes on), reply with what became of each input, then alert subscribers."""
    settings = context.application.bot_data["settings"]
    message = update.effective_message
    await message.reply_text(_(texts.INDEXING).format(what=what))
    try:
        results, new_ids = await asyncio.to_thread(ingest.index_inputs, settings, inputs, names)
    except IndexBusyError:
        await message.reply_text(_(texts.INDEX_BUSY))
        return
    except Exception as exc:  # noqa: BLE001 - the admin gets the reason, the log the traceback
        log.exception("indexing sent articles failed")
        await message.reply_text(_(texts.INDEX_FAILED).format(reason=exc))
        return
    await message.reply_html(render.ingest_html(results), disable_web_page_preview=True)
    if new_ids:
        sent = await alerts.send_alerts(context.bot, settings, new_ids, assistant=service(context).assistant,
                                        store=subscriptions(context))
        service(context).metrics.alerts.inc(sent)


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/latest [N]: the N newest articles (date, title, outlet, link)."""
    arg = (context.args or ["5"])[0]
    if not arg.isdigit() or not 1 <= int(arg) <= LATEST_MOST:
        await update.effective_message.reply_text(_(texts.LATEST_USAGE).format(most=LATEST_MOST))
        return
    items = rag.latest(int(arg), context.application.bot_data["settings"])
    await update.effective_message.reply_html(render.latest_html(items), disable_web_page_preview=True)


async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest [24h|7d]: what was added in that window, by story, each with one cited sentence."""
    since = "".join(context.args or []) or "24h"
    try:
        rag.parse_since(since)
    except ValueError as exc:
        await update.effective_message.reply_text(_(texts.DIGEST_USAGE).format(reason=exc))
        return
    result = await asyncio.to_thread(rag.digest, since, context.application.bot_data["settings"], assistant=service(context).assistant)
    for piece in render.split_message(render.digest_html(result)):
        await update.effective_message.reply_html(piece, disable_web_page_preview=True)


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe TOPIC: alerts when newly added articles are about TOPIC."""
    topic, chat_id = " ".join(context.args or []).strip(), update.effective_chat.id
    store = subscriptions(context)
    if not topic:
        reply = _(texts.SUBSCRIBE_USAGE)
    elif len(topic) > MAX_TOPIC_CHARS:
        reply = _(texts.SUBSCRIBE_TOO_LONG).format(most=MAX_TOPIC_CHARS)
    elif not rag.topic_names(topic):
        reply = _(texts.SUBSCRIBE_NO_WORDS).format(topic=topic)
    elif len(store.topics(chat_id)) >= MAX_TOPICS:
        reply = _(texts.SUBSCRIBE_TOO_MANY).format(most=MAX_TOPICS)
    else:
        reply = _(texts.SUBSCRIBED if store.subscribe(chat_id, topic) else texts.ALREADY_SUBSCRIBED).format(topic=topic)
    await update.effective_message.reply_text(reply)


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe TOPIC: stop the alerts on TOPIC."""
    topic = " ".join(context.args or []).strip()
    if not topic:
        await update.effective_message.reply_text(_(texts.UNSUBSCRIBE_USAGE))
        return
    done = subscriptions(context).unsubscribe(update.effective_chat.id, topic)
    await update.effective_message.reply_text(_(texts.UNSUBSCRIBED if done else texts.NOT_SUBSCRIBED).format(topic=topic))


async def subscriptions_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscriptions: the topics this chat follows."""
    await update.effective_message.reply_html(render.subscriptions_html(subscriptions(context).topics(update.effective_chat.id)))


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice, files: a short reply in private chats, silence in groups."""
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE and update.effective_message:
        await update.effective_message.reply_text(_(texts.TEXT_ONLY))


async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reindex (admins): re-run the index on the configured folder and report the summary."""
    settings = context.application.bot_data["settings"]
    if not is_admin(update, context):
        await update.effective_message.reply_text(_(texts.ADMINS_ONLY))
        return
    await update.effective_message.reply_text(_(texts.REINDEXING))
    try:
        report = await asyncio.to_thread(Indexer(settings).run, [])
    except Exception as exc:  # noqa: BLE001 - the admin gets the reason, the log the traceback
        log.exception("reindex failed")
        await update.effective_message.reply_text(_(texts.REINDEX_FAILED).format(reason=exc))
        return
    await update.effective_message.reply_text(_(texts.REINDEXED).format(
        seconds=report.seconds, added=report.added, updated=report.updated, removed=report.removed,
        skipped=len(report.skipped), articles=report.articles, chunks=report.chunks))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any handler exception: the user is told to retry; the log gets the traceback (token redacted)."""
    log.error("handler failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        use_for(update)
        try:
            await context.bot.send_message(update.effective_chat.id, _(FAILED))
        except Exception:  # noqa: BLE001
            log.exception("could not tell the user")
