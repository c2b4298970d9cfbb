"""newsbot's own front ends: the command line (``cli``), the terminal chat (``chat``) and the eval.

``newsbot.cli`` is the one command dispatcher: it may reach every other front end (``bot``,
``newsbot.chat``, ``newsbot.evaluation``) and ``benchmarks``, lazily, inside the command that needs
them. The floors below (settings and logging in ``core``, then ``index``, then ``rag``) never
import this package.
"""
