"""Which body a report is by, for any body: from its title, a 单位名称 / 自评单位 field, or its opening text.

Candidates are body names (…局, …厅, …委员会, …中心, …人民政府, a school) outside 《…》 document titles. The
one named in the title lines, or else the one named most often, wins; a name without its place (市公安局,
林业局) takes the longest form of it that the report writes with a place (某市某区林业局), or the place the
report names most often for that level (市 → 某市)."""

from __future__ import annotations

import re
from collections import Counter

_FIELD = re.compile(r"(?:单位名称|部门名称|部门\(单位\)名称|部门（单位）名称|自评单位|预算单位|填报单位|评价单位)\s*[:：]?\s*"
                    r"([\u4e00-\u9fff()（）]{3,40})")
_KINDS = r"(?:人民政府|委员会|办公室|研究中心|服务中心|发展中心|中心|分局|局|厅|学校|中学|小学|大学|学院|医院|院|站|所|馆|队)"
_BODY = re.compile(r"[\u4e00-\u9fff]{1,24}?" + _KINDS + r"(?![\u4e00-\u9fff]{0,1}(?:长|级))")
_DOC_TITLE = re.compile(r"《[^》]{0,200}》|<[^>]{0,200}>|〈[^〉]{0,200}〉")
# Words before a body that are not part of its name (设立市公安局, 现将…, 根据…): the name starts after them.
_LEAD = re.compile(r"^.*?(?:年度|年|设立|现将|根据|关于|为做好|为|对|由|经|将|在|的|是|各|本级|全市|全县|全区|我|其)")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:自治区|自治州|自治县|省|市|州|县|区|旗)")
_NOT_A_BODY = re.compile(r"^(?:本|我|该|各|全|相关|有关|上级|下属|所属|内设)")
_TITLE_LINES = 3


def candidates(text: str) -> list[str]:
    """Body names in `text`, outside 《…》 titles, each cut back past the words that lead into it."""
    plain = _DOC_TITLE.sub("|", text)
    found = []
    for segment in re.split(r"[^\u4e00-\u9fff()（）]+", plain):
        last_end, last = -1, ""
        for m in _BODY.finditer(segment):
            if m.start() == last_end and last.endswith("人民政府"):  # 某市人民政府大数据研究中心: one body
                found[-1] = last = last + m.group()
                last_end = m.end()
                continue
            name = _trim(m.group())
            if name:
                found.append(name)
                last_end, last = m.end(), name
    return found


def _trim(name: str) -> str:
    name = re.sub(r"[()（）].*$", "", name) if not name.endswith(("）", ")")) else name
    lead = _LEAD.match(name)
    if lead and len(name) - lead.end() >= 2:
        name = name[lead.end():]
    if _NOT_A_BODY.match(name) or len(name) < 3:
        return ""
    return name


def parse_issuer(text: str) -> str:
    """The body the report is by, or '' when the text names none."""
    head = text[:1500]
    field = _FIELD.search(head)
    if field:
        named = candidates(field.group(1))
        if named:
            return _with_place(named[0], head)
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    counts = Counter(candidates(head))
    if not counts:
        return ""
    for line in lines[:_TITLE_LINES]:
        in_title = [c for c in candidates(line) if c in counts]
        if in_title:
            return _with_place(max(in_title, key=lambda c: (counts[c], len(c))), head)
    best = max(counts, key=lambda c: (counts[c] + sum(n for o, n in counts.items() if o != c and o.endswith(c)), len(c)))
    return _with_place(best, head)


def _with_place(name: str, text: str) -> str:
    longer = [c for c in candidates(text) if c.endswith(name) and len(c) > len(name) and _PLACE.match(c)]
    if longer:
        return max(longer, key=len)
    if name[0] in "省市县区州" and not _PLACE.match(name):
        places = Counter(re.sub(r"^中共", "", p) for p in _PLACE.findall(text) if p.endswith(name[0]))
        places = Counter({p: n for p, n in places.items() if not _NOT_A_BODY.match(p) and len(p) >= 3})
        if places:
            return places.most_common(1)[0][0] + name[1:]
    return name
