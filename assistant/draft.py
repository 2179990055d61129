"""A draft answer: text with [n] markers, and the exact spans those markers cite."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.models import NOT_FOUND, Answer, Citation, Mode
from ingest.models import Chunk


@dataclass(frozen=True)
class Span:
    """An exact span of a chunk's source text: source_text[start:end]."""

    chunk: Chunk
    start: int
    end: int

    @property
    def quote(self) -> str:
        return self.chunk.text[self.start - self.chunk.start:self.end - self.chunk.start]


@dataclass
class Draft:
    """Built up by an answerer: `cite()` hands out [n] numbers, reusing one for the same span."""

    parts: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    abstained: bool = False
    notice: str = ""
    partial: bool = False  # one of several questions asked at once is not answered by the report

    def cite(self, span: Span) -> str:
        for i, existing in enumerate(self.spans):
            if (existing.chunk.source, existing.start, existing.end) == (span.chunk.source, span.start, span.end):
                return f"[{i + 1}]"
        self.spans.append(span)
        return f"[{len(self.spans)}]"

    @classmethod
    def not_found(cls) -> Draft:
        """The honest abstention: 报告中未找到相关信息, with no citation."""
        draft = cls(abstained=True)
        draft.add(NOT_FOUND)
        return draft

    def add(self, text: str) -> None:
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def to_answer(self, question: str, mode: Mode) -> Answer:
        citations = [Citation(n=i + 1, source=s.chunk.source, section=s.chunk.section,
                              start=s.start, end=s.end, quote=s.quote, page=s.chunk.page)
                     for i, s in enumerate(self.spans)]
        return Answer(question=question, text=self.text, citations=citations,
                      abstained=self.abstained, mode=mode, notice=self.notice)
