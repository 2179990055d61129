"""The chat desk's logic, free of Gradio: ask with bounded history, stream the reply, rate-limit, take one
changeable vote per answer (and, after a 👎, what was wrong)."""

from __future__ import annotations

import json
import logging
import math
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING

from assistant import Answer, Mode
from assistant.settings import DeskContact
from ui.bubble import BubbleRenderer
from ui.feedback import REASONS, FeedbackStore, Rating
from ui.ratelimit import RateLimiter
from ui.render import message_markdown, question_markdown

if TYPE_CHECKING:  # the real import loads Chroma and the embedder; `report-qa --help` must stay fast
    from assistant import Assistant

log = logging.getLogger(__name__)
_VOTES = {Rating.UP: "Like", Rating.DOWN: "Dislike"}  # the Chatbot's own names for 👍 and 👎
_VOTE_FIRST = "请先点击回答下方的 👎，再说明哪里不对。"


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
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])  # the answer's vote key and source anchors
    vote: Rating | None = None


@dataclass(frozen=True)
class Reply:
    """One streaming step: the Chatbot messages (each answer with its own sources) and the chat state after it."""

    messages: list[dict]
    turns: list[Turn]
    done: bool = True


@dataclass(frozen=True)
class Rated:
    """After a 👍/👎 (or taking one back): the chat state with the vote, a status line, and whether to ask
    哪里不对 (the index of the turn a 👎 was given to)."""

    turns: list[Turn]
    status: str
    ask_why: int | None = None


@dataclass(frozen=True)
class DeskOptions:
    rate_limit_per_minute: int = 12  # questions per client IP
    max_history_turns: int = 6  # previous turns passed to the assistant for follow-ups (and accepted by /ask)
    max_history_chars: int = 2000  # per message of an API client's history; the chat trims its own answers
    stream_steps: int = 30
    stream_delay_s: float = 0.03
    queue_size: int = 64  # 50 simultaneous visitors fit (measured: 32 gave 49/150 queue-full errors)
    concurrency: int = 2


class DeskError(Exception):
    """A question the desk turned down or could not answer; the message is safe to show to a visitor."""


class ChatDesk:
    """Answers questions for the web page and the JSON API, one client at a time per rate limit."""

    def __init__(self, assistant: Assistant, feedback: FeedbackStore, options: DeskOptions | None = None,
                 sleep: Callable[[float], None] = time.sleep, contact: DeskContact | None = None) -> None:
        self.assistant = assistant
        self.feedback = feedback
        self.options = options or DeskOptions()
        self.contact = contact or DeskContact()
        self.limiter = RateLimiter(self.options.rate_limit_per_minute)
        self.feedback_limiter = RateLimiter(self.options.rate_limit_per_minute * 2)
        self._sleep = sleep

    def reply(self, question: str, turns: list[Turn], filters: dict | None, client: str) -> Iterator[Reply]:
        """Stream the answer a few characters at a time, then the final answer with its own sources."""
        question = question or ""
        history = history_messages(turns, self.options.max_history_turns, self.options.max_history_chars)
        try:
            answer = self._ask(question, history, filters, client)
        except DeskError as exc:
            turn = Turn(question, str(exc), message_markdown(str(exc)), TurnKind.TURNED_DOWN)
            yield Reply(chat_messages([*turns, turn]), [*turns, turn])
            return
        bubbles = BubbleRenderer(self.assistant.retriever.chunks, self.contact)
        final = _turn_for(answer, bubbles)
        after = [*turns, final]
        for prefix in stream_prefixes(answer.text, self.options.stream_steps):
            partial = replace(final, answer=prefix, shown=bubbles.streaming(answer, prefix))
            yield Reply(chat_messages([*turns, partial]), after, done=False)
            self._sleep(self.options.stream_delay_s)
        yield Reply(chat_messages(after), after)

    def ask_json(self, question: str, history_json: str, client: str) -> dict:
        """The API: the same JSON object as `report-qa ask --json`. Raises DeskError when turned down."""
        history = parse_history(history_json, self.options.max_history_turns, self.options.max_history_chars)
        return self._ask(question, history, None, client).to_json_dict()

    def rate(self, turns: list[Turn], index: int | list | tuple, liked: bool | str, client: str) -> Rated:
        """👍 (liked True), 👎 (False) or taking the vote back ("") on the answer at Chatbot message `index`.

        One answer has one vote: a second click changes it. After a 👎 the desk asks 哪里不对.
        """
        position = index[0] if isinstance(index, (list, tuple)) else index
        is_reply = isinstance(position, int) and position % 2 == 1  # messages alternate question, reply
        at = position // 2 if is_reply else -1
        turn = turns[at] if 0 <= at < len(turns) else None
        if turn is None or turn.kind not in (TurnKind.ANSWERED, TurnKind.ABSTAINED):
            return Rated(turns, "只能对助手的回答进行评价。")
        if not self.feedback_limiter.allow(client):
            return Rated(turns, "反馈过于频繁，请稍后再试。")
        rating = {True: Rating.UP, False: Rating.DOWN}.get(liked) if isinstance(liked, bool) else None
        try:
            if rating is None:
                self.feedback.withdraw(turn.id)
            else:
                self.feedback.vote(turn.id, turn.question, turn.answer, turn.citations, rating)
        except Exception:
            return Rated(turns, _apology("feedback"))
        voted = [*turns[:at], replace(turn, vote=rating), *turns[at + 1:]]
        if rating is None:
            return Rated(voted, "已撤回您的评价。")
        if rating is Rating.UP:
            return Rated(voted, "已记录：👍 有帮助。谢谢！再点一次可撤回。")
        return Rated(voted, "已记录：👎。哪里不对？请选择后提交（可不填说明）。", ask_why=at)

    def explain(self, turns: list[Turn], at: int | None, reason: str, comment: str, client: str) -> tuple[bool, str]:
        """哪里不对 after a 👎: the reason (one of REASONS) and an optional comment, on that answer's vote.

        Returns whether it was stored, and a status line for the visitor.
        """
        turn = turns[at] if at is not None and 0 <= at < len(turns) else None
        if turn is None or turn.vote is not Rating.DOWN:
            return False, _VOTE_FIRST
        if reason not in REASONS:
            return False, f"请选择一项：{'、'.join(REASONS)}。"
        if not self.feedback_limiter.allow(client):
            return False, "反馈过于频繁，请稍后再试。"
        try:
            stored = self.feedback.explain(turn.id, reason, comment or "")
        except Exception:
            return False, _apology("feedback")
        return (True, f"已记录：{reason}。谢谢您帮助我们改进！") if stored else (False, _VOTE_FIRST)

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


def _turn_for(answer: Answer, bubbles: BubbleRenderer) -> Turn:
    if answer.mode == Mode.REFUSED:
        kind = TurnKind.REFUSED
    else:
        kind = TurnKind.ABSTAINED if answer.abstained else TurnKind.ANSWERED
    citations = [c.model_dump() for c in answer.citations]
    turn = Turn(answer.question, answer.text, "", kind, citations)
    return replace(turn, shown=bubbles.final(answer, turn.id))


def chat_messages(turns: list[Turn]) -> list[dict]:
    """The Chatbot value, always rebuilt from the server-side turns (never from what the browser sends)."""
    messages: list[dict] = []
    for turn in turns:
        messages.append({"role": "user", "content": question_markdown(turn.question)})
        messages.append({"role": "assistant", "content": turn.shown})
    return messages


def feedback_values(turns: list[Turn]) -> list[str | None]:
    """The Chatbot's feedback_value: each answer's vote, so a page redraw shows the votes the desk stored."""
    return [_VOTES.get(t.vote) for t in turns]


def history_messages(turns: list[Turn], max_turns: int, max_chars: int) -> list[dict]:
    """Previous answered turns as role/content text, for follow-up questions: the latest `max_turns`, each
    message cut to `max_chars` (a long list answer's head is what a follow-up refers to)."""
    kept = [t for t in turns if t.kind in (TurnKind.ANSWERED, TurnKind.ABSTAINED)][-max_turns:] if max_turns else []
    return [m for t in kept for m in ({"role": "user", "content": t.question[:max_chars]},
                                      {"role": "assistant", "content": t.answer[:max_chars]})]


def parse_history(history_json: str | None, max_turns: int, max_chars: int) -> list[dict]:
    """An API client's history: a JSON list of {"role": "user"|"assistant", "content": str}, of at most
    `max_turns` question-answer pairs of at most `max_chars` characters each; beyond that, a clear refusal."""
    if len(history_json or "") > 2 * max_turns * (6 * max_chars + 64) + 64:  # over the caps even as \uXXXX: not parsed
        raise DeskError(f"对话历史过长：最多 {max_turns} 轮，每条消息最多 {max_chars} 字。")
    try:
        items = json.loads(history_json or "[]")
    except (TypeError, ValueError):
        raise DeskError("history_json 不是有效的 JSON（应为 [{\"role\": …, \"content\": …}] 列表）") from None
    if not isinstance(items, list) or not all(
            isinstance(m, dict) and m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)
            for m in items):
        raise DeskError("history_json 应为消息列表，每条含 role（user/assistant）与 content（文字）")
    if len(items) > 2 * max_turns:
        raise DeskError(f"对话历史过长：最多 {max_turns} 轮（{2 * max_turns} 条消息），收到 {len(items)} 条。")
    longest = max((len(m["content"]) for m in items), default=0)
    if longest > max_chars:
        raise DeskError(f"对话历史中的消息过长：每条最多 {max_chars} 字，收到 {longest} 字。")
    return [{"role": m["role"], "content": m["content"]} for m in items]


def stream_prefixes(text: str, steps: int) -> Iterator[str]:
    """Ever longer prefixes of `text`, in about `steps` steps, not including the whole text."""
    size = max(2, math.ceil(len(text) / max(steps, 1)))
    for end in range(size, len(text), size):
        yield text[:end]
