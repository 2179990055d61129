"""What kind of thing a question asks for when it asks for neither a figure nor a subject: a reason, a date, a
purpose, a place (assistant/knowledge/slots.toml); and whether a text states one, or a figure in a measure."""

from __future__ import annotations

import re
from functools import cache

from assistant import lexicon
from assistant.knowledge import load

DATE = re.compile(r"(?:19|20)\d{2}\s*年度?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|(?:19|20)\d{2}[-./]\d{1,2}(?:[-./]\d{1,2})?|"
                  r"[〔\[［(（](?:19|20)\d{2}[〕\]］)）]|"  # and a document number's year: 某委〔2010〕4号
                  r"(?<!\d)\d{1,2}\s*月\s*\d{1,2}\s*[日号]")  # and a day of the year the report is of: 3月10日前


HOLDER = "holder"  # which part a named thing is counted under (算在哪一块): the slot its own answerer reads

_ACCOUNTS_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度(?!\s*\d{1,2}\s*月)")


@cache
def _slots() -> dict[str, tuple[re.Pattern, re.Pattern | None, bool]]:
    """name → (question cue, answer words or None for a date, whether the rules' answers are checked too)."""
    return {name: (re.compile(entry["question"]), re.compile(entry["answer"]) if "answer" in entry else None,
                   entry.get("rules", True)) for name, entry in load("slots").items()}


def asked_slot(norm: str) -> str:
    """为什么 → reason, 什么时候成立 → date, 用来干什么 → purpose, 在什么地方 → place; '' for anything else."""
    return next((name for name, (cue, _, _) in _slots().items() if cue.search(norm)), "")


def asks_a_name(slot: str) -> bool:
    """Whether the slot asks for a name however it is asked (文号是多少 → 衡委〔2010〕4号): no figure is asked."""
    return bool(slot) and slot in _named()


def asks_no_figure(slot: str) -> bool:
    """Whether the slot asks for no figure (文号是多少, 那笔钱是什么来源): the money or number it names is no unit."""
    return asks_a_name(slot) or (bool(slot) and not load("slots")[slot].get("figure", True))


@cache
def _named() -> frozenset[str]:
    return frozenset(name for name, entry in load("slots").items() if entry.get("named", False))


def slot_words(norm: str, slot: str) -> list[str]:
    """The words that ask for the slot (什么时候, 用来干什么): how the question asks, not what about."""
    return [m.group(0) for m in _slots()[slot][0].finditer(norm)] if slot else []


def answers_slot(text: str, slot: str, by_rules: bool = False) -> bool:
    """Whether a text can answer what the slot asks for: it gives a reason, a date, a purpose or a place."""
    if not slot:
        return True
    _, words, rules = _slots()[slot]
    if by_rules and not rules:
        return True
    if words is None:  # 哪年买的: 2022年度 is the year the accounts are of, no date anything was done
        return states_date(_ACCOUNTS_YEAR.sub("", text))
    return any(not _in_listed_name(text, m) for m in words.finditer(text))


_CLAUSE_BREAK = re.compile(r"[，,；;。：:\n]")
_NAME_ENDS = re.compile(r"^[^，,；;。：:\n]{0,12}?(?:、|等|合计|共计|\d[\d.,]*\s*(?:万元|亿元|千元|元))")


def _in_listed_name(text: str, m: re.Match) -> bool:
    """Whether a slot's word is part of one name in a list (…、教育结余用于项目建设等合计3624.71万元), which
    states no purpose of what is asked about: listed before it with 、 in its clause, and ended by 、 or 等 after, or
    by the list's amount (…、教育结余用于项目建设经费4194.23万元)."""
    before = _CLAUSE_BREAK.split(text[:m.start()])[-1]
    return "、" in before and bool(_NAME_ENDS.match(text[m.end():]))


def states_date(text: str) -> bool:
    """Whether a text states a date or a year (2019年2月, 2021-12-18)."""
    return bool(DATE.search(text))


def states_measure(text: str, measure: str) -> bool:
    """Whether `text` states a figure counted in `measure` (300米, 三所); people are counted in 人, 名 or 位."""
    words = "人|名|位" if measure in ("人", "名", "位") else re.escape(measure)
    forms = "|".join(re.escape(f) for f in lexicon.MEASURE_FORMS.get(measure, ()))
    return bool(re.search(rf"[\d一二三四五六七八九十两百千]\s*(?:{words})", text)
                or forms and re.search(rf"\d\s*(?:{forms})(?![a-zA-Z²³])", text))
