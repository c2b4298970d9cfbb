"""The evaluation report: Markdown and one self-contained HTML page (charts embedded as PNG).

One section per corpus (the sample set, then e.g. the real-news set), each with the metric table
(strict fact recall first: what the reader is told, outside quotes), charts (headline metrics per
configuration, pass rate per category, latency), junk and refusal tables per category, and a
per-question table with the answer, citations and a ✓/✗ per metric, so a regression can be traced
to the question that caused it.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

from newsbot.evaluation.scoring import JUNK_KINDS, Result, passed

HEADLINE = ["fact_recall_strict", "fact_cited", "hit_at_k", "mrr", "fact_recall_text", "fact_recall_with_quotes",
            "citation_validity", "citation_precision", "refusal_accuracy", "false_refusal_rate", "junk_rate", "pass_rate"]
TABLE = HEADLINE + [f"junk_{k}" for k in JUNK_KINDS] + ["latency_p50_s", "latency_p95_s", "n"]
COLUMNS = ["fact_recall_strict", "fact_cited", "hit_at_k", "fact_recall_with_quotes", "citation_validity",
           "citation_precision", "refusal_accuracy", "false_refusal_rate", "junk_rate"]
LOWER_IS_BETTER = {"false_refusal_rate", "junk_rate"}


@dataclass
class Section:
    """One corpus' results: ``summaries`` and ``results`` keyed by configuration."""

    name: str
    summaries: dict[str, dict]
    results: dict[str, list[Result]]
    notes: list[str]


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def _mark(name: str, v) -> str:
    if v is None:
        return "–"
    good = v == 0 if name in LOWER_IS_BETTER else v >= 1.0
    return "✓" if good else "✗"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def charts(summaries: dict[str, dict], results: dict[str, list[Result]], prefix: str = "") -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {}
    names = list(summaries)
    metrics = [m for m in HEADLINE if any(summaries[n].get(m) is not None for n in names)]
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.8 / len(names)
    for i, n in enumerate(names):
        ax.bar([x + i * width for x in range(len(metrics))], [summaries[n].get(m) or 0 for m in metrics], width, label=n)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(metrics))], [m.replace("_", " ") for m in metrics], rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title("Scores per configuration")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    out[f"{prefix}scores.png"] = _png(fig)
    plt.close(fig)

    first = names[0]
    cats = summaries[first]["per_category"]
    fig, ax = plt.subplots(figsize=(max(8, len(cats) * 0.6), 3.5))
    ax.bar(list(cats), [cats[c]["pass_rate"] or 0 for c in cats], color="#4c78a8")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"Pass rate per category ({first})")
    ax.tick_params(axis="x", rotation=30)
    out[f"{prefix}categories.png"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, 3.5))
    for n in names:
        ax.hist([r.seconds for r in results[n]], bins=15, alpha=0.6, label=n)
    ax.set_xlabel("seconds per answer")
    ax.set_ylabel("questions")
    ax.set_title("Latency")
    ax.legend()
    out[f"{prefix}latency.png"] = _png(fig)
    plt.close(fig)
    return out


def write_report(folder: Path, sections: list[Section]) -> dict[str, Path]:
    """Write ``report.md``, ``report.html`` and the chart PNGs into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    images = [charts(s.summaries, s.results, "" if i == 0 else f"{s.name}-") for i, s in enumerate(sections)]
    for group in images:
        for name, data in group.items():
            (folder / name).write_bytes(data)
    md = ["# newsbot evaluation", ""]
    body = ""
    for i, (sec, imgs) in enumerate(zip(sections, images)):
        md += _markdown(sec, list(imgs), i > 0)
        body += _html(sec, imgs, i > 0)
    (folder / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (folder / "report.html").write_text(_page(body), encoding="utf-8")
    return {"markdown": folder / "report.md", "html": folder / "report.html"}


def _tables(sec: Section) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of the summary tables of a section, shared by Markdown and HTML."""
    names, s = list(sec.summaries), sec.summaries
    first = names[0]
    cats = s[first]["per_category"]
    out = [("Metrics", ["metric", *names],
            [[f"{m} (headline)" if m == "fact_recall_strict" else m, *(_fmt(s[n].get(m)) for n in names)] for m in TABLE])]
    out.append((f"Per category ({first})",
                ["category", "n", "pass rate", "strict fact recall", "fact cited", "fact recall (text+quotes)",
                 "refusal accuracy", "false refusals", "junk rate"],
                [[c, str(v["n"]), *(_fmt(v[m]) for m in ("pass_rate", "fact_recall_strict", "fact_cited",
                                                        "fact_recall_with_quotes", "refusal_accuracy",
                                                        "false_refusal_rate", "junk_rate"))] for c, v in cats.items()]))
    junk_rows = [["all", *(_fmt(s[n].get("junk_rate")) for n in names), *(_fmt(s[first].get(f"junk_{k}")) for k in JUNK_KINDS)]]
    for c in cats:
        junk_rows.append([c, *(_fmt(s[n]["per_category"].get(c, {}).get("junk_rate")) for n in names),
                          *(_fmt(cats[c].get(f"junk_{k}")) for k in JUNK_KINDS)])
    out.append((f"Junk: share of answers (refusals aside) with a junk sentence; kinds for {first}",
                ["category", *(f"{n} junk" for n in names), *JUNK_KINDS], junk_rows))
    refusal_cats = [c for c in cats if any(s[n]["per_category"].get(c, {}).get("refusal_accuracy") is not None for n in names)]
    if refusal_cats:
        rows = [["all", "", *(_fmt(s[n].get("refusal_accuracy")) for n in names)]]
        rows += [[c, str(cats[c]["n"]), *(_fmt(s[n]["per_category"].get(c, {}).get("refusal_accuracy")) for n in names)]
                 for c in refusal_cats]
        out.append(("Refusal accuracy (refused out-of-corpus, near-miss and empty-period questions; corrected false premises)",
                    ["category", "n", *names], rows))
    return out


def _cites(r: Result, limit: int) -> list[str]:
    return [f"[{c['n']}] {c.get('outlet') or c['title'][:limit]}, {c.get('date') or 'undated'}" for c in r.citations]


def _junk(r: Result) -> str:
    return ", ".join(sorted({k for k, _ in r.junk}))


def _markdown(sec: Section, images: list[str], titled: bool) -> list[str]:
    h = "###" if titled else "##"
    lines = [f"## Corpus: {sec.name}", ""] if titled else [f"Corpus: **{sec.name}**", ""]
    lines += [f"- {n}" for n in sec.notes] + [""]
    for i, (title, head, rows) in enumerate(_tables(sec)):
        if i:
            lines += [f"{h} {title}", ""]
        lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines += [""]
        if i == 0:
            lines += [f"![{img}]({img})" for img in images] + [""]
    for n, results in sec.results.items():
        lines += [f"{h} Questions ({n})", "",
                  "| id | category | question | answer | citations | pass | junk | " + " | ".join(COLUMNS) + " |",
                  "| --- " * (7 + len(COLUMNS)) + "|"]
        for r in results:
            answer = (r.error or r.answer).replace("|", "\\|").replace("\n", " ")[:300]
            lines.append(f"| {r.question.id} | {r.question.category} | {r.question.question.replace('|', '/')} | {answer} | "
                         f"{'; '.join(_cites(r, 30))} | {'✓' if passed(r) else '✗'} | {_junk(r)} | "
                         + " | ".join(_mark(m, r.scores.get(m)) for m in COLUMNS) + " |")
        lines.append("")
    return lines


def _html(sec: Section, images: dict[str, bytes], titled: bool) -> str:
    e = html.escape
    out = f"<h2>Corpus: {e(sec.name)}</h2>" if titled else f"<p>Corpus: <b>{e(sec.name)}</b></p>"
    out += "<ul>" + "".join(f"<li>{e(x)}</li>" for x in sec.notes) + "</ul>"
    for i, (title, head, rows) in enumerate(_tables(sec)):
        if i:
            out += f"<h3>{e(title)}</h3>"
        out += ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
                + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
        if i == 0:
            out += "".join(f'<figure><img alt="{e(k)}" src="data:image/png;base64,{base64.b64encode(v).decode()}"></figure>'
                           for k, v in images.items())
    for n, results in sec.results.items():
        body = ""
        for r in results:
            cites = "<br>".join(e(f"{c}: “{q.get('quote', '')[:160]}”") for c, q in zip(_cites(r, 200), r.citations))
            marks = "".join(f"<td>{_mark(m, r.scores.get(m))}</td>" for m in COLUMNS)
            ok = passed(r)
            body += (f'<tr class="{"pass" if ok else "fail"}"><td>{e(r.question.id)}</td><td>{e(r.question.category)}</td>'
                     f"<td>{e(r.question.question)}</td><td>{e(r.error or r.answer)}</td><td>{cites}</td>"
                     f"<td>{'✓' if ok else '✗'}</td><td>{e(_junk(r))}</td>{marks}</tr>")
        head = "".join(f"<th>{e(m.replace('_', ' '))}</th>" for m in COLUMNS)
        label = f"{n}, {sec.name}" if titled else n
        out += (f"<h2>Questions: {e(label)}</h2><table class=q><tr><th>id</th><th>category</th><th>question</th><th>answer</th>"
                f"<th>citations</th><th>pass</th><th>junk</th>{head}</tr>{body}</table>")
    return out


def _page(body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newsbot evaluation</title>
<style>body{{font:14px system-ui,sans-serif;margin:2em;max-width:1400px}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}}tr.fail td:nth-child(6){{color:#b00}}
tr.pass td:nth-child(6){{color:#070}}figure{{display:inline-block;margin:0 1em 1em 0}}img{{max-width:640px}}
table.q td:nth-child(4){{max-width:420px}}</style></head><body><h1>newsbot evaluation</h1>{body}</body></html>
"""
