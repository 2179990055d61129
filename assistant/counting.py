"""What a question counts: the counter it asks in (几家 → 家, 多少企业 → 家) and, in English, the words of what it counts
(how many deputy directors → deputy, directors)."""

from __future__ import annotations

import re

from assistant import lexicon

# 几家, 多少人: the counter; not 多少项目资金
_COUNT_UNIT = re.compile(r"(?:多少|几)\s*([家个名人项条笔次所届期批户篇件座辆台套场份张本门处回])(?![目件例单称字庭乡])")
# 多少企业 counts firms even with no counter word; the noun says which counter the report uses.
_COUNT_NOUN = re.compile(r"(?:多少|几)\s*(?:个|家|名|位)?(企业|公司|单位|人员|人|编制|博士|专家|特派员|机构|项目|平台|载体)"
                         r"(?![资经支款费金奖补])")  # 多少项目资金 asks for money
_NOUN_COUNTER = {"企业": "家", "公司": "家", "单位": "个", "人员": "人", "人": "人", "编制": "人", "博士": "名", "专家": "名",
                 "特派员": "名", "机构": "个", "项目": "", "平台": "", "载体": ""}
# 多少脱贫户, 几个行政村: a noun whose last character is its counter counts households, villages, towns.
_COUNTED_BY_TAIL = re.compile(r"(?:多少|几)\s*(?:个)?[\u4e00-\u9fff]{1,4}?([户村镇乡])(?![资经支款费金奖补均])")
_TAIL_COUNTER = {"户": "户", "村": "个", "镇": "个", "乡": "个"}
_COUNT_EN = re.compile(r"how many\s+(?:of\s+(?:the\s+|its\s+|these\s+)?(?:\d+\s+)?)?([a-z-]+)")  # of the 33 villages


def asks_a_count(norm: str) -> bool:
    """多少家, 几名, 多少企业, how many: the question asks for a count."""
    return bool(_COUNT_UNIT.search(norm) or _COUNT_NOUN.search(norm) or _COUNTED_BY_TAIL.search(norm)
                or re.search(r"how many", norm))


def count_unit(norm: str) -> str:
    """The counter a count question asks in (家, 人, 个), or ''."""
    m = _COUNT_UNIT.search(norm)
    if m:
        return m.group(1)
    m = _COUNT_NOUN.search(norm)
    if m:
        return _NOUN_COUNTER[m.group(1)]
    m = _COUNTED_BY_TAIL.search(norm)
    if m:
        return _TAIL_COUNTER[m.group(1)]
    return lexicon.ENGLISH_COUNTERS.get(counted_noun(norm), "")


def counted_noun(norm: str) -> str:
    """How many deputy directors → deputy: the English noun a question counts (its first word), or ''."""
    m = _COUNT_EN.search(norm)
    return m.group(1) if m else ""


def counted_words(norm: str) -> list[str]:
    """How many spliced display screens and host workstations → [spliced, display, screens]: the words an English
    question counts, up to its verb, preposition or 'and' (at most four), or []."""
    m = _COUNTED_PHRASE.search(norm)
    return re.findall(r"[a-z]+", m.group(1))[:4] if m else []  # municipal-level: municipal, level


def measured_words(norm: str) -> list[str]:
    """How much government debt did the town owe → [government, debt]: the words of what an English question asks
    an amount of, up to its auxiliary (at most four), or [] (how much did the bureau spend names none)."""
    m = _MEASURED_PHRASE.search(norm)
    return re.findall(r"[a-z]+", m.group(1))[:4] if m else []


_COUNTED_PHRASE = re.compile(r"how many\s+(?:of\s+(?:the\s+|its\s+|these\s+)?(?:\d+\s+)?)?"
                             r"((?:(?!(?:are|were|is|was|do|does|did|have|has|had|will|"
                             r"would|can|could|in|of|at|for|on|to|from|by|with|there|that|which|who|and|or)\b)"
                             r"[a-z-]+\s*)+)")
# (only a phrase its auxiliary closes: how much funding actually arrived names no thing by its last word)
_MEASURED_PHRASE = re.compile(r"how much\s+((?:[a-z-]+\s+){1,4}?)(?:did|does|do|was|were|is|are|has|have|had|will|would|"
                              r"can|could)\b")


def asked_words(norm: str) -> list[str]:
    """What make and model are the cars → [make, model]: the words of the thing an English what/which question
    asks for, before its verb (at most three), less 'and'/'or'; [] when none."""
    m = _ASKED_PHRASE.search(norm)
    return [w for w in re.findall(r"[a-z-]+", m.group(1)) if w not in ("and", "or")][:3] if m else []


_ASKED_PHRASE = re.compile(r"\b(?:what|which)\s+((?:(?!(?:are|were|is|was|do|does|did|have|has|had|will|would|can|"
                           r"could|in|of|at|for|on|to|from|by|with|the|a|an|its|their|this|that|there)\b)[a-z-]+\s+){1,3})"
                           r"(?:are|were|is|was|do|does|did|have|has|had)\b")


PERSON_COUNTERS = frozenset("人名位户")  # how many staff: a headcount, whatever word names the people
_COUNTER = re.compile(r"[个台座套辆间张口块所家名项处条栋幢]")
_COUNTED_THING = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?=[、，,。；;（(\s]|以及|和|及|\d)")
_ITEM_CLOSED = re.compile(r"(?:、|以及|和|及)$")


def is_counter(unit: str) -> bool:
    """台, 个, 座: a word a count of things is written in."""
    return bool(_COUNTER.fullmatch(unit))


def counted_thing(after: str, unit: str) -> re.Match | None:
    """174台拼接屏、…: what a count in `unit` counts, when the words right after it (`after`, up to its sentence's end)
    name it before a break (group 1), else None."""
    return _COUNTED_THING.match(after) if is_counter(unit) else None


def closes_an_item(before: str) -> bool:
    """拼接屏、 before 30台: the words before a count close the list item before it, so they are not its own."""
    return bool(_ITEM_CLOSED.search(before.rstrip()))
