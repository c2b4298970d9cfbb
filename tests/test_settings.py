"""The settings object is the single source of configuration, and every option is documented."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from core.settings import REPO_ROOT, Settings


def test_every_option_is_in_env_example():
    documented = set(re.findall(r"^#?\s*(NEWSBOT_[A-Z_]+|TELEGRAM_[A-Z_]+)=", (REPO_ROOT / ".env.example").read_text(), re.M))
    expected = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        expected.add(choices[0] if choices else alias if isinstance(alias, str) else f"NEWSBOT_{name.upper()}")
    assert expected == documented


def test_every_option_has_a_description():
    assert all(f.description for f in Settings.model_fields.values())


def test_environment_and_dotenv(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("NEWSBOT_CHUNK_SIZE=700\nNEWSBOT_CHROMA_URL=http://127.0.0.1:9999\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSBOT_CHUNK_SIZE", "800")
    s = Settings()
    assert (s.chunk_size, s.chroma_url) == (800, "http://127.0.0.1:9999")  # env wins over .env


def test_bad_values_are_refused():
    with pytest.raises(ValidationError):
        Settings(_env_file=None, chunk_size=5)
