"""The bench's own machinery: step timing, the HTTP client, the scale comparison, the table and the CLI.

No test asserts a duration: the machine is shared, so figures live in docs/BENCHMARKS.md, not here.
"""

from __future__ import annotations

import json
import sys
import time

import pytest

from assistant.models import Answer
from evals.bench.http_load import AskFailed, parse_sse, run_load
from evals.bench.latency import STEPS, instrumented, measure_ingest, warm_latency
from evals.bench.scale import changed
from evals.bench.stats import StepProfiler, percentile
from evals.bench.table import markdown
from evals.dataset import EvalItem
from evals.runner import judge

TOTAL = EvalItem("t", "budget", "2022年科技局总支出是多少？", True, [["623.97"]], "2022年总支出623.97万元")
DIRECTOR = EvalItem("d", "unanswerable", "局长是谁？", False, [], "")


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_profiler_counts_nested_time_once_in_the_innermost_step():
    clock = FakeClock()
    profiler = StepProfiler(clock)

    with profiler.region("retrieval"):
        clock.now += 0.002
        with profiler.region("embedding"):
            clock.now += 0.010
        clock.now += 0.003

    assert profiler.reset() == pytest.approx({"retrieval": 5.0, "embedding": 10.0})
    assert profiler.reset() == {}


def test_percentile_uses_the_eval_runners_nearest_rank():
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile(range(1, 101), 95) == 95


def test_parse_sse_returns_the_answer_object_of_a_complete_event():
    stream = 'event: complete\ndata: [{"answer": "2022年总支出623.97万元[1]。"}]\n\n'

    assert parse_sse(stream) == {"answer": "2022年总支出623.97万元[1]。"}


def test_parse_sse_raises_on_an_error_event():
    with pytest.raises(AskFailed, match="history_json"):
        parse_sse('event: error\ndata: {"error": "history_json 不是有效的 JSON"}\n\n')


def test_warm_latency_splits_ask_into_the_chain_steps(fast_assistant, report_path):
    fast_assistant.ingest([report_path], progress=False)
    profiler = StepProfiler()

    with instrumented(fast_assistant, profiler):
        result = warm_latency({"qa": lambda i: fast_assistant.ask(i.question)}, [TOTAL, DIRECTOR], profiler)

    steps = result["qa"]["steps"]
    assert result["qa"]["n"] == 2 and set(steps) == set(STEPS)
    assert all(steps[s]["mean_ms"] > 0 for s in ("analysing", "embedding", "retrieval", "answering"))
    assert sum(s["share"] for s in steps.values()) == pytest.approx(1.0, abs=0.01)


def test_instrumentation_is_undone_after_the_measurement(fast_assistant, report_path):
    fast_assistant.ingest([report_path], progress=False)
    profiler = StepProfiler()
    with instrumented(fast_assistant, profiler):
        fast_assistant.ask(TOTAL.question)
    profiler.reset()

    answer = fast_assistant.ask(TOTAL.question)

    assert "623.97" in answer.text and profiler.reset() == {}


def test_measure_ingest_reports_throughput_and_the_embedders_share(fast_assistant, report_path, monkeypatch):
    # The hash embedder takes microseconds, a share that rounds to 0 on a busy machine: an embedder that takes a
    # measurable time (as a real model does) must show as a share of the ingest.
    embeddings = fast_assistant.store.embeddings
    hashed = embeddings.embed_documents

    def slow(texts):
        time.sleep(0.05)
        return hashed(texts)

    monkeypatch.setattr(embeddings, "embed_documents", slow)
    result = measure_ingest(fast_assistant, [report_path])

    assert result["added"] == result["chunks"] > 0 and result["errors"] == []
    assert result["chunks_per_s"] > 0 and 0 < result["embed_share"] <= 1
    assert result["embed_s"] >= 0.05
    assert result["store_mb"] > 0


def _result(item: EvalItem, text: str, abstained: bool = False):
    return judge(item, Answer(question=item.question, text=text, abstained=abstained), [], 0.01)


def test_changed_lists_questions_that_became_wrong_with_their_answer():
    before = {"scoped": [_result(TOTAL, "2022年总支出623.97万元[1]。"), _result(DIRECTOR, "", abstained=True)]}
    after = {"scoped": [_result(TOTAL, "2022年总支出867.62万元[1]。"), _result(DIRECTOR, "", abstained=True)]}

    flips = changed(before, after)["scoped"]

    assert [(f["id"], f["now_correct"]) for f in flips] == [("t", False)]
    assert "867.62" in flips[0]["answer"]


def _sample_results(p50: float, errors_at_50: int) -> dict:
    steps = {s: {"mean_ms": 1.0, "share": 1 / len(STEPS)} for s in STEPS}
    load = [{"clients": n, "requests": 3 * n, "ok": 3 * n, "errors": errors_at_50 if n == 50 else 0,
             "requests_per_s": 10.0, "p50_ms": 100.0, "p95_ms": 200.0} for n in (1, 10, 50)]
    return {"warm": {"report-qa": {"n": 170, "p50_ms": p50, "p95_ms": 90.0, "mean_ms": p50, "steps": steps}},
            "serve": {"args": [], "cold_start_s": 9.0, "rss_idle_mb": 300.0, "rss_after_mb": 320.0,
                      "peak_rss_mb": 330.0, "load": load}}


def test_table_marks_each_target_met_or_not():
    met = markdown(_sample_results(p50=30.0, errors_at_50=0))
    missed = markdown(_sample_results(p50=55.0, errors_at_50=46))

    assert met.startswith("| measure | figure | target | met |")
    assert "p50 ≤ 40 ms, p95 ≤ 100 ms | yes |" in met and "| 0 errors | yes |" in met
    assert "p50 ≤ 40 ms, p95 ≤ 100 ms | **no** |" in missed and "46 errors of 150 | 0 errors | **no** |" in missed


def test_table_shows_serve_memory_and_errors_of_the_largest_scale_store():
    serve = _sample_results(p50=30.0, errors_at_50=0)["serve"] | {"peak_rss_mb": 1700.0}
    latency = {"n": 170, "p50_ms": 90.0, "p95_ms": 200.0, "mean_ms": 95.0, "steps": {}}
    accuracy = {"answer_accuracy": 0.99}
    lost = {"id": "t", "question": TOTAL.question, "now_correct": False, "answer": "", "cited": []}
    reload = {"first_question_ms": 395.0, "said_loading": True, "meanwhile": {"p50_ms": 90.0},
              "new_report_answered_s": 10.9}
    row = {"reports": 1000, "serve": serve, "changed_vs_alone": {"scoped": [lost]}, "same_scoped_answers": "169/170",
           "reload": reload,
           "ingest": {"chunks": 23009, "ingest_s": 2000.0, "chunks_per_s": 11.5, "embed_share": 0.96,
                      "lexical_s": 37.0, "store_mb": 190.0},
           "latency": {"unfiltered": latency, "filtered": latency},
           "accuracy": {"scoped": accuracy, "unscoped": accuracy}}

    table = markdown({"scale": [row]})

    assert "1000 reports: `serve` RSS: idle / after load / peak | 300.0 / 320.0 / 1700.0 MB | ≤ 1024 MB | **no** |" \
        in table
    assert "1000 reports: 50 concurrent HTTP client(s)" in table
    assert "BM25 finds every chunk after 37.0 s" in table and "| embedder ≥ 90% | yes |" in table
    assert "1 question(s) wrong that the report alone answers right, 169/170 answers identical" in table
    assert table.rstrip().endswith("| no drop (scoped) | **no** |")
    assert "notices answers in 395.0 ms (with a loading notice)" in table and "answered after 10.9 s" in table


def test_bench_subcommand_is_registered_with_its_options(capsys):
    from report_qa.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "--help"])

    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert all(option in help_text for option in ("--scale", "--clients", "--out", "--serve-arg"))


def test_bench_refuses_a_malformed_client_list(capsys):
    from report_qa.cli import main

    with pytest.raises(SystemExit):
        main(["bench", "--clients", "1,zero"])

    assert "comma-separated" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_concurrent_http_clients_all_get_answers(ui_server):
    result = run_load(ui_server.url, clients=3, questions=["2022年科技局总支出是多少？", "局长是谁？"],
                      per_client=2, max_seconds=120)

    assert (result.requests, result.ok, result.errors) == (6, 6, 0)
    assert result.p50_ms > 0 and result.requests_per_s > 0


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_default_ask_never_imports_torch(tmp_path, subprocess_env):
    import subprocess

    done = subprocess.run([sys.executable, "-m", "evals.bench.probe", str(tmp_path / "data"), "局长是谁？"],
                          env=subprocess_env, capture_output=True, text=True, timeout=280, check=True)
    probe = json.loads(done.stdout.splitlines()[-1])

    assert probe["torch_loaded"] is False and probe["sentence_transformers_loaded"] is False
    assert "未找到" in probe["answer"]


def test_chunking_section_measures_a_fresh_process_and_the_table_judges_16_mb(report_path):
    from evals.bench.chunking import run_chunking, synthetic_text

    text = synthetic_text("2022年支出100万元。\n", 0.01)
    assert len(text.encode("utf-8")) >= 10_000 and "2022年支出100万元" in text and "2122年支出1001万元" in text
    row, = run_chunking(report_path, [0.05])
    assert row["megabytes"] == 0.05 and row["text_mb"] >= 0.05 and row["chunks"] > 100 and row["seconds"] >= 0
    fast = {"megabytes": 16, "chunks": 9, "seconds": 12.0, "chars_per_s": 1, "peak_mb_over_start": 90,
            "memory_ratio": 5.6}
    slow = {**fast, "seconds": 75.0}
    assert "16 MB < 60 s, memory ≤ 10× | yes |" in markdown({"chunking": [fast]})
    assert "16 MB < 60 s, memory ≤ 10× | **no** |" in markdown({"chunking": [slow]})


def test_a_citation_that_stops_before_the_evidences_closing_mark_cites_it_and_a_shorter_one_does_not():
    from assistant.models import Citation

    item = EvalItem(id="d", category="english", question="Does it oversee computer system security?",
                    answerable=True, facts=[["计算机信息系统"]], evidence="监督管理计算机信息系统的安全保护工作;")

    def cited(quote: str) -> bool:
        answer = Answer(question=item.question, text=f"{quote}[1]。",
                        citations=[Citation(n=1, source="r.txt", section="", start=0, end=len(quote), quote=quote)])
        return judge(item, answer, [], 0.01).cited

    assert cited("监督管理计算机信息系统的安全保护工作")
    assert not cited("计算机信息系统的安全保护工作")  # a part of the passage is not the passage
