"""Whose reports a question is about: the stored bodies, their own names, and the department filter a question
that names some of them searches within."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.departments import abbreviates, aliases, place_levels, strip_place
from assistant.glossary import departments_named
from assistant.matching import Matcher
from assistant.question import Question
from ingest.models import Chunk
from vectorstore.tokenize import Tokenizer

_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}[省市县区]")
_OWN_PLACE = re.compile(r"^(.{2,4}?[省市县区])")
BODY = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:委员会|局|厅|委|中心)")


# A town's government is named by its town (某镇人民政府 → 某镇), an autonomous region by its root (某某自治区 → 某某).
_TOWN = re.compile(r"([\u4e00-\u9fff]{1,6}?(?:镇|乡|街道))(?:人民政府|政府|办事处)$")
_REGION = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(?:壮族|回族|维吾尔)?自治区")


def department_aliases(department: str) -> set[str]:
    """某市科学技术局 → itself, 某市科技局, 科学技术局, 科技局; 发展和改革局 → 发改局 (assistant.departments)."""
    return aliases(department) | {department.replace("科学技术", "科技")}


class StoredReports:
    """The bodies whose reports are stored, read from the served chunks and cached per loaded corpus."""

    def __init__(self, chunks: Callable[[], list[Chunk]], tokenizer: Callable[[], Tokenizer],
                 vocabulary: Callable[[dict | None], Matcher]) -> None:
        self._chunks = chunks  # the served chunks (they change on every refresh)
        self._tokenizer = tokenizer
        self.vocabulary = vocabulary  # the words and years of the reports a scope keeps
        self._cache: dict[str, tuple] = {}

    @property
    def tokenizer(self) -> Tokenizer:
        return self._tokenizer()

    def _cached(self, key: str, build: Callable[[], object]):
        chunks = self._chunks()
        hit = self._cache.get(key)
        if hit is None or hit[0] is not chunks:
            hit = self._cache[key] = (chunks, build())
        return hit[1]

    def reports(self) -> set[tuple[str, int | None]]:
        """The (department, year) pairs stored."""
        return self._cached("reports", lambda: {(c.department, c.year) for c in self._chunks()})

    def departments(self) -> frozenset[str]:
        """The named departments of the stored reports."""
        return self._cached("departments", lambda: frozenset(d for d, _ in self.reports() if d))

    def own_names(self) -> tuple[str, ...]:
        """The stored reports' own department names and places (某市, 科技局): whose report, not what about."""
        def build() -> tuple[str, ...]:
            names: set[str] = set()
            for department in self.departments():
                names |= department_aliases(department)
                place = _OWN_PLACE.match(department)
                if place:
                    names.add(place.group(1))
                names.update(place_levels(strip_place(department)[0]))  # 某市某区…: the district too
                alone = _TOWN.match(strip_place(department)[1]) or _REGION.match(department)
                if alone:
                    names.add(alone.group(1))
            names |= self._parent_places(names)
            return tuple(sorted(names, key=len, reverse=True))
        return self._cached("own_names", build)

    def _parent_places(self, names: set[str]) -> set[str]:
        """The places the reports write just before an own place (甲市 of 按照甲市乙区机构改革方案, for a body of 乙区):
        the province or city the body's own place is in, learned from the reports' text."""
        places = sorted((n for n in names if _PLACE.fullmatch(n)), key=len, reverse=True)
        if not places:
            return set()
        # (two characters and 省 or 市, as most are: where a name starts in running text is not written)
        before = re.compile(rf"([\u4e00-\u9fff]{{2}}[省市])(?:{'|'.join(map(re.escape, places))})")
        found = {m.group(1) for c in self._chunks() for m in before.finditer(c.text)}
        return {p for p in found if p not in names and _PLACE.fullmatch(p)}

    def context_names(self, text: str) -> tuple[str, ...]:
        """The names in `text` that say whose report is meant: the stored bodies' own names, and a stored body
        named by a short form of its own (某县交通局 for 某县交通运输局)."""
        own = self.own_names()
        short = [name for b in BODY.findall(text) for d in self.departments() if (name := _short_form(b, d, own))]
        return (*own, *short)

    def named_scope(self, q: Question) -> dict | None:
        """With several departments stored, a question that names some of them (科技局) searches only those."""
        departments = self.departments()
        text = "|".join([q.norm, *departments_named(q.text.lower())]) if q.english else q.norm
        bodies = [(m.group(), text[: m.start()]) for m in BODY.finditer(text)]  # read once, not per department
        named = [d for d in departments if self._names_department(text, d, bodies)]
        if not named or len(named) == len(departments):
            return None
        return {"department": sorted(named)}

    def _names_department(self, text: str, department: str, bodies: list[tuple[str, str]]) -> bool:
        """Whether `text` names `department`: 科技局 names 某市科学技术局, but 另一市统计局 and 国家统计局,
        third parties in the report, name other bodies than 某市统计局."""
        own = _OWN_PLACE.match(department)
        for alias in department_aliases(department):
            for m in re.finditer(re.escape(alias), text):
                before = text[: m.start()]
                if (own and before.endswith(own.group(1))) or not self._other_place_ends(before):
                    return True
        # 发改局 for 发展和改革局, 某县交通局 for 某县交通运输局: a short form by the general rules.
        # `bodies`: each body named in `text`, with the text before it.
        return any(abbreviates(body, department) and not self._other_place_ends(before) for body, before in bodies)

    def _other_place_ends(self, text: str) -> bool:
        """Whether `text` ends in a body's place or level (国家, 省, 另一市: a place the reports mention)."""
        if text.endswith(("国家", "中央", "省")):
            return True
        places = (text[-k - 1:] for k in (2, 3, 4) if len(text) > k)
        return any(_PLACE.fullmatch(p) and self.vocabulary(None).in_corpus(p) for p in places)


def _short_form(found: str, department: str, own: tuple[str, ...]) -> str:
    """The part of a body found in a question that names `department` by a short form, from its place on when the
    place is the department's own (消防的事也归某市公安局 → 某市公安局: 消防 is asked about); '' when none does."""
    for i in range(len(found) - 1):
        name = found[i:]
        place, _ = strip_place(name)
        if (not place or any(place in o for o in own)) and abbreviates(name, department):
            return name
    return ""
