"""The cost items a money question names (燃料费, 公务接待费, fuel → 燃料费): the figure that answers is stated of one
of them. A stem that only qualifies an amount (实际支出, 总支出) names no item. And the compounds a question names
(普通教育), which a figure's sentence must name."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant import lexicon
from assistant.asks import Intent, UnitKind
from assistant.question import Question
from vectorstore.tokenize import normalise


def named_items(q: Question, in_corpus: Callable[[str], bool]) -> list[str]:
    """The cost items a money question names that the reports name too, in the reports' words."""
    if q.unit is not UnitKind.MONEY or q.intent is not Intent.FIGURE:
        return []  # (维护费主要花在哪些方面 asks what it was spent on: the answer need not name it)
    named = q.expanded.values() if q.english else [(t,) for t in q.terms]
    return [normalise(form) for forms in named for form in forms if len(form) >= 3
            and form.endswith(lexicon.ITEM_SUFFIXES) and in_corpus(form) and not qualifies_amount(form)]


def qualifies_amount(term: str) -> bool:
    """实际支出, 总支出, 整体支出: the stem says which amount, not which item (lexicon amount_qualifiers, amount_kinds,
    generic words)."""
    stem = term[: len(term) - len(next(s for s in lexicon.ITEM_SUFFIXES if term.endswith(s)))]
    asks = {w for entry in lexicon.AMOUNT_KINDS.values() for w in entry["asks"]}
    return (len(stem) < 2 or stem in lexicon.GENERIC or stem in lexicon.QUANTIFIERS or stem in asks
            or stem in lexicon.AMOUNT_QUALIFIERS)


_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def compounds(terms: Sequence[str], in_corpus: Callable[[str], bool]) -> list[str]:
    """The Chinese compounds of four characters or more among a question's terms that the reports name too
    (其他普通教育支出 → 普通教育): what a figure must be of."""
    return [t for t in terms if len(t) >= 4 and _CJK_ONLY.fullmatch(t) and in_corpus(t)]


def asked_things(q: Question) -> list[tuple[str, ...]]:
    """The report-side forms of each thing a question names (教师, 培训; an English word's glossary forms)."""
    return [q.expanded.get(t, ()) if q.english and t.isascii() else (t, *q.expanded.get(t, ())) for t in q.terms]


_COUNTED = re.compile(r"(?:多少|几)\s*[个家名项所座台辆套间张口棵块户位批条处]\s*([\u4e00-\u9fff]{2,8})")


def counted_in(norm: str) -> str:
    """多少个展区 → 展区…, 几台拼接屏 → 拼接屏…: the words after a question's counter; '' when it counts no noun."""
    m = _COUNTED.search(norm)
    return m.group(1) if m else ""


def names_counted(counted: str, label: str, after: str) -> bool:
    """分为七个方面 (or 行政村33个) names 方面, what 分成了几个方面 counts: two characters in a row of the counted
    words (省级自然基金项目: 自然, 项目…) label the figure, or the figure's next words start with them."""
    label, after = normalise(label), normalise(after)
    pairs = {counted[i:i + 2] for i in range(len(counted) - 1)}
    return any(p in label for p in pairs) or any(after.startswith(p) for p in pairs)


def counted_end(after: str, counted: str, forms: Sequence[str]) -> int:
    """How far the noun counted after a figure runs (174台拼接屏: 拼接, then 屏, both asked)."""
    end = len(counted)
    while nxt := max((f for f in forms if f and after.startswith(f, end)), key=len, default=""):
        end += len(nxt)
    return end
