"""Measurements in child processes: cold starts of `report-qa ask` and `serve`, the import probe, and HTTP load."""

from __future__ import annotations

import json
import logging
import statistics
import subprocess
import sys
import time
from pathlib import Path

from evals.bench.http_load import ask_http, oversized_then_normal, run_load
from evals.bench.procs import LOOPBACK, clean_env, free_port, peak_rss_mb, rss_mb, start, stop, tool, wait_until
from evals.bench.stats import summary_ms

log = logging.getLogger(__name__)
SERVE_START_TIMEOUT_S = 300
# Every bench client comes from 127.0.0.1, which the desk's per-IP limit (12/min) would count as one visitor.
BENCH_RATE_LIMIT = 100_000


def report_qa() -> list[str]:
    script = tool("report-qa")
    return [script] if script else [sys.executable, "-m", "report_qa"]


def cli_cold_start(data_dir: Path, question: str, runs: int = 3) -> dict:
    """Wall time of `report-qa ask --json QUESTION` on an existing store, from process start to exit."""
    seconds, answer = [], ""
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run([*report_qa(), "--data-dir", str(data_dir), "ask", "--json", question],
                              env=clean_env(), capture_output=True, text=True, timeout=300, check=True)
        seconds.append(time.perf_counter() - began)
        answer = json.loads(done.stdout.splitlines()[-1])["answer"]
    began = time.perf_counter()
    subprocess.run([*report_qa(), "--help"], env=clean_env(), capture_output=True, timeout=120, check=True)
    help_s = time.perf_counter() - began
    return {"runs": runs, "median_s": round(statistics.median(seconds), 2), "min_s": round(min(seconds), 2),
            "answer": answer, "help_s": round(help_s, 2)}


def import_probe(data_dir: Path, question: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "evals.bench.probe", str(data_dir), question], env=clean_env(),
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def serve_session(data_dir: Path, log_path: Path, questions: list[str], clients: list[int],
                  per_client: int = 3, max_seconds: float = 20.0, extra_args: list[str] | None = None) -> dict:
    """Start `report-qa serve` on loopback, time it to the first /ask answer, then load it with HTTP clients."""
    port = free_port()
    command = [*report_qa(), "serve", "--host", LOOPBACK, "--port", str(port), "--data-dir", str(data_dir),
               "--rate-limit", str(BENCH_RATE_LIMIT), *(extra_args or [])]
    started = start(command, f"http://{LOOPBACK}:{port}/", log_path)
    try:
        first = wait_until(started, lambda: _answers(started.url, questions[0]), SERVE_START_TIMEOUT_S,
                           "report-qa serve")
        pid = started.proc.pid
        result = {"args": extra_args or [], "cold_start_s": round(first, 2), "rss_idle_mb": round(rss_mb(pid), 1),
                  "load": []}
        for n in clients:
            outcome = run_load(started.url, n, questions, per_client=per_client, max_seconds=max_seconds)
            result["load"].append(outcome.__dict__)
            log.info("serve load N=%d: %s", n, outcome)
        result["oversized_histories"] = oversized_then_normal(started.url, questions[0])
        log.info("serve, 20 oversized histories then a normal question: %s", result["oversized_histories"])
        result.update(rss_after_mb=round(rss_mb(pid), 1), peak_rss_mb=round(peak_rss_mb(pid), 1))
        return result
    finally:
        stop(started.proc)


def _answers(url: str, question: str) -> bool:
    try:
        return "answer" in ask_http(url, question, timeout_s=60)
    except OSError:  # not listening yet
        return False


# One more report, as another process would ingest it; its figure appears in no generated report.
LATE_REPORT = ("部门整体支出绩效自评报告\n庐山市基准测试局\n一、部门概况\n"
               "2022年总支出777.77万元，其中基本支出500.00万元。\n")
LATE_QUESTION, LATE_FIGURE = "基准测试局2022年总支出是多少？", "777.77"


def reload_after_other_ingest(assistant, work_dir: Path, during: str, timeout_s: float = 600.0) -> dict:
    """Another process ingests one report into `assistant`'s store: how long the question that notices waits,
    how fast questions are answered while the reload runs, and when the new report is first answered from."""
    late = work_dir / "late-report"
    late.mkdir(parents=True, exist_ok=True)
    (late / "jcj-2022.txt").write_text(LATE_REPORT, encoding="utf-8")
    began = time.perf_counter()
    subprocess.run([*report_qa(), "--data-dir", str(assistant.settings.data_dir), "ingest", str(late)],
                   env=clean_env(), capture_output=True, text=True, timeout=timeout_s, check=True)
    ingest_s = time.perf_counter() - began
    time.sleep(assistant.retriever.check_every_s + 0.1)  # the store is asked at most this often whether it changed
    began = time.perf_counter()
    first = assistant.ask(LATE_QUESTION)
    first_ms = (time.perf_counter() - began) * 1000
    meanwhile, answered = [], LATE_FIGURE in first.text
    while not answered and time.perf_counter() - began < timeout_s:
        asked = time.perf_counter()
        assistant.ask(during)
        meanwhile.append((time.perf_counter() - asked) * 1000)
        time.sleep(0.5)
        answered = not assistant.reloading and LATE_FIGURE in assistant.ask(LATE_QUESTION).text
    return {"other_ingest_s": round(ingest_s, 1), "first_question_ms": round(first_ms, 1),
            "first_answered_new": LATE_FIGURE in first.text, "said_loading": "正在载入" in first.notice,
            "new_report_answered_s": round(time.perf_counter() - began, 1) if answered else None,
            "meanwhile": summary_ms(meanwhile)}
