"""How `newsbot trace` prints one answer's trace record (:mod:`rag.trace`) for a person to read.

Why its own module: the command stays a thin wrapper, and the layout can change without touching
the record (``--json`` prints the record itself, for jq and scripts).
"""

from __future__ import annotations

import textwrap

_WIDTH = 13
_TIMINGS = ("condense", "retrieve", "llm", "first_token", "total")  # the order the steps run in (rag/timing.py)


def _said(part: dict | None) -> str:
    """A question or sentence as the record keeps it: its text, or only its hash and length."""
    if not part:
        return "-"
    if "text" in part:
        return f"“{part['text']}”"
    return f"not kept ({part.get('chars', '?')} characters, sha256 {part.get('sha256', '?')}; NEWSBOT_TRACE_QUESTIONS=true keeps it)"


def _line(label: str, value: str) -> str:
    return f"{label:<{_WIDTH}}{value}"


def _num(value, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_record(record: dict) -> str:
    """The record as labelled lines: question, retrieval, gate, mode, verification, citations, timings."""
    out = [_line("Trace", f"{record.get('id')}  {record.get('at', '')}"), _line("Question", _said(record.get("question")))]
    standalone = record.get("standalone")
    if standalone is None:
        out.append(_line("Standalone", "- (not searched)"))
    elif not standalone.get("condensed"):
        out.append(_line("Standalone", "the question itself (no earlier turn needed)"))
    else:
        out.append(_line("Standalone", _said(standalone) + " (rewritten from the conversation)"))

    retrieved = record.get("retrieved") or []
    out.append(_line("Retrieved", f"{len(retrieved)} passages, best similarity {_num(record.get('best_similarity'), 2)}"))
    for r in retrieved:
        out.append(f"  [{r['n']}] {r['chunk_id']}  score {_num(r.get('score'), 4)}  dense {_num(r.get('dense'))}"
                   f"  keyword {_num(r.get('keyword'))}")

    gate = record.get("gate") or {}
    out.append(_line("Gate", gate.get("decision", "-") + (f": {gate['reason']}" if gate.get("reason") else "")))
    mode = record.get("mode", "-")
    if record.get("refused") and record.get("refusal"):
        mode += f" ({record['refusal']})"
    out.append(_line("Answer", mode))

    verification = record.get("verification")
    if verification is None:
        out.append(_line("Verification", "- (the model was not asked)"))
    else:
        dropped = verification.get("dropped") or []
        checked = verification["checked"]
        out.append(_line("Verification", f"{checked} sentence{'' if checked == 1 else 's'} checked, {verification['kept']} kept, "
                                         f"{len(dropped)} dropped ({_num(verification.get('seconds'))} s)"))
        for d in dropped:
            detail = f" [{d['detail']}]" if d.get("detail") else ""
            text = f"- {d['reason']}{detail}: {_said(d)}"
            out.append(textwrap.fill(text, width=110, initial_indent="  ", subsequent_indent="    "))

    citations = record.get("citations") or []
    out.append(_line("Citations", ", ".join(f"[{c['n']}] {c['chunk_id']}" for c in citations) or "-"))
    timings = record.get("timings") or {}
    order = [k for k in _TIMINGS if k in timings] + [k for k in timings if k not in _TIMINGS]
    out.append(_line("Timings", ", ".join(f"{k} {timings[k]:.3f} s" for k in order) or "-"))
    return "\n".join(out)
