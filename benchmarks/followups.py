"""Follow-up condensing without the LLM: does the standalone question name the referent, and does it retrieve?

Every row of data/eval/questions.jsonl with a ``history`` goes through the rule-based condensing step
(``needs_context`` → ``keyword_rewrite``, as ``Assistant._condense`` does with ``condense_with_llm``
off). Reported:

- **named**: the share of standalone questions that name the expected referent (hand labels in
  ``REFERENTS`` below), for questions with a pronoun and for the other labelled follow-ups (ellipsis:
  "Why?", "And the Russian ambassador in Washington?"), in three answer styles for the history:
  ``as written`` (the eval file's answers), ``lead+quote`` (the answer style of the assistant now:
  "ITEM, according to OUTLET, DATE: “source sentence” [1] (as of DATE)") and ``quote only`` (an
  extractive answer: "OUTLET, DATE: “source sentence” [1]"); the source sentence is the sentence of
  the retrieved chunks closest to the written answer, so its names and outlet are real;
- **hit@1 / hit@5 / MRR@5** of ``expected_sources`` for the raw question against the standalone one
  (answers as written), on a fast store (hashing embedder, data/articles, a temporary folder;
  ``--embedding all-MiniLM-L6-v2`` for the real embedder);
- **left alone**: the share of the other answerable eval questions (no history) that stay unchanged
  when a conversation is attached (a standalone question must not be rewritten);
- per row: needs_context, the standalone question, named or not, the expected article's rank.

    .venv/bin/python -m benchmarks.followups [--json] [--embedding all-MiniLM-L6-v2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
from pathlib import Path

from core.settings import REPO_ROOT, Settings
from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions

ARTICLES = REPO_ROOT / "data" / "articles"
K = 5
PRONOUN_WORDS = frozenset("he she him his her hers it its they them their that this those these".split())

# What the standalone question must name (case-insensitive substrings): every group, any wording in a
# group. Labelled by hand from the conversation: the person or thing the pronoun stands for, or, for
# ellipsis, what the short question leaves out. Rows not listed have their own subject.
REFERENTS: dict[str, list[list[str]]] = {
    "f01": [["Antonov"]],                       # When did he leave Washington?
    "f03": [["Ryabkov"]],                       # Who did he talk with?
    "f04": [["Nuland"]],                        # What did nationalists do during it? (her visit)
    "f05": [["New START", "Strategic Arms Reduction"]],  # When will they have to discuss it again?
    "n152": [["Rood"]],                         # What did he hope ... ?
    "n153": [["Rood"]],                         # Why?
    "n154": [["Darchiyev"]],                    # What was his job before that?
    "n155": [["Darchiyev"]],                    # And who gave the official note agreeing to it?
    "n156": [["Ryabkov"]],                      # How did he describe the conversation?
    "n157": [["Nuland"], ["Ryabkov"]],          # Did they set a date for the next round?
    "n158": [["Antonov"]],                      # Why was he called back?
    "n159": [["Antonov"]],                      # Will he go back to Washington?
    "n160": [["who is", "who's"]],              # And the Russian ambassador in Washington?
    "n161": [["Antonov"]],                      # why was he recalled? (the latest answer's person)
    "n162": [["Climate Summit", "invitation"]],  # Did the Vedomosti source think Russia should accept?
    "n163": [["Vedomosti"]],                    # Why not?
    "n164": [["Nemtsov"]],                      # when did that happen?
    "n165": [["Sharikov"]],                     # What did he say Moscow decided? (the question's person)
    "n166": [["ministry"]],                     # And what irritants did the statement mention?
    "n167": [["Moscow", "Lavrov"]],             # Toward which countries is Moscow shifting its focus?
    "n168": [["Trump"], ["Zelenskyy"]],         # When was their meeting?
    "n169": [["western"]],                      # And what did the State Duma propose?
    "n170": [["Congress"]],                     # What was the understanding from those meetings?
    "n171": [["congressional", "Congress"]],    # What did Moscow say would happen if it were implemented?
}
STYLES = ("as written", "lead+quote", "quote only")


def has_pronoun(question: str) -> bool:
    return bool(PRONOUN_WORDS & {w.lower() for w in re.findall(r"[A-Za-z]+", question)})


def names_referent(standalone: str, groups: list[list[str]]) -> bool:
    low = standalone.lower()
    return all(any(alt.lower() in low for alt in group) for group in groups)


def condense(question: str, history: list[tuple[str, str]]) -> tuple[bool, str]:
    """What ``Assistant._condense`` returns without the LLM, and whether the question needed context."""
    from rag.condense import keyword_rewrite, needs_context

    if not history or not needs_context(question):
        return False, question
    return True, keyword_rewrite(question, history)


def rank(assistant, question: str, expected: list[str]) -> int | None:
    """0-based rank of the first chunk from an expected article in the top K, or None."""
    for i, c in enumerate(assistant.retrieve(question, K)):
        if os.path.basename(c.path) in expected:
            return i
    return None


def _lead_in(chunk) -> str:
    """As ``rag.extractive.lead_in``: "TASS, 30 March 2021" or "“Title” (undated)"."""
    who = chunk.outlet or f"“{chunk.title}”"
    return f"{who}, {chunk.date_label}" if chunk.date else f"{who} (undated)"


def restyle(assistant, question: str, answer: str) -> dict[str, str]:
    """The written answer in the assistant's answer styles, quoting the closest retrieved sentence."""
    from core.language import split_sentences
    from rag.verify import content_terms

    core = re.sub(r"\s*\[\d+\]", "", answer).strip().rstrip(".")
    want = content_terms(core)
    best = (-1.0, None, "")
    for c in assistant.retrieve(question, K):
        for s, e in split_sentences(c.text):
            sentence = " ".join(c.text[s:e].split())
            score = len(want & content_terms(sentence)) / (len(want) or 1)
            if len(sentence.split()) >= 5 and score > best[0]:
                best = (score, c, sentence)
    _, chunk, sentence = best
    if chunk is None:
        return {"as written": answer, "lead+quote": answer, "quote only": answer}
    sentence = sentence.strip("“”\"")
    note = (" (article undated)" if not chunk.date else f" (as of {chunk.date_label})"
            if chunk.date_source != "estimate" else f" (article not dated; {chunk.date_label})")
    return {"as written": answer,
            "lead+quote": f"{core}, according to {_lead_in(chunk)}: “{sentence}” [1]{note}.",
            "quote only": f"{_lead_in(chunk)}: “{sentence}” [1]{note}."}


def build_store(tmp: Path, embedding: str = "hash-256") -> Settings:
    from index import Indexer

    settings = Settings(_env_file=None, data_dir=tmp / "store", embedding_model=embedding,
                        articles_dir=ARTICLES, condense_with_llm=False)
    Indexer(settings).run([str(ARTICLES)])
    return settings


def run(embedding: str = "hash-256") -> dict:
    from rag import Assistant

    questions = load_questions(DEFAULT_QUESTIONS)
    followups = [q for q in questions if q.history]
    with tempfile.TemporaryDirectory(prefix="followups-") as tmp:
        assistant = Assistant(build_store(Path(tmp), embedding))
        restyled: dict[tuple[str, str], dict[str, str]] = {}
        rows = []
        for q in followups:
            for hq, ha in q.history:
                if (hq, ha) not in restyled:
                    restyled[(hq, ha)] = restyle(assistant, hq, ha)
            used, standalone = condense(q.question, q.history)
            labels = REFERENTS.get(q.id)
            row = {"id": q.id, "question": q.question, "pronoun": has_pronoun(q.question), "needs_context": used,
                   "standalone": standalone, "expected": labels,
                   "raw_rank": rank(assistant, q.question, q.expected_sources),
                   "rewritten_rank": rank(assistant, standalone, q.expected_sources)}
            if labels:
                for style in STYLES:
                    history = [(hq, restyled[(hq, ha)][style]) for hq, ha in q.history]
                    text = condense(q.question, history)[1] if style != "as written" else standalone
                    row[f"named[{style}]"] = names_referent(text, labels)
                    if style != "as written":
                        row[f"standalone[{style}]"] = text
            rows.append(row)
        # standalone questions with a conversation attached must come back unchanged
        convo = followups[0].history
        alone = [q for q in questions if not q.history and q.answerable and q.category != "russian"]
        changed = [q.question for q in alone if condense(q.question, convo)[1] != q.question]

    def share(rs, key):
        return round(sum(bool(r[key]) for r in rs) / len(rs), 3) if rs else None

    def ranks(key):
        found = [r[key] for r in rows]
        return {"hit@1": round(sum(x == 0 for x in found) / len(found), 3),
                f"hit@{K}": round(sum(x is not None for x in found) / len(found), 3),
                f"mrr@{K}": round(sum(1 / (x + 1) for x in found if x is not None) / len(found), 3)}

    pron = [r for r in rows if r["expected"] and r["pronoun"]]
    other = [r for r in rows if r["expected"] and not r["pronoun"]]
    return {
        "followups": len(rows), "conversations": len({q.history[0][0] for q in followups}),
        "named_pronoun": {s: share(pron, f"named[{s}]") for s in STYLES}, "pronoun_rows": len(pron),
        "named_ellipsis": {s: share(other, f"named[{s}]") for s in STYLES}, "ellipsis_rows": len(other),
        "retrieval_raw": ranks("raw_rank"), "retrieval_rewritten": ranks("rewritten_rank"),
        "left_alone": round(1 - len(changed) / len(alone), 3), "standalone_questions": len(alone),
        "changed_standalone": changed, "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--embedding", default="hash-256", help="embedding model of the temporary store "
                        "(default hash-256: fast; all-MiniLM-L6-v2 for the real one)")
    args = parser.parse_args()
    result = run(args.embedding)
    result["embedding"] = args.embedding
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(f"{result['followups']} follow-ups from {result['conversations']} conversations, k={K}, "
          f"embedding {result['embedding']}")
    for key, n in (("named_pronoun", "pronoun_rows"), ("named_ellipsis", "ellipsis_rows")):
        figures = "  ".join(f"{s}={v:.3f}" for s, v in result[key].items())
        print(f"{key:15} ({result[n]:2} rows)  {figures}")
    for key in ("retrieval_raw", "retrieval_rewritten"):
        print(f"{key:20} " + "  ".join(f"{m}={v:.3f}" for m, v in result[key].items()))
    print(f"left alone: {result['left_alone']:.3f} of {result['standalone_questions']} standalone questions "
          f"with a conversation attached")
    for q in result["changed_standalone"]:
        print(f"  changed: {q}")
    print()
    for r in result["rows"]:
        flags = "".join("+" if r.get(f"named[{s}]") else ("-" if r["expected"] else " ") for s in STYLES)
        rr = lambda x: "-" if x is None else str(x + 1)  # noqa: E731
        print(f"{r['id']:5} {flags} raw@{rr(r['raw_rank'])} new@{rr(r['rewritten_rank'])}  {r['standalone']}")
        for s in STYLES[1:]:
            if r.get(f"standalone[{s}]") and r[f"standalone[{s}]"] != r["standalone"]:
                print(f"{'':16}{s}: {r[f'standalone[{s}]']}")


if __name__ == "__main__":
    main()
