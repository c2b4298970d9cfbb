"""The `newsbot` command: thin wrappers that read settings, call ``rag`` (``index.Indexer`` to write) and print.

Errors people can fix are printed as one line on stderr with a non-zero exit code, never as a
traceback: 2 for usage errors (a path that does not exist), 3 when another index run holds the
store, 1 for everything else. The project's own exceptions carry that line (it says what to do);
:func:`main` maps them to exit codes in one place (``USER_ERRORS``), so commands just let them
rise. ``newsbot --debug`` shows the traceback instead.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from core.log import setup_logging

# The project's own errors as (module, class, exit code); subclasses count (EmbeddingMismatchError
# and EmptyIndexError are StoreErrors). Looked up in sys.modules: a raised error's module is loaded,
# so handling one imports nothing (bot.app would import telegram).
USER_ERRORS = (
    ("index.pipeline", "UsageError", 2),
    ("index.feeds", "FeedError", 2),
    ("newsbot.evaluation.questions", "QuestionSetError", 2),
    ("index.layout", "IndexBusyError", 3),
    ("index.store", "StoreError", 1),
    ("index.embeddings", "EmbeddingModelError", 1),
    ("rag.llm", "LLMUnavailableError", 1),
    ("rag.prompts", "PromptError", 1),
    ("rag.trace", "TraceNotFoundError", 1),
    ("bot.app", "BotConfigError", 1),
)

_debug = False

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

    from core.settings import load_settings

    try:
        return load_settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        _fail(f"invalid settings ({problems}); see .env.example")


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug details to stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error instead of one line.")] = False,
) -> None:
    global _debug
    _debug = debug
    setup_logging(verbose)


@app.command("index")
def index_cmd(
    paths: Annotated[list[str] | None, typer.Argument(help="Folders, files or http(s) URLs. Default: NEWSBOT_ARTICLES_DIR.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start over: re-read and re-embed everything into a fresh index.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a summary.")] = False,
) -> None:
    """Index articles: clean, date, chunk and embed them into the store (incremental)."""
    from index import Indexer

    report = Indexer(_settings(), progress=not as_json).run(paths or [], rebuild=rebuild)
    data = report.to_dict()
    if as_json:
        for key in ("duplicate_of", "new_articles", "updated_articles"):
            data.pop(key)
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    typer.echo(
        f"Indexed in {report.seconds:.1f} s: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.removed} removed, {report.duplicates} duplicates, "
        f"{len(report.skipped)} skipped."
    )
    for path, original in report.duplicate_of.items():
        typer.echo(f"  duplicate: {path} has the same text as {original}")
    print_metadata_changes(report.metadata_changed)
    for skipped in report.skipped:
        typer.echo(f"  skipped: {skipped.path}: {skipped.reason}")
    typer.echo(f"The index now holds {report.articles} articles in {report.chunks} chunks.")


@app.command("sources")
def sources_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead of a table.")] = False,
) -> None:
    """List the indexed articles with their outlet and date."""
    import rag

    sources = rag.sources(_settings())
    if as_json:
        typer.echo(json.dumps(sources, ensure_ascii=False))
        return
    if not sources:
        typer.echo("The index is empty: run `newsbot index PATH` to add articles.")
        return
    print_sources(sources)


@app.command("digest")
def digest_cmd(
    since: Annotated[str, typer.Option("--since", help="How far back: 24h, 7d, 90m, 2w.")] = "24h",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")] = False,
) -> None:
    """What was added to the index lately, grouped by story, each story with one cited sentence."""
    import rag

    try:
        rag.parse_since(since)
    except ValueError as exc:
        _fail(str(exc), 2)
    result = rag.digest(since, _settings())
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False) if as_json else str(result))


def print_metadata_changes(changes: list[dict], most: int = 10) -> None:
    """What an upgrade changed in stored articles: counts per field, then the first few articles."""
    if not changes:
        return
    from collections import Counter

    fields = Counter(f for c in changes for f in c["changes"])
    dated = sum(1 for c in changes if "date" in c["changes"] and not c["changes"]["date"][0])
    typer.echo(f"Updated the metadata of {len(changes)} stored articles: {dated} newly dated, "
               + ", ".join(f"{n} {f}" for f, n in fields.most_common()) + " changed.")
    for c in changes[:most]:
        detail = "; ".join(f"{f}: {old or '–'} → {new or '–'}" for f, (old, new) in c["changes"].items())
        typer.echo(f"  {c['path']}: {detail}")
    if len(changes) > most:
        typer.echo(f"  … and {len(changes) - most} more (`newsbot index --json` lists them all)")


def print_sources(sources: list[dict]) -> None:
    from rag import date_label

    for s in sources:
        outlet = f" — {s['outlet']}" if s["outlet"] else ""
        when = date_label(s["date"], s.get("date_source"))
        how = f" ({s['date_source']})" if s.get("date_source") else ""
        typer.echo(f"{when + how:<32}  {s['title']}{outlet}  ({s['chunks']} chunks)")
    typer.echo(f"{len(sources)} articles.")


feeds_app = typer.Typer(no_args_is_help=True, help="Follow RSS and Atom feeds: `newsbot refresh` indexes what is new in them.")
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add_cmd(
    url: Annotated[str, typer.Argument(help="The feed's http(s) address (RSS 0.9x/1.0/2.0 or Atom).")],
    name: Annotated[str | None, typer.Option("--name", help="A short name to refer to it by (e.g. in `feeds remove`).")] = None,
) -> None:
    """Follow a feed; nothing is fetched until `newsbot refresh`."""
    from index import FeedRegistry

    with FeedRegistry(_settings().data_dir) as registry:
        feed = registry.add(url, name)
    typer.echo(f"Following {feed.url}" + (f" as {feed.name!r}" if feed.name else "") + ". Run `newsbot refresh` to index its articles.")


@feeds_app.command("list")
def feeds_list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the followed feeds and how their last refresh went."""
    from index import FeedRegistry

    with FeedRegistry(_settings().data_dir) as registry:
        feeds = registry.feeds()
    if as_json:
        typer.echo(json.dumps([f.to_dict() for f in feeds], ensure_ascii=False))
        return
    if not feeds:
        typer.echo("No feeds followed: add one with `newsbot feeds add URL [--name NAME]`.")
        return
    for f in feeds:
        label = f.name or f.title or f.url
        last = f"{f.status} at {f.refreshed}" if f.refreshed else "never refreshed"
        typer.echo(f"{label}  {f.url}  ({last}{': ' + f.reason if f.reason else ''})")
    typer.echo(f"{len(feeds)} feeds.")


@feeds_app.command("remove")
def feeds_remove_cmd(
    feed: Annotated[str, typer.Argument(help="The feed's URL or name.")],
) -> None:
    """Stop following a feed (its articles stay in the index)."""
    from index import FeedRegistry

    with FeedRegistry(_settings().data_dir) as registry:
        removed = registry.remove(feed)
    typer.echo(f"No longer following {removed.url}; the articles already indexed from it stay.")


embeddings_app = typer.Typer(no_args_is_help=True, help="The ONNX Runtime embedder's local export of the model.")
app.add_typer(embeddings_app, name="embeddings")


@embeddings_app.command("export")
def embeddings_export_cmd(
    int8: Annotated[bool, typer.Option("--int8/--no-int8", help="Also make the int8-quantized variant.")] = True,
) -> None:
    """Export NEWSBOT_EMBEDDING_MODEL to ONNX (float32, and int8) in NEWSBOT_ONNX_DIR, if not done yet.

    NEWSBOT_EMBEDDINGS=onnx|onnx-int8 does it on first use anyway; this does it ahead (setup, images).
    """
    from index import export_onnx

    settings = _settings()
    made = export_onnx(settings, int8=int8)
    if not made:  # hash-N: no model, nothing to export (and setup.sh must not fail on it)
        typer.echo(f"{settings.embedding_model} is not a model: nothing to export")
    for variant, path in made:
        typer.echo(f"{variant}: {path}")


@app.command("refresh")
def refresh_cmd(
    feeds: Annotated[list[str] | None, typer.Argument(help="Only these feeds (URLs or names). Default: all.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object: per feed its outcome, and the new article ids.")] = False,
) -> None:
    """Fetch every followed feed once and index its new and changed entries (exit 1 if anything failed)."""
    from index import refresh

    report = refresh(_settings(), feeds or [])
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    elif not report.feeds:
        typer.echo("No feeds followed: add one with `newsbot feeds add URL [--name NAME]`.")
    else:
        print_refresh(report)
    if not report.ok:
        raise typer.Exit(1)


def print_refresh(report) -> None:
    for f in report.feeds:
        label = f.name or f.title or f.url
        if f.status == "failed":
            typer.echo(f"{label}: FAILED: {f.reason}")
        elif f.status == "not-modified":
            typer.echo(f"{label}: not modified")
        else:
            typer.echo(f"{label}: {f.entries} entries: {f.new} new, {f.updated} updated, {f.unchanged} unchanged, "
                       f"{f.duplicates} duplicates, {len(f.skipped)} skipped")
        for issue in f.skipped:
            typer.echo(f"  skipped: {issue.entry}: {issue.reason}")
        for issue in f.notes:
            typer.echo(f"  note: {issue.entry}: {issue.reason}")
    failed = len(report.failed)
    typer.echo(f"Refreshed {len(report.feeds)} feeds in {report.seconds:.1f} s: {len(report.new_article_ids)} new articles, "
               f"{len(report.updated_article_ids)} updated" + (f", {failed} feeds failed" if failed else "") + ".")


@app.command("ask")
def ask_cmd(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object: answer, refused, citations, timings.")] = False,
) -> None:
    """Answer one question from the indexed articles, with numbered, quoted sources."""
    from rag import Assistant, check_ready

    assistant = Assistant(_settings())
    assistant.warm_up()  # the model loads while the index opens (a cold start is mostly loading)
    try:
        check_ready(assistant)
        if as_json:
            answer = assistant.ask(question)
        else:
            answer = None
            for part in assistant.stream(question):
                if isinstance(part, str):
                    assistant.quiet_over()  # a refusal can be ready before the model has loaded
                    typer.echo(part, nl=False)
                else:
                    answer = part
            typer.echo("")
    finally:
        assistant.settle()
    if as_json:
        data = answer.to_dict()
        typer.echo(json.dumps({k: data[k] for k in ("answer", "refused", "citations", "timings", "mode")}, ensure_ascii=False))
    elif answer.citations:
        typer.echo("\n" + answer.sources_text())


@app.command("trace")
def trace_cmd(
    which: Annotated[str, typer.Argument(help="`last`, or a trace id (or the start of one).")] = "last",
    as_json: Annotated[bool, typer.Option("--json", help="Print the record itself (one JSON object).")] = False,
) -> None:
    """Show how an answer was decided: retrieval, the refusal gate, dropped sentences, timings (NEWSBOT_TRACE_FILE)."""
    from newsbot.traces import format_record
    from rag.trace import find_record

    settings = _settings()
    if settings.trace_file is None:
        _fail("tracing is off: set NEWSBOT_TRACE_FILE (e.g. .newsbot/traces.jsonl) and ask again; see docs/observability.md")
    record = find_record(settings.trace_file, which)
    typer.echo(json.dumps(record, ensure_ascii=False) if as_json else format_record(record))


@app.command("chat")
def chat_cmd() -> None:
    """A conversation in the terminal: follow-up questions work; /sources, /reset, /quit."""
    from newsbot.chat import run_chat

    run_chat(_settings())


@app.command("eval")
def eval_cmd(
    questions: Annotated[str | None, typer.Option("--questions", help="Question file: JSON lines, or a realnews-style questions.yaml. Default: data/eval/questions.jsonl.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object with the metrics.")] = False,
    report: Annotated[str | None, typer.Option("--report", help="Write report.md, report.html and charts into this folder.")] = None,
    compare: Annotated[str | None, typer.Option("--compare", help="Comma-separated configurations: full, dense-only, naive. Default: full (full,naive for another corpus).")] = None,
    ids: Annotated[str | None, typer.Option("--ids", help="Only these question ids (comma-separated).")] = None,
    judge: Annotated[bool, typer.Option("--judge", help="LLM-as-judge faithfulness with NEWSBOT_EVAL_JUDGE_MODEL (Ollama).")] = False,
    corpus: Annotated[str | None, typer.Option("--corpus", help="sample (data/articles, the default), realnews (../shared/realnews), or both: sample,realnews.")] = None,
    articles: Annotated[str | None, typer.Option("--articles", help="Articles folder of another corpus, indexed into its own store (with --questions).")] = None,
    data_dir: Annotated[str | None, typer.Option("--data-dir", help="Store of the other corpus. Default: beside NEWSBOT_DATA_DIR, e.g. .newsbot-realnews/.")] = None,
) -> None:
    """Score answers on a question set: retrieval, facts (strict: outside quotes), citations, refusals, junk, latency.

    Another corpus (--corpus realnews, or --articles DIR --questions FILE) gets its own store, indexed
    on the first run and incrementally after, so re-running only asks the questions again.
    """
    from pathlib import Path

    from newsbot.evaluation import realnews
    from newsbot.evaluation.evaluate import Corpus, evaluate
    from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions
    from newsbot.evaluation.runner import CONFIGS
    from rag import Assistant, check_ready
    from rag.llm import check_llm

    settings = _settings()
    names = [c.strip() for c in (corpus or "").split(",") if c.strip()]
    if [n for n in names if n not in ("sample", "realnews")] or len(names) != len(set(names)):
        _fail(f"unknown --corpus {corpus!r}; choose from sample, realnews, sample,realnews", 2)
    names = names or (["other"] if articles or (questions or "").endswith((".yaml", ".yml")) else ["sample"])
    other = [n for n in names if n != "sample"]
    if len(other) > 1 or (articles and not other):
        _fail("--articles names one other corpus: use it without --corpus, or with --corpus realnews", 2)
    configs = {n: [c.strip() for c in (compare or ("full" if n == "sample" else "full,naive")).split(",") if c.strip()]
               for n in names}
    unknown = [c for cs in configs.values() for c in cs if c not in CONFIGS]
    if unknown:
        _fail(f"unknown configuration {unknown[0]!r}; choose from {', '.join(CONFIGS)}", 2)
    wanted = {i.strip() for i in ids.split(",")} if ids else None
    runs = []  # (name, settings, questions, configs, notes)
    check_llm(settings)  # an LLM that is down would score every answer as an error
    for n in names:
        if n == "sample":
            path = Path(questions) if questions and not other else DEFAULT_QUESTIONS
            runs.append(["sample", settings, load_questions(path), configs[n], []])
            continue
        qfile = Path(questions) if questions else realnews.REALNEWS_DIR / "questions.yaml"
        folder = Path(articles) if articles else (realnews.REALNEWS_DIR / "articles" if n == "realnews" else qfile.parent / "articles")
        if not folder.is_dir():
            _fail(f"articles folder does not exist: {folder}", 2)
        if not as_json:
            typer.echo(f"indexing {folder} (only what changed; the first run of 970 articles takes 10+ minutes)", err=True)
        c = realnews.prepare(settings, qfile, folder, Path(data_dir) if data_dir else None, configs[n], progress=not as_json)
        runs.append([c.name, c.settings, c.questions, c.configs, c.notes])
    for run in runs:
        check_ready(Assistant(run[1]))
    if wanted:
        for run in runs:
            run[2] = [q for q in run[2] if q.id in wanted]
        runs = [run for run in runs if run[2]]
        if not runs:
            _fail(f"no question has an id in {sorted(wanted)}", 2)
    (name, first_settings, rows, first_configs, notes), *more = runs
    result = evaluate(first_settings, rows, first_configs, Path(report) if report else None, judge=judge,
                      progress=not as_json, corpus=name, more=[Corpus(*r) for r in more], notes=notes)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    corpora = result.get("corpora") or {name: result.get("compare") or {first_configs[0]: result}}
    keys = ["n", "fact_recall_strict", "fact_cited", "hit_at_k", "mrr", "fact_recall_text", "fact_recall_with_quotes",
            "citation_validity", "citation_precision", "refusal_accuracy", "false_refusal_rate", "junk_rate", "junk_label",
            "junk_short", "junk_question", "junk_list", "junk_echo", "pass_rate", "latency_p50_s", "latency_p95_s", "faithfulness"]
    for corpus_name, summaries in corpora.items():
        typer.echo(f"{'corpus: ' + corpus_name:26}" + "".join(f"{config:>14}" for config in summaries))
        for k in keys:
            label = f"{k} *" if k == "fact_recall_strict" else k
            typer.echo(f"{label:26}" + "".join(f"{'–' if s.get(k) is None else s[k]:>14}" for s in summaries.values()))
        typer.echo("")
    typer.echo("* headline: facts the answer states outside quoted passages")
    typer.echo(f"judge: {result['judge']}")
    if "report" in result:
        typer.echo(f"report: {result['report']['html']}")


@app.command("bench")
def bench_cmd(
    quick: Annotated[bool, typer.Option("--quick", help="Stop at 10k chunks, fewer repeats (under 10 minutes).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    only: Annotated[str, typer.Option("--only", help="'embedders': only PyTorch vs ONNX fp32 vs ONNX int8; 'cold-ask': only the whole-process `newsbot ask` timings.")] = "all",
) -> None:
    """Measure indexing, retrieval, answering and memory against the targets (docs/performance.md)."""
    from benchmarks.bench import SECTIONS, run

    if only not in SECTIONS:
        _fail(f"--only must be one of {', '.join(SECTIONS)}, got {only!r}", 2)
    result = run(quick=quick, progress=(lambda m: None) if as_json else (lambda m: typer.echo(m, err=True)), only=only)
    if as_json:
        typer.echo(json.dumps(result))
        return
    for key, value in result.items():
        if key == "retrieval":
            for label, r in value.items():
                typer.echo(f"retrieval @ {label:<4} chunks={r['chunks']:<7} p50={r['p50_ms']} ms  p95={r['p95_ms']} ms  (index {r['index_s']} s)")
        elif key in ("embedders", "cold_ask"):
            for name, figure in value.items():
                typer.echo(f"{key}.{name:{28 - len(key) - 1}} {json.dumps(figure)}")
        else:
            typer.echo(f"{key:28} {value}")


@app.command("bot")
def bot_cmd() -> None:
    """Serve the Telegram bot (needs TELEGRAM_BOT_TOKEN; long polling, or a webhook if configured)."""
    from bot.app import run

    run(_settings())


@app.command("run")
def run_cmd() -> None:
    """The main job: index the configured articles, then serve Telegram if TELEGRAM_BOT_TOKEN is set,
    else open the terminal chat."""
    import rag
    from core.settings import default_path

    settings = _settings()
    sample = " the sample articles in" if settings.articles_dir == default_path("articles_dir") else ""
    typer.echo(f"Indexing{sample} {settings.articles_dir} (NEWSBOT_ARTICLES_DIR) into {settings.data_dir} (NEWSBOT_DATA_DIR).")
    index_cmd(paths=None, rebuild=False, as_json=False)
    typer.echo("")
    print_sources(rag.sources(settings))
    if settings.telegram_bot_token is not None:
        typer.echo("Starting the Telegram bot (Ctrl+C to stop).")
        bot_cmd()
    else:
        typer.echo("\nNo TELEGRAM_BOT_TOKEN set: opening the terminal chat instead.")
        chat_cmd()


@app.command("doctor")
def doctor_cmd(
    as_json: Annotated[bool, typer.Option("--json", help='Print {"ok", "checks": [{"name", "ok", "skipped", "detail", "fix"}]}.')] = False,
) -> None:
    """Check every part newsbot needs (settings, data folder, index, embedding model, LLM, Chroma, Telegram,
    feeds): one line each, ✓ or ✗ with the fix, – when it does not apply; exit 1 if any check fails."""
    from newsbot.doctor import report, run_checks

    checks = run_checks()
    result = report(checks)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        for check in checks:
            typer.echo(check.line())
        bad = sum(not c.ok for c in checks)
        typer.echo(f"{bad} of {len(checks)} checks failed." if bad else "Everything newsbot needs is in order.")
    if not result["ok"]:
        raise typer.Exit(1)


def exit_code(exc: BaseException) -> int | None:
    """The exit code of one of the project's own errors (``USER_ERRORS``), else ``None``."""
    for module, name, code in USER_ERRORS:
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None and isinstance(exc, cls):
            return code
    return None


def main() -> None:
    """Entry point of the `newsbot` console script: every command's errors become one or two lines."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the one place errors reach people
        if _debug:
            raise
        code = exit_code(exc)
        if code is not None:
            typer.echo(f"error: {exc}", err=True)
            sys.exit(code)
        typer.echo(f"error: {exc.__class__.__name__}: {exc}", err=True)
        typer.echo("Run it again as `newsbot --debug …` to see where; if it looks like a bug, please report it.", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
