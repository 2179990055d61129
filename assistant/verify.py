"""The number check: every figure an answer states must appear in the sources it cites."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ingest.numerals import cn_figure

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


# A figure in Chinese numerals, before a unit or after 百分之: 一万二千元, 三点五亿元, 百分之八点三. A numeral with no
# unit (一是, 十二五) is no figure.
_CN_NUMBER = re.compile(r"(百分之)?([零〇一二两三四五六七八九十百千万亿点]+)(?(1)|(?=\s*(?:元|家|个|人|名|项|条|笔|次|%)))")


def _cn_to_arabic(text: str) -> str:
    """九千九百九十九万元 → 9999万元, 一万二千元 → 12000元, 百分之八点三 → 8.3%: a figure in Chinese numerals is
    checked like any other."""
    def arabic(m: re.Match) -> str:
        figure = cn_figure(m.group(2))
        if figure is None:
            return m.group(0)
        return f"{figure}%" if m.group(1) else figure

    return _CN_NUMBER.sub(arabic, text)


# --- names: every body, unit or item an answer names must be named so in the sources it cites ----------

# A span ending in one of these names a body, a unit or an item: 综合业务股, 科技创新服务中心, 江西…有限公司.
NAME_SUFFIXES = ("有限公司", "公司", "企业", "合作社", "中心", "工作站", "孵化器", "基地", "平台", "项目",
                 "委员会", "协会", "银行", "股", "局", "室", "站", "院", "园", "厅")
# Words that come before a name but are no part of it (设有 办公室, 和 综合业务股, 30家 企业).
_DETERMINERS = ("这些", "这", "该", "各", "本", "全", "其他", "其它", "有关", "相关", "所有", "多家", "家", "个", "名",
                "项", "笔", "批", "类", "种", "些", "级", "的", "为", "以", "和", "与", "及", "等", "或", "有")
_GLUE = tuple(sorted(set(_DETERMINERS) | set("""
设有 内设 下设 设 是 系 即 包括 包含 含 以及 同 跟 由 在 对 向 从 经 被 将 把 给 其中 主要 分别 共 共有 了 属于
负责 通过 获 获得 荣获 评为 认定 认定为 成为 成立 组建 设立 支持 帮助 推荐 申报 实施 完成 开展 承担 牵头 配合
依托 联合 会同 走访 引导 鼓励 发放 给予 拨付 下达 落实 涉及 还有 另有 并 且 一是 二是 三是 四是 五是 首先 其次
最后 分别是 分别为 省级 市级 国家级
""".split()), key=len, reverse=True))
_AFTER = re.compile(r"(?:[\u4e00-\u9fff][省市县区]|\d年)$")  # 某市某创业园, 2022年科技局
_NAMED = re.compile(r"[\u4e00-\u9fff]{0,16}(?:" + "|".join(NAME_SUFFIXES) + ")")
_TITLED = re.compile(r"[《“\"「]([^》”\"」]{2,40})[》”\"」]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def unsupported_names(answer: str, sources: list[str]) -> list[str]:
    """Names in `answer` (…股, …中心, …公司, 《title》, “quoted”) that `sources` do not name that way.

    办公服务股 is unsupported when the source says 办公室（政务服务股）: 服务股 is there, but only as the tail
    of another name. 设有办公室 is supported: 设有 is not part of the name.
    """
    text = _normalise(_MARKER.sub("", answer))
    source = _normalise("\n".join(sources))
    missing = [t for t in _TITLED.findall(text) if t not in source]
    for m in _NAMED.finditer(text):
        for end in _suffix_ends(m.group(0)):
            name = _invented_name(m.group(0)[:end], source)
            if name and name not in missing:
                missing.append(name)
    return missing


def _suffix_ends(span: str) -> list[int]:
    """Ends of every name suffix inside a span: 科技局内设办公室 → after 局 and after 室."""
    return sorted({i + len(x) for x in NAME_SUFFIXES for i in range(len(span)) if span.startswith(x, i)})


def _invented_name(span: str, source: str) -> str:
    """The name that `span` ends with, if the source does not name it so; '' when it does."""
    suffix = next(x for x in NAME_SUFFIXES if span.endswith(x))
    stem = span[: -len(suffix)]
    if len(stem) < 2 or stem.endswith(_DETERMINERS):
        return ""  # 本局, 30家企业, 以企业为中心: a common noun, not a name
    known = next((span[i:] for i in range(len(span) - len(suffix)) if span[i:] in source), "")
    if known == span:
        return ""
    if known and _stands_alone(known, source):
        return ""  # 设有办公室, 推荐江西…有限公司: the words before the name are not part of it
    return _without_glue(span[-(len(known) + 2):] if known else span, len(suffix))


def _without_glue(name: str, suffix_len: int) -> str:
    """内设教育股 → 教育股: the name as the reader sees it, without the words before it."""
    cuts = [i for i in range(1, len(name) - suffix_len) if name[:i].endswith(_GLUE)]
    return name[max(cuts):] if cuts else name


def _stands_alone(name: str, source: str) -> bool:
    """Whether the source uses `name` as a whole name somewhere, not only as the tail of a longer one."""
    for m in re.finditer(re.escape(name), source):
        head = source[max(m.start() - 4, 0):m.start()]
        if not head or not _CJK.match(head[-1]) or head.endswith(_GLUE) or _AFTER.search(head):
            return True
    return False
