# syntax=docker/dockerfile:1
# newsbot on the CPU: the Telegram bot (`newsbot run`: index NEWSBOT_ARTICLES_DIR, then serve).
# The install is scripts/setup.sh, the README's own setup, so the image and a checkout cannot drift apart.
# Build: docker build -t newsbot .   Run: see compose.yaml and docs/deploy.md.
#
# The full python image, not -slim: llama-cpp-python compiles from source (gcc, g++, make are here;
# pip fetches CMake), and the built library needs libgomp and libstdc++ at run time, which -slim lacks.
FROM python:3.11-bookworm

# PyTorch's CPU wheels: PyPI's torch for Linux pulls several GB of CUDA libraries. (Build arguments
# reach scripts/setup.sh as environment variables.)
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
# llama.cpp for any x86-64 CPU, not just the build machine's (set to ON for a native build).
ARG GGML_NATIVE=OFF

# State on the /data volume; in webhook mode, listen on every interface of the container (the port is
# published to the host, where the HTTPS reverse proxy reaches it), not on the container's own loopback.
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ANONYMIZED_TELEMETRY=False \
    NEWSBOT_DATA_DIR=/data \
    NEWSBOT_ONNX_DIR=/app/onnx \
    TELEGRAM_WEBHOOK_LISTEN=0.0.0.0

WORKDIR /app
COPY . /app

# The pip cache (BuildKit) keeps the built llama-cpp-python wheel between builds: a code change
# re-runs setup.sh in seconds instead of recompiling llama.cpp.
RUN --mount=type=cache,target=/root/.cache/pip \
    CMAKE_ARGS="-DGGML_NATIVE=${GGML_NATIVE}" \
    ./scripts/setup.sh --runtime

# Not root: the code and the virtualenv stay root-owned (read-only to the bot); only /data is written.
RUN useradd --create-home --uid 10001 --user-group newsbot \
    && mkdir -p /data \
    && chown newsbot:newsbot /data
USER 10001:10001
ENV PATH=/app/.venv/bin:$PATH
VOLUME ["/data"]

# Webhook mode only (TELEGRAM_WEBHOOK_URL set): the port python-telegram-bot listens on.
EXPOSE 8443
CMD ["newsbot", "run"]
