"""Extracts the amounts and counts a report states, as (label, value, unit, span) facts."""

from __future__ import annotations

import re

from ingest.models import Fact
from ingest.sentences import sentence_spans

UNITS = ("万元", "亿元", "千元", "元", "万人", "万", "亿", "%", "％", "家", "人", "名", "个", "项",
         "条", "次", "笔", "届", "期", "所", "座", "件", "篇", "批", "户", "天")
NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)*)\s*(?:余|多)?(" + "|".join(map(re.escape, UNITS)) + r")")
_DELIMS = "，,：:；;（）()“”《》。！？\n"
_FILLER_HEAD = re.compile(r"^(?:\d{1,2}[、.．]|其中|包含|包括|含|共计|共|合计|总计|累计|目前已有|目前|已有|有|为|达到|达|约|超过|超|是|即"
                          r"|[一二三四五六七八九十]是)+")
_FILLER_TAIL = re.compile(r"(?:共计|共|合计|为|达到|达|约|超过|超|是|了|累计|的)+$")
_JUNK = re.compile(r"[\s\u3000]+")


def extract_facts(text: str, start: int, end: int) -> list[Fact]:
    """Every number-with-unit in text[start:end], labelled by the words that name it."""
    facts: list[Fact] = []
    for s_start, s_end in sentence_spans(text, start, end):
        sentence = text[s_start:s_end]
        prev_end = 0
        for m in NUMBER.finditer(sentence):
            seg_start = _segment_start(sentence, m.start(), prev_end)
            label = _label(sentence, seg_start, m)
            prev_end = m.end()
            if label:
                facts.append(Fact(label=label, value=m.group(1), unit=m.group(2).replace("％", "%"),
                                  start=s_start + seg_start, end=s_start + m.end(),
                                  clause=sentence[seg_start:m.end()]))
    return facts


def _segment_start(sentence: str, pos: int, prev_end: int) -> int:
    cut = max(prev_end, max((sentence.rfind(d, 0, pos) + 1 for d in _DELIMS), default=0))
    return cut


def _clean(words: str) -> str:
    return _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", _JUNK.sub("", words))).strip(_DELIMS + "、")


def _label(sentence: str, seg_start: int, m: re.Match) -> str:
    """Words before the figure (基本支出174.63万元), else after it (31家企业入库…), else the clause before."""
    before = _clean(sentence[seg_start:m.start()])
    if len(before) >= 2 and not re.fullmatch(r"[\d.年月日]+", before):
        return before
    after = re.split(r"[" + re.escape(_DELIMS) + r"]", sentence[m.end():], maxsplit=1)[0]
    after = _clean(after)[:24]
    if len(after) >= 2:
        return after
    head = sentence[:seg_start].rstrip(_DELIMS)
    prior = re.split(r"[" + re.escape(_DELIMS) + r"]", head)[-1] if head else ""
    return _clean(prior)[:24]
