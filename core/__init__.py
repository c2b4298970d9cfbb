"""The ground floor: what every other package needs and nothing of the project's own.

``core.settings`` (the one settings object) and ``core.log`` (the one logging setup) live here so
that ``index``, ``rag`` and the front ends can all import them without importing each other.
``core`` imports no other package of the project (``tests/test_layers.py`` checks it).
"""
