"""A figure with the parts the report splits it into: 由哪几部分组成, 哪家最多, and the members of a count."""

from __future__ import annotations

import re

from assistant.draft import Draft
from assistant.figures import MIN_FIGURE_SCORE, Candidate, clause_start, clean_lead, closing, decimal_value
from assistant.question import Question
from ingest.models import Fact


def members_draft(q: Question, figures: list[Candidate]) -> Draft:
    """入库的31家企业是哪些: the names, when the report lists them after the count; else an honest
    abstention that says the report gives only the number."""
    counted = [c for c in figures if c.fact and c.fact.value + c.fact.unit == q.members and c.score >= MIN_FIGURE_SCORE]
    for cand in counted:
        bounds = _parts_span(cand)
        if bounds is not None and bounds[1] < bounds[2]:
            chunk = cand.span.chunk
            draft = Draft()
            end = max(bounds[2], cand.lead_end)  # …（丙公司、丁公司）被认定
            draft.add(f"{clean_lead(chunk.text[bounds[0] - chunk.start:end - chunk.start])}{draft.cite(cand.span)}。")
            return draft
    draft = Draft.not_found()
    if counted:
        draft.notice = "报告只给出了数量，没有列出具体名单。"
    return draft


def _parts_span(cand: Candidate) -> tuple[int, int, int] | None:
    """Source offsets (start, parts start, end) of a figure with the parts the report splits it into, or None.

    项目支出…万元（其中：本级…123.9万元，…325.44万元）: the figure and its bracket. 总支出623.97万元，其中：
    基本支出…，项目支出…: the figure to the end of its sentence. An item inside such a bracket
    (甲公司200万元) stands for the bracket and the total before it.
    """
    chunk, base = cand.span.chunk, cand.span.chunk.start
    text = chunk.text
    s_start, s_end = cand.span.start - base, cand.span.end - base
    start, end = cand.lead_start - base, cand.lead_end - base
    if start < 0:
        return None
    opened = text.rfind("（", s_start, start)
    if opened != -1 and text.rfind("）", s_start, start) < opened:  # the figure is itself a part
        close = closing(text, opened, s_end)
        return (clause_start(text, s_start, opened) + base, opened + base, close + base) if close else None
    after = cand.fact.end - base if cand.fact else end
    named = re.match(r"[^，,。；;：:（(）)]{0,6}[（(]", text[after:s_end])  # 2家企业（丙公司、丁公司）
    if named:
        opened = after + named.end() - 1
        close = closing(text, opened, s_end)
        return (start + base, opened + base, close + base) if close else None
    rest = text[end:s_end]
    if re.match(r"[，,]?\s*(?:其中|包括|包含|含|分别|具体为)|[：:]", rest):
        return start + base, end + base, s_end + base
    return None


def parts_draft(q: Question, figures: list[Candidate]) -> Draft | None:
    """由哪几部分组成 / 各是多少 / 哪家贷得多: the best figure with the parts it is split into, cited.

    For a comparison, the largest (or smallest) part is named; no figure is computed, so every
    figure in the answer is one the cited sentence states.
    """
    if not figures or figures[0].score < MIN_FIGURE_SCORE:
        return None
    for cand in figures[:8]:
        if cand.score < 0.8 * figures[0].score:
            break
        bounds = _parts_span(cand)
        if bounds is None:
            continue
        chunk = cand.span.chunk
        start, parts_start, end = bounds
        unit = cand.fact.unit if cand.fact else ""
        parts = [f for f in chunk.facts if parts_start <= f.start and f.end <= end and f.unit == unit]
        if len(parts) < 2:
            continue
        text = chunk.text[start - chunk.start:end - chunk.start]
        draft = Draft()
        draft.add(f"{clean_lead(text)}{draft.cite(cand.span)}。")
        if q.compare:
            named = _extreme(parts, q.compare)
            if named is not None:
                word = "最多" if q.compare == "max" else "最少"
                draft.add(f"\n其中{word}的是：{clean_lead(named.clause.strip('、，,（('))}{draft.cite(cand.span)}。")
        return draft
    return None


def _extreme(parts: list[Fact], direction: str) -> Fact | None:
    """The one part with the largest (or smallest) value; None on a tie or a malformed figure."""
    valued = [(v, f) for f in parts if (v := decimal_value(f.value)) is not None]
    if len(valued) < 2 or len(valued) != len(parts):
        return None
    valued.sort(key=lambda vf: vf[0], reverse=direction == "max")
    if valued[0][0] == valued[1][0]:
        return None
    return valued[0][1]
