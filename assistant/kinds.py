"""What kind of percentage or amount a question asks for and a figure states (lexicon percent_kinds, amount_kinds):
a share, a change, a completion; a budget or an outturn."""

from __future__ import annotations

import re

from assistant import lexicon
from assistant.matching import norm_text
from assistant.question import Question
from ingest.models import Fact


def percent_kind(q: Question) -> str:
    """What kind of percentage a question asks for (share, change, done: lexicon percent_kinds); '' for none or
    several."""
    asked = asked_kinds(lexicon.PERCENT_KINDS, q)
    if asked == ["share", "done"] and _OF_A_BUDGET.search(q.norm):
        return "done"  # what percentage of its initial budget did it spend: the share of a budget spent is its rate
    return asked[0] if len(asked) == 1 else ""


_OF_A_BUDGET = re.compile(r"(?:percentage|percent|share|proportion) of (?:its |the )?(?:[\w'\"“”‘’-]+ ){0,5}budget|"
                          r"占(?:年初)?预算")


def asked_rate(q: Question) -> str:
    """满意度是百分之多少 → 满意: the stem of a rate the question names that is none of the kinds above (a
    satisfaction, a pass or a coverage rate); a percentage of some other rate does not answer it."""
    if q.english or percent_kind(q):
        return ""
    m = _RATE_NOUN.search(q.norm)
    return m.group(1) if m else ""


_RATE_NOUN = re.compile(r"([\u4e00-\u9fff]{2})[率度](?:是|为|有|达到|达|能)?(?:百分之|多少|几|怎么样|咋样|如何|高不高)")


def asked_kind(kinds: dict, q: Question) -> str:
    """The one kind of a table (lexicon percent_kinds, amount_kinds) whose words the question uses; '' for none or
    several."""
    asked = asked_kinds(kinds, q)
    return asked[0] if len(asked) == 1 else ""


def asked_kinds(kinds: dict, q: Question) -> list[str]:
    return [k for k, entry in kinds.items() if any(w in q.norm for w in entry["asks"])]


def stated_kind(label: str) -> str:
    """What kind of percentage a figure's label states it as (占 → share, 下降 → change), else ''."""
    return next((k for k, entry in lexicon.PERCENT_KINDS.items() if label.endswith(tuple(entry["labels"]))), "")


def asked_amount(q: Question) -> str:
    """Whether a question asks for a budget or an outturn (lexicon amount_kinds); '' for neither or both."""
    return asked_kind(lexicon.AMOUNT_KINDS, q)


def stated_amount(label: str) -> str:
    """What kind of amount a figure's label states it as (年初预算 → budget, 支出决算 → actual), else ''."""
    label = re.sub(r"[为是:：]$", "", norm_text(label))
    return next((k for k, entry in lexicon.AMOUNT_KINDS.items() if label.endswith(tuple(entry["labels"]))), "")


def is_change(fact: Fact) -> bool:
    """Whether an amount is stated as a change (支出决算减少17,993元, 比上年增加5万元), not as a level."""
    return stated_kind(fact.label) == "change" or bool(relation(fact))


def relation(fact: Fact) -> str:
    """The kind of change a relative figure states (its label is a relation word: 增长, 比上年增长), or ''."""
    return re.sub(r"^(?:比上年|较上年|同比|完成|为)", "", fact.label) if fact.of else ""  # 比上年增长 is 增长
