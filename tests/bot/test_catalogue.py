"""The bot's message catalogues: every msgid in the code has a Russian translation that keeps its
placeholders, tags and commands, and the committed .mo is the compiled .po (what the wheel ships)."""

from __future__ import annotations

import io
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from bot import i18n
from core.settings import REPO_ROOT

BOT = REPO_ROOT / "bot"
KEYWORDS = {"N_": None, "Nn_": (1, 2), "_": None, "ngettext": (1, 2)}
PO = BOT / "locale" / "ru" / "LC_MESSAGES" / "newsbot.po"


def code_msgids() -> set[str]:
    """The msgids the code marks, as ``pybabel extract -k N_ -k Nn_:1,2`` finds them (docs/access.md)."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(BOT), method_map=[("**.py", "python")],
                                                                       keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def russian():
    with open(PO, "rb") as f:
        return read_po(f, locale="ru")


def test_every_msgid_in_the_code_has_a_russian_translation(russian):
    msgids = code_msgids()
    assert len(msgids) > 80  # the extraction found the texts, not nothing
    catalogue = {m.id if isinstance(m.id, str) else m.id[0]: m for m in russian if m.id}
    missing = sorted(msgids - catalogue.keys())
    assert not missing, f"not in the Russian catalogue (run the pybabel update in docs/access.md): {missing}"
    stale = sorted(catalogue.keys() - msgids)
    assert not stale, f"in the catalogue but no longer in the code: {stale}"
    for key, message in catalogue.items():
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms) and len(forms) == (3 if isinstance(message.id, tuple) else 1), f"untranslated: {key!r}"
        assert not message.fuzzy, f"fuzzy: {key!r}"


def test_translations_keep_placeholders_tags_and_commands(russian):
    for message in russian:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        for form in message.string if isinstance(message.string, tuple) else (message.string,):
            for pattern in (r"\{[^}]*\}", r"</?\w+>", r"(?<![\w.])/[a-z]+", r"[A-Z_]{6,}"):
                assert sorted(re.findall(pattern, form)) == sorted(re.findall(pattern, source)), (pattern, source, form)


def _messages(catalogue, fuzzy: bool = True) -> dict:
    """id → translation, plural ones as tuples, however a Babel release gives them."""
    def plain(x):
        return tuple(x) if isinstance(x, (list, tuple)) else x
    return {plain(m.id): plain(m.string) for m in catalogue if m.id and (fuzzy or not m.fuzzy)}


def test_the_committed_mo_is_the_compiled_po(russian):
    """Message by message as the .mo reads back, not byte for byte: Babel 2.19 lays out the same catalogue
    in other bytes than 2.18, and setup installs the newest Babel the range allows."""
    with PO.with_suffix(".mo").open("rb") as f:
        shipped = _messages(read_mo(f))
    compiled = io.BytesIO()
    write_mo(compiled, russian)
    compiled.seek(0)
    assert shipped == _messages(read_mo(compiled)), "recompile: pybabel compile -d bot/locale -D newsbot"
    assert shipped == _messages(russian, fuzzy=False)
    assert i18n.languages() == ["ru"]


def test_plural_forms_follow_the_russian_rule():
    pair = ("{n} article", "{n} articles")
    with i18n.speaking("ru"):
        assert [i18n.n_(pair, n).format(n=n) for n in (1, 2, 5, 21)] == ["1 статья", "2 статьи", "5 статей", "21 статья"]
    with i18n.speaking("en_US"):
        assert [i18n.n_(pair, n).format(n=n) for n in (1, 2)] == ["1 article", "2 articles"]
