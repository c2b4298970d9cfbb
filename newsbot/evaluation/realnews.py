"""A second corpus: real web news (``/work/shared/realnews``: ``articles/NNNN.txt`` and ``questions.yaml``).

Why: the sample corpus was written by reading five articles, so it flatters the pipeline. The real
set is 970 messy articles from many outlets with news-quiz questions nobody on the project wrote.

It gets its own store (default ``<data_dir>-realnews/`` beside the main one), indexed once and then
incrementally, so a second ``newsbot eval --corpus realnews`` only asks the questions again.
``questions.yaml`` names the articles that hold an answer by *title prefix*; they are mapped to file
names by reading each article's first line (the title).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from core.settings import REPO_ROOT, Settings
from newsbot.evaluation.questions import EvalQuestion, QuestionSetError

log = logging.getLogger(__name__)

REALNEWS_DIR = REPO_ROOT.parent / "shared" / "realnews"
"""Where the shared real-news set lives (``../shared/realnews`` from the checkout)."""
CATEGORY = "quiz"


def corpus_name(articles_dir: Path) -> str:
    """``realnews`` for ``…/realnews/articles``: a folder called ``articles`` is named after its parent."""
    folder = articles_dir.resolve()
    name = folder.parent.name if folder.name == "articles" else folder.name
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "corpus"


def corpus_data_dir(settings: Settings, name: str) -> Path:
    """The corpus' own store beside the main one: ``.newsbot`` → ``.newsbot-realnews``."""
    return settings.data_dir.with_name(f"{settings.data_dir.name}-{name}")


def corpus_settings(settings: Settings, articles_dir: Path, data_dir: Path, name: str) -> Settings:
    """``settings`` pointed at the corpus' store (its own collection too, in case a Chroma server is shared)."""
    return settings.model_copy(update={"data_dir": data_dir, "articles_dir": articles_dir,
                                       "collection": f"{settings.collection}-{name}"[:41]})


def index_corpus(settings: Settings, progress: bool = False):
    """Index ``settings.articles_dir`` into ``settings.data_dir``: everything on the first run, then
    only what changed (unchanged files are skipped by size and mtime). Returns the ``IndexReport``."""
    from index import Indexer

    return Indexer(settings, progress=progress).run([str(settings.articles_dir)])


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def article_titles(articles_dir: Path) -> dict[str, str]:
    """File name → title (the first non-empty line) of every ``.txt`` article in the folder."""
    out = {}
    for path in sorted(articles_dir.rglob("*.txt")):
        with path.open(encoding="utf-8-sig", errors="replace") as f:
            out[path.name] = next((line.strip() for line in f if line.strip()), "")
    return out


def sources_for(prefixes: list[str], titles: dict[str, str]) -> list[str]:
    """File names of the articles whose title starts with one of ``prefixes`` (whitespace and case ignored)."""
    wanted = [_norm(p) for p in prefixes if _norm(p)]
    return sorted(name for name, title in titles.items() if any(_norm(title).startswith(p) for p in wanted))


def _read_yaml(path: Path):
    import yaml  # PyYAML, a dependency of langchain-core

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionSetError(f"cannot read question file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise QuestionSetError(f"{path}: not valid YAML ({exc})") from exc


def load_yaml_questions(path: Path, articles_dir: Path) -> tuple[list[EvalQuestion], list[str]]:
    """Read ``questions.yaml`` (rows of ``id``, ``q``, ``source`` title prefixes, ``facts``) as answerable
    questions whose expected sources are the matching files of ``articles_dir``.

    Returns the questions and notes on those left out because no article in the folder matches
    (expected when evaluating on a subset of the articles).

    Raises:
        QuestionSetError: unreadable or malformed file, duplicate ids, or no question left.
    """
    rows = _read_yaml(path)
    if not isinstance(rows, list):
        raise QuestionSetError(f"{path}: expected a list of questions")
    titles = article_titles(articles_dir)
    out, skipped, seen = [], [], set()
    for n, row in enumerate(rows, start=1):
        try:
            qid, text = str(row["id"]), str(row["q"])
            facts = [[str(w) for w in (f if isinstance(f, list) else [f])] for f in row.get("facts") or []]
            prefixes = [str(p) for p in row.get("source") or []]
        except (KeyError, TypeError, AttributeError) as exc:
            raise QuestionSetError(f"{path}: question {n} is not valid ({exc.__class__.__name__}: {exc})") from exc
        if qid in seen:
            raise QuestionSetError(f"{path}: duplicate id {qid!r}")
        seen.add(qid)
        if not facts:
            raise QuestionSetError(f"{path}: question {qid} has no facts")
        sources = sources_for(prefixes, titles)
        if not sources:
            skipped.append(qid)
            continue
        out.append(EvalQuestion(id=qid, category=CATEGORY, question=text, expected_facts=facts, expected_sources=sources))
    notes = []
    if skipped:
        notes.append(f"{len(skipped)} of {len(rows)} questions left out: no article in {articles_dir} has a source "
                     f"title ({', '.join(skipped[:5])}{'…' if len(skipped) > 5 else ''})")
        log.warning(notes[-1])
    if not out:
        raise QuestionSetError(f"{path}: no question has a source article in {articles_dir}")
    return out, notes


def prepare(settings: Settings, questions_file: Path, articles_dir: Path, data_dir: Path | None, configs: list[str],
            progress: bool = False):
    """Load a corpus' questions, bring its own store up to date and return it as an evaluation ``Corpus``.

    Questions are read first, so a bad file fails before minutes of indexing.

    Raises:
        QuestionSetError: the question file is malformed.
        index errors (``UsageError``, ``IndexBusyError``, ``StoreError``): the articles cannot be indexed.
    """
    from newsbot.evaluation.evaluate import Corpus
    from newsbot.evaluation.questions import load_questions

    name = corpus_name(articles_dir)
    s = corpus_settings(settings, articles_dir, data_dir or corpus_data_dir(settings, name), name)
    if questions_file.suffix in (".yaml", ".yml"):
        questions, notes = load_yaml_questions(questions_file, articles_dir)
    else:
        questions, notes = load_questions(questions_file), []
    report = index_corpus(s, progress)
    notes.append(f"store {s.data_dir}: {report.articles} articles, {report.chunks} chunks (this run: {report.added} added, "
                 f"{report.updated} updated, {report.unchanged} unchanged, {report.removed} removed, "
                 f"{len(report.skipped)} skipped, {report.seconds:.1f} s)")
    return Corpus(name, s, questions, configs, notes)
