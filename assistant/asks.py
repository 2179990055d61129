"""What a question asks for: a figure, a list or a sentence (Intent); the unit a figure is expected in (UnitKind);
the measure word it is asked in (多少米); whether it compares figures (哪个多, 差多少) or ranks stated parts."""

from __future__ import annotations

import re
from enum import Enum
from functools import cache

from assistant import lexicon
from assistant.counting import asks_a_count, counted_noun
from assistant.slots import asked_slot


class Intent(str, Enum):
    FIGURE = "figure"  # 是多少 / how much / how many
    LIST = "list"  # 有哪些 / what are
    SENTENCE = "sentence"  # anything else: the best sentences answer it


class UnitKind(str, Enum):
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    ANY = "any"


UNIT_GROUPS = {
    UnitKind.MONEY: ("万元", "亿元", "千元", "元", "万", "亿"),
    UnitKind.PERCENT: ("%",),
}
_FIGURE_CUES = re.compile(r"多少|几成|占.{0,12}(?:比例|比重)呢|占比呢|"
                          r"几[家个名人项条笔次所届期份台座辆套间张口棵块户位批]|几多|金额|数额|多大|百分之|增长了?多少|增幅|"
                          r"how much|how many|what (?:was|is|were|are)\b.*\b(?:amount|number|total|figure|rate|share|"
                          r"percentage|expenditure|spending|budget|income|revenue|investment|growth|cost)\b|"
                          r"what percentage|as a percentage|in percent|what share|what rate|what amount|what figure|"
                          r"which figure|what number|"
                          r"^(?:total|amount)|what did\b.*\bcost\b|"
                          r"what (?:[\w-]+ ){0,3}(?:score|rate|percentage|share|proportion)\b")
_MONEY_CUES = re.compile(r"钱|开销|开支|花|工资|拨|金额|资金|经费|支出|预算|奖|补|款|收入|投入|津贴|费用|贷|元|"
                         r"how much|expenditure|spend|spent|"
                         r"budget|fund|cost|money|amount|loan|subsid|award|revenue|income|allowance|invest")
_GROWTH = r"增长|增幅|降幅|幅度|下降|降低|变化|变动|涨|百分|growth|\bgr[eo]w|percent|\brate\b|increase|\bris[ei]|\brose\b"
_PERCENT_CUES = re.compile(r"增长|几成|增幅|降幅|幅度|变化|变动|涨|百分|比例|比重|占比|满意度|率|"
                           r"percent|percentage|proportion|growth|\bgr[eo]w|rate|satisf|share|"
                           r"by how much .*\b(?:increase|rise|rose)")
# 预算完成率, budget execution rate: a rate of money is a percentage
_CHANGE_BY = re.compile(r"(?:比|较|同).{0,8}(?:少了|多了|减少了?|增加了?|下降了?|降低了?|上升了?|增长了?|涨了|降了)多少")
_RATE = re.compile(r"完成率|执行率|完成了百分之|执行了百分之|(?:完成|执行)了?(?:年初)?预算的(?:多少|百分之|几)|"
                   r"(?:completion|execution|implementation) rate")
# 公务用车费用占三公经费的比例: a share of money is a percentage
_SHARE = re.compile(r"占.{0,12}(?:比例|比重|百分之|多少|几成)|比例|比重|占比|\bshare\b|\bproportion\b|\bpercentage\b")
_LIST_CUES = re.compile(r"哪些|哪几|些啥|些什么|有什么|"
                        r"有何|列举|列出|列一下|罗列|都包括|包括什么|包含哪些|主要做了|做了什么|几个方面|分别是|"
                        r"都有|什么成绩|什么问题|什么措施|包括|"
                        r"what (?:are|were) the|which|list|name the|what problems|what measures|what achievements")


_COMPARE_MAX = re.compile(r"(?:多|大|高)的(?:是)?(?:哪|谁)|(?:哪|谁)[^？?，,]{0,10}?(?:更|最)?(?:多|大|高)|(?:更|最|较)(?:多|大|高)|"
                          r"(?:多|大|高)还是|比[^？?，,]{1,14}(?:多|大|高)|"
                          r"\bwhich\b[^?]*\b(?:more|larger|bigger|higher|greater|largest|biggest|highest|most)\b|"
                          r"\b(?:more|larger|bigger|higher|greater)\s+than\b")
_COMPARE_MIN = re.compile(r"(?:少|小|低)的(?:是)?(?:哪|谁)|(?:哪|谁)[^？?，,]{0,10}?(?:更|最)?(?:少|小|低)|(?:更|最|较)(?:少|小|低)|"
                          r"(?:少|小|低)还是|比[^？?，,]{1,14}(?:少|小|低)|"
                          r"\bwhich\b[^?]*\b(?:less|fewer|smaller|lower|least|smallest|lowest)\b|"
                          r"\b(?:less|fewer|smaller|lower)\s+than\b")


@cache
def _measures_longest_first() -> tuple[str, ...]:
    return tuple(sorted(lexicon.MEASURES, key=len, reverse=True))  # 平方米 before 米


def asked_measure(question: str) -> str:
    """多少米 → 米, 几所 → 所, what score / 得分是多少 → 分: the measure word a figure is asked in (lexicon.MEASURES,
    lexicon.MEASURED_BY); '' when it names none (多少个, 多少钱, 多少衔接资金)."""
    for word, measure in lexicon.MEASURED_BY.items():  # what score, 得分是多少
        if re.search(rf"\b{word}\b", question) if word.isascii() else word in question:
            return measure
    for m in re.finditer(r"(?:多少|几)\s*", question):
        rest = question[m.end():]
        measure = next((w for w in _measures_longest_first() if rest.startswith(w)), "")
        if measure and not (measure == "年" and rest.startswith("年度")):
            return measure
    counter = lexicon.ENGLISH_COUNTERS.get(counted_noun(question), "")  # how many people → 人
    return counter if counter in lexicon.MEASURES else ""


_DIFFERENCE = re.compile(r"相差|差额|之差|差距|差多少|差了多少|多出多少|少了多少|\bdifference\b|\bgap\b")


_BASELINE = re.compile(r"比(?:上年|去年|上一年|前一年|年初|预算|年初预算|同期|上年同期)|"
                       r"(?:跟|和|与|同)(?:上年|去年|上一年|前一年|年初预算|预算|上年同期)(?:相)?比")


def compared(norm: str) -> str:
    """哪家企业贷得多 → max; 哪项支出最少 → min; 差多少 → diff; '' when nothing is compared."""
    if asked_slot(norm) == "reason":
        return ""  # 为什么比预算少 asks for a reason, not which figure is less
    if _BASELINE.search(norm):
        return ""  # 比上年减少了多少 asks for the change the report states against a baseline, not two subjects
    if _DIFFERENCE.search(norm):
        return "diff"
    text = norm.replace("多少", "＃")  # 增长多少 asks for a figure, not which is less
    if _COMPARE_MIN.search(text):
        return "min"
    if _COMPARE_MAX.search(text):
        return "max"
    return ""


def ranks(norm: str) -> bool:
    """哪项支出最多, 花钱最多的是哪一块, which part was largest: a superlative and a word that asks which one."""
    says = [any(re.search(rf"\b{w}\b", norm) if w.isascii() else w in norm for w in words)
            for words in (lexicon.SUPERLATIVES, lexicon.WHICH_PART)]
    return compared(norm) in ("max", "min") and all(says)


def intent_of(norm: str) -> Intent:
    if _FIGURE_CUES.search(norm) and not re.search(r"哪些|which|哪几|what are", norm):
        return Intent.FIGURE
    if _LIST_CUES.search(norm):
        return Intent.LIST
    return Intent.SENTENCE


def unit_of(norm: str) -> UnitKind:
    measure = asked_measure(norm)
    if measure in lexicon.QUANTITY_MEASURES:
        return UnitKind.ANY  # 衔接资金修的路一共多少公里: a length, though money is named
    if measure in ("人", "名", "位", "户") and not re.search(r"多少钱|金额|how much", norm):
        return UnitKind.COUNT  # 衔接资金修的路能让多少老百姓出行方便: people, though money is named
    if asks_a_count(norm):
        return UnitKind.COUNT
    if _SHARE.search(norm) and not _PERCENT_CUES.search(norm) and not re.search(r"比例|比重|占比|百分|占地", norm):
        return UnitKind.ANY  # 各项占多少, 基本支出占了多少: its share or its amount, whichever the report states
    if _CHANGE_BY.search(norm) and not re.search(r"钱|金额|元|百分|几个点|percent|how much money", norm):
        return UnitKind.ANY  # 支出比上一年少了多少: by an amount or a percentage, whichever the report states
    if (_PERCENT_CUES.search(norm) or _RATE.search(norm)) and not re.search(r"多少钱|金额|how much money", norm):
        return UnitKind.PERCENT if not re.search(r"投入|经费|资金|支出|budget|expenditure|spending", norm) \
            or re.search(_GROWTH, norm) or _SHARE.search(norm) or _RATE.search(norm) else UnitKind.MONEY
    if _MONEY_CUES.search(norm):
        return UnitKind.MONEY
    return UnitKind.ANY
