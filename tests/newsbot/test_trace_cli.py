"""`newsbot trace last|ID`: an answer's trace printed for a person (newsbot/traces.py), or as JSON; and the
one-line errors when tracing is off or the id is unknown. The traces come from real answers (scripted
chat model); the command runs as the installed console script."""

from __future__ import annotations

import json
import re
import os
import subprocess

from rag import Assistant
from tests.conftest import VENV_BIN
from tests.helpers.fakes import scripted_llm

Q = "How many Russian diplomats did a US congressional proposal want to expel?"
GOOD = "A U.S. congressional proposal would expel 300 Russian diplomats from the United States [1]."
INVENTED = "The proposal was drafted by Senator Zebulon Quattlebaum [1]."


def newsbot(settings, *args, trace_file=None):
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(settings.data_dir), "NEWSBOT_EMBEDDING_MODEL": "hash-256"}
    env.pop("NEWSBOT_TRACE_FILE", None)
    if trace_file is not None:
        env["NEWSBOT_TRACE_FILE"] = str(trace_file)
    return subprocess.run([str(VENV_BIN / "newsbot"), *args], env=env, capture_output=True, text=True, timeout=300)


def test_trace_last_and_by_id(indexed, tmp_path):
    path = tmp_path / "traces.jsonl"
    settings = indexed.model_copy(update={"trace_file": path})
    first = Assistant(settings, llm=scripted_llm(f"{GOOD} {INVENTED}")).ask(Q)
    second = Assistant(settings, llm=scripted_llm()).ask("What did Zebulon Quattlebaum say about the embassy?")

    last = newsbot(settings, "trace", "last", trace_file=path)
    assert last.returncode == 0, last.stderr
    lines = last.stdout.splitlines()
    assert lines[0].startswith(f"Trace        {second.trace.id}  ")
    assert "Gate         refuse: a name in the question is in no retrieved passage" in lines
    assert "Answer       refused (a name in the question is in no retrieved passage)" in lines
    assert "Verification - (the model was not asked)" in lines
    assert any(line.startswith("Question     not kept (51 characters, sha256 ") for line in lines)

    by_id = newsbot(settings, "trace", first.trace.id[:6], trace_file=path)
    assert by_id.returncode == 0, by_id.stderr
    text = by_id.stdout
    assert text.startswith(f"Trace        {first.trace.id}  ") and "Answer       generated\n" in text
    assert "Gate         pass\n" in text and "Verification 2 sentences checked, 1 kept, 1 dropped" in text
    assert "  - unsupported: source [1] does not state a name, number or date of it: not kept (56 characters" in text
    assert f"[1] {first.citations[0].chunk_id}" in text and "Timings      condense " in text
    assert "Quattlebaum" not in text and Q not in text  # not kept, so not printed
    retrieved = [line for line in text.splitlines() if line.startswith("  [")]
    assert len(retrieved) == len(first.trace.chunks) and first.trace.chunks[0].id in retrieved[0]

    as_json = newsbot(settings, "trace", "--json", trace_file=path)
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["id"] == second.trace.id


def test_trace_shows_the_question_when_kept(indexed, tmp_path):
    path = tmp_path / "traces.jsonl"
    settings = indexed.model_copy(update={"trace_file": path, "trace_questions": True})
    Assistant(settings, llm=scripted_llm(f"{GOOD} {INVENTED}")).ask(Q)
    r = newsbot(settings, "trace", trace_file=path)  # `last` is the default
    assert r.returncode == 0, r.stderr
    assert f"Question     “{Q}”" in r.stdout and "Standalone   the question itself" in r.stdout
    flat = " ".join(r.stdout.split())
    # the terms are the language module's stems ("senat"), so only the unstemmed names are spelled out
    assert re.search(r"- unsupported: source \[1\] does not state a name, number or date of it \[quattlebaum, \w+, zebulon\]: "
                     r"“The proposal was drafted by Senator Zebulon Quattlebaum\.”", flat)


def test_errors_are_one_line(indexed, tmp_path):
    off = newsbot(indexed, "trace", "last")
    assert off.returncode == 1 and off.stderr.startswith("error: tracing is off: set NEWSBOT_TRACE_FILE")
    assert len(off.stderr.strip().splitlines()) == 1

    missing = newsbot(indexed, "trace", "last", trace_file=tmp_path / "none.jsonl")
    assert missing.returncode == 1 and missing.stderr.startswith("error: No trace file at ")
    assert "Traceback" not in missing.stderr

    path = tmp_path / "traces.jsonl"
    Assistant(indexed.model_copy(update={"trace_file": path}), llm=scripted_llm(GOOD)).ask(Q)
    unknown = newsbot(indexed, "trace", "0000nope", trace_file=path)
    assert unknown.returncode == 1 and unknown.stderr.strip() == f"error: No trace '0000nope' in {path}."
