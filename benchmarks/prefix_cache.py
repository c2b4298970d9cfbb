"""Time to first token of the answer prompt on the embedded model, with and without the prompt-head
state (rag/llamacpp.py ``restore_head``), measured side by side in one run.

The workload is the one where it matters: each answer prompt follows another prompt (a follow-up's
rewrite, which has no system rules), so llama.cpp's own match against the previous call finds nothing
to reuse. Also measured, for reference: consecutive answer prompts (llama.cpp reuses the head by
itself) and a cold context (nothing reused). Medians over the eval questions, alternating the modes.

    .venv/bin/python -m benchmarks.prefix_cache [--questions 8]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from core.settings import REPO_ROOT, Settings


def first_token_s(model, messages) -> float:
    t = time.perf_counter()
    for _ in model.stream(messages):
        return time.perf_counter() - t
    return time.perf_counter() - t


def run(n: int = 8) -> dict:
    from index import Indexer
    from rag import Assistant
    from rag.llamacpp import head_tokens, load_llama
    from rag.llm import chat_model
    from rag.prompts import answer_prompt, condense_prompt, format_sources
    from newsbot.evaluation.questions import DEFAULT_QUESTIONS, load_questions

    with tempfile.TemporaryDirectory(prefix="newsbot-prefix-") as tmp:
        s = Settings(_env_file=None, data_dir=Path(tmp), embedding_model="hash-384",
                     articles_dir=REPO_ROOT / "data" / "articles", llm_max_tokens=16)
        Indexer(s).run([])
        a = Assistant(s)
        qs = [q.question for q in load_questions(DEFAULT_QUESTIONS) if not q.history][:n]
        prompts = [answer_prompt(s.prompts_dir).format_messages(sources=format_sources(a.retrieve(q), s.prompts_dir), question=q)
                   for q in qs]
        rewrite = condense_prompt(s.prompts_dir).format_messages(history="User: Who is Antonov?\nAssistant: Russia's ambassador.",
                                                                 question="When did he leave?")
        on = chat_model(s)
        off = chat_model(s.model_copy(update={"llm_prefix_cache": False}))
        llama, _ = load_llama(on.model_path, on.n_ctx, on.n_threads)
        on.invoke(rewrite)
        first_token_s(on, prompts[0])  # warm up, and save the head's state
        times: dict[str, list[float]] = {"after_other_prompt_off": [], "after_other_prompt_on": [], "consecutive": [], "cold": []}
        for i, messages in enumerate(prompts):
            for mode, model in (("off", off), ("on", on)):
                model.invoke(rewrite)  # another prompt ran in between
                times[f"after_other_prompt_{mode}"].append(first_token_s(model, messages))
            first_token_s(off, prompts[i - 1])
            times["consecutive"].append(first_token_s(off, messages))  # after another answer prompt: same head
            llama.reset()
            times["cold"].append(first_token_s(off, messages))
        head = head_tokens(llama, [{"role": m.type.replace("human", "user"), "content": m.content} for m in prompts[0]])
        prompt_tokens = len(llama.tokenize(str([m.content for m in prompts[0]]).encode()))
    med = {k: round(statistics.median(v), 3) for k, v in times.items()}
    return {"questions": len(prompts), "head_tokens": len(head or ()), "prompt_tokens_about": prompt_tokens,
            "first_token_p50_s": med,
            "prefix_cache_speedup": round(med["after_other_prompt_off"] / med["after_other_prompt_on"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=8)
    print(json.dumps(run(parser.parse_args().questions)))


if __name__ == "__main__":
    main()
