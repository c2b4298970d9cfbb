"""Loopback stand-ins for the HTTP services newsbot talks to: Telegram's Bot API, Ollama, and news
sites with RSS/Atom feeds (``standins.feeds``).

Each is a real HTTP server on 127.0.0.1 that answers the way the real service does, so the real
client libraries (python-telegram-bot, the Ollama client) run unchanged against it. Both the tests
and the benchmarks drive the bot through them (``benchmarks.soak``, ``benchmarks.bot_concurrency``),
and ``tests`` and ``benchmarks`` must not import each other, so the stand-ins live here, beside
both. They import nothing of newsbot's own, and nothing of newsbot's imports them
(``tests/test_layers.py``).
"""
