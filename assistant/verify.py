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


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("％", "%")


def numbers_in(text: str) -> list[Quantity]:
    """Figures stated in text, with [n] citation markers ignored. 123.90 == 123.9; 1.63亿 == 16300万."""
    text = _MARKER.sub(" ", _normalise(text))
    out = []
    for m in _NUMBER.finditer(text):
        whole, frac, scale = m.group(1).replace(",", ""), m.group(2), m.group(3) or ""
        try:
            value = Decimal(f"{whole}.{frac}" if frac else whole)
        except InvalidOperation:
            continue
        value = value * _SCALE.get(scale, Decimal(1))
        out.append(Quantity(m.group(0).strip(), value.normalize(), scale in ("%", "‰")))
    return out


def unsupported_numbers(answer: str, quotes: list[str]) -> list[str]:
    """Figures in `answer` that no quote contains (after normalising units and notation)."""
    supported = {(q.value, q.percent) for quote in quotes for q in numbers_in(quote)}
    # A bare number in a quote also supports the same number with its unit dropped, and vice versa.
    bare = {q.value for quote in quotes for q in _bare_numbers(quote)}
    missing = []
    for q in numbers_in(answer):
        if (q.value, q.percent) in supported:
            continue
        if q.text.replace(",", "").rstrip("万亿千%‰ ") and _bare_value(q) in bare:
            continue
        missing.append(q.text)
    return missing


def _bare_numbers(text: str) -> list[Quantity]:
    text = _MARKER.sub(" ", _normalise(text))
    return [Quantity(m.group(0), Decimal(m.group(0).replace(",", "")).normalize(), False)
            for m in re.finditer(r"(?<![\d.])\d+(?:\.\d+)?", text.replace(",", ""))]


def _bare_value(q: Quantity) -> Decimal:
    digits = re.match(r"[\d,]+(?:\.\d+)?", q.text)
    return Decimal(digits.group(0).replace(",", "")).normalize() if digits else q.value
