"""Labels of the audited figures: a label's words in the genre's own terms, and whether two labels name one
quantity (人员经费 and 人员支出 do; 年初预算总支出 and 总支出 do not)."""

from __future__ import annotations

import re
from functools import cache

from assistant.knowledge import load

# The genre's words for one thing: a target's 机关行政运行 is the spending's 基本支出.
_GLOSSARY = (("机关行政运行", "基本支出"), ("机关运行", "基本支出"), ("行政运行", "基本支出"), ("奖补", "奖励"),
             ("人员经费", "人员支出"), ("日常公用经费", "公用经费"), ("拔款", "拨款"))
_GENERIC_TAIL = ("资金", "经费", "款项")
_JOINS = ("及", "和", "与", "、")
# A budget, last year's figure or an increment is not the amount itself: 年初预算总支出 is not 总支出.
_QUALIFIERS = ("预算", "年初", "调整", "决算", "上年", "去年", "同期", "新增", "累计")


def norm_label(label: str) -> str:
    """A label's words, without years, punctuation or a generic 资金/经费 tail, in the genre's own terms."""
    s = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", re.sub(r"\d{4}\s*年度?", "", label))
    for word, canonical in _GLOSSARY:
        s = s.replace(word, canonical)
    while len(s) > 3 and s.endswith(_GENERIC_TAIL):
        s = s[:-2]
    return s


def common_run(a: str, b: str) -> str:
    """The longest common substring."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = a[i:j]
    return best


def qualifiers(label: str) -> set[str]:
    return {q for q in _QUALIFIERS if q in label}


def predicate_only(label: str) -> bool:
    """已于本年度支出, 支出决算: the label says what is measured, and names no subject (measures.toml)."""
    rest = label
    for word in _predicate_words():
        rest = rest.replace(word, "")
    return not rest


@cache
def _predicate_words() -> tuple[str, ...]:
    return tuple(sorted(load("measures")["predicate"]["words"], key=len, reverse=True))  # longest first


def distinct_subjects(a: str, b: str) -> bool:
    """公务接待费支出决算 and 公务用车运行维护费支出决算: past their shared tail, each names its own thing."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    short, long_ = sorted((a[:len(a) - n], b[:len(b) - n]), key=len)
    if short and long_.startswith(short) and long_[len(short):len(short) + 1] in _JOINS:
        return True  # 公务用车购置 and 公务用车购置及运行维护费: the second is a sum that includes the first
    return bool(short) and short not in long_


def same_quantity(a: str, b: str) -> bool:
    """Same head word and qualifiers, and a long shared run (or one label wholly inside the other)."""
    if a[-2:] != b[-2:] or qualifiers(a) != qualifiers(b):
        return False
    short, long_ = sorted((a, b), key=len)
    return (len(short) >= 3 and short in long_) or len(common_run(a, b)) >= 5
