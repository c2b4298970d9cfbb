"""The evaluation report: Markdown and one self-contained HTML page (charts embedded as PNG).

Charts (matplotlib, drawn without a display): headline metrics per configuration, pass rate per
category, and the latency histogram. The per-question table shows question, answer, citations and
a pass/fail mark per metric, so a regression can be traced to the question that caused it.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from newsbot.evaluation.scoring import Result, passed

HEADLINE = ["hit_at_k", "mrr", "fact_recall_text", "fact_recall_with_quotes", "citation_validity",
            "citation_precision", "refusal_accuracy", "false_refusal_rate", "pass_rate"]
COLUMNS = ["hit_at_k", "fact_recall_text", "fact_recall_with_quotes", "citation_validity", "citation_precision",
           "refusal_accuracy", "false_refusal_rate"]


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def _mark(name: str, v) -> str:
    if v is None:
        return "–"
    good = v == 0 if name == "false_refusal_rate" else v >= 1.0
    return "✓" if good else "✗"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def charts(summaries: dict[str, dict], results: dict[str, list[Result]]) -> dict[str, bytes]:
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
    out["scores.png"] = _png(fig)
    plt.close(fig)

    first = names[0]
    cats = summaries[first]["per_category"]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.bar(list(cats), [cats[c]["pass_rate"] or 0 for c in cats], color="#4c78a8")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"Pass rate per category ({first})")
    ax.tick_params(axis="x", rotation=30)
    out["categories.png"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, 3.5))
    for n in names:
        ax.hist([r.seconds for r in results[n]], bins=15, alpha=0.6, label=n)
    ax.set_xlabel("seconds per answer")
    ax.set_ylabel("questions")
    ax.set_title("Latency")
    ax.legend()
    out["latency.png"] = _png(fig)
    plt.close(fig)
    return out


def write_report(folder: Path, summaries: dict[str, dict], results: dict[str, list[Result]], notes: list[str]) -> dict[str, Path]:
    """Write ``report.md``, ``report.html`` and the chart PNGs into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    images = charts(summaries, results)
    for name, data in images.items():
        (folder / name).write_bytes(data)
    md = _markdown(summaries, results, notes, list(images))
    (folder / "report.md").write_text(md, encoding="utf-8")
    (folder / "report.html").write_text(_html(summaries, results, notes, images), encoding="utf-8")
    return {"markdown": folder / "report.md", "html": folder / "report.html"}


def _markdown(summaries, results, notes, images) -> str:
    names = list(summaries)
    lines = ["# newsbot evaluation", ""]
    lines += [f"- {n}" for n in notes] + [""]
    lines += ["| metric | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    for m in HEADLINE + ["latency_p50_s", "latency_p95_s", "n"]:
        lines.append(f"| {m} | " + " | ".join(_fmt(summaries[n].get(m)) for n in names) + " |")
    lines += [""] + [f"![{i}]({i})" for i in images] + [""]
    first = names[0]
    lines += [f"## Per category ({first})", "", "| category | n | pass rate | fact recall (text+quotes) | refusal accuracy |",
              "| --- | --- | --- | --- | --- |"]
    for c, s in summaries[first]["per_category"].items():
        lines.append(f"| {c} | {s['n']} | {_fmt(s['pass_rate'])} | {_fmt(s['fact_recall_with_quotes'])} | {_fmt(s['refusal_accuracy'])} |")
    for n in names:
        lines += ["", f"## Questions ({n})", "", "| id | category | question | answer | citations | pass | " + " | ".join(COLUMNS) + " |",
                  "| --- " * (6 + len(COLUMNS)) + "|"]
        for r in results[n]:
            cites = "; ".join(f"[{c['n']}] {c.get('source') or c['title'][:30]}, {c.get('date') or 'undated'}" for c in r.citations)
            answer = (r.error or r.answer).replace("|", "\\|").replace("\n", " ")[:300]
            lines.append(f"| {r.question.id} | {r.question.category} | {r.question.question.replace('|', '/')} | {answer} | {cites} | "
                         f"{'✓' if passed(r) else '✗'} | " + " | ".join(_mark(m, r.scores.get(m)) for m in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def _html(summaries, results, notes, images) -> str:
    e = html.escape
    names = list(summaries)
    rows = "".join(
        f"<tr><th>{e(m)}</th>" + "".join(f"<td>{_fmt(summaries[n].get(m))}</td>" for n in names) + "</tr>"
        for m in HEADLINE + ["latency_p50_s", "latency_p95_s", "n"]
    )
    pics = "".join(f'<figure><img alt="{e(k)}" src="data:image/png;base64,{base64.b64encode(v).decode()}"></figure>' for k, v in images.items())
    tables = ""
    for n in names:
        body = ""
        for r in results[n]:
            cites = "<br>".join(e(f"[{c['n']}] {c.get('source') or c['title']}, {c.get('date') or 'undated'}: “{c.get('quote', '')[:160]}”") for c in r.citations)
            marks = "".join(f"<td>{_mark(m, r.scores.get(m))}</td>" for m in COLUMNS)
            cls = "pass" if passed(r) else "fail"
            body += (f'<tr class="{cls}"><td>{e(r.question.id)}</td><td>{e(r.question.category)}</td><td>{e(r.question.question)}</td>'
                     f"<td>{e(r.error or r.answer)}</td><td>{cites}</td><td>{'✓' if passed(r) else '✗'}</td>{marks}</tr>")
        head = "".join(f"<th>{e(m.replace('_', ' '))}</th>" for m in COLUMNS)
        tables += (f"<h2>Questions: {e(n)}</h2><table class=q><tr><th>id</th><th>category</th><th>question</th><th>answer</th>"
                   f"<th>citations</th><th>pass</th>{head}</tr>{body}</table>")
    notes_html = "".join(f"<li>{e(x)}</li>" for x in notes)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newsbot evaluation</title>
<style>body{{font:14px system-ui,sans-serif;margin:2em;max-width:1400px}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}}tr.fail td:nth-child(6){{color:#b00}}
tr.pass td:nth-child(6){{color:#070}}figure{{display:inline-block;margin:0 1em 1em 0}}img{{max-width:640px}}
table.q td:nth-child(4){{max-width:420px}}</style></head><body><h1>newsbot evaluation</h1><ul>{notes_html}</ul>
<table><tr><th>metric</th>{''.join(f'<th>{e(n)}</th>' for n in names)}</tr>{rows}</table>{pics}{tables}</body></html>
"""
