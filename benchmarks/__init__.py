"""Measurements that print figures.

``bench`` is ``newsbot bench``: indexing, retrieval, answering and memory as the corpus grows, on
``synthetic`` articles (``plot`` draws its retrieval curve). The others measure one choice or one
part, each run as ``.venv/bin/python -m benchmarks.NAME``: ``chunk_sizes``, ``retrieval``,
``answers``, ``followups``, ``metadata``, ``verifier``, and the bot under load (``bot_concurrency``,
``soak``). See docs/performance.md and docs/reliability.md.
"""
