"""What the bot says about news arriving: links and files sent to it, /latest, /digest, subscriptions and alerts.

One place for these words, so they read as one voice and change without touching the handlers.
Everything here is plain text or Telegram HTML with the values escaped by the caller (bot/render.py).
"""

from __future__ import annotations

NEWS_COMMANDS = [
    ("latest", "The newest articles: /latest 10"),
    ("digest", "What was added lately, by story: /digest 24h or 7d"),
    ("subscribe", "Get an alert when a new article is about a topic"),
    ("unsubscribe", "Stop the alerts on a topic"),
    ("subscriptions", "The topics you follow"),
]
NEWS_HELP = ("/latest [N] the newest articles · /digest [24h|7d] what was added, by story · "
             "/subscribe TOPIC alerts when new articles are about it · /subscriptions · /unsubscribe TOPIC")

ADMINS_ONLY_LINKS = ("Thanks! Only the bot's admins can add articles, so I have not opened the link. "
                     "Ask me a question about the articles I have instead.")
ADMINS_ONLY_FILES = ("Thanks! Only the bot's admins can add articles, so I have not read the file. "
                     "Ask me a question about the articles I have instead.")
INDEXING = "Reading {what}…"
INDEX_BUSY = "The index is being updated right now (a refresh or another upload). Please send it again in a minute."
INDEX_FAILED = "I could not index that: {reason}"
INDEXED_HEADER = "<b>Indexed</b>"
SKIPPED = "skipped: {reason}"
ALREADY_HAD = "(I already had it)"
UNREADABLE = "no article text could be read from it"
UNSUPPORTED_FILE = "unsupported file type {suffix!r}: send a .txt, .md, .html or .pdf file"
FILE_TOO_LARGE = "the file is {mb:.1f} MB, more than the {limit:.1f} MB I read (NEWSBOT_MAX_FILE_MB)"

LATEST_HEADER = "<b>The {n} newest articles</b>"
LATEST_EMPTY = "I have not read any articles yet."
LATEST_USAGE = "Usage: /latest or /latest 10 (at most {most})."
DIGEST_EMPTY = "Nothing new was added in the last {since}."
DIGEST_HEADER = "<b>Added in the last {since}</b>: {articles} article{s}, {stories} stor{ies}"
DIGEST_ALSO = "also: {titles}"
DIGEST_USAGE = "Usage: /digest 24h or /digest 7d. {reason}"

SUBSCRIBE_USAGE = "Usage: /subscribe TOPIC, e.g. /subscribe Antonov or /subscribe embassy closures."
SUBSCRIBE_NO_WORDS = "“{topic}” has no words I can look for in articles: name a person, a place or a subject."
SUBSCRIBE_TOO_LONG = "Please keep a topic under {most} characters."
SUBSCRIBE_TOO_MANY = "You follow {most} topics already: /unsubscribe one first."
SUBSCRIBED = ("Subscribed to “{topic}”. When a newly added article is about it, I will send you its headline, "
              "one sentence of it and the link. Articles I already had are not sent.")
ALREADY_SUBSCRIBED = "You already follow “{topic}”."
UNSUBSCRIBE_USAGE = "Usage: /unsubscribe TOPIC (see /subscriptions)."
UNSUBSCRIBED = "Unsubscribed from “{topic}”."
NOT_SUBSCRIBED = "You do not follow “{topic}”: /subscriptions lists what you follow."
SUBSCRIPTIONS_EMPTY = "You follow no topics. /subscribe TOPIC to get alerts on new articles about it."
SUBSCRIPTIONS_HEADER = "<b>You follow</b>"
ALERT_HEADER = "🔔 New on <b>{topic}</b>"
READ_IT = "Read it: {link}"
