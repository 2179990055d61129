"""Reads a question: its kind (figure, list, other), the unit it expects, its years and its subject terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from assistant.lexicon import ENGLISH, GENERIC, SYNONYMS
from vectorstore.tokenize import Tokenizer, normalise


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
_FIGURE_CUES = re.compile(r"多少|几[家个名人项条笔次所届期]|几多|金额|数额|多大|百分之|比例|占比|增长了?多少|增幅|"
                          r"how much|how many|what (?:was|is|were|are)\b.*\b(?:amount|number|total|figure|rate|share|percentage|expenditure|"
                          r"spending|budget|income|revenue|investment|growth)\b|"
                          r"what percentage|what share|what rate|what amount|^(?:total|amount)")
_MONEY_CUES = re.compile(r"钱|开销|开支|花|工资|拨|金额|资金|经费|支出|预算|奖|补|款|收入|投入|津贴|费用|贷|元|how much|expenditure|spend|spent|"
                         r"budget|fund|cost|money|amount|loan|subsid|award|revenue|income|allowance")
_PERCENT_CUES = re.compile(r"增长|增幅|百分|比例|占比|满意度|率|percent|percentage|growth|rate|satisf|share")
_COUNT_UNIT = re.compile(r"(?:多少|几)\s*([家个名人项条笔次所届期批户篇件座辆台套场])")
_COUNT_EN = re.compile(r"how many\s+(\w+)")
_EN_COUNT_UNITS = {"companies": "家", "enterprises": "家", "firms": "家", "people": "人", "staff": "人",
                   "employees": "人", "projects": "个", "loans": "笔", "doctors": "名", "phds": "名",
                   "specialists": "名", "commissioners": "名", "measures": "条", "items": "项", "tasks": "项"}
_LIST_CUES = re.compile(r"哪些|哪几|有什么|有何|列举|列出|列一下|罗列|都包括|包括什么|包含哪些|主要做了|做了什么|几个方面|分别是|都有|什么成绩|什么问题|什么措施|包括|"
                        r"what (?:are|were) the|which|list|name the|what problems|what measures|what achievements")
_PLACE = re.compile(r"([\u4e00-\u9fff]{2}(?:省|市|县))(?![场场民级])")
_NOT_IN_PLACE = set("中的在和与及是了全本我该各省市县比对向从为每到")
_BODY = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:局|厅|委员会)")
_SELF_BODIES = {"你们局", "我们局", "这个局", "咱们局", "局里", "本局", "我局", "贵局", "该局"}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CN_COUNT = re.compile(r"([两二三四五六七八九十])([家个名人项条笔次])")
_CN_NUM = {"两": "2", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "十": "10"}


@dataclass
class Question:
    text: str  # as asked (stripped)
    norm: str  # normalised for matching (NFKC, lower-case, 两家 → 2家)
    english: bool
    intent: Intent
    unit: UnitKind
    count_unit: str = ""  # e.g. 家 for 几家
    years: list[int] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)  # 财政局, 统计局: bodies named in the question  # 九江市, 江西省: a place other than the report's own narrows it
    terms: list[str] = field(default_factory=list)  # subject words, generic words removed
    expanded: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term → report-side forms
    unmapped: list[str] = field(default_factory=list)  # English content words with no report-side form

    def search_text(self) -> str:
        """The lexical query: the question plus every report-side form of its words."""
        extra = [form for forms in self.expanded.values() for form in forms]
        return " ".join([self.norm, *extra])


_BUREAU_EN = re.compile(r"(?:the\s+)?(?:lushan(?:\s+city)?(?:'s)?\s+)?(?:science\s+and\s+technology|sci-tech|s&t)\s+bureau(?:'s)?",
                        re.IGNORECASE)


def analyse(text: str, tokenizer: Tokenizer) -> Question:
    norm = _CN_COUNT.sub(lambda m: _CN_NUM[m.group(1)] + m.group(2), normalise(text.strip()))
    norm = _BUREAU_EN.sub("bureau", norm)  # the report's own body is context, not a subject
    english = _is_english(norm)
    terms, expanded, unmapped = _terms(norm, tokenizer, english)
    return Question(text=text.strip(), norm=norm, english=english, intent=_intent(norm),
                    unit=_unit(norm), count_unit=_count_unit(norm), years=[int(y) for y in _YEAR.findall(norm)],
                    terms=terms, expanded=expanded, unmapped=unmapped, places=_places(norm), bodies=_bodies(norm, tokenizer))


def _places(norm: str) -> list[str]:
    """Proper place names (九江市, 江西省), not 全省 or 项目支出中省."""
    return [p for p in _PLACE.findall(norm) if not set(p[:2]) & _NOT_IN_PLACE]


def _bodies(norm: str, tokenizer: Tokenizer) -> list[str]:
    """Government bodies the question names, without their place: 庐山市财政局 → 财政局."""
    out = []
    for m in _BODY.finditer(norm):
        if m.group(0) in _SELF_BODIES:
            continue
        words = [w for w in tokenizer.words(m.group(0)) if len(w) >= 2]
        name = words[-1] if words else ""
        if name.endswith(("局", "厅", "委员会")) and len(name) >= 3 and name not in _SELF_BODIES:
            out.append(name)
    return out


def _is_english(norm: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in norm)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in norm)
    return letters > 3 * max(cjk, 1)


def _intent(norm: str) -> Intent:
    if _FIGURE_CUES.search(norm) and not re.search(r"哪些|which|哪几|what are", norm):
        return Intent.FIGURE
    if _LIST_CUES.search(norm):
        return Intent.LIST
    return Intent.SENTENCE


def _unit(norm: str) -> UnitKind:
    if _COUNT_UNIT.search(norm) or re.search(r"how many", norm):
        return UnitKind.COUNT
    if _PERCENT_CUES.search(norm) and not re.search(r"多少钱|金额|how much money", norm):
        return UnitKind.PERCENT if not re.search(r"投入|经费|资金|支出|budget|expenditure", norm) \
            or re.search(r"增长|增幅|百分|growth|percent|rate", norm) else UnitKind.MONEY
    if _MONEY_CUES.search(norm):
        return UnitKind.MONEY
    return UnitKind.ANY


def _count_unit(norm: str) -> str:
    m = _COUNT_UNIT.search(norm)
    if m:
        return m.group(1)
    m = _COUNT_EN.search(norm)
    return _EN_COUNT_UNITS.get(m.group(1), "") if m else ""


def _terms(norm: str, tokenizer: Tokenizer, english: bool) -> tuple[list[str], dict, list[str]]:
    words = tokenizer.words(norm)
    terms, expanded, unmapped = [], {}, []
    for word in words:
        if word in GENERIC or _YEAR.fullmatch(word) or word in terms:
            continue
        if english and word.isascii():
            forms = ENGLISH.get(word) or ENGLISH.get(word.rstrip("s"))
            if forms:
                expanded[word] = forms
                terms.append(word)
            elif len(word) > 2 and not word.isdigit():
                unmapped.append(word)
            continue
        terms.append(word)
        if word in SYNONYMS:
            expanded[word] = SYNONYMS[word]
    for phrase, forms in SYNONYMS.items():  # multi-word colloquialisms jieba splits (花了, 多少人)
        if len(phrase) > 1 and phrase in norm and phrase not in expanded:
            expanded[phrase] = forms
    return terms, expanded, unmapped
