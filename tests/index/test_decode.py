"""The encodings people actually have, and what is not text."""

from __future__ import annotations

import codecs

import pytest

from index.decode import UndecodableError, decode_bytes

ENGLISH = "Russia’s ambassador returned to Washington — “a good sign”, Peskov said. Café talks."
RUSSIAN = "Посол России Анатолий Антонов вернулся в Вашингтон после консультаций в Москве."
FRENCH = "L'ambassadeur est revenu à Washington après des consultations à Moscou, a déclaré le Kremlin."


@pytest.mark.parametrize(
    "data, text",
    [
        (ENGLISH.encode("utf-8"), ENGLISH),
        (codecs.BOM_UTF8 + ENGLISH.encode("utf-8"), ENGLISH),
        (ENGLISH.encode("utf-16"), ENGLISH),  # with BOM (little-endian here)
        (codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"), RUSSIAN),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
        (FRENCH.encode("latin-1"), FRENCH),
        (FRENCH.encode("cp1252"), FRENCH),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "cp1251", "latin1", "cp1252"],
)
def test_decodes(data, text):
    assert decode_bytes(data)[0] == text


def test_binary_is_refused():
    with pytest.raises(UndecodableError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_control_garbage_is_refused():
    with pytest.raises(UndecodableError):
        decode_bytes(bytes(range(1, 32)) * 50)
