"""A question that names no body, with several bodies' reports stored: which bodies' reports could answer it,
and the reply that asks which one is meant (never one body's figure picked silently, never bodies mixed)."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.draft import Draft
from assistant.models import Answer, Mode
from assistant.question import Question
from ingest.models import Chunk


def bodies_answering(q: Question, draft: Draft, chunks: Iterable[Chunk],
                     reports: Iterable[tuple[str, int | None]]) -> list[str]:
    """The bodies cited, and every other body whose report holds all of the question's subject terms (总支出 is
    in every report; one firm's loan product in one). A question with no subject of its own (存在哪些问题？)
    could be answered by every report."""
    cited = list(dict.fromkeys(s.chunk.department or s.chunk.title for s in draft.spans))
    terms = [t for t in q.terms if not t.isascii()] or [f for forms in q.expanded.values() for f in forms[:1]]
    if not terms:
        return list(dict.fromkeys(cited + sorted({d for d, _ in reports if d})))
    holding: dict[str, set[str]] = {}
    for chunk in chunks:
        found = holding.setdefault(chunk.department or chunk.title, set())
        found.update(t for t in terms if t in chunk.text)
    return list(dict.fromkeys(cited + sorted(b for b, found in holding.items() if len(found) == len(terms))))


def which_report(question: str, mode: Mode, bodies: list[str], stored: int) -> Answer:
    """Ask which body is meant, listing the candidates."""
    listed = "、".join(bodies[:5])
    more = f"等（库中共 {stored} 个单位的报告）" if stored > len(bodies[:5]) else ""
    text = (f"库中有多个单位的报告，这个问题在{listed}{more}的报告里都有相关内容。请问您问的是哪个单位？"
            f"可在问题中写明单位名称（如“{bodies[0]}……”），或在上方选择报告后再问。")
    return Answer(question=question, text=text, abstained=True, mode=mode,
                  notice="问题未指明部门，为免混淆不同单位的数字，请先指明单位。")
