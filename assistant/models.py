"""The typed answer that leaves the assistant: text, [n] citations, abstention flag and mode."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


class Mode(str, Enum):
    EXTRACTIVE = "extractive"
    LLM = "llm"
    LLM_FALLBACK = "llm_fallback"  # the LLM failed or was not trusted; the extractive answer is shown
    REFUSED = "refused"  # the question itself was rejected (empty, too long)


class Citation(BaseModel):
    n: int
    source: str
    section: str
    start: int
    end: int
    quote: str  # == source text[start:end]
    page: int = 0  # the PDF page the cited passage starts on; 0 for a file without pages


class Answer(BaseModel):
    question: str
    text: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    mode: Mode = Mode.EXTRACTIVE
    notice: str = ""  # e.g. why the LLM answer was replaced
    rewritten_question: str = ""  # the standalone question after a follow-up rewrite
    latency_ms: float = 0.0

    def to_json_dict(self) -> dict:
        """The `report-qa ask --json` object."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.model_dump() for c in self.citations],
            "mode": self.mode.value,
            "latency_ms": round(self.latency_ms, 1),
        }


class QuestionError(ValueError):
    """The question cannot be asked as given (empty, too long); the message says why."""


NOT_FOUND = "报告中未找到相关信息。"
