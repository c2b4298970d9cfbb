"""`newsbot chat`: a terminal conversation with streamed answers and a few slash commands."""

from __future__ import annotations

import sys

import typer

HELP = "Ask about the news articles. Commands: /sources (what I have read), /reset (new conversation), /quit."


def run_chat(settings, read=input, write=None) -> None:
    """Read questions until /quit or end of input; keep the conversation so follow-ups work.

    ``read``/``write`` are injectable so tests can drive a whole conversation.

    Raises (before the first prompt) what stops every answer: nothing indexed, the embedding model,
    the prompts or the store (see :func:`rag.check_ready`). A failure while answering one question
    (the LLM is down, the store went away) is printed and the conversation goes on.
    """
    from rag import Answer, Assistant, LLMUnavailableError, StoreError, check_ready, date_label, sources

    write = write or (lambda text, nl=True: typer.echo(text, nl=nl))
    assistant = Assistant(settings)
    check_ready(assistant)
    history: list[tuple[str, str]] = []
    last: Answer | None = None
    write(f"newsbot: {len(sources(settings))} articles indexed. {HELP}")
    while True:
        try:
            line = read("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            write("")
            return
        if not line:
            continue
        command = line.lower()
        if command in ("/quit", "/exit", "/q"):
            return
        if command == "/reset":
            history, last = [], None
            write("Conversation cleared.")
            continue
        if command == "/sources":
            for s in sources(settings):
                write(f"  {date_label(s['date'], s.get('date_source')):<20}  {s['title']}" + (f" — {s['outlet']}" if s["outlet"] else ""))
            if last and last.citations:
                write("\nSources of the last answer:\n" + last.sources_text())
            continue
        if command.startswith("/"):
            write(HELP)
            continue
        try:
            for part in assistant.stream(line, history):
                if isinstance(part, str):
                    write(part, nl=False)
                else:
                    last = part
            write("")
        except (LLMUnavailableError, StoreError) as exc:
            write(f"\nSorry, I cannot answer right now: {exc}")
            continue
        if last.citations:
            write(last.sources_text())
        history.append((line, last.text))
        sys.stdout.flush()
