"""`newsbot doctor`: each check passes on a part that works and fails, with its fix, on one that does not.

Real parts wherever they run here: the index built by the Indexer, embedded Chroma and a real
`chroma run`, the hashing embedder and the packaged MiniLM, the packaged SmolLM2 through llama.cpp,
python-telegram-bot against the Bot API stand-in, the guarded fetch against the feeds stand-in; Ollama
is its stand-in. "Down" is the discard port, where connections are refused at once.
"""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from newsbot import doctor
from standins.botapi import BotApiStandIn
from standins.feeds import FeedSite, rss, rss_item
from tests.conftest import make_settings

DOWN = "http://127.0.0.1:9"
TOKEN = "123456789:AAH-test_SECRET-token-0123456789abcdefXYZ"  # the form @BotFather issues


def test_checks_say_what_they_found_in_one_line():
    ok, bad, skip = doctor.passed("a", "fine"), doctor.failed("b", "broken", "mend it"), doctor.skipped("c", "not here")
    assert ok.line() == "✓ a: fine"
    assert bad.line() == "✗ b: broken — fix: mend it"
    assert skip.line() == "– c: skipped: not here" and skip.ok
    assert doctor.report([ok, skip])["ok"] and not doctor.report([ok, bad])["ok"]
    assert list(bad.to_dict()) == ["name", "ok", "skipped", "detail", "fix"]


# --- settings ------------------------------------------------------------------------------------

def test_settings_from_the_environment_and_env_file_pass(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("NEWSBOT_CHUNK_SIZE=500\n")
    monkeypatch.setenv("NEWSBOT_LLM_THREADS", "3")
    check, settings = doctor.check_settings()
    assert check.ok and ".env" in check.detail
    assert settings.llm_threads == 3 and settings.chunk_size == 500


def test_an_invalid_setting_fails_naming_its_variable_and_skips_the_rest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("NEWSBOT_CHUNK_SIZE=5\n")
    monkeypatch.setenv("NEWSBOT_LLM_THREADS", "abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_PORT", "eighty")
    check, settings = doctor.check_settings()
    assert settings is None and not check.ok
    for name in ("NEWSBOT_LLM_THREADS", "NEWSBOT_CHUNK_SIZE", "TELEGRAM_WEBHOOK_PORT"):
        assert name in check.detail
    assert "greater than or equal to 100" in check.detail and "\n" not in check.line()
    assert ".env.example" in check.fix
    checks = doctor.run_checks()
    assert [c.name for c in checks] == ["settings", "others"] and checks[1].skipped


# --- data folder ---------------------------------------------------------------------------------

def test_data_dir_writable_or_creatable(settings):
    assert doctor.check_data_dir(settings).detail.endswith("does not exist yet; it can be created")
    settings.data_dir.mkdir(parents=True)
    check = doctor.check_data_dir(settings)
    assert check.ok and check.detail == f"{settings.data_dir} is writable"
    assert not settings.data_dir.joinpath("x").exists() and list(settings.data_dir.iterdir()) == []  # left nothing behind


def test_data_dir_under_a_file_fails(tmp_path):
    (tmp_path / "file").write_text("x")
    check = doctor.check_data_dir(make_settings(tmp_path / "file" / "store"))
    assert not check.ok and "is a file, not a folder" in check.detail and "NEWSBOT_DATA_DIR" in check.fix


# --- index and embedding model --------------------------------------------------------------------

def test_index_present(indexed):
    check = doctor.check_index(indexed)
    assert check.ok and check.detail.startswith("5 articles in ") and "(generation g0001)" in check.detail


def test_index_missing_and_damaged(indexed, tmp_path):
    missing = doctor.check_index(make_settings(tmp_path / "empty"))
    assert not missing.ok and "nothing is indexed" in missing.detail and "`newsbot index PATH`" in missing.fix
    manifest = next(indexed.data_dir.glob("index/g*/manifest.sqlite3"))
    manifest.write_bytes(b"this is not a database" * 100)
    damaged = doctor.check_index(indexed)
    assert not damaged.ok and "damaged" in damaged.detail and "--rebuild" in damaged.fix


def test_embedding_model_matches_the_index(indexed):
    check = doctor.check_embeddings(indexed)
    assert check.ok and check.detail == "hash-256 loads (256 dimensions) and matches the index"


def test_embedding_model_that_did_not_build_the_index(indexed):
    check = doctor.check_embeddings(indexed.model_copy(update={"embedding_model": "hash-128"}))
    assert not check.ok
    assert "built with hash-256 (256 dimensions)" in check.detail and "hash-128 (128 dimensions)" in check.detail
    assert "`newsbot index --rebuild`" in check.fix and "NEWSBOT_EMBEDDING_MODEL=hash-256" in check.fix


def test_embedding_model_that_does_not_load(indexed, tmp_path):
    check = doctor.check_embeddings(indexed.model_copy(update={"embedding_model": str(tmp_path / "no-such-model")}))
    assert not check.ok and "no-such-model" in check.detail and "all-MiniLM-L6-v2" in check.fix


@pytest.mark.slow
def test_the_packaged_minilm_loads(settings):
    check = doctor.check_embeddings(settings.model_copy(update={"embedding_model": "all-MiniLM-L6-v2"}))
    assert check.ok and check.detail == "sentence-transformers/all-MiniLM-L6-v2 loads (384 dimensions); no index to compare it with yet"


# --- Chroma server -------------------------------------------------------------------------------

@pytest.mark.slow
def test_chroma_server_up_holds_the_index_and_down_fails(tmp_path, corpus, chroma_server):
    from index import Indexer

    s = make_settings(tmp_path / "store", chroma_url=chroma_server.url)
    Indexer(s).run([str(corpus)])
    assert doctor.check_chroma(s) == doctor.passed("chroma", f"the Chroma server at {chroma_server.url} answers")
    assert doctor.check_embeddings(s).detail == "hash-256 loads (256 dimensions) and matches the index"
    chroma_server.stop()
    down = doctor.check_chroma(s)
    assert not down.ok and "not reachable" in down.detail and "`chroma run" in down.fix
    assert not doctor.check_embeddings(s).ok


def test_chroma_unset_is_skipped_and_a_closed_port_fails(settings):
    assert doctor.check_chroma(settings).skipped
    check = doctor.check_chroma(settings.model_copy(update={"chroma_url": DOWN}))
    assert not check.ok and not check.skipped and f"at {DOWN} is not reachable" in check.detail


# --- the LLM -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_llamacpp_writes_a_token_with_the_packaged_model(settings):
    check = doctor.check_llm(settings)
    assert check.ok and check.detail == "llama.cpp with the packaged SmolLM2-135M-Instruct answers"


def test_llamacpp_with_a_missing_or_broken_model_file(settings, tmp_path):
    missing = doctor.check_llm(settings.model_copy(update={"llm_model_path": tmp_path / "nope.gguf"}))
    assert not missing.ok and "not found" in missing.detail and "NEWSBOT_LLM_MODEL_PATH" in missing.fix
    (tmp_path / "bad.gguf").write_text("not a model")
    broken = doctor.check_llm(settings.model_copy(update={"llm_model_path": tmp_path / "bad.gguf"}))
    assert not broken.ok and "does not load" in broken.detail and "NEWSBOT_LLM_MODEL_PATH" in broken.fix


def test_ollama_answers_one_token(settings, ollama):
    check = doctor.check_llm(settings.model_copy(update={"llm": "ollama", "ollama_base_url": ollama.url}))
    assert check.ok and check.detail == f"llama3.2:3b on Ollama at {ollama.url} answers"
    (chat,) = [r for r in ollama.requests if r["path"] == "/api/chat"]
    assert chat["options"]["num_predict"] == 1


def test_ollama_without_the_model_says_what_to_pull(settings, ollama):
    check = doctor.check_llm(settings.model_copy(update={"llm": "ollama", "ollama_base_url": ollama.url, "ollama_model": "qwen2.5:0.5b"}))
    assert not check.ok and "has no model 'qwen2.5:0.5b'" in check.detail
    assert check.fix.startswith("run `ollama pull qwen2.5:0.5b`")
    assert ollama.requests == []  # nothing was asked of a model that is not there


def test_ollama_down(settings):
    check = doctor.check_llm(settings.model_copy(update={"llm": "ollama", "ollama_base_url": DOWN}))
    assert not check.ok and check.detail == f"Ollama at {DOWN} is not reachable" and "`ollama serve`" in check.fix


# --- Telegram ------------------------------------------------------------------------------------

def with_token(settings, base_url, token=TOKEN):
    return settings.model_copy(update={"telegram_bot_token": SecretStr(token), "telegram_api_base_url": base_url})


def test_telegram_token_accepted_by_getme(settings, caplog):
    """Its detail names the bot, and no log record carries the token (httpx and python-telegram-bot log
    request URLs, which do: `newsbot -v doctor` must not leak it)."""
    import logging

    logging.getLogger().addHandler(caplog.handler)
    with caplog.at_level(logging.DEBUG), BotApiStandIn(token=TOKEN) as api:
        check = doctor.check_telegram(with_token(settings, api.base_url))
        assert [m for m, _ in api.calls] == ["getMe"]
    assert check.ok and "@news_test_bot" in check.detail and TOKEN not in check.line()
    everything = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert "/getMe" in everything and TOKEN.split(":")[1] not in everything


def test_telegram_unset_is_skipped(settings):
    check = doctor.check_telegram(settings)
    assert check.skipped and "TELEGRAM_BOT_TOKEN is not set" in check.detail


@pytest.mark.parametrize("token", ["123456:short", "not-a-token-at-all-but-long-enough-anyway-1234", f"{TOKEN} extra"])
def test_telegram_malformed_token_fails_without_asking(settings, token):
    with BotApiStandIn() as api:
        check = doctor.check_telegram(with_token(settings, api.base_url, token))
        assert api.calls == []
    assert not check.ok and "not a bot token" in check.detail and "@BotFather" in check.fix
    assert token not in json.dumps(check.to_dict())


def test_telegram_token_refused_401(settings):
    with BotApiStandIn(token="987654321:" + "Z" * 35) as api:
        check = doctor.check_telegram(with_token(settings, api.base_url))
    assert not check.ok and "refused TELEGRAM_BOT_TOKEN (Unauthorized)" in check.detail and "@BotFather" in check.fix
    assert TOKEN not in json.dumps(check.to_dict()) and TOKEN.split(":")[1] not in check.line()


def test_telegram_api_unreachable(settings):
    check = doctor.check_telegram(with_token(settings, f"{DOWN}/bot"))
    assert not check.ok and "is not reachable" in check.detail and "TELEGRAM_API_BASE_URL" in check.fix
    assert TOKEN.split(":")[1] not in json.dumps(check.to_dict())


# --- feeds ---------------------------------------------------------------------------------------

@pytest.fixture
def site():
    s = FeedSite().start()
    s.set("/world.rss", rss("World", [rss_item("Envoys meet", f"{s.url}/envoys")]))
    yield s
    s.stop()


def follow(settings, *urls):
    from index import FeedRegistry

    with FeedRegistry(settings.data_dir) as registry:
        for url, name in urls:
            registry.add(url, name)


def test_no_feeds_is_skipped(settings):
    assert doctor.check_feeds(settings) == [doctor.skipped("feeds", "no feeds followed (add one with `newsbot feeds add URL`)")]
    assert not settings.data_dir.exists()  # looking created nothing
    follow(settings)
    assert doctor.check_feeds(settings)[0].skipped


def test_each_feed_reachable_or_not(settings, site):
    s = settings.model_copy(update={"allow_private_urls": True})
    follow(s, (f"{site.url}/world.rss", "world"), (f"{site.url}/gone.rss", "gone"), (f"{DOWN}/rss", None))
    world, gone, down = doctor.check_feeds(s)
    assert world.ok and world.name == "feed world" and "answers (HTTP 200" in world.detail
    assert site.hits["/world.rss"] == 1
    assert not gone.ok and "HTTP 404" in gone.detail and "`newsbot feeds remove gone`" in gone.fix
    assert not down.ok and down.name == f"feed {DOWN}/rss" and "unreachable" in down.detail


def test_a_feed_on_a_private_address_is_refused_unless_allowed(settings, site):
    follow(settings, (f"{site.url}/world.rss", "world"))
    (check,) = doctor.check_feeds(settings)
    assert not check.ok and "private address" in check.detail and "NEWSBOT_ALLOW_PRIVATE_URLS=true" in check.fix
    assert "/world.rss" not in site.hits


# --- all together, through the command -------------------------------------------------------------

def environment(s) -> dict[str, str]:
    return {"NEWSBOT_DATA_DIR": str(s.data_dir), "NEWSBOT_EMBEDDING_MODEL": s.embedding_model,
            "NEWSBOT_ARTICLES_DIR": str(s.articles_dir)}


@pytest.mark.slow
def test_doctor_command_on_a_healthy_embedded_setup(indexed, tmp_path, monkeypatch):
    from newsbot.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["doctor", "--json"], env=environment(indexed))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True
    by_name = {c["name"]: c for c in data["checks"]}
    assert list(by_name) == ["settings", "data_dir", "chroma", "index", "embeddings", "llm", "telegram", "feeds"]
    assert {n for n, c in by_name.items() if c["skipped"]} == {"chroma", "telegram", "feeds"}
    assert all(c["ok"] and not c["fix"] for c in data["checks"])


def test_doctor_command_with_ollama_down_exits_1_naming_the_fix(indexed, tmp_path, monkeypatch):
    from newsbot.cli import app

    monkeypatch.chdir(tmp_path)
    env = {**environment(indexed), "NEWSBOT_LLM": "ollama", "NEWSBOT_OLLAMA_BASE_URL": DOWN, "TELEGRAM_BOT_TOKEN": "12:bad"}
    result = CliRunner().invoke(app, ["doctor"], env=env)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"✗ llm: Ollama at {DOWN} is not reachable — fix: start it with `ollama serve`" in result.output
    assert any(line.startswith("✗ telegram: ") for line in lines) and "12:bad" not in result.output
    assert "✓ index: 5 articles" in result.output and "– feeds: skipped" in result.output
    assert lines[-1] == "2 of 8 checks failed."
