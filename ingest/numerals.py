"""One Chinese-number parser for the whole engine (cn2an): 十二 → 12, 一百零五 → 105, 两 → 2, 九千九百九十九 → 9999.
Headings, enumerations, question counts, ordinals and the figure check all read numerals through it."""

from __future__ import annotations

import re
from functools import lru_cache

CN_NUMERALS = "零〇一二两三四五六七八九十百千"


@lru_cache(maxsize=1024)
def cn_int(numeral: str) -> int | None:
    """The value of a numeral in Arabic or Chinese digits (12, 十二, 一百零五), or None if it is not one."""
    numeral = numeral.strip()
    if numeral.isdecimal():  # 1 or a full-width １
        return int(numeral)
    if not numeral or any(ch not in CN_NUMERALS for ch in numeral):
        return None
    import cn2an  # on first use: importing it costs a third of a second

    try:
        return int(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError):
        return None


_DIGIT = {"零": "0", "〇": "0", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
          "八": "8", "九": "9"}
_SCALES = ("万亿", "亿", "万")
# A year written digit by digit (二〇二二年, 二零二三年): 一九… or 二〇… before 年, no other numeral around it.
_CN_YEAR = re.compile(r"(?<![零〇一二两三四五六七八九十百千])([一二][零〇一二三四五六七八九]{3})(?=年)")


def cn_years(text: str) -> str:
    """二〇二二年 → 2022年: a year in Chinese digits, in Arabic ones (十二年 is a count of years, left as it is)."""
    return _CN_YEAR.sub(lambda m: "".join(_DIGIT[ch] for ch in m.group(1)), text)


def cn_figure(numeral: str) -> str | None:
    """A figure written in Chinese numerals, in Arabic digits with its 万/亿 kept: 一万二千 → 12000, 三点五亿 → 3.5亿,
    一点二万 → 1.2万, 八点三 → 8.3, 九千九百九十九万 → 9999万. None if it is not a numeral."""
    numeral = numeral.strip()
    scale = next((s for s in _SCALES if numeral.endswith(s) and len(numeral) > len(s)), "")
    body = numeral[:len(numeral) - len(scale)]
    whole, point, fraction = body.partition("点")
    if point:
        digits = "".join(_DIGIT.get(ch, "") for ch in fraction)
        if not fraction or len(digits) != len(fraction):
            return None
        number = cn_int(whole) if whole else 0
        return None if number is None else f"{number}.{digits}{scale}"
    if scale and any(s in body for s in _SCALES):  # 一万二千万 is no figure anyone writes
        return None
    number = cn_int(body) if scale else _cn_int_with_scales(body)
    return None if number is None else f"{number}{scale}"


def _cn_int_with_scales(numeral: str) -> int | None:
    """一万二千 → 12000: cn2an reads 万 and 亿 inside a numeral too."""
    if any(s in numeral for s in _SCALES) and all(ch in CN_NUMERALS + "万亿" for ch in numeral):
        import cn2an

        try:
            return int(cn2an.cn2an(numeral, "smart"))
        except (ValueError, KeyError):
            return None
    return cn_int(numeral)
