"""A configured LLM that is down, slow, talks garbage or invents a figure: the extractive answer, with a notice.
Rows of docs/RELIABILITY.md."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant import Mode
from assistant.core import Assistant
from assistant.llm import LLMAnswerer

TOTAL_QUESTION = "2022年科技局总支出是多少？"
LLM_TIMEOUT_S = 1.0
# What a misbehaving OpenAI-compatible endpoint sends back with a 200.
GARBAGE_BODIES = {
    "html": (b"text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
    "broken-json": (b"application/json", b'{"choices": [{"message": {"content": "2022'),
    "binary": (b"application/octet-stream", bytes(range(256)) * 8),
    "wrong-schema": (b"application/json", b'{"result": "ok", "data": null}'),
}


def assert_extractive_fallback(answer) -> None:
    assert answer.mode is Mode.LLM_FALLBACK and "原文摘录" in answer.notice
    assert not answer.abstained and "623.97" in answer.text
    assert any("总支出623.97万元" in c.quote for c in answer.citations)


def with_chat_model(session_assistant, chat_model) -> Assistant:
    return Assistant(session_assistant.retriever, session_assistant.settings, llm=LLMAnswerer(chat_model))


class _Endpoint(BaseHTTPRequestHandler):
    """POST /v1/chat/completions: sleeps past the client's timeout, or answers 200 with a garbage body."""

    behaviour = "slow"
    release = threading.Event()

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.behaviour == "slow":
            self.release.wait(timeout=30)
            return
        content_type, body = GARBAGE_BODIES[self.behaviour]
        self.send_response(200)
        self.send_header("Content-Type", content_type.decode())
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint(request, loopback_http) -> Iterator[str]:
    """An OpenAI-compatible base URL on loopback that misbehaves as `request.param` says; always stopped."""
    handler = type("Handler", (_Endpoint,), {"behaviour": request.param, "release": threading.Event()})
    yield loopback_http(handler, handler.release)


@pytest.mark.parametrize("endpoint", ["slow", *GARBAGE_BODIES], indirect=True)
def test_slow_or_garbage_endpoint_falls_back_to_extractive_with_a_notice(session_assistant, settings_for,
                                                                         endpoint):
    settings = settings_for(session_assistant.settings.data_dir, llm_base_url=endpoint, llm_timeout=LLM_TIMEOUT_S)
    assistant = Assistant.from_settings(settings)
    assistant.retrieve(TOTAL_QUESTION)  # loads the embedder and the index, without asking the LLM
    started = time.perf_counter()
    answer = assistant.ask(TOTAL_QUESTION)
    assert time.perf_counter() - started < LLM_TIMEOUT_S + 4
    assert_extractive_fallback(answer)


def test_endpoint_that_is_down_falls_back_to_extractive_with_a_notice(session_assistant, settings_for,
                                                                      closed_port):
    settings = settings_for(session_assistant.settings.data_dir, llm_base_url=f"http://127.0.0.1:{closed_port}/v1",
                            llm_timeout=LLM_TIMEOUT_S)
    assert_extractive_fallback(Assistant.from_settings(settings).ask(TOTAL_QUESTION))


@pytest.mark.parametrize("reply", ["", "   ", "lorem ipsum dolor sit amet", "\x00\x01\ufffd\ufffd", "[99]",
                                   "```json\n{\"answer\": null}\n```", "总支出为623.97万元。"],
                         ids=["empty", "blank", "lorem", "binary", "bad-citation", "json", "uncited-figure"])
def test_garbage_from_the_model_falls_back_to_extractive_with_a_notice(session_assistant, reply):
    answer = with_chat_model(session_assistant, FakeListChatModel(responses=[reply] * 3)).ask(TOTAL_QUESTION)
    assert_extractive_fallback(answer)


@pytest.mark.parametrize("reply", ["2022年总支出为9999万元[1]。", "2022年总支出为623.79万元[1]。",
                                   "总支出623.97万元[1]，其中人员支出999万元[1]。"])
def test_invented_figure_falls_back_to_extractive_with_a_notice_about_numbers(session_assistant, reply):
    answer = with_chat_model(session_assistant, FakeListChatModel(responses=[reply] * 3)).ask(TOTAL_QUESTION)
    assert_extractive_fallback(answer)
    assert "数字" in answer.notice
    assert "9999" not in answer.text and "623.79" not in answer.text and "999万" not in answer.text
