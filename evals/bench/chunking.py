"""Chunking cost at 1, 4 and 16 MB of report text, each size in a fresh interpreter (its own peak memory).

    python -m evals.bench.chunking REPORT MB   → one JSON object on stdout

The text is the report repeated, each copy with its own years and amounts, so no two copies are equal: the
repeat-marking and the fact extraction see as many distinct passages as a real corpus of that size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

CHUNKING_S, CHUNKING_MEMORY_RATIO = 60, 10  # issue 15: 16 MB chunked in under 60 s, memory ≤ 10 × the text


def synthetic_text(base: str, megabytes: float) -> str:
    """At least `megabytes` MB (UTF-8) of report text: copies of `base`, each with its own figures."""
    copies, size, i = [], -1, 0  # -1: n copies are joined by n - 1 newlines
    target = megabytes * 1_000_000
    while size < target:
        copy = base.replace("20", f"{20 + i % 80}").replace("万元", f"{i}万元") if i else base
        copies.append(copy)
        size += len(copy.encode("utf-8")) + 1
        i += 1
    return "\n".join(copies)


def measure(report: Path, megabytes: float) -> dict:
    from evals.bench.procs import peak_rss_mb, rss_mb
    from ingest.chunker import chunk_document
    from ingest.loaders import load_document

    pid = os.getpid()
    doc = load_document(report)
    chunk_document(doc)  # imports and lazy tables (cn2an) load before the clock starts
    before = rss_mb(pid)
    big = replace(doc, text=synthetic_text(doc.text, megabytes))
    text_mb = len(big.text.encode("utf-8")) / 1_000_000
    began = time.perf_counter()
    chunks = chunk_document(big)
    seconds = time.perf_counter() - began
    used = peak_rss_mb(pid) - before
    return {"text_mb": round(text_mb, 2), "chars": len(big.text), "chunks": len(chunks),
            "seconds": round(seconds, 1), "chars_per_s": round(len(big.text) / max(seconds, 1e-9)),
            "peak_mb_over_start": round(used, 1), "memory_ratio": round(used / max(text_mb, 1e-9), 1)}


def run_chunking(report: Path, sizes: list[float], timeout_s: float = 900) -> list[dict]:
    """One fresh interpreter per size; a size that fails or overruns is reported, not raised."""
    rows = []
    for mb in sizes:
        cmd = [sys.executable, "-m", "evals.bench.chunking", str(report), str(mb)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
            row = json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr.strip()[-300:]}
        except subprocess.TimeoutExpired:
            row = {"error": f"over {timeout_s:.0f} s"}
        rows.append({"megabytes": mb, **row})
    return rows


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), float(sys.argv[2]))))
