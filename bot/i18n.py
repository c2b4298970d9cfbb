"""The bot's fixed words in the Telegram user's language, through gettext catalogues.

Why gettext (with Babel to extract, update and compile the catalogues): it is the standard message
catalogue, translators' tools read its ``.po`` files, and plural forms (Russian has three) come from
the catalogue's own rule instead of ``"s" if n != 1``. The English words are the msgids; a language
with a catalogue in ``bot/locale/<lang>/LC_MESSAGES/newsbot.mo`` (shipped in the wheel as package
data) is used when the user's Telegram client says it (``update.effective_user.language_code``);
any other language reads English. docs/access.md says how to add or update a language.

The language of the update being handled is a context variable: :func:`use_for` sets it at the
gate, before any handler runs, and every :func:`_` in the handlers and in bot/render.py reads it.
python-telegram-bot runs each update in its own task (``concurrent_updates``), so two users'
languages never mix; replies finished later, in the answering worker, restore it with :func:`speaking`.
Catalogues are read on first use, never at import.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator
from importlib import resources

DOMAIN = "newsbot"
_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("newsbot_language", default=None)


def N_(msgid: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark ``msgid`` for extraction without translating it now: module constants are translated where shown."""
    return msgid


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a sentence with a count (its singular and plural msgids) for extraction; show it with :func:`n_`."""
    return singular, plural


def locale_dir():
    """The folder of the compiled catalogues, inside the installed ``bot`` package."""
    return resources.files("bot") / "locale"


def tag(language_code: str | None) -> str | None:
    """Telegram's IETF tag ("pt-br", "RU") as a gettext locale name ("pt_BR", "ru"); None for none."""
    if not language_code:
        return None
    lang, _, region = language_code.replace("_", "-").partition("-")
    return f"{lang.lower()}_{region.upper()}" if region else lang.lower()


@functools.lru_cache(maxsize=64)
def translations(language: str | None):
    """The catalogue for ``language`` (a gettext locale name; "pt_BR" falls back to "pt"), else English."""
    from babel.support import NullTranslations, Translations

    if not language or language.split("_")[0] == "en":
        return NullTranslations()
    return Translations.load(str(locale_dir()), [language], DOMAIN)


def languages() -> list[str]:
    """The languages with a compiled catalogue (besides English, the msgids' own language)."""
    folder = locale_dir()
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())


def current() -> str | None:
    return _language.get()


def english() -> bool:
    """Whether the current language is English (or unknown): the msgids' own words."""
    language = _language.get()
    return not language or language.split("_")[0] == "en"


def use(language_code: str | None) -> None:
    """Speak the language of ``language_code`` for the rest of this task (the update being handled)."""
    _language.set(tag(language_code))


def use_for(update) -> None:
    """Speak the language of the update's user (English when the client sends none)."""
    user = getattr(update, "effective_user", None)
    use(user.language_code if user is not None else None)


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Speak ``language`` (a value of :func:`current`) inside the block: for replies finished in another task."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def _(msgid: str) -> str:
    """``msgid`` in the current user's language."""
    return translations(_language.get()).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence with a count, by the current language's plural rule."""
    return translations(_language.get()).ngettext(singular, plural, n)


def n_(pair: tuple[str, str], n: int) -> str:
    """An :func:`Nn_` pair in the current language, in the form for ``n`` (not yet formatted)."""
    return ngettext(pair[0], pair[1], n)
