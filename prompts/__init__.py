"""The prompt templates (``*.txt``), a package so they ship as package data in the wheel.

Nothing here runs: :func:`newsbot.settings.default_path` finds this folder with
``importlib.resources`` and ``rag/prompts.py`` reads the files on first use.
"""
