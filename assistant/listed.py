"""Sums and their parts. A figure labelled by a list (加上托底保障补助、结算补助、专项转移支付补助…等1,756.37万元;
新建村内道路、连通道路32.63公里) is the sum of the list, never one member's amount, unless 分别 pairs them off: a
question that names one member only is not answered with it. A figure stated after 其中 (其中，基本支出为…) is a part:
a question that does not name it asks for the whole."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from assistant import lexicon
from assistant.matching import norm_text

_LISTED_TOTAL = re.compile(r"(?:^|(?<=[，,。；;:：（(\s]))((?:[^、，,。；;:：（()）\d]{2,24}、)+[^、，,。；;:：（()）\d]{2,24}?)"
                           r"(等?(?:分别|共计|合计|总计|共|计|为|达|约)*)\d[\d,]*(?:\.\d+)?\s*\S{0,2}$")


def one_member_of_a_sum(forms: Iterable[str], stated: str, own: Iterable[str] = ()) -> bool:
    """Whether the figure that ends `stated` (its sentence up to the figure) is the sum of a list of which the
    question's words (`forms`, each a report-side form) name one member only. The question's `own` words, when they
    name members, say which (动用预算稳定调节基金 names one, though 支出, a form of 动用, names two more)."""
    stated = _LEVELS.sub("及", stated)  # 省、市科技计划项目资金: one item of two levels, not a list
    m = _LISTED_TOTAL.search(stated)
    if not m or "分别" in m.group(2):
        return False
    members = [norm_text(member) for member in m.group(1).split("、")]
    # The first member carries the clause's verb (实现新建村内道路): as long as the longest other member, no longer.
    cut = max(0, len(members[0]) - max(len(x) for x in members[1:]))
    before, members[0] = norm_text(stated[:m.start(1)]), members[0][cut:]
    forms = [f for f in (norm_text(f) for f in forms) if len(f) >= 2]
    forms = [f for f in forms if not all(f in member for member in members)]  # 道路 of 村内道路、连通道路 is shared
    if any(f in before and not any(f in member for member in members) for f in forms):
        return False  # 学前教育支出，即支持学前教育发展资金、…等合计3624.71万元: the item the list makes up is named
        # (预算 of 一般公共预算收入… before …、动用预算稳定调节基金等: a word of a member names no whole)
    own = [f for f in (norm_text(f) for f in own) if len(f) >= 2 and not all(f in member for member in members)]
    named_by_own = [member for member in members if any(f in member for f in own)]
    if named_by_own:
        return len(named_by_own) == 1
    return len([member for member in members if any(f in member for f in forms)]) == 1


def one_use_of_a_sum(terms: Iterable[Iterable[str]], label: str, after: str) -> bool:
    """Whether a figure is spent on a list of uses (基本支出为…元，…用于办公、维修、教师培训、物业管理…等) of which the
    question's things (`terms`, each by its report-side forms) name one member only, while the figure's own label
    names none of them: 教师培训花了多少 is not answered with the whole 基本支出, of which training is one use."""
    after = norm_text(after)
    lists = [members for m in _USES.finditer(after) if len(members := [norm_text(x) for x in m.group(1).split("、")]) >= 3]
    if not lists:
        return False  # (most figures: no list of uses follows, and the question's words need not be read)
    label, asking = norm_text(label), _asking()
    groups = [[norm_text(f) for f in forms if len(norm_text(f)) >= 2 and f not in asking] for forms in terms]
    groups = [g for g in groups if any(f in after for f in g)]  # (the rest: whose report, not what about)
    if not groups or any(f in label for g in groups for f in g):
        return False
    return any(len([x for x in members if all(any(f in x for f in g) for g in groups)]) == 1 for members in lists)


_USES = re.compile(r"(?:用于|包括)[:：]?((?:[^、，,。；;]{1,20}、){2,}[^、，,。；;]{1,20})")
_LEVELS = re.compile(r"(?<=[省市县区乡镇村州国])、(?=[省市县区乡镇村州国])")
_FIGURE_END = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元|%|[\u4e00-\u9fff㎡]{1,2})")


def only_sums_of_one_member(forms: Iterable[str], text: str, measure: str = "") -> bool:
    """Whether every figure a text states (in `measure`, when one is asked) is such a sum: a sentence the meaning
    stage would answer with."""
    forms = list(forms)
    ends = [m.end() for m in _FIGURE_END.finditer(text) if not measure or m.group(0).endswith(measure)]
    sums = [end for end in ends if one_member_of_a_sum(forms, text[:end])]
    # …等1,756.37万元,收入总计1,867.48万元: a figure after the sum whose clause names nothing asked is no answer
    # either (the total the sum is part of)
    return bool(sums) and all(end in sums or not _names_any(forms, _clause_before(text, end)) for end in ends)


def _clause_before(text: str, end: int) -> str:
    return re.split(r"[，；;。：:]|,(?!\d{3}(?!\d))", text[:end])[-1]  # (not the comma of 1,867.48)


def _names_any(forms: list[str], clause: str) -> bool:
    clause = norm_text(clause)
    return any(len(f) >= 2 and norm_text(f) in clause for f in forms)


def only_uses_of_one_member(terms: Iterable[Iterable[str]], text: str, within: tuple[int, int] | None = None,
                            measure: str = "") -> bool:
    """Whether every figure a text states (`within` a span of it: the unit the meaning stage would answer with, in
    its sentence) is spent on such a list of uses."""
    terms = [tuple(t) for t in terms]
    a, b = within or (0, len(text))
    found = [m for m in _FIGURE_END.finditer(text, a, b) if not measure or m.group(0).endswith(measure)]
    return bool(found) and all(one_use_of_a_sum(terms, re.split(r"[，,；;。]", text[:m.start()])[-1], text[m.end():])
                               for m in found)


@cache
def _asking() -> frozenset[str]:
    """The words that ask how much of a thing (支出, 实际, 一共; lexicon attributes and amount qualifiers)."""
    return frozenset({*lexicon.ATTRIBUTES, *lexicon.GENERIC, *lexicon.QUANTIFIERS, *lexicon.ITEM_SUFFIXES,
                      *lexicon.AMOUNT_QUALIFIERS})


_AFTER_QIZHONG = re.compile(r"其中[,，:：]?\s*$")


def part_not_asked(forms: Iterable[str], norm: str, before: str, label: str) -> bool:
    """Whether a figure is a part the question (its words' `forms`, its normalised text `norm`) does not ask for:
    stated right after 其中 (`before` is its sentence up to its label), with a label whose qualifier (the label less
    the question's words and their forms) the question does not name."""
    if not _AFTER_QIZHONG.search(before):
        return False
    if not _CJK.search(norm):  # an English question: the part is asked when its label alone has a form of its words
        return not any(_CJK.search(f) and norm_text(f) in norm_text(label) and norm_text(f) not in norm_text(before)
                       for f in forms)
    qualifier = norm_text(label)
    for form in forms:
        qualifier = qualifier.replace(norm_text(form), "")
    qualifier = re.sub(r"[^\u4e00-\u9fff]|为|是|的", "", qualifier)
    return len(qualifier) >= 2 and qualifier not in norm


_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOTAL_ASKED = re.compile(r"总支出|总收入|支出总额|收入总额|部门总|整体支出|全部支出|\btotal (?:spending|expenditure|income|revenue)\b")
_QUOTED_ITEM = re.compile(r"[“\"]([^”\"]{1,12})[”\"]")


def quoted_item_for_a_total(norm: str, stated: str) -> bool:
    """Whether a question asks for a whole (部门总支出, total spending) and a figure is stated of a quoted item the
    question does not name (“三公”经费支出决算为26,085.58元): a part, not the total."""
    quoted = _QUOTED_ITEM.findall(stated)
    return bool(quoted and _TOTAL_ASKED.search(norm)) and not any(x in norm for x in quoted)


def asks_a_total(norm: str) -> bool:
    """一共, 加起来, in total (lexicon total_asks): the question asks for a total; an English word only as a word."""
    return any(re.search(rf"\b{re.escape(w)}\b", norm) if w.isascii() else w in norm for w in lexicon.TOTAL_ASKS)


_ITEM_MARK = re.compile(r"[一二三四五六七八九十]是")  # 分为七个方面,一是…: what follows is one item's


def item_before(text: str) -> str:
    """The enumerated item a figure at the end of `text` belongs to (一是用于…合计), or '' when none opens before it."""
    marks = list(_ITEM_MARK.finditer(text))
    return text[marks[-1].start():] if marks else ""


def unnamed_item(things: Iterable[Iterable[str]], stated: str) -> bool:
    """Whether the figure that ends `stated` is an enumerated item's amount (一是…合计75万元) whose item does not name
    every thing a total is asked of (35个自评项目一共花了多少钱): the amount of one item is no total. `things`: each thing's
    report-side forms, its own word first; the words that ask for money (花, 钱: lexicon money_asks) name no thing."""
    item = norm_text(item_before(stated))
    if not item:
        return False
    asking = {*_asking(), *lexicon.MONEY_ASKS, *lexicon.ENGLISH_MONEY_FRAME, *lexicon.TOTAL_ASKS}
    named = [[norm_text(f) for f in group if len(norm_text(f)) >= 2 and not norm_text(f).isdigit()]
             for group in map(tuple, things) if group and group[0] not in asking]
    named = [forms for forms in named if forms]
    return bool(named) and not all(any(f in item for f in forms) for forms in named)
