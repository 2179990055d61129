"""LLM mode against a real llama-server serving Gemma 3 270M, a small base model that parrots and invents.

scripts/llm-server.sh builds and caches the server and the model; these tests start their own server from that
cache on a free loopback port and always stop it. Without a cached server they skip, saying so.
Run them with `pytest -m llm` (.ci/run-llm builds the cache first).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant import Mode
from assistant.core import Assistant
from assistant.draft import Draft
from assistant.llm import LLMAnswerer, LLMUnavailable, make_chat_model, verify_llm_text
from assistant.settings import Settings
from assistant.verify import unsupported_names, unsupported_numbers
from evals.bench.procs import free_port

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "llm-server.sh"
MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"
START_TIMEOUT_S = 60
ANSWER_TIMEOUT_S = 300.0  # generous: on 2 busy cores the model can fall to a few tokens a second
MAX_TOKENS = 96  # enough for the model to parrot, invent and cite; every token costs time on a CPU
TOTAL_QUESTION = "2022年科技局总支出是多少？"
FIGURE_QUESTIONS = [
    TOTAL_QUESTION,
    "2022年科技局的基本支出是多少万元？",
    "2022年中国银行发放了多少笔科贷通贷款，金额多少？",
    "2022年研发投入增长了多少？",
]
NAME_QUESTIONS = [
    "科技局有哪些内设机构？",
    "哪家公司被认定为省级企业技术中心？",
    "哪些企业实施了2020年度的省科技计划项目？",
    "哪个公司获得了科贷通贴息贷款补助？",
]


@dataclass
class LlamaServer:
    url: str  # the OpenAI-compatible base URL, …/v1
    proc: subprocess.Popen
    log: Path


def llm_cache() -> Path:
    """Where scripts/llm-server.sh caches the binary and the model."""
    override = os.environ.get("REPORT_QA_LLM_CACHE")
    return Path(override) if override else Settings().data_dir / "llm"


def cached_server() -> tuple[Path, Path]:
    cache = llm_cache()
    return cache / "bin" / "llama-server", cache / "models" / MODEL_FILE


pytestmark = [pytest.mark.llm, pytest.mark.skipif(
    not all(p.is_file() for p in cached_server()),
    reason=f"no llama-server and model cached in {llm_cache()}: "
           "run scripts/llm-server.sh --prepare (or .ci/run-llm) to build them")]


def start_server(log: Path) -> LlamaServer:
    """scripts/llm-server.sh on a free port, serving from the cache; its own process group, so all of it stops."""
    port = free_port()
    env = {**os.environ, "PYTHON": sys.executable, "REPORT_QA_LLM_CACHE": str(llm_cache())}
    command = ["bash", str(SCRIPT), "--port", str(port), "--log", str(log)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    server = LlamaServer(f"http://127.0.0.1:{port}/v1", proc, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"scripts/llm-server.sh exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    stop_server(server)
    pytest.fail(f"llama-server did not answer within {START_TIMEOUT_S} s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def stop_server(server: LlamaServer) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.proc.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    server.proc.wait()


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory) -> Iterator[LlamaServer]:
    server = start_server(tmp_path_factory.mktemp("llama") / "server.log")
    yield server
    stop_server(server)


@pytest.fixture
def own_llama_server(tmp_path) -> Iterator[LlamaServer]:
    """A server of the test's own, for tests that kill it."""
    server = start_server(tmp_path / "server.log")
    yield server
    stop_server(server)


class RecordingAnswerer(LLMAnswerer):
    """An LLMAnswerer that keeps what the model said and which sources it was given, before verification."""

    raw: str | None = None
    hits: list = []

    def stream(self, question, hits):
        self.raw, self.hits, pieces = None, list(hits), []
        for piece in super().stream(question, hits):
            pieces.append(piece)
            yield piece
        self.raw = "".join(pieces)

    @property
    def given(self) -> list[str]:
        return [h.chunk.text for h in self.hits]

    def verified(self, question: str) -> Draft | None:
        """What the verifier alone keeps of the model's last answer (None: nothing), before core's own checks."""
        try:
            return verify_llm_text(self.raw or "", self.hits, question)
        except LLMUnavailable:
            return None


def llm_assistant(session_assistant, url: str, timeout: float = ANSWER_TIMEOUT_S,
                  answerer=RecordingAnswerer) -> Assistant:
    chat = make_chat_model(url, "local", "not-needed", timeout=timeout, max_tokens=MAX_TOKENS)
    return Assistant(session_assistant.retriever, session_assistant.settings, llm=answerer(chat))


def assert_llm_answer_shown_or_replaced_with_notice(answer) -> None:
    assert answer.mode in (Mode.LLM, Mode.LLM_FALLBACK, Mode.EXTRACTIVE)
    if answer.mode is Mode.LLM_FALLBACK:
        assert "原文摘录" in answer.notice


# --- streaming ------------------------------------------------------------------------------------


def test_streamed_answer_reaches_the_caller_piece_by_piece(session_assistant, llama_server):
    hits = session_assistant.retrieve(TOTAL_QUESTION)
    answerer = LLMAnswerer(make_chat_model(llama_server.url, "local", "not-needed", ANSWER_TIMEOUT_S, 64))
    started = time.perf_counter()
    arrivals = [(time.perf_counter() - started, piece) for piece in answerer.stream(TOTAL_QUESTION, hits)]
    pieces = [p for _, p in arrivals if p]
    assert len(pieces) >= 3, f"expected a stream of pieces, got {pieces!r}"
    first = next(t for t, p in arrivals if p)
    assert first < arrivals[-1][0], "the first piece must arrive before the model has finished"
    assert "".join(pieces).strip()


# --- what the model says, after the verifier ------------------------------------------------------


@pytest.mark.parametrize("question", FIGURE_QUESTIONS)
def test_every_figure_in_a_final_llm_answer_is_in_its_cited_sources(session_assistant, llama_server,
                                                                    assert_grounded, question):
    assistant = llm_assistant(session_assistant, llama_server.url)
    answer = assistant.ask(question)
    assert_grounded(answer)  # every figure is in the cited quotes; every quote is the report's own text
    assert_llm_answer_shown_or_replaced_with_notice(answer)
    said = assistant.llm.raw or ""
    kept = assistant.llm.verified(question)
    if kept is not None:  # what the verifier passed holds no figure its citations lack
        assert unsupported_numbers(kept.text, [s.quote for s in kept.spans]) == [], f"model said: {said!r}"
    invented = [f for f in unsupported_numbers(said, assistant.llm.given) if len(f) >= 3]
    if invented:  # 31家 the model made up: the answer is the extractive one, or that sentence is gone
        assert answer.mode is not Mode.LLM or answer.notice, f"model said: {said!r}"


@pytest.mark.parametrize("question", NAME_QUESTIONS)
def test_names_the_model_invents_are_dropped_or_flagged(session_assistant, llama_server, assert_grounded,
                                                        question):
    assistant = llm_assistant(session_assistant, llama_server.url)
    answer = assistant.ask(question)
    assert_grounded(answer)
    assert_llm_answer_shown_or_replaced_with_notice(answer)
    said = assistant.llm.raw or ""
    kept = assistant.llm.verified(question)
    if kept is not None:  # what the verifier passed names nothing its citations do not
        cited = [s.quote for s in kept.spans] + [s.chunk.section for s in kept.spans]
        assert unsupported_names(kept.text, cited + [question]) == [], f"model said: {said!r}"
    invented = unsupported_names(said, assistant.llm.given + [question])
    if answer.mode is Mode.LLM:
        cited = [c.quote for c in answer.citations] + [c.section for c in answer.citations]
        assert unsupported_names(answer.text, cited + [question]) == [], f"model said: {said!r}"
        if invented:
            assert "已删除" in answer.notice, f"model said: {said!r}"


# --- a server that dies or stalls -----------------------------------------------------------------


class _SignalsFirstPiece(RecordingAnswerer):
    """An LLMAnswerer that says when the first piece of the answer has streamed in."""

    def __init__(self, chat_model) -> None:
        super().__init__(chat_model)
        self.streaming = threading.Event()

    def stream(self, question, hits):
        for piece in super().stream(question, hits):
            if piece:
                self.streaming.set()
            yield piece


def test_server_killed_mid_answer_gives_the_extractive_answer_with_a_notice(session_assistant, own_llama_server,
                                                                           assert_grounded):
    assistant = llm_assistant(session_assistant, own_llama_server.url, answerer=_SignalsFirstPiece)
    result = {}
    asking = threading.Thread(target=lambda: result.update(answer=assistant.ask(TOTAL_QUESTION)))
    asking.start()
    assert assistant.llm.streaming.wait(ANSWER_TIMEOUT_S), "the model never started answering"
    os.killpg(own_llama_server.proc.pid, signal.SIGKILL)  # mid-stream
    asking.join(ANSWER_TIMEOUT_S)
    assert not asking.is_alive()
    assert own_llama_server.proc.wait(timeout=10) == -signal.SIGKILL
    answer = result["answer"]
    assert answer.mode is Mode.LLM_FALLBACK and "原文摘录" in answer.notice
    assert "623.97" in answer.text and not answer.abstained
    assert_grounded(answer)


def _occupy(server: LlamaServer, release: threading.Event) -> threading.Thread:
    """Keeps the server's only slot busy with a long completion until `release` is set."""
    body = json.dumps({"prompt": "从前有一座山，", "n_predict": 2000, "stream": True, "ignore_eos": True}).encode()
    url = server.url.removesuffix("/v1") + "/completion"

    def run() -> None:
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=ANSWER_TIMEOUT_S) as response:
                while not release.is_set() and response.readline():
                    pass
        except OSError:
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_server_too_busy_to_answer_in_time_gives_the_extractive_answer_with_a_notice(session_assistant,
                                                                                    own_llama_server,
                                                                                    assert_grounded):
    release = threading.Event()
    blocker = _occupy(own_llama_server, release)
    try:
        time.sleep(1.0)  # the long completion holds the one slot
        assistant = llm_assistant(session_assistant, own_llama_server.url, timeout=2.0)
        started = time.perf_counter()
        answer = assistant.ask(TOTAL_QUESTION)
        elapsed = time.perf_counter() - started
    finally:
        release.set()
        blocker.join(ANSWER_TIMEOUT_S)
    assert elapsed < 2.0 + 5
    assert answer.mode is Mode.LLM_FALLBACK and "原文摘录" in answer.notice
    assert "623.97" in answer.text
    assert_grounded(answer)


# --- the eval in LLM mode -------------------------------------------------------------------------


def test_eval_with_llm_scores_both_modes_side_by_side(session_assistant, llama_server, tmp_path, capsys,
                                                      monkeypatch):
    from evals.cli import main

    monkeypatch.setenv("REPORT_QA_LLM_MAX_TOKENS", str(MAX_TOKENS))
    out = tmp_path / "results.json"
    dataset = Path(__file__).resolve().parents[1] / "evals" / "dataset.jsonl"
    assert main(["--data-dir", str(session_assistant.settings.data_dir), "--dataset", str(dataset), "--llm",
                 "--llm-url", llama_server.url, "--limit", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| report-qa + LLM | 2 |" in printed and "LLM kept" in printed
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {i["answer"]["mode"] for i in results["report-qa"]["items"]} == {"extractive"}
    modes = {i["answer"]["mode"] for i in results["report-qa + LLM"]["items"]}
    assert modes <= {"llm", "llm_fallback", "extractive"} and modes & {"llm", "llm_fallback"}
    assert results["report-qa + LLM"]["overall"]["unsupported_numbers"] == 0
