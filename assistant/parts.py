"""A figure with the parts the report splits it into: 由哪几部分组成, 哪家最多, and the members of a count."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from assistant.draft import Draft, Span
from assistant.figure_draft import decimal_value
from assistant.figures import MIN_FIGURE_SCORE, Candidate
from assistant.kinds import stated_kind
from assistant.leads import clause_start, clean_lead, closing
from assistant.question import Question
from assistant.slots import states_measure
from assistant.verify import unsupported_numbers
from ingest.models import Fact

MIN_SHARE_SCORE = MIN_FIGURE_SCORE  # a run of shares answers a composition only when it speaks of what was asked


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
        listed = _listed_before(cand)
        if listed is not None:  # 内设办公室、计划财务科、…、法制安全生产监督管理科7个内设机构
            draft = Draft()
            chunk = cand.span.chunk
            draft.add(f"{clean_lead(chunk.text[listed:cand.lead_end - chunk.start])}{draft.cite(cand.span)}。")
            return draft
    draft = Draft.not_found()
    if counted:
        draft.notice = "报告只给出了数量，没有列出具体名单。"
    return draft


def _listed_before(cand: Candidate) -> int | None:
    """Where the count's own clause starts (in its chunk's text) when it lists, just before its number, as many
    names apart by 、 as it counts; None otherwise. Its clause, not its lead: a bracket cuts the lead."""
    fact, text, base = cand.fact, cand.span.chunk.text, cand.span.chunk.start
    number = text.rfind(fact.value, fact.start - base, fact.end - base)
    if number < 0 or not fact.value.isdigit():
        return None
    start = clause_start(text, cand.span.start - base, number)
    before = text[start:number]
    return start if "、" in before and len(before.split("、")) == int(fact.value) else None


def shares_draft(figures: list[Candidate], sentence_score: Callable[[str], float]) -> Draft | None:
    """由哪几块组成，各占多大比重: the run of clauses that states two shares or more (…中，A占88.19%；B占11.81%), when
    it speaks of what was asked (`sentence_score` of its text at MIN_SHARE_SCORE or more); else None. Its whole
    is often named only in its head (“三公”经费支出决算中), which no share's own words repeat."""
    shares = sorted({(c.span.chunk.id, c.span.start, c.span.end): c for c in figures
                     if c.fact is not None and c.fact.unit == "%" and stated_kind(c.fact.label) == "share"}.values(),
                    key=lambda c: (c.span.chunk.id, c.span.start))
    runs: list[list[Candidate]] = []
    for c in shares:  # clauses apart by ；are one run when each starts where the one before ends
        if runs and runs[-1][-1].span.chunk.id == c.span.chunk.id and runs[-1][-1].span.end == c.span.start:
            runs[-1].append(c)
        else:
            runs.append([c])
    spans = [Span(run[0].span.chunk, run[0].span.start, run[-1].span.end) for run in runs if len(run) >= 2]
    ranked = sorted(((sentence_score(span.quote), span) for span in spans), key=lambda ss: -ss[0])
    if not ranked or ranked[0][0] < MIN_SHARE_SCORE:
        return None
    best = ranked[0][1]
    draft = Draft()
    draft.add(f"{clean_lead(best.quote)}{draft.cite(best)}。")
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
    """由哪几部分组成 / 各是多少 / 哪家贷得多 / 哪项支出最多: the best figure with the parts it is split into, cited.

    For a comparison, the parts of the first level (基本支出 and 项目支出 of 总支出, not the parts of 基本支出 in its
    brackets) are compared by code and the largest (or smallest) is named, each part cited at its own words; no
    figure is computed, so every figure in the answer is one its citation states. A question that asks for the
    largest part (`Question.ranks`) is answered only when the parts can be compared.
    """
    if not figures or figures[0].score < MIN_FIGURE_SCORE:
        return None
    for whole in _wholes(q, figures):
        chunk = whole.cand.span.chunk
        draft = Draft()
        text = chunk.text[whole.start - chunk.start:whole.end - chunk.start]
        draft.add(f"{clean_lead(text)}{draft.cite(whole.cand.span)}。")
        if q.compare in ("max", "min") and not _add_extreme(draft, whole, q.compare) and q.ranks:
            continue
        return draft
    return None


@dataclass(frozen=True)
class _Whole:
    """A stated figure and the parts the report splits it into, at source offsets."""

    cand: Candidate  # the best-scoring figure that reads as this whole (it or one of its parts)
    start: int
    parts_start: int
    end: int
    first_level: tuple[Fact, ...]  # its parts in its unit, not those inside a part's own brackets


def _wholes(q: Question, figures: list[Candidate]) -> list[_Whole]:
    """The wholes with two parts or more among the best figures, best first. A whole that ties with one it is a part
    of (总支出 and its 基本支出, both named by 支出) goes after it: the question names the wider one as well."""
    found: dict[tuple, _Whole] = {}
    for cand in figures[:8]:
        if cand.score < 0.8 * figures[0].score:
            break
        bounds = _parts_span(cand)
        if bounds is None or bounds in found:
            continue
        chunk = cand.span.chunk
        start, parts_start, end = bounds
        unit = cand.fact.unit if cand.fact else ""
        if q.measure and not states_measure(f"1{unit}", q.measure):
            continue  # 哪个得分最低 is not answered by amounts of money
        parts = tuple(f for f in chunk.facts if parts_start <= f.start and f.end <= end and f.unit == unit)
        if len(parts) < 2:
            continue
        found[bounds] = _Whole(cand, start, parts_start, end, _first_level(chunk.text, chunk.start, parts_start, parts))
    best = max((w.cand.score for w in found.values()), default=0.0)

    def order(whole: _Whole) -> tuple[int, float]:
        tied = whole.cand.score >= best - _TIE
        return (0, -(whole.end - whole.start)) if tied else (1, -whole.cand.score)

    return sorted(found.values(), key=order)


_TIE = 0.02  # scores this close are one reading of the question


def _first_level(text: str, base: int, parts_start: int, parts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """The parts outside any bracket opened after the parts begin (inside the whole's own bracket, if it has one)."""
    inner = parts_start + (1 if text[parts_start - base] in "（(" else 0)
    out = []
    for fact in parts:
        before = text[inner - base:fact.start - base]
        if before.count("（") + before.count("(") == before.count("）") + before.count(")"):
            out.append(fact)
    return tuple(out)


def _add_extreme(draft: Draft, whole: _Whole, direction: str) -> bool:
    """其中最多的是：…[n], then 其余为：…[m] on a line of its own. False (and nothing added) when the parts cannot
    be compared: fewer than two, or a figure that cannot be read from its own words."""
    chunk = whole.cand.span.chunk
    valued = []
    for fact in whole.first_level:
        span = _own_words(chunk, fact)
        value, said = _readable(fact, span.quote)
        if value is None:
            return False  # a part left out would make the named one no more the largest of them
        valued.append((value, said, span))
    if len(valued) < 2:
        return False
    valued.sort(key=lambda v: v[0], reverse=direction == "max")
    top = [v for v in valued if v[0] == valued[0][0]]
    rest = valued[len(top):]
    word = "最多" if direction == "max" else "最少"
    lead = f"其中{word}的是：" if len(top) == 1 else f"其中并列{word}的是："
    line = lead + "、".join(f"{said}{draft.cite(span)}" for _, said, span in top)
    if rest:
        line += "。\n其余为：" + "、".join(f"{said}{draft.cite(span)}" for _, said, span in rest)
    draft.add(f"\n{line}。")
    return True


def _own_words(chunk, fact: Fact) -> Span:
    """The part's label and figure, without the 、 or 包含 before it."""
    quote = chunk.text[fact.start - chunk.start:fact.end - chunk.start]
    said = clean_lead(quote)
    offset = max(quote.find(said), 0)
    return Span(chunk, fact.start + offset, fact.start + offset + len(said))


def _readable(fact: Fact, quote: str) -> tuple[Decimal | None, str]:
    """The part's value and its words as the answer says them. A malformed figure (449.34.34万元) is read as its
    leading number only when the cited words state that number (the verifier's own check), and says so."""
    said = clean_lead(quote)
    value = decimal_value(fact.value)
    if value is not None:
        return value, said
    leading = re.match(r"\d+(?:\.\d+)?", fact.value)
    if leading is None or unsupported_numbers(leading.group(0), [quote]):
        return None, said
    return Decimal(leading.group(0)), f"{said}（原文数字如此，疑有笔误，按{leading.group(0)}比较）"
