"""Extracts the amounts and counts a report states, as (label, value, unit, span) facts."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import cache
from importlib import resources

from ingest.models import Fact
from ingest.sentences import sentence_spans

UNITS = ("万元", "亿元", "千元", "元", "万人", "万", "亿", "%", "％", "家", "人", "名", "个", "项",
         "条", "次", "笔", "届", "期", "所", "座", "件", "篇", "批", "户", "天",
         # measures: 路面宽度5米, 32.63公里, 1000㎡, 100吨, 得分95分
         "平方公里", "平方米", "㎡", "公里", "千米", "米", "亩", "公顷", "吨", "辆", "台", "套", "间", "栋", "分")
# 管长1100m, 层高约4.3m: metres written in Latin letters, a whole word (not 100mm, nor 5m³ or 3mw)
_LATIN_UNITS = r"(?:km|m)(?![a-zA-Z²³])"
# 27,080元 and 1,867.48万元 carry thousands separators; 449.34.34万元 (malformed) stays one number.
NUMBER = re.compile(r"(?<![\d.])(?<!\d,)"  # 占,88.19%: a comma after words starts a figure
                    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)*)\s*(?:余|多)?"
                    r"(" + "|".join(map(re.escape, UNITS)) + "|" + _LATIN_UNITS + r")(?!钟)(?!(?<=项)目)")  # 99611.05 项目支出
# A count in Chinese numerals (分为七个方面, 设三个一级指标): not 第一个, 一次性, 十分, 一是.
CN_COUNT = re.compile(r"(?<![第统唯同某每逐一二三四五六七八九十两])([一二三四五六七八九十两]{1,3})"
                      r"(个|项|家|所|条|名|座|台|辆|套|间|批|户|届)(?!性)")
_DELIMS = "，,：:；;（）()“”《》。！？\n"
_FILLER_HEAD = re.compile(r"^(?:\d{1,2}[、.．]|其中|包含|包括|含|共计|共|合计|总计|累计|目前已有|目前|已有|有|为|达到|达|约|超过|超|是|即"
                          r"|[一二三四五六七八九十]是)+")
_FILLER_TAIL = re.compile(r"(?:共计|共|合计|为|达到|达|约|超过|超|是|了|累计|的)+$")
# A delimiter between clauses; the comma of 3,080元 separates thousands and ends nothing.
_CLAUSE_END = re.compile(r"[" + re.escape(_DELIMS.replace(",", "")) + r"]|,(?!\d{3}(?!\d))")
_JUNK = re.compile(r"[\s\u3000]+")
_WORD_ASIDE = re.compile(r"(?<=[\u4e00-\u9fff])[（(][\u4e00-\u9fff]{1,4}[)）](?=[\u4e00-\u9fff])")


# A table flattened into text: cells apart by spaces or |, a label cell then its number (财政拨款 108292.73), under
# the sheet's unit (单位:万元).
_SHEET_UNIT = re.compile(r"单位\s*[:：]\s*(万元|亿元|千元|元)|[（(](万元|亿元|元)[）)]")
_CELL = re.compile(r"[^\s|｜]+")
# A label cell: words, after an optional year (2023年总支出) or a 其中： lead (其中：人员支出).
_LABEL_CELL = re.compile(r"(?:(?:19|20)\d{2}年度?|其中[：:])?[\u4e00-\u9fff（）()“”\"、]{2,24}")
_BARE_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_PERCENT_CELL = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_CODE = re.compile(r"0\d{5,}")  # a telephone number or a code, never an amount
_GARBLED_LABEL = re.compile(r"\d{5,}|\d+\.\d+")


class SheetUnits:
    """Where each sheet declares its unit (单位:万元), indexed once per text."""

    def __init__(self, text: str) -> None:
        found = [(m.end(), m.group(1) or m.group(2)) for m in _SHEET_UNIT.finditer(text)]
        self._ends = [end for end, _ in found]
        self._units = [unit for _, unit in found]

    def before(self, end: int) -> str:
        """The unit declared last, wholly before `end`, or ''."""
        i = bisect.bisect_right(self._ends, end)
        return self._units[i - 1] if i else ""


def extract_facts(text: str, start: int, end: int, units: SheetUnits | None = None) -> list[Fact]:
    """Every number-with-unit in text[start:end], labelled by the words that name it, and every label cell
    followed by a number cell in a table flattened into the text. Pass `units` when extracting many spans of
    one text, so its sheet units are indexed once."""
    facts = [f for f in _sentence_facts(text, start, end) if not _GARBLED_LABEL.search(f.label)]
    return facts + table_cells(text, start, end, units)


def table_cells(text: str, start: int, end: int, units: SheetUnits | None = None) -> list[Fact]:
    """财政拨款 108292.73 → (财政拨款, 108292.73, 万元) under 单位:万元; 基本支出 93199.91 75.99% also gives
    (基本支出, 75.99, %). Only a label cell directly followed by a bare number cell counts."""
    unit = (units or SheetUnits(text)).before(end)
    if not unit:
        return []
    cells = list(_CELL.finditer(text, start, end))
    years = _header_years(cells)
    facts: list[Fact] = []
    for i, cell in enumerate(cells[:-1]):
        if not _LABEL_CELL.fullmatch(cell.group()):
            continue
        number = cells[i + 1]
        if (not _BARE_NUMBER.fullmatch(number.group()) or _CODE.fullmatch(number.group())
                or (i + 2 < len(cells) and cells[i + 2].group().startswith("年"))):
            continue
        facts.append(Fact(label=cell.group(), value=number.group(), unit=unit, start=cell.start(), end=number.end(),
                          clause=text[cell.start():number.end()]))
        share = cells[i + 2] if i + 2 < len(cells) else None
        pct = _PERCENT_CELL.fullmatch(share.group()) if share else None
        if pct:
            facts.append(Fact(label=cell.group(), value=pct.group(1), unit="%", start=cell.start(), end=share.end(),
                              clause=text[cell.start():share.end()]))
        by_year = _year_cells(cells, i + (3 if pct else 2), years)
        if by_year:
            facts[-2 if pct else -1:] = [replace(f, column=CURRENT_COLUMN) for f in facts[-2 if pct else -1:]]
            facts.extend(Fact(label=cell.group(), value=c.group(), unit=unit, start=cell.start(), end=c.end(),
                              clause=text[cell.start():c.end()], column=f"{year}年") for year, c in by_year)
    return facts


CURRENT_COLUMN = "当年"
_YEAR_CELL = re.compile(r"((?:19|20)\d{2})(?:年度?)?")


def _header_years(cells: list[re.Match]) -> list[int]:
    """近两年收支金额 … 2021 年 2022 年: the years a form's header names as columns, in order (two or more in a row,
    each a cell of its own, its 年 apart or not); [] when it names none."""
    found: list[int] = []
    i = 0
    while i < len(cells):
        m = _YEAR_CELL.fullmatch(cells[i].group())
        if not m:
            if len(found) >= 2:
                return found
            found, i = [], i + 1
            continue
        found.append(int(m.group(1)))
        i += 2 if i + 1 < len(cells) and cells[i + 1].group() == "年" else 1
    return found if len(found) >= 2 else []


def _year_cells(cells: list[re.Match], at: int, years: list[int]) -> list[tuple[int, re.Match]]:
    """A row's number cells after its own value (and share), one per header year, when the row has exactly that
    many before a cell that is no number: (year, cell) pairs; [] otherwise."""
    if not years or at + len(years) > len(cells):
        return []
    row = cells[at:at + len(years)]
    if not all(_BARE_NUMBER.fullmatch(c.group()) and not _CODE.fullmatch(c.group()) for c in row):
        return []
    after = cells[at + len(years)] if at + len(years) < len(cells) else None
    if after is not None and (_BARE_NUMBER.fullmatch(after.group()) or _PERCENT_CELL.fullmatch(after.group())):
        return []
    return list(zip(years, row))


@cache
def relation_words() -> frozenset[str]:
    """Words that state a figure relative to the one before it (增长, 为年初预算的): relations.txt."""
    text = resources.files(__package__).joinpath("relations.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _relative(label: str, unit: str) -> bool:
    words = relation_words()
    return label in words or (unit in ("%", "％") and f"%{label}" in words)


def _sentence_facts(text: str, start: int, end: int) -> list[Fact]:
    facts: list[Fact] = []
    for s_start, s_end in sentence_spans(text, start, end):
        sentence = text[s_start:s_end]
        prev_end, subject, prev = 0, "", None
        for m in sorted([*NUMBER.finditer(sentence), *CN_COUNT.finditer(sentence)], key=lambda m: m.start()):
            seg_start = _segment_start(sentence, m.start(), prev_end)
            if prev is not None and _counted_amount(sentence, prev[1], m, seg_start):
                seg_start = prev[0]  # 年初批复预算8个项目985万元: the amount is of the 8 projects the budget approved
            label = _label(sentence, seg_start, m)
            prev_end, prev = m.end(), (seg_start, m)
            of = ""
            if _relative(label, m.group(2)):  # 税收收入109.91万元,增长14.5%: the growth of 税收收入
                of = subject
            elif label:
                subject = label
            if label:
                facts.append(Fact(label=label, value=m.group(1), unit=m.group(2).replace("％", "%"),
                                  start=s_start + seg_start, end=s_start + m.end(),
                                  clause=sentence[seg_start:m.end()], of=of))
    return facts


_MONEY_UNITS = ("万元", "亿元", "千元", "元")
_COUNTERS = ("个", "项", "家", "所", "座", "件", "批", "户", "条", "笔", "间", "栋", "套", "台", "辆")
_COUNTED = re.compile(r"[\u4e00-\u9fff]{1,6}")


def _counted_amount(sentence: str, count: re.Match, amount: re.Match, seg_start: int) -> bool:
    """Whether an amount follows a count of things with nothing but their name between (8个项目985万元, 新建2座
    桥梁300万元): the amount is the money of the things counted, and its words start where the count's do."""
    return (amount.group(2) in _MONEY_UNITS and count.group(2) in _COUNTERS and seg_start == count.end()
            and _COUNTED.fullmatch(sentence[count.end():amount.start()]) is not None)


def _segment_start(sentence: str, pos: int, prev_end: int) -> int:
    cut = max(prev_end, max((sentence.rfind(d, 0, pos) + 1 for d in _DELIMS), default=0))
    aside = _WORD_ASIDE.match(sentence, max(sentence.rfind("(", 0, cut), sentence.rfind("（", 0, cut)))
    if aside is not None and aside.end() == cut and aside.start() > prev_end:  # 因公出国(境)费: an aside in a name
        return _segment_start(sentence, aside.start(), prev_end)
    return cut


def _clean(words: str) -> str:
    return _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", _JUNK.sub("", words))).strip(_DELIMS + "、")


def _label(sentence: str, seg_start: int, m: re.Match) -> str:
    """Words before the figure (基本支出174.63万元), else after it (31家企业入库…), else the clause before. A
    relation word alone (占11.81%, 占,88.19%) is the label: the figure is of the subject before it (Fact.of)."""
    before = _clean(sentence[seg_start:m.start()])
    if (len(before) >= 2 or _relative(before, m.group(2))) and not re.fullmatch(r"[\d.年月日]+", before):
        return before
    after = _CLAUSE_END.split(sentence[m.end():], maxsplit=1)[0]
    after = _clean(re.split(r"\d", after, maxsplit=1)[0])[:24]  # 33个行政村26113户: up to the next figure
    if len(after) >= 2:
        return after
    head = sentence[:seg_start].rstrip(_DELIMS)
    prior = _CLAUSE_END.split(head)[-1] if head else ""
    return _clean(prior)[:24]
