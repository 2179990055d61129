"""How well a span of report text covers a question's subject terms (IDF-weighted, synonyms included)."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from assistant import lexicon
from assistant.asks import UnitKind
from assistant.question import YEAR, Question
from ingest.models import Chunk
from vectorstore.tokenize import bigrams, normalise

QUANTIFIER_WEIGHT = 0.5
IMPLIED = 0.5  # a term the sentence lacks but its report's opening names counts this much (what it is about)
OPENING_CHARS = 300  # at most this much of a report's opening: its first sentence
_NOISE = re.compile(r"[\s\u3000“”\"‘’「」]+")  # quote marks inside a term (“三公”经费) do not split it


_THOUSANDS_SEP = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # 1,756.37 is 1756.37 as a question writes it


def norm_text(text: str) -> str:
    return _THOUSANDS_SEP.sub("", _NOISE.sub("", normalise(text)))


class Matcher:
    """Scores spans against a question. Built once per corpus; IDF comes from the chunks."""

    def __init__(self, chunks: list[Chunk], names: list[str] | tuple[str, ...] = ()) -> None:
        self.names = tuple(norm_text(n) for n in names if len(n) >= 2)
        # What the reports' own figures are figures of (临聘人员, 人员支出): a question naming one asks about it.
        self.labels = frozenset(norm_text(f.label) for c in chunks for f in c.facts)
        self._texts = [norm_text(f"{c.section}\n{c.text}") for c in chunks]
        self._joined = "\n".join(self._texts)
        # Each report's opening (its first sentence after the title): what the report is about, said once for all
        # of it. (The title's words, 绩效自评报告, are the genre's: every report's.)
        read: dict[str, str] = {}  # each report's first body chunks, up to the first 。 or OPENING_CHARS
        for c in sorted((c for c in chunks if c.kind != "title"), key=lambda c: (c.source, c.start)):
            before = read.get(c.source, "")
            if "。" not in before and len(before) < OPENING_CHARS:
                read[c.source] = before + norm_text(c.text)
        self._openings = {source: text.split("。")[0][:OPENING_CHARS] for source, text in read.items()}
        self._n = max(len(self._texts), 1)
        self._idf = lru_cache(maxsize=4096)(self._idf_uncached)
        # Every year the reports mention, and their own years.
        self.years = {int(y) for c in chunks for y in YEAR.findall(c.text)} | {c.year for c in chunks if c.year}

    def _idf_uncached(self, form: str) -> float:
        df = sum(form in t for t in self._texts)
        return math.log(1 + self._n / (1 + df))

    def in_corpus(self, form: str) -> bool:
        return norm_text(form) in self._joined

    def abbreviated_in_corpus(self, form: str) -> bool:
        """Whether the corpus names `form` in full, with words between its characters: 数据中心 for 大数据研究中心,
        公务车 for 公务用车 (up to two characters between, within one line)."""
        chars = norm_text(form)
        if len(chars) < 3:
            return False
        pattern = "[^\n。；，]{0,2}".join(map(re.escape, chars))
        return re.search(pattern, self._joined) is not None

    def units(self, q: Question) -> list[tuple[tuple[str, ...], float]]:
        """(forms, weight) per subject term; longer, rarer terms weigh more."""
        out = []
        seen = set()
        for term in q.terms + [p for p in q.expanded if p not in q.terms]:
            forms = tuple(dict.fromkeys([term, *q.expanded.get(term, ())]))
            if q.english and term.isascii():
                forms = q.expanded.get(term, ())
            forms = tuple(norm_text(f) for f in forms if f)
            if not forms or forms in seen:
                continue
            seen.add(forms)
            present = [f for f in forms if self.in_corpus(f)]
            # A subject the reports never name weighs as much as the rarest word: it must not be ignored.
            idf = max((self._idf(f) for f in present), default=math.log(1 + self._n))
            weight = idf * math.sqrt(max(len(forms[0]), 1))
            if term in lexicon.QUANTIFIERS:  # (一共几个方面: a count is of all it counts; 分为七个方面 says no 共)
                if q.unit is UnitKind.COUNT:
                    continue
                weight *= QUANTIFIER_WEIGHT
            out.append((forms, weight))
        return out

    def coverage(self, q: Question, text: str, source: str = "") -> float:
        """Weighted share of the question's terms found in `text` (0..1). With `source`, a term `text` lacks that
        the report's opening names counts in part: 某村 of a project report's 某村某产业项目 is what all
        its sentences are about (那口机井有多深: 新建300米深机井1座 need not say where)."""
        units = self.units_cached(q)
        if not units:
            return 0.0
        t = norm_text(text)
        total = sum(w for _, w in units)
        found = _found(units, t)
        hit = sum(w for (_, w), f in zip(units, found) if f)
        opening = self._openings.get(source, "") if source else ""
        if opening:
            hit += IMPLIED * sum(w for (_, w), f, o in zip(units, found, _found(units, opening)) if o and not f)
        return hit / total

    def terms_in(self, q: Question, text: str) -> frozenset[int]:
        """Which of the question's terms (by position) `text` names, in any of their forms."""
        t = norm_text(text)
        return frozenset(i for i, found in enumerate(_found(self.units_cached(q), t)) if found)

    def coverage_beyond(self, q: Question, text: str, context: str) -> float:
        """Like `coverage`, over only the terms `context` does not already contain."""
        c = norm_text(context)
        units = [(forms, w) for forms, w in self.units_cached(q) if not any(f in c for f in forms)]
        if not units:
            return 0.0
        t = norm_text(text)
        return sum(w for (_, w), found in zip(units, _found(units, t)) if found) / sum(w for _, w in units)

    def bigram_overlap(self, q: Question, text: str) -> float:
        qb = set(bigrams(q.norm))
        if not qb:
            return 0.0
        return len(qb & set(bigrams(norm_text(text)))) / len(qb)

    def units_cached(self, q: Question):
        cached = getattr(q, "_units", None)
        if cached is None:
            cached = self.units(q)
            object.__setattr__(q, "_units", cached)
        return cached

    def opening(self, source: str) -> str:
        """The report's opening (normalised): what all its sentences are about."""
        return self._openings.get(source, "")

    def score(self, q: Question, text: str, source: str = "") -> float:
        return 0.8 * self.coverage(q, text, source) + 0.2 * self.bigram_overlap(q, text)

    def nearest_to_end(self, q: Question, text: str) -> float:
        """How late in the question the latest term found in `text` sits (0..1): in 基本支出当中人员支出占多少,
        the subject is the last-named thing."""
        t = norm_text(text)
        matched = [forms[0] for forms, _ in self.units_cached(q) if any(f in t for f in forms)]
        if not matched:
            return 0.0
        longest = max(matched, key=len)
        return (max(q.norm.rfind(longest), 0) + len(longest)) / max(len(q.norm), 1)

    def heads(self, q: Question, heading: str) -> bool:
        """Whether `heading` ends in one of the question's terms (its head noun names what was asked)."""
        h = norm_text(re.sub(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]", "", heading)).rstrip("。：:，,")
        return any(len(f) >= 2 and h.endswith(f) for forms, _ in self.units_cached(q) for f in forms)

    def names_in(self, q: Question, text: str) -> float:
        """1.0 when `text` holds every name (乙公司, 某站, 某贷款产品) the question mentions; 0 when it has none."""
        names = [n for n in self.names if n in q.norm] + [norm_text(p) for p in q.proper]
        if not names:
            return 0.0
        t = norm_text(text)
        return sum(n in t for n in names) / len(names)

    def rarest_name(self, q: Question) -> str:
        """The most specific name the question mentions (乙公司 rather than 某贷款产品), or ''."""
        names = [n for n in self.names if n in q.norm and n not in q.bodies] + [norm_text(p) for p in q.proper]
        return max(names, key=lambda n: (self._idf(n), len(n)), default="")  # (a body named is whose report)

    def uncovered(self, q: Question) -> list[str]:
        """Subject terms the corpus never mentions, in any of their forms."""
        missing = []
        for term in q.terms:
            forms = (term, *q.expanded.get(term, ()))
            if q.english and term.isascii():
                forms = q.expanded.get(term, ())
            if not any(self.in_corpus(f) for f in forms):
                missing.append(term)
        return missing + list(q.unmapped)


def _found(units: list[tuple[tuple[str, ...], float]], text: str) -> list[bool]:
    """Which units `text` names in any form; a compound named by its synonym (领导职数 by 主任…副主任) names its
    parts (领导, 职数) too: the synonym stands for the whole of what the parts say."""
    found = [any(f in text for f in forms) for forms, _ in units]
    by_synonym = [forms[0] for (forms, _), hit in zip(units, found) if hit and forms[0] not in text]
    if by_synonym:
        found = [hit or any(len(forms[0]) < len(c) and forms[0] in c for c in by_synonym)
                 for (forms, _), hit in zip(units, found)]
    return found
