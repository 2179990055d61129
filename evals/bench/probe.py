"""Run in a fresh interpreter by the bench: the default path's import time, memory, and the modules it loads.

    python -m evals.bench.probe DATA_DIR QUESTION   → one JSON object on stdout
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def probe(data_dir: Path, question: str) -> dict:
    from evals.bench.procs import peak_rss_mb, rss_mb  # stdlib only: it does not blur the import time

    pid = os.getpid()
    began = time.perf_counter()
    import assistant.core  # noqa: F401  (what `report-qa ask` imports: Chroma, LangChain, jieba, bm25s)
    from assistant import Assistant, Settings

    imported = time.perf_counter()
    rss_imported = rss_mb(pid)
    engine = Assistant.from_settings(Settings(data_dir=data_dir, chroma_host=None, llm_base_url=None))
    engine.store.count()  # the bench copied an ingested store here
    opened = time.perf_counter()
    engine.refresh()  # what the first ask would do anyway: read every chunk, build BM25 and the matcher
    indexed = time.perf_counter()
    engine.store.embeddings.embed_query("预热")  # the first embed loads the model
    loaded = time.perf_counter()
    answer = engine.ask(question)
    answered = time.perf_counter()
    return {"import_s": round(imported - began, 3), "open_store_s": round(opened - imported, 3),
            "load_index_s": round(indexed - opened, 3), "load_model_s": round(loaded - indexed, 3),
            "first_ask_s": round(answered - loaded, 3), "total_s": round(answered - began, 3), "answer": answer.text,
            "rss_after_import_mb": round(rss_imported, 1), "rss_after_ask_mb": round(rss_mb(pid), 1),
            "peak_rss_mb": round(peak_rss_mb(pid), 1), "modules": len(sys.modules),
            "torch_loaded": "torch" in sys.modules,
            "sentence_transformers_loaded": "sentence_transformers" in sys.modules}


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1]), sys.argv[2]), ensure_ascii=False))
