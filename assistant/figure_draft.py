"""A figure answer: the best figure with its words, and the runner-up that restates the same quantity."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from assistant.draft import Draft
from assistant.figures import Candidate
from vectorstore.tokenize import bigrams

RESTATED_SHARE = 0.5  # the same figure elsewhere, at half the best score or more, is cited as well


def figure_draft(cands: list[Candidate]) -> Draft:
    draft = Draft()
    best = cands[0]
    draft.add(f"{best.lead}{draft.cite(best.span)}。")
    shown = 0
    for other in cands[1:6]:
        if shown == 2 or other.span == best.span:
            continue
        # Reports state one quantity in two places, sometimes two ways (增长8.33% / 同比增长8.3%):
        # show the close runner-up for the same quantity, and the other place a figure is restated.
        same_quantity = other.label and best.label and (other.label in best.label or best.label in other.label) \
            and not _of_another(other, best)
        restated = _same_figure(other, best) and other.score >= RESTATED_SHARE * best.score
        if restated or (same_quantity and other.score >= 0.9 * best.score):
            draft.add(f"\n另：{other.lead}{draft.cite(other.span)}。")
            shown += 1
    return draft


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
