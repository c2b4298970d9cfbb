"""The naive baseline the report compares against: LangChain's textbook RAG.

Top-4 similarity search, every chunk "stuffed" into one prompt, the model's text returned as is:
no hybrid retrieval, no dates, no follow-up rewriting, no verification, no refusal gate. Its
sources are the four retrieved chunks, as most tools show them.
"""

from __future__ import annotations

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from rag.models import Answer, Citation

STUFF_PROMPT = ChatPromptTemplate.from_messages([
    ("system", "Use the following pieces of context to answer the question at the end. If you don't know the answer, "
               "just say that you don't know, don't try to make up an answer.\n\n{context}"),
    ("human", "{question}"),
])


class NaiveRAG:
    """``ask(question, history)`` like :class:`rag.Assistant`, the naive way."""

    def __init__(self, assistant, k: int = 4) -> None:
        self.assistant = assistant  # borrowed for its index, embedder and LLM
        self.k = k

    def ask(self, question: str, history=None) -> Answer:
        search = self.assistant.search
        search.refresh()
        vector = self.assistant.embeddings.embed_query(question)
        hits = search.dense(vector, self.k)
        rows = [search.chunks[cid] for cid, _ in hits]
        context = "\n\n".join(r["text"] for r in rows)
        messages = STUFF_PROMPT.format_messages(context=context, question=question)
        llm = self.assistant.chat_model(sum(len(m.content) for m in messages))
        text = (llm | StrOutputParser()).invoke(messages).strip()
        citations = [Citation(n=i, title=r["title"], outlet=r["outlet"], date=r["date"], url=r["url"], quote=r["text"],
                              article_id=r["article_id"], chunk_id=r["id"], path=r["path"])
                     for i, r in enumerate(rows, start=1)]
        return Answer(text=text, citations=citations, refused=False, question=question, standalone_question=question, mode="naive")

    def retrieve(self, question: str, k: int | None = None):
        from rag.models import RetrievedChunk

        search = self.assistant.search
        search.refresh()
        out = []
        for cid, sim in search.dense(self.assistant.embeddings.embed_query(question), k or self.k):
            r = search.chunks[cid]
            out.append(RetrievedChunk.from_row(r, dense=sim))
        return out
