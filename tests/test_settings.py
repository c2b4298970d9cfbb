"""The settings object is the single source of configuration, and every option is documented."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from core import settings as settings_module
from core.settings import REPO_ROOT, Settings, load_settings


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


def test_a_checkout_keeps_its_state_and_samples_beside_the_code():
    s = Settings(_env_file=None)
    assert settings_module.in_checkout()
    assert (s.data_dir, s.articles_dir) == (REPO_ROOT / ".newsbot", REPO_ROOT / "data" / "articles")
    assert s.prompts_dir == REPO_ROOT / "prompts" and (s.prompts_dir / "answer.txt").is_file()


def test_installed_state_goes_to_the_per_user_data_dir(tmp_path, monkeypatch):
    # site-packages has no pyproject.toml: this is how an installed newsbot sees its surroundings
    monkeypatch.setattr(settings_module, "REPO_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    s = Settings(_env_file=None)
    assert s.data_dir == tmp_path / "share" / "newsbot"
    # the package's copies (the wheel puts them there; this checkout has no such folders)
    assert (s.articles_dir, s.prompts_dir) == (REPO_ROOT / "newsbot" / "sample_articles", REPO_ROOT / "newsbot" / "prompts")
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "mine"))
    assert Settings(_env_file=None).data_dir == tmp_path / "mine"


def test_dotenv_from_the_current_directory_then_the_user_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "config" / "newsbot").mkdir(parents=True)
    (tmp_path / "config" / "newsbot" / ".env").write_text("NEWSBOT_CHUNK_SIZE=600\nNEWSBOT_RETRIEVAL_K=7\n")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert (load_settings().chunk_size, load_settings().retrieval_k) == (600, 7)
    (tmp_path / "work" / ".env").write_text("NEWSBOT_CHUNK_SIZE=700\n")
    s = load_settings()
    assert (s.chunk_size, s.retrieval_k) == (700, 7)  # the current directory's .env wins, the rest still applies
    monkeypatch.setenv("NEWSBOT_CHUNK_SIZE", "800")
    assert load_settings().chunk_size == 800  # the environment wins over both
