"""One Chinese-number parser for the whole engine (cn2an): 十二 → 12, 一百零五 → 105, 两 → 2, 九千九百九十九 → 9999.
Headings, enumerations, question counts, ordinals and the figure check all read numerals through it."""

from __future__ import annotations

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
