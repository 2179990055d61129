"""The number check: every figure an answer states must appear in the sources it cites."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_MARKER = re.compile(r"\[\d+\]")
_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(万亿|亿|万|千|%|‰)?")
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12), "千": Decimal(1000)}


@dataclass(frozen=True)
class Quantity:
    text: str
    value: Decimal  # in base units (万 and 亿 expanded)
    percent: bool
    scaled: bool = False  # written with 万/亿/千 or %


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("％", "%")


def numbers_in(text: str) -> list[Quantity]:
    """Figures stated in text, with [n] citation markers ignored. 123.90 == 123.9; 1.63亿 == 16300万."""
    text = _cn_to_arabic(_MARKER.sub(" ", _normalise(text)))
    out = []
    for m in _NUMBER.finditer(text):
        whole, frac, scale = m.group(1).replace(",", ""), m.group(2), m.group(3) or ""
        try:
            value = Decimal(f"{whole}.{frac}" if frac else whole)
        except InvalidOperation:
            continue
        value = value * _SCALE.get(scale, Decimal(1))
        out.append(Quantity(m.group(0).strip(), value.normalize(), scale in ("%", "‰"), bool(scale)))
    return out


def unsupported_numbers(answer: str, quotes: list[str]) -> list[str]:
    """Figures in `answer` that no quote contains (after normalising units and notation).

    A figure with a scale or a percent sign (623.97万, 8.3%) must match a quoted figure of the same
    magnitude; a bare figure (623.97) may match a quoted one with any unit.
    """
    supported = {(q.value, q.percent) for quote in quotes for q in numbers_in(quote)}
    bare = {_digits(q) for quote in quotes for q in numbers_in(quote)}
    missing = []
    for q in numbers_in(answer):
        if (q.value, q.percent) in supported:
            continue
        if not q.scaled and _digits(q) in bare:
            continue
        missing.append(q.text)
    return missing


def _digits(q: Quantity) -> Decimal:
    m = re.match(r"[\d,]+(?:\.\d+)?", q.text)
    return Decimal(m.group(0).replace(",", "")).normalize() if m else q.value


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"([零〇一二两三四五六七八九十百千]+)(?=\s*(?:万|亿|元|家|个|人|名|项|条|笔|次|%))")


def _cn_to_arabic(text: str) -> str:
    """九千九百九十九万元 → 9999万元, so a figure in Chinese numerals is checked like any other."""
    def convert(m: re.Match) -> str:
        total, digit = 0, 0
        for ch in m.group(1):
            if ch in _CN_DIGIT:
                digit = _CN_DIGIT[ch]
            else:
                total += (digit or 1) * _CN_UNIT[ch]
                digit = 0
        return str(total + digit)
    return _CN_NUMBER.sub(convert, text)
