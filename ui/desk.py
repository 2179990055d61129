"""The chat desk's logic, free of Gradio: ask with history, stream the reply, rate-limit, take feedback."""

from __future__ import annotations

import json
import logging
import math
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from assistant import Answer, Mode
from ui.feedback import FeedbackStore, Rating
from ui.ratelimit import RateLimiter
from ui.render import answer_markdown, message_markdown, notice_html, question_markdown, sources_html

if TYPE_CHECKING:  # the real import loads Chroma and the embedder; `report-qa --help` must stay fast
    from assistant import Assistant

log = logging.getLogger(__name__)
MAX_HISTORY_MESSAGES = 20  # accepted from an API client's history_json


class TurnKind(str, Enum):
    ANSWERED = "answered"
    ABSTAINED = "abstained"
    REFUSED = "refused"  # the engine rejected the question (empty, too long)
    TURNED_DOWN = "turned_down"  # the desk did not ask (rate limit, internal error)


@dataclass(frozen=True)
class Turn:
    """One question and the reply shown for it; the per-session chat state is a list of these."""

    question: str
    answer: str  # plain text, with its [n] markers
    shown: str  # the Chatbot bubble (escaped markdown)
    kind: TurnKind
    citations: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    """One streaming step: the Chatbot messages, the 来源 panel, and the chat state after this question."""

    messages: list[dict]
    sources: str
    turns: list[Turn]


@dataclass(frozen=True)
class DeskOptions:
    rate_limit_per_minute: int = 12  # questions per client IP
    max_history_turns: int = 6  # previous turns passed to the assistant for follow-ups
    stream_steps: int = 30
    stream_delay_s: float = 0.03
    queue_size: int = 64  # 50 simultaneous visitors fit (measured: 32 gave 49/150 queue-full errors)
    concurrency: int = 2


class DeskError(Exception):
    """A question the desk turned down or could not answer; the message is safe to show to a visitor."""


class ChatDesk:
    """Answers questions for the web page and the JSON API, one client at a time per rate limit."""

    def __init__(self, assistant: Assistant, feedback: FeedbackStore, options: DeskOptions | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.assistant = assistant
        self.feedback = feedback
        self.options = options or DeskOptions()
        self.limiter = RateLimiter(self.options.rate_limit_per_minute)
        self.feedback_limiter = RateLimiter(self.options.rate_limit_per_minute * 2)
        self._sleep = sleep

    def reply(self, question: str, turns: list[Turn], filters: dict | None, client: str) -> Iterator[Reply]:
        """Stream the answer a few characters at a time, then the final answer with its sources."""
        question = question or ""
        try:
            answer = self._ask(question, history_messages(turns, self.options.max_history_turns), filters, client)
        except DeskError as exc:
            turn = Turn(question, str(exc), message_markdown(str(exc)), TurnKind.TURNED_DOWN)
            yield Reply(chat_messages([*turns, turn]), notice_html(str(exc)), [*turns, turn])
            return
        final = _turn_for(answer)
        after = [*turns, final]
        for prefix in stream_prefixes(answer.text, self.options.stream_steps):
            partial = Turn(question, prefix, answer_markdown(answer, prefix), final.kind)
            yield Reply(chat_messages([*turns, partial]), notice_html("正在整理答案与来源…"), after)
            self._sleep(self.options.stream_delay_s)
        yield Reply(chat_messages(after), sources_html(answer, self.assistant.retriever.chunks), after)

    def ask_json(self, question: str, history_json: str, client: str) -> dict:
        """The API: the same JSON object as `report-qa ask --json`. Raises DeskError when turned down."""
        history = parse_history(history_json)
        return self._ask(question, history, None, client).to_json_dict()

    def rate(self, turns: list[Turn], index: int | list | tuple, liked: bool | str, comment: str,
             client: str) -> tuple[bool, str]:
        """Store 👍/👎 (and the optional comment) for the answer at Chatbot message `index`.

        Returns whether it was stored, and a status line for the visitor.
        """
        if not isinstance(liked, bool):
            return False, ""
        position = index[0] if isinstance(index, (list, tuple)) else index
        is_reply = isinstance(position, int) and position % 2 == 1  # messages alternate question, reply
        turn = turns[position // 2] if is_reply and position // 2 < len(turns) else None
        if turn is None or turn.kind not in (TurnKind.ANSWERED, TurnKind.ABSTAINED):
            return False, "只能对助手的回答进行评价。"
        if not self.feedback_limiter.allow(client):
            return False, "反馈过于频繁，请稍后再试。"
        try:
            self.feedback.add(turn.question, turn.answer, turn.citations, Rating.UP if liked else Rating.DOWN,
                              comment or "")
        except Exception:
            return False, _apology("feedback")
        return True, f"已记录您的反馈（{'👍' if liked else '👎'}），谢谢！"

    def _ask(self, question: str, history: list[dict], filters: dict | None, client: str) -> Answer:
        if not self.limiter.allow(client):
            raise DeskError(f"提问过于频繁：每位访客每分钟最多提问 {self.limiter.limit} 次，请稍后再试。")
        try:
            return self.assistant.ask(question, history=history, filters=filters)
        except Exception:
            raise DeskError(_apology("ask")) from None


def _apology(what: str) -> str:
    error_id = uuid.uuid4().hex[:8]
    log.exception("internal error %s (%s)", error_id, what)
    return f"抱歉，系统出现内部错误，请稍后再试。（错误编号：{error_id}）"


def _turn_for(answer: Answer) -> Turn:
    if answer.mode == Mode.REFUSED:
        kind = TurnKind.REFUSED
    else:
        kind = TurnKind.ABSTAINED if answer.abstained else TurnKind.ANSWERED
    citations = [c.model_dump() for c in answer.citations]
    return Turn(answer.question, answer.text, answer_markdown(answer), kind, citations)


def chat_messages(turns: list[Turn]) -> list[dict]:
    """The Chatbot value, always rebuilt from the server-side turns (never from what the browser sends)."""
    messages: list[dict] = []
    for turn in turns:
        messages.append({"role": "user", "content": question_markdown(turn.question)})
        messages.append({"role": "assistant", "content": turn.shown})
    return messages


def history_messages(turns: list[Turn], max_turns: int) -> list[dict]:
    """Previous answered turns as role/content text, for follow-up questions."""
    kept = [t for t in turns if t.kind in (TurnKind.ANSWERED, TurnKind.ABSTAINED)][-max_turns:] if max_turns else []
    return [m for t in kept for m in ({"role": "user", "content": t.question},
                                      {"role": "assistant", "content": t.answer})]


def parse_history(history_json: str | None) -> list[dict]:
    """An API client's history: a JSON list of {"role": "user"|"assistant", "content": str}."""
    try:
        items = json.loads(history_json or "[]")
    except (TypeError, ValueError):
        raise DeskError("history_json 不是有效的 JSON（应为 [{\"role\": …, \"content\": …}] 列表）") from None
    if not isinstance(items, list) or not all(
            isinstance(m, dict) and m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)
            for m in items):
        raise DeskError("history_json 应为消息列表，每条含 role（user/assistant）与 content（文字）")
    return [{"role": m["role"], "content": m["content"]} for m in items[-MAX_HISTORY_MESSAGES:]]


def stream_prefixes(text: str, steps: int) -> Iterator[str]:
    """Ever longer prefixes of `text`, in about `steps` steps, not including the whole text."""
    size = max(2, math.ceil(len(text) / max(steps, 1)))
    for end in range(size, len(text), size):
        yield text[:end]
