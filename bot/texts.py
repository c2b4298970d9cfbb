"""Everything the bot says in its own words: help, refusals, errors, admin, ingest and subscription texts.

One place for these words, so they read as one voice and change without touching the handlers.
Each is a gettext msgid (marked with ``N_`` so ``pybabel extract`` finds it) and is translated where it
is shown, in the user's language (bot/i18n.py): ``_(texts.SUBSCRIBED).format(topic=...)``. Sentences
with a count are ``Nn_`` pairs, shown with ``i18n.n_(pair, n)`` (the language's plural rule). Everything is plain text or Telegram HTML with the values
escaped by the caller (bot/render.py). The answers themselves come from rag/ and stay in English;
only the refusal the bot shows is translated here (:data:`NOT_SAID`, :data:`OTHER_SCRIPT`).
"""

from __future__ import annotations

from bot.i18n import N_, Nn_

COMMANDS = [
    ("start", N_("What this bot is and what it has read")),
    ("help", N_("How to ask")),
    ("sources", N_("The articles I can answer from")),
    ("reset", N_("Forget this conversation")),
    ("ask", N_("Ask a question (in groups)")),
    ("latest", N_("The newest articles: /latest 10")),
    ("digest", N_("What was added lately, by story: /digest 24h or 7d")),
    ("subscribe", N_("Get an alert when a new article is about a topic")),
    ("unsubscribe", N_("Stop the alerts on a topic")),
    ("subscriptions", N_("The topics you follow")),
]
HELP = N_("Ask me a question about the news articles I have read, in plain words. Every answer cites the "
          "articles it comes from, with their dates; press <b>Quotes</b> to see the exact passages. "
          "Follow-up questions work. If the articles do not say, I tell you so.\n\n"
          "/sources lists the articles · /reset starts a new conversation · in groups, mention me or use /ask.\n\n"
          "/latest [N] the newest articles · /digest [24h|7d] what was added, by story · "
          "/subscribe TOPIC alerts when new articles are about it · /subscriptions · /unsubscribe TOPIC")
HELLO = N_("Hello! I answer questions about news articles. {summary}")
CORPUS_EMPTY = N_("I have not read any articles yet: the admin fills my index with `newsbot index PATH` or /reindex.")
CORPUS = Nn_("I have read {n} article ({span}).", "I have read {n} articles ({span}).")
SPAN_DATED = N_("dated {first} to {last}")
SPAN_NONE_DATED = N_("none dated")
SPAN_ESTIMATED = Nn_("{n} with an estimated date", "{n} with an estimated date")
SPAN_UNDATED = Nn_("{n} undated", "{n} undated")

SOURCES_HEADER = N_("<b>Articles {first}–{last} of {n}</b>")
PREVIOUS = N_("« Previous")
NEXT = N_("Next »")
RESET_DONE = N_("Done: I have forgotten our conversation.")
ASK_USAGE = N_("Usage: /ask your question")
TOO_FAST = Nn_("You are asking faster than I can read: please wait {n} second.",
               "You are asking faster than I can read: please wait {n} seconds.")
ASK_SOMETHING = N_("Please ask a question about the news articles.")
AHEAD = Nn_("⏳ {n} question ahead of yours; I will answer here.", "⏳ {n} questions ahead of yours; I will answer here.")
READING = N_("🔎 Reading the articles…")
QUOTES = N_("Quotes")
SOURCES = N_("Sources")
UNDATED = N_("undated")
BUTTON_EXPIRED = N_("This button has expired.")
TEXT_ONLY = N_("I can only read text questions. Please type your question.")
PRIVATE = N_("Sorry, this bot is private.")
ADMINS_ONLY = N_("Only the bot's admins can do that.")
REINDEXING = N_("Re-indexing…")
REINDEX_FAILED = N_("Re-indexing failed: {reason}")
REINDEXED = N_("Done in {seconds:.1f} s: {added} added, {updated} updated, {removed} removed, {skipped} skipped. "
               "{articles} articles, {chunks} chunks.")

# Errors while answering (bot/service.py hands these msgids to the reply, which translates them).
UNAVAILABLE = N_("Sorry, I cannot answer right now: the language model is not available. Please try again in a minute.")
STORE_DOWN = N_("Sorry, I cannot reach my library of articles right now. Please try again in a minute.")
FAILED = N_("Sorry, something went wrong, please try again.")

# Refusals the bot shows in the user's language (rag.Answer.refusal says which; English shows rag's own text).
NOT_SAID = Nn_("The articles I have do not say. I searched {n} article ({span}) for: “{question}”.",
               "The articles I have do not say. I searched {n} articles ({span}) for: “{question}”.")
OTHER_SCRIPT = N_("Your question is not in the Latin alphabet, and my search model ({model}) reads English only, so I "
                  "cannot find it in the articles. Please ask in English; or the admin can set NEWSBOT_EMBEDDING_MODEL "
                  "to a multilingual sentence-transformers model and re-index (docs/access.md).")

# Private access: the allowlist and pairing (bot/pairing.py).
PAIRING_CODE = N_("This bot is private. To ask for access, give this code to the bot's admin: {code}\n"
                  "It works once, for {minutes} minutes; the admin sends /approve {code}.")
APPROVE_USAGE = N_("Usage: /approve CODE (the code the bot gave the person asking for access).")
APPROVED = N_("Approved: user {user_id} can now use the bot.")
WELCOME = N_("Your access is approved. Ask me a question about the news, or send /help.")
CODE_UNKNOWN = N_("There is no pending code {code}: check it for typos, or ask them to message the bot for a new one.")
CODE_EXPIRED = N_("The code {code} has expired (codes last {minutes} minutes): ask them to message the bot again for a new one.")
PAIRING_OFF = N_("Pairing is off: add people to TELEGRAM_ALLOWED_USERS, or set TELEGRAM_PAIRING=true.")

# News arriving: links and files sent to the bot, /latest, /digest, subscriptions and alerts.
ADMINS_ONLY_LINKS = N_("Thanks! Only the bot's admins can add articles, so I have not opened the link. "
                       "Ask me a question about the articles I have instead.")
ADMINS_ONLY_FILES = N_("Thanks! Only the bot's admins can add articles, so I have not read the file. "
                       "Ask me a question about the articles I have instead.")
LINKS = Nn_("{n} link", "{n} links")
THE_FILE = N_("the file")
INDEXING = N_("Reading {what}…")
INDEX_BUSY = N_("The index is being updated right now (a refresh or another upload). Please send it again in a minute.")
INDEX_FAILED = N_("I could not index that: {reason}")
INDEXED_HEADER = N_("<b>Indexed</b>")
SKIPPED = N_("skipped: {reason}")
ALREADY_HAD = N_("(I already had it)")
UNREADABLE = N_("no article text could be read from it")
UNSUPPORTED_FILE = N_("unsupported file type {suffix!r}: send a .txt, .md, .html or .pdf file")
FILE_TOO_LARGE = N_("the file is {mb:.1f} MB, more than the {limit:.1f} MB I read (NEWSBOT_MAX_FILE_MB)")

LATEST_HEADER = N_("<b>The {n} newest articles</b>")
LATEST_EMPTY = N_("I have not read any articles yet.")
LATEST_USAGE = N_("Usage: /latest or /latest 10 (at most {most}).")
DIGEST_EMPTY = N_("Nothing new was added in the last {since}.")
DIGEST_HEADER = N_("<b>Added in the last {since}</b>: {articles}, {stories}")
DIGEST_ARTICLES = Nn_("{n} article", "{n} articles")
DIGEST_STORIES = Nn_("{n} story", "{n} stories")
DIGEST_ALSO = N_("also: {titles}")
DIGEST_USAGE = N_("Usage: /digest 24h or /digest 7d. {reason}")

SUBSCRIBE_USAGE = N_("Usage: /subscribe TOPIC, e.g. /subscribe Antonov or /subscribe embassy closures.")
SUBSCRIBE_NO_WORDS = N_("“{topic}” has no words I can look for in articles: name a person, a place or a subject.")
SUBSCRIBE_TOO_LONG = N_("Please keep a topic under {most} characters.")
SUBSCRIBE_TOO_MANY = N_("You follow {most} topics already: /unsubscribe one first.")
SUBSCRIBED = N_("Subscribed to “{topic}”. When a newly added article is about it, I will send you its headline, "
                "one sentence of it and the link. Articles I already had are not sent.")
ALREADY_SUBSCRIBED = N_("You already follow “{topic}”.")
UNSUBSCRIBE_USAGE = N_("Usage: /unsubscribe TOPIC (see /subscriptions).")
UNSUBSCRIBED = N_("Unsubscribed from “{topic}”.")
NOT_SUBSCRIBED = N_("You do not follow “{topic}”: /subscriptions lists what you follow.")
SUBSCRIPTIONS_EMPTY = N_("You follow no topics. /subscribe TOPIC to get alerts on new articles about it.")
SUBSCRIPTIONS_HEADER = N_("<b>You follow</b>")
SINCE = N_("since {date}")
ALERT_HEADER = N_("🔔 New on <b>{topic}</b>")
READ_IT = N_("Read it: {link}")
