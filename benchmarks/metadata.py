"""Measure metadata extraction (date, title, outlet) against hand-made labels.

Why: a citation is only as good as the date, title and outlet shown beside it, and a wrong exact
date is worse than none (the answer then says "on March 12" when the article never did). This
reads each labeled file exactly as ``newsbot index`` does (``walk_files`` → ``read_file`` →
``clean_document``) and scores what comes out against ``data/eval/metadata_labels.jsonl``:

- dated: an exact date (``date_source`` set and not "estimate"); correct if within ±1 day of the
  label; when the label's date is null, any exact date is wrong (invented);
- estimated: ``date_source == "estimate"``, ``article.date`` being a lower bound; sane if it is
  ≤ the true date, or, when that is unknown, in the year of the label's ``not_before``;
- title: equal after normalising case, whitespace and quotes, or one a prefix (≥ 20 chars) of the
  other (titles are cut with "..."); BAD titles (a number, < 2 alphabetic words, a byline, a
  date/time, a photo credit) are counted, also among the labels (the floor for that count);
- outlet: case-insensitive equal to the label (a null label wants None); readable if it is a name
  (no "www.", no "/", ≤ 6 words, not a sentence): "usatoday.com" is readable but not accurate.

Works on code where ``Article`` has no ``date_source`` (then a date counts as a dateline).

Run: .venv/bin/python -m benchmarks.metadata [--json] [--labels PATH] [--realnews DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from datetime import date
from pathlib import Path

from core.settings import REPO_ROOT

_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
_PHOTO = re.compile(r"(?i)\b(?:photo|image|picture)s?\s*(?:credit|courtesy|by)\b|getty images|\bap photo\b|"
                    r"^\(?(?:credit|photo|image)\s*:|/\s*(?:afp|reuters|ap|getty)\b")


def norm_title(title: str | None) -> str:
    text = unicodedata.normalize("NFKC", title or "").translate(_QUOTES).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*(?:\.\.\.|…)$", "", text).strip()


def title_matches(got: str | None, want: str | None) -> bool:
    a, b = norm_title(got), norm_title(want)
    if not a or not b:
        return a == b
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= 20 and long_.startswith(short))


def bad_title(title: str | None) -> str | None:
    """Why ``title`` is not a headline (a number, a byline, a photo credit, a date or time), or None."""
    from index.dates import is_date_line

    t = (title or "").strip()
    if not t or not re.search(r"[^\W\d_]{3,}", t):
        return "number"
    if re.match(r"(?i)by\s", t):
        return "byline"
    if _PHOTO.search(t):
        return "photo credit"
    if is_date_line(t):
        return "date/time"
    return None


def readable_outlet(outlet: str | None) -> bool:
    if not outlet:
        return False
    sentence = len(outlet.split()) >= 4 and outlet.rstrip()[-1:] in ".!?"
    return "www." not in outlet.lower() and "/" not in outlet and len(outlet.split()) <= 6 and not sentence


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _lower_bound(value: str | None) -> date | None:
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def load(path: Path, max_bytes: int):
    """One file through the index's own loader and cleaner: (Article | None, error | None)."""
    from index.clean import EmptyArticleError, clean_document
    from index.loaders import read_file, walk_files
    from index.models import Skipped

    skipped: list = []
    found = list(walk_files(path, skipped))
    if not found:
        return None, skipped[0].reason if skipped else "not found"
    raw = read_file(found[0], max_bytes)
    if isinstance(raw, Skipped):
        return None, raw.reason
    try:
        return clean_document(raw), None
    except EmptyArticleError as exc:
        return None, str(exc)


def score(rows: list[dict], roots: dict[str, Path], max_bytes: int) -> dict:
    results, mismatches, seconds = [], [], 0.0
    for row in rows:
        group, _, name = row["file"].partition("/")
        start = time.perf_counter()
        article, error = load(roots[group] / name, max_bytes)
        seconds += time.perf_counter() - start
        r = {"group": group, "file": row["file"]}

        def miss(field: str, got, want, file: str = row["file"]) -> None:
            mismatches.append({"file": file, "field": field, "got": got, "want": want})

        if article is None:
            miss("read", error, "an article")
            r.update(dated=False, estimated=False, date_ok=False, sane=False, title_ok=False, bad=False, outlet_ok=False, readable=False)
            results.append(r)
            continue
        source = getattr(article, "date_source", "dateline" if article.date else None)
        want_date = _day(row.get("date"))
        r["dated"] = bool(article.date) and source not in (None, "estimate")
        r["estimated"] = bool(article.date) and source == "estimate"
        got_day = _day(article.date) if r["dated"] else None
        r["date_ok"] = bool(got_day and want_date and abs((got_day - want_date).days) <= 1)
        if r["dated"] and not r["date_ok"]:
            miss("date", f"{article.date} ({source})", row.get("date") or f"none (not_before {row.get('not_before')})")
        elif not r["dated"] and want_date:
            miss("date", f"{article.date} (estimate)" if r["estimated"] else None, row["date"])
        r["sane"] = False
        if r["estimated"]:
            low = _lower_bound(article.date)
            if want_date:
                r["sane"] = bool(low and low <= want_date)
            else:
                r["sane"] = bool(low and str(low.year) == str(row.get("not_before") or "")[:4])
            if not r["sane"]:
                miss("estimate", article.date, row.get("date") or f"not_before {row.get('not_before')}")
        r["title_ok"] = title_matches(article.title, row["title"])
        if not r["title_ok"]:
            miss("title", article.title, row["title"])
        why = bad_title(article.title)
        r["bad"] = why is not None
        if why:
            miss("title_bad", f"{article.title} ({why})", row["title"])
        want_outlet = row.get("outlet")
        r["outlet_ok"] = (article.outlet or "").casefold() == (want_outlet or "").casefold()
        r["readable"] = readable_outlet(article.outlet)
        if not r["outlet_ok"]:
            miss("outlet", article.outlet, want_outlet)
        results.append(r)

    def figures(rs: list[dict]) -> dict:
        n = len(rs)

        def share(key: str, of: list[dict] | None = None) -> float | None:
            of = rs if of is None else of
            return round(sum(r[key] for r in of) / len(of), 3) if of else None  # None: nothing to count

        dated = [r for r in rs if r["dated"]]
        est = [r for r in rs if r["estimated"]]
        return {
            "n": n,
            "dated": share("dated"),
            "dated_correct": share("date_ok", dated),
            "estimated": share("estimated"),
            "estimate_sane": share("sane", est),
            "neither": round(sum(not r["dated"] and not r["estimated"] for r in rs) / n, 3) if n else None,
            "title_accuracy": share("title_ok"),
            "bad_titles": sum(r["bad"] for r in rs),
            "outlet_accuracy": share("outlet_ok"),
            "outlet_readable": share("readable"),
        }

    groups = {"all": figures(results)}
    for g in sorted({r["group"] for r in results}):
        groups[g] = figures([r for r in results if r["group"] == g])
    return {
        "groups": groups,
        "index_seconds": round(seconds, 2),
        "label_bad_titles": [row["file"] for row in rows if bad_title(row["title"])],
        "mismatches": mismatches,
    }


def whole_folder(folder: Path, max_bytes: int) -> dict:
    """Every article of ``folder`` through load, clean and chunk (as `newsbot index` does before
    embedding): how many get a date from each source, how many chunks, and the seconds it took."""
    from collections import Counter

    from index.chunking import chunk_article

    sources: Counter = Counter()
    chunks, start = 0, time.perf_counter()
    for path in sorted(folder.glob("*.txt")):
        article, _ = load(path, max_bytes)
        if article is not None:
            sources[getattr(article, "date_source", "dateline" if article.date else None) or "none"] += 1
            chunks += len(chunk_article(article, 450, 100))
    return {"articles": sum(sources.values()), "date_sources": dict(sources.most_common()), "chunks": chunks,
            "seconds": round(time.perf_counter() - start, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--labels", type=Path, default=REPO_ROOT / "data" / "eval" / "metadata_labels.jsonl")
    parser.add_argument("--realnews", type=Path, default=REPO_ROOT.parent / "shared" / "realnews" / "articles",
                        help="folder that realnews/NNNN.txt labels refer to (../shared/realnews/articles)")
    parser.add_argument("--whole", action="store_true",
                        help="also read every article of --realnews: date sources, chunks and seconds (no labels needed)")
    parser.add_argument("--max-file-mb", type=float, default=10.0)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    roots = {"realnews": args.realnews, "sample": REPO_ROOT / "data" / "articles"}
    report = score(rows, roots, int(args.max_file_mb * 1024 * 1024))
    if args.whole:
        report["whole"] = whole_folder(args.realnews, int(args.max_file_mb * 1024 * 1024))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    cols = list(report["groups"]["all"])
    print(f"{'':10}" + "".join(f"{c:>16}" for c in cols))
    for name, fig in report["groups"].items():
        print(f"{name:10}" + "".join(f"{'-' if fig[c] is None else fig[c]:>16}" for c in cols))
    print(f"index (load+clean) seconds for {len(rows)} files: {report['index_seconds']}")
    print(f"labels whose own title fails the BAD rule: {len(report['label_bad_titles'])}")
    if "whole" in report:
        print(f"whole folder: {report['whole']}")
    mm = report["mismatches"]
    print(f"mismatches: {len(mm)} (first 20)")
    for m in mm[:20]:
        print(f"  {m['file']:28} {m['field']:9} got={m['got']!r:.70} want={m['want']!r:.60}")


if __name__ == "__main__":
    main()
