"""Who or what holds a named thing. Which part of a report it is counted under (高中阶段家庭经济困难学生资助算在
哪一块, under which spending area does the bureau list …): the head of the enumerated item whose list names it
(四是高中教育支出，即…、家庭经济困难学生资助-高中阶段教育资助、…), quoted from the head to the member. Which body a
duty is of: the sentence that opens its duties section (…局是主管…的部门)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.draft import Draft, Span
from ingest.models import Chunk
from ingest.sentences import item_head_bounds, sentence_end

MIN_MEMBER_COVERAGE = 0.5  # the share of the question's words a member must name to be the thing asked about
_MEMBER = re.compile(r"[^、，,；;：:。\n]+")
_MEMBER_LEAD = re.compile(r"^(?:即|包括|包含|含|主要是|主要有)")


def holder_draft(chunks: Sequence[Chunk], coverage: Callable[[str], float]) -> Draft:
    """The head of the item whose enumerated member best names what is asked (`coverage` scores a text against the
    question, 0..1); not found when no member names enough of it or the member is in no item."""
    best: tuple[float, Chunk, int, int] | None = None
    for chunk in chunks:
        for m in _MEMBER.finditer(chunk.text):
            score = coverage(m.group())
            if score >= MIN_MEMBER_COVERAGE and (best is None or score > best[0]):
                best = (score, chunk, m.start(), m.end())
    if best is None:
        return Draft.not_found()
    _, chunk, start, end = best
    floor = chunk.text.rfind("\n", 0, start) + 1
    bounds = item_head_bounds(chunk.text, floor, start)
    if bounds is None or bounds[1] > start:  # in no item, or the member is the head itself
        return Draft.not_found()
    draft = Draft()
    head = chunk.text[bounds[0]:bounds[1]].strip()
    member = chunk.text[start:end].strip()
    # the item's whole sentence: what it lists and its amount
    cited = Span(chunk, chunk.start + bounds[0], chunk.start + sentence_end(chunk.text, end))
    draft.add(f"{head}（其中列有“{_MEMBER_LEAD.sub('', member)}”）{draft.cite(cited)}。")
    return draft


_WHO_IN_CHARGE = re.compile(r"归谁|谁管|谁负责|由谁|哪个(?:部门|单位|机构)|哪(?:一)?家(?:部门|单位)|\bwho\b.*\bresponsible\b|"
                            r"\bwhich\s+(?:department|body|office|unit)\b")
# 市科技局是主管科技工作的政府组成部门: the sentence that says whose duties a duties paragraph lists.
_OWNER = re.compile(r"[^。，；\n]{0,12}?(?:局|委员会|委|办公室|中心)是[^。，；\n]{2,24}?(?:部门|机构|单位)")


def duty_owner(span: Span, lead: str, corpus: Sequence[Chunk]) -> Span | None:
    """The body a duty belongs to, from the opening of its duties section (…局是主管…的部门), or None when the
    sentence (`span`, shown as `lead`) already names a body or its section is no list of duties."""
    chunk = span.chunk
    if "职责" not in chunk.section or _OWNER.search(lead):
        return None
    for other in (c for c in corpus if c.source == chunk.source and c.section == chunk.section):
        m = _OWNER.search(other.text)
        if m:
            owner = Span(other, other.start + m.start(), other.start + m.end())
            inside = other is chunk and span.start <= owner.start < span.end
            return None if inside else owner  # the answer's own sentence already names it
    return None


def asks_who_is_in_charge(norm: str) -> bool:
    """科研诚信这块归谁管, which department is responsible for: the body whose duties these are is asked."""
    return bool(_WHO_IN_CHARGE.search(norm))
