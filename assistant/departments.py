"""Departments by general rules, for any body: short forms (发展和改革局 → 发改局, 卫生健康委员会 → 卫健委), place
prefixes (某市公安局 → 公安局), and whether a name in a question is a stored department's own."""

from __future__ import annotations

import re
from collections.abc import Iterable

PLACE = re.compile(r"^((?:[\u4e00-\u9fff]{2,8}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗))+)(?=[\u4e00-\u9fff]{2,})")
# A body's kind, longest first: what a short form keeps at its end (委员会 shortens to 委).
SUFFIXES = ("委员会", "办公室", "人民政府", "研究中心", "服务中心", "中心", "分局", "局", "厅", "委", "办", "院", "所", "站",
            "校", "中学", "小学", "学校", "政府", "馆", "队")
_SHORT_SUFFIX = {"委员会": "委", "人民政府": "政府", "研究中心": "中心", "服务中心": "中心"}
_BODY_IN_TEXT = re.compile(r"[\u4e00-\u9fff]{1,14}?(?:委员会|办公室|中心|局|厅|委|院|站|学校|中学|政府)")


def strip_place(name: str) -> tuple[str, str]:
    """(place, rest): 甲市公安局 → (甲市, 公安局); a name with no place → ('', name)."""
    m = PLACE.match(name)
    return (m.group(1), name[m.end():]) if m else ("", name)


def suffix_of(name: str) -> str:
    return next((s for s in SUFFIXES if name.endswith(s)), "")


def short_forms(name: str) -> set[str]:
    """General short forms of a body's name: each part joined by 和/与 keeps its first character
    (发展和改革局 → 发改局, 文化和旅游局 → 文旅局, 人力资源和社会保障厅 → 人社厅), and a name of two-character
    words keeps the first of each (卫生健康委员会 → 卫健委); 科学技术 → 科技."""
    _, stem = strip_place(name)
    suffix = suffix_of(stem)
    core = stem[: len(stem) - len(suffix)] if suffix else stem
    short_suffix = _SHORT_SUFFIX.get(suffix, suffix)
    forms = set()
    parts = [p for p in re.split(r"[和与及]", core) if p]
    if len(parts) >= 2:
        forms.add("".join(p[0] for p in parts) + short_suffix)
    if len(core) == 4 and "和" not in core:
        forms.add(core[0] + core[2] + short_suffix)
    if suffix != short_suffix:
        forms.add(core + short_suffix)
    return {f for f in forms if len(f) >= 2 and f != stem}


def aliases(department: str) -> set[str]:
    """A department, its name without its place, and their short forms."""
    place, stem = strip_place(department)
    names = {department, stem}
    if stem.startswith("人民政府") and len(stem) > 6:  # 某市人民政府大数据研究中心 → 大数据研究中心
        names |= {stem[4:], place + stem[4:]}
    for form in short_forms(department):
        names |= {form, place + form} if place else {form}
    names |= _named_after_its_place(place, stem)
    return {n for n in names if len(n) >= 2}


_LEVEL = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗)")
_LEVEL_KIND = re.compile(r"(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗)$")


def place_levels(place: str) -> list[str]:
    """某市某区 → [某市, 某区]: each level of a place prefix."""
    return _LEVEL.findall(place)


def _named_after_its_place(place: str, stem: str) -> set[str]:
    """某市某区甲大附中某中学 → 某中学: a body inside a longer name, named by its own place's root and its kind
    (a school named after its district, under the name of the school it is affiliated with)."""
    out = set()
    for level in place_levels(place):
        root = _LEVEL_KIND.sub("", level)
        at = stem.find(root, 1)
        if len(root) >= 2 and at > 0 and suffix_of(stem) and len(stem) - at - len(root) >= 2:
            out.add(stem[at:])
    return out


def field_stem(name: str) -> str:
    """A department's name less its kind (公安局 → 公安, 发展和改革委员会 → 发展和改革): its field, found in the name of a
    body of any kind (人力资源和社会保障局's field in …人力资源和社会保障厅)."""
    return re.sub(r"(?:局|委员会|委)$", "", name)


def abbreviates(short: str, full: str) -> bool:
    """Whether `short` names `full` by dropping characters: 交通局 → 交通运输局, 发改局 → 发展和改革局,
    卫健委 → 卫生健康委员会. The first character and the body's kind must be kept; a place, if given, must match."""
    s_place, s_stem = strip_place(short)
    f_place, f_stem = strip_place(full)
    if f_stem.startswith("人民政府") and len(f_stem) > 6 and not s_stem.startswith("人民政府"):
        f_stem = f_stem[4:]  # 某市人民政府大数据研究中心 is 某市大数据研究中心 (see aliases)
    if s_place and f_place and not (f_place.endswith(s_place) or s_place.endswith(f_place)):
        return False
    if not s_place and f_place and any(len(short) > k + 2 and short.startswith(f_place[:k])
                                       and abbreviates(short[k:], full) for k in (3, 2)):
        return True  # 某某文旅局: the place by its name alone, without 县 (某某回族彝族自治县文化和旅游局)
    if not s_stem or not f_stem or s_stem[0] != f_stem[0] or len(s_stem) < 2:
        return False
    s_suffix, f_suffix = suffix_of(s_stem), suffix_of(f_stem)
    if not s_suffix or _SHORT_SUFFIX.get(f_suffix, f_suffix) != _SHORT_SUFFIX.get(s_suffix, s_suffix):
        return False
    it = iter(f_stem)
    return all(ch in it for ch in s_stem[: len(s_stem) - len(s_suffix)])


def named_in(text: str, departments: Iterable[str]) -> list[str]:
    """The stored departments a text names, in full, without its place, or by a short form."""
    bodies = [m.group() for m in _BODY_IN_TEXT.finditer(text)]
    named = []
    for department in departments:
        if any(alias in text for alias in aliases(department)) or \
                any(abbreviates(b[i:], department) for b in bodies for i in range(len(b) - 1)):
            named.append(department)
    return named
