"""The `newsbot` command: thin wrappers that read settings, call ``index``/``rag``/``bot`` and print.

Errors people can fix are printed as one line on stderr with a non-zero exit code, never as a
traceback: 2 for usage errors (a path that does not exist), 3 when another index run holds the
store, 1 for everything else.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from newsbot.log import setup_logging

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Ask questions about a folder of news articles and get answers with verified citations.",
)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings(**overrides: object):
    from pydantic import ValidationError

    from newsbot.settings import load_settings

    try:
        return load_settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        _fail(f"invalid settings ({problems}); see .env.example")


@app.callback()
def _root(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug details to stderr.")] = False) -> None:
    setup_logging(verbose)


@app.command("index")
def index_cmd(
    paths: Annotated[list[str] | None, typer.Argument(help="Folders, files or http(s) URLs. Default: NEWSBOT_ARTICLES_DIR.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start over: re-read and re-embed everything into a fresh index.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a summary.")] = False,
) -> None:
    """Index articles: clean, date, chunk and embed them into the store (incremental)."""
    from index import EmbeddingMismatchError, IndexBusyError, Indexer, StoreError, UsageError
    from index.embeddings import EmbeddingModelError

    settings = _settings()
    try:
        report = Indexer(settings, progress=not as_json).run(paths or [], rebuild=rebuild)
    except UsageError as exc:
        _fail(str(exc), 2)
    except IndexBusyError as exc:
        _fail(str(exc), 3)
    except (EmbeddingMismatchError, StoreError, EmbeddingModelError) as exc:
        _fail(str(exc), 1)
    data = report.to_dict()
    if as_json:
        data.pop("duplicate_of")
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    typer.echo(
        f"Indexed in {report.seconds:.1f} s: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.removed} removed, {report.duplicates} duplicates, "
        f"{len(report.skipped)} skipped."
    )
    for path, original in report.duplicate_of.items():
        typer.echo(f"  duplicate: {path} has the same text as {original}")
    for skipped in report.skipped:
        typer.echo(f"  skipped: {skipped.path}: {skipped.reason}")
    typer.echo(f"The index now holds {report.articles} articles in {report.chunks} chunks.")


@app.command("sources")
def sources_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead of a table.")] = False,
) -> None:
    """List the indexed articles with their outlet and date."""
    from index import IndexReader

    sources = IndexReader(_settings()).sources()
    if as_json:
        typer.echo(json.dumps(sources, ensure_ascii=False))
        return
    if not sources:
        typer.echo("The index is empty: run `newsbot index PATH` to add articles.")
        return
    print_sources(sources)


def print_sources(sources: list[dict]) -> None:
    for s in sources:
        outlet = f" — {s['source']}" if s["source"] else ""
        typer.echo(f"{s['date'] or 'undated':<10}  {s['title']}{outlet}  ({s['chunks']} chunks)")
    typer.echo(f"{len(sources)} articles.")


@app.command("ask")
def ask_cmd(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object: answer, refused, citations, timings.")] = False,
) -> None:
    """Answer one question from the indexed articles, with numbered, quoted sources."""
    from rag import Assistant, LLMUnavailableError, StoreError

    assistant = Assistant(_settings())
    try:
        if as_json:
            answer = assistant.ask(question)
        else:
            answer = None
            for part in assistant.stream(question):
                if isinstance(part, str):
                    typer.echo(part, nl=False)
                else:
                    answer = part
            typer.echo("")
    except (LLMUnavailableError, StoreError) as exc:
        _fail(str(exc))
    if as_json:
        data = answer.to_dict()
        typer.echo(json.dumps({k: data[k] for k in ("answer", "refused", "citations", "timings", "mode")}, ensure_ascii=False))
    elif answer.citations:
        typer.echo("\n" + answer.sources_text())


@app.command("chat")
def chat_cmd() -> None:
    """A conversation in the terminal: follow-up questions work; /sources, /reset, /quit."""
    from newsbot.chat import run_chat

    run_chat(_settings())


@app.command("eval")
def eval_cmd(
    questions: Annotated[str | None, typer.Option("--questions", help="Question file (JSON lines). Default: data/eval/questions.jsonl.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object with the metrics.")] = False,
    report: Annotated[str | None, typer.Option("--report", help="Write report.md, report.html and charts into this folder.")] = None,
    compare: Annotated[str | None, typer.Option("--compare", help="Comma-separated configurations: full, dense-only, naive.")] = None,
    ids: Annotated[str | None, typer.Option("--ids", help="Only these question ids (comma-separated).")] = None,
    judge: Annotated[bool, typer.Option("--judge", help="LLM-as-judge faithfulness with NEWSBOT_EVAL_JUDGE_MODEL (Ollama).")] = False,
) -> None:
    """Score answers on the test question set: retrieval, facts, citations, refusals, latency."""
    from pathlib import Path

    from newsbot.evaluation.evaluate import evaluate
    from newsbot.evaluation.questions import QuestionSetError, load_questions
    from newsbot.evaluation.runner import CONFIGS
    from newsbot.settings import REPO_ROOT

    settings = _settings()
    configs = [c.strip() for c in (compare or "full").split(",") if c.strip()]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        _fail(f"unknown configuration {unknown[0]!r}; choose from {', '.join(CONFIGS)}", 2)
    try:
        rows = load_questions(Path(questions) if questions else REPO_ROOT / "data" / "eval" / "questions.jsonl")
    except QuestionSetError as exc:
        _fail(str(exc), 2)
    if ids:
        wanted = {i.strip() for i in ids.split(",")}
        rows = [q for q in rows if q.id in wanted]
        if not rows:
            _fail(f"no question has an id in {sorted(wanted)}", 2)
    result = evaluate(settings, rows, configs, Path(report) if report else None, judge=judge, progress=not as_json)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    summaries = result.get("compare") or {configs[0]: result}
    keys = ["n", "hit_at_k", "mrr", "fact_recall_text", "fact_recall_with_quotes", "citation_validity", "citation_precision",
            "refusal_accuracy", "false_refusal_rate", "pass_rate", "latency_p50_s", "latency_p95_s", "faithfulness"]
    typer.echo(f"{'metric':26}" + "".join(f"{name:>14}" for name in summaries))
    for k in keys:
        typer.echo(f"{k:26}" + "".join(f"{'–' if s.get(k) is None else s[k]:>14}" for s in summaries.values()))
    typer.echo(f"judge: {result['judge']}")
    if "report" in result:
        typer.echo(f"report: {result['report']['html']}")


@app.command("bench")
def bench_cmd(
    quick: Annotated[bool, typer.Option("--quick", help="Stop at 10k chunks, fewer repeats (under 10 minutes).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Measure indexing, retrieval, answering and memory against the targets (docs/performance.md)."""
    from benchmarks.bench import run

    result = run(quick=quick, progress=(lambda m: None) if as_json else (lambda m: typer.echo(m, err=True)))
    if as_json:
        typer.echo(json.dumps(result))
        return
    for key, value in result.items():
        if key == "retrieval":
            for label, r in value.items():
                typer.echo(f"retrieval @ {label:<4} chunks={r['chunks']:<7} p50={r['p50_ms']} ms  p95={r['p95_ms']} ms  (index {r['index_s']} s)")
        else:
            typer.echo(f"{key:28} {value}")


@app.command("bot")
def bot_cmd() -> None:
    """Serve the Telegram bot (needs TELEGRAM_BOT_TOKEN; long polling, or a webhook if configured)."""
    from bot.app import BotConfigError, run

    settings = _settings()
    try:
        run(settings)
    except BotConfigError as exc:
        _fail(str(exc))


@app.command("run")
def run_cmd() -> None:
    """The main job: index the configured articles, then serve Telegram if TELEGRAM_BOT_TOKEN is set,
    else open the terminal chat."""
    from index import IndexReader

    index_cmd(paths=None, rebuild=False, as_json=False)
    settings = _settings()
    typer.echo("")
    print_sources(IndexReader(settings).sources())
    if settings.telegram_bot_token is not None:
        typer.echo("Starting the Telegram bot (Ctrl+C to stop).")
        bot_cmd()
    else:
        typer.echo("\nNo TELEGRAM_BOT_TOKEN set: opening the terminal chat instead.")
        chat_cmd()


def main() -> None:
    """Entry point of the `newsbot` console script."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
