"""A figure answer: the best figure with its words, and the runner-up that restates the same quantity."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from assistant.draft import Draft
from assistant.figures import Candidate
from ingest.structure import unmarked
from vectorstore.tokenize import bigrams

SECTION_NAME_CHARS = 24  # a section named beside its figure is named in full, or not at all
RESTATED_SHARE = 0.5  # the same figure elsewhere, at half the best score or more, is cited as well


def figure_draft(cands: list[Candidate]) -> Draft:
    draft = Draft()
    best = cands[0]
    lines = [(best, "")]
    for other in cands[1:6]:
        if len(lines) == 3 or other.span == best.span:
            continue
        # Reports state one quantity in two places, sometimes two ways (增长8.33% / 同比增长8.3%):
        # show the close runner-up for the same quantity, and the other place a figure is restated.
        same_quantity = other.label and best.label and (other.label in best.label or best.label in other.label) \
            and not _of_another(other, best)
        restated = _same_figure(other, best) and other.score >= RESTATED_SHARE * best.score
        if restated or (same_quantity and other.score >= 0.9 * best.score):
            lines.append((other, "\n另："))
    # 收入总计0万元 under 政府性基金, 收入总计1,867.48万元 under 一般公共预算: one label in two sections is said with each
    # figure's section, so neither reads as the other's
    named = len({c.figure for c, _ in lines}) > 1 and len({c.span.chunk.section for c, _ in lines}) > 1
    for cand, lead_in in lines:
        where = _section_named(cand) if named else ""
        draft.add(f"{lead_in}{f'（{where}）' if where else ''}{cand.lead}{draft.cite(cand.span)}。")
    return draft


def _section_named(cand: Candidate) -> str:
    """（二）政府性基金预算收支情况 → 政府性基金预算收支情况: a figure's section by its words; '' when they hold a
    figure (an answer states only the figures its citations hold) or run long."""
    words = unmarked(cand.span.chunk.section.rsplit("›", 1)[-1].strip())
    return words if len(words) <= SECTION_NAME_CHARS and not any(ch.isdigit() for ch in words) else ""


def _of_another(a: Candidate, b: Candidate) -> bool:
    """完成年初预算的0% of 因公出国(境)费 and 完成年初预算的96.33% of the whole: one label, two subjects."""
    return bool(a.fact and b.fact and a.fact.of and b.fact.of and a.fact.of != b.fact.of)


def _same_figure(a: Candidate, b: Candidate) -> bool:
    """623.97万元 == 623.97万元; 8.33% restates 8.3% (one rounded to fewer places), when their labels agree."""
    if a.figure == b.figure:
        return True
    if not (a.fact and b.fact) or a.fact.unit != b.fact.unit:
        return False
    x, y = decimal_value(a.fact.value), decimal_value(b.fact.value)
    if x is None or y is None or x == y:
        return x is not None and x == y
    short, long_ = (x, y) if -x.as_tuple().exponent < -y.as_tuple().exponent else (y, x)
    places = -short.as_tuple().exponent
    rounds = long_.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == short
    shared = set(bigrams(a.label)) & set(bigrams(b.label))
    return rounds and places >= 1 and bool(shared or a.label in b.label or b.label in a.label)


def decimal_value(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value.count(".") <= 1 else None
    except InvalidOperation:
        return None
