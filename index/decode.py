"""Turn the bytes people actually have into text: UTF-8 (with or without BOM), UTF-16 with BOM,
cp1251 (Russian Windows) and latin-1/cp1252 (Western Windows).

Why not a general charset detector: on short news files they guess wrong often enough to garble
a whole article; the five encodings above cover what real news exports use, and each is checked
by a rule that can be tested.
"""

from __future__ import annotations

import codecs
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HIGH_RUN = re.compile(rb"[\xc0-\xff]{3,}")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept; the message says why."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Raises:
        UndecodableError: binary content (NUL bytes without a UTF-16 BOM) or text full of
            control characters in every candidate encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise UndecodableError(f"invalid UTF-16 text ({exc.reason})") from exc
    if b"\x00" in data[:65536]:
        raise UndecodableError("binary file (contains NUL bytes)")
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_cyrillic(data):
        return _checked(data.decode("cp1251", errors="replace")), "cp1251"
    try:
        return _checked(data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError:
        return _checked(data.decode("latin-1")), "latin-1"


def _looks_cyrillic(data: bytes) -> bool:
    """cp1251 text is mostly runs of high bytes (whole Cyrillic words); latin-1 text has a few
    isolated accented letters inside ASCII words."""
    high = sum(1 for b in data if b >= 0xC0)
    if high == 0:
        return False
    in_runs = sum(len(m.group()) for m in _HIGH_RUN.finditer(data))
    return in_runs / high > 0.5


def _checked(text: str) -> str:
    controls = len(_CONTROL.findall(text))
    if text and controls > max(8, len(text) // 100):
        raise UndecodableError(f"not text: {controls} control characters")
    if text.count("\ufffd") > max(8, len(text) // 100):
        raise UndecodableError("undecodable text (too many invalid byte sequences)")
    return text
