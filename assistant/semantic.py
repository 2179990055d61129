"""Meaning from the embedder: the retrieved chunks are cut into answer units (sentences, and runs of clauses or
table cells in a long one), each unit is ranked by its dense (multilingual-e5) similarity to the question fused
with its lexical overlap, and the best unit answers when it is close enough. No glossary is asked: an English
or paraphrased question about any report finds the sentence that means what it asks."""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np

from assistant import lexicon
from assistant.draft import Draft, Span
from assistant.enumeration import other_items
from assistant.listed import only_sums_of_one_member, only_uses_of_one_member
from assistant.slots import DATE, answers_slot, states_measure
from ingest.models import Chunk
from ingest.sentences import item_head
from ingest.structure import unmarked
from ingest.tables import is_table_row

log = logging.getLogger(__name__)
MAX_UNIT = 80  # a longer sentence is cut into windows of clauses or cells
WINDOW = 48
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_BREAK = re.compile(r"[，,、：:|｜]\s*|\s+")
_EDGE = " \t\r\n，,、：:；;|｜"
_DIGIT = re.compile(r"\d")
_CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
_CAPTION_NUMBER = re.compile(r"^\s*表?\s*\d{1,2}(?:[-－.．]\d{1,2})*\s*")
_ASCII_WORD = re.compile(r"[a-z]{3,}|\d+(?:\.\d+)?")


class Embedder(Protocol):
    """What ranking needs of an embedding model (LangChain's `Embeddings` fits)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


# An answer unit is a Span: chunk.text[start - chunk.start : end - chunk.start], offsets in the source text.
Unit = Span


@dataclass(frozen=True)
class RankedUnit:
    unit: Unit
    dense: float
    lexical: float
    score: float


def units_of(chunk: Chunk) -> list[Unit]:
    """Sentences of a chunk; a sentence over MAX_UNIT characters also as overlapping windows of its clauses or
    cells (a table flattened into one line is a run of cells), cut only where the text has a break."""
    units: list[Unit] = []
    if is_table_row(chunk.text, chunk.record is not None):
        return units  # a table's row answers through its record or its facts, never as a sentence
    for m in _SENTENCE.finditer(chunk.text):
        start, end = _trimmed(chunk.text, m.start(), m.end())
        if end - start < 2:
            continue
        if end - start <= MAX_UNIT:
            units.append(Unit(chunk, chunk.start + start, chunk.start + end))
            continue
        cuts = [start] + [b.end() for b in _BREAK.finditer(chunk.text, start, end)] + [end]
        cuts = sorted(set(cuts))
        for i, left in enumerate(cuts[:-1]):
            right = next((c for c in cuts[i + 1:] if c - left >= WINDOW), end)
            s, e = _trimmed(chunk.text, left, right)
            if e - s >= 2:
                units.append(Unit(chunk, chunk.start + s, chunk.start + e))
            if right == end:
                break
    return list({(u.start, u.end): u for u in units}.values())


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


class UnitVectors:
    """Unit vectors, embedded on first use and kept (bounded): a report's units are embedded once, when a
    question first reaches them, not at ingest, so a store of 1,000 reports costs nothing until asked."""

    def __init__(self, embedder: Embedder, capacity: int = 50_000) -> None:
        self._embedder = embedder
        self._capacity = capacity
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = np.asarray(self._embedder.embed_documents(missing), dtype=np.float32)
            with self._lock:
                for text, vector in zip(missing, vectors):
                    self._cache[text] = vector / (np.linalg.norm(vector) or 1.0)
                while len(self._cache) > self._capacity:
                    self._cache.popitem(last=False)
        with self._lock:
            for t in texts:
                self._cache.move_to_end(t)
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)

    def query(self, text: str) -> np.ndarray:
        vector = np.asarray(self._embedder.embed_query(text), dtype=np.float32)
        return vector / (np.linalg.norm(vector) or 1.0)


Term = str | tuple[str, ...]  # a word, or the report-side forms of one English word (any of them counts)


def _terms_named(question_terms: Sequence[Term], text: str) -> frozenset[int]:
    """Which of the question's terms (by position) the text contains, in any of their forms."""
    lowered = text.lower()
    return frozenset(i for i, t in enumerate(question_terms)
                     if t and any(f in lowered for f in ((t,) if isinstance(t, str) else t)))


def lexical_overlap(question_terms: Sequence[Term], unit_text: str) -> float:
    """The share of the question's subject terms that the unit contains (0 when it names none)."""
    count = sum(1 for t in question_terms if t)
    return len(_terms_named(question_terms, unit_text)) / count if count else 0.0


def question_terms(norm: str, frame: Sequence[str] = ()) -> list[str]:
    """CJK bigrams of the question's words outside its frame (多少, 哪些), plus its ASCII words and numbers."""
    text = norm
    for word in sorted(frame, key=len, reverse=True):
        text = text.replace(word, " ")
    bigrams = []
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        bigrams += [run[i:i + 2] for i in range(len(run) - 1)]
    return list(dict.fromkeys(bigrams + _ASCII_WORD.findall(text)))


class UnitRanker:
    """Ranks the answer units of retrieved chunks: dense similarity, plus `lexical_weight` × lexical overlap."""

    def __init__(self, vectors: UnitVectors, lexical_weight: float = 0.1) -> None:
        self.vectors = vectors
        self.lexical_weight = lexical_weight

    def rank(self, query: str, terms: Sequence[str], chunks: Sequence[Chunk], needs_digit: bool = False,
             limit: int = 400, lexical_weight: float | None = None, headings: bool = True) -> list[RankedUnit]:
        """`headings`: a unit's own heading counts toward its overlap (a Chinese question's words are the
        report's; an English question's mapped forms match headings too loosely)."""
        weight = self.lexical_weight if lexical_weight is None else lexical_weight
        units = [u for c in chunks for u in units_of(c)][:limit]
        if needs_digit:
            units = [u for u in units if _DIGIT.search(u.quote)]
        if not units:
            return []
        dense = self.vectors.of([u.quote for u in units]) @ self.vectors.query(query)
        ranked = []
        heads = [_item_head_of(u) for u in units]
        other = other_items([(u.chunk, u.start) for u in units], heads, [u.quote for u in units],
                            lambda text: _terms_named(terms, text))
        for unit, head, elsewhere, d in zip(units, heads, other, dense.tolist()):
            # The unit's own heading is its context: under 存在的问题 a sentence need not repeat 问题. (A sentence's
            # opening clause as context was tried and dropped: it let an enumerated 七是… item through on its
            # sentence's words, and "How much did the bureau spend on vehicles?" on 支出.)
            # An enumerated item's head is its context too (四是高中教育支出，…预算完成率100%), in either language…
            context = f"{unmarked(unit.chunk.heading)} {head}" if headings else head
            lex = lexical_overlap(terms, f"{context} {unit.quote}")
            if elsewhere:
                lex /= 2  # …and another item, whose head names all that is asked, is the one asked about
            ranked.append(RankedUnit(unit, d, lex, d + weight * lex))
        ranked.sort(key=lambda r: (-r.score, r.unit.end - r.unit.start))
        return ranked


def _item_head_of(unit: Unit) -> str:
    """The head of the enumerated item a unit sits in (or starts), within its sentence."""
    text, base = unit.chunk.text, unit.chunk.start
    floor = max((text.rfind(d, 0, unit.start - base) for d in "。\n"), default=-1) + 1
    return item_head(text, floor, unit.start - base + 2)


def unit_draft(best: RankedUnit) -> Draft:
    draft = Draft()
    text = best.unit.quote.rstrip("。；;")
    draft.add(f"{text}{draft.cite(best.unit)}。")
    return draft


@dataclass(frozen=True)
class Calibration:
    """When the best unit answers. Calibrated on the labelled questions of the real reports (evals/real/dev)
    and the bundled report's sets; see docs/EVAL.md."""

    min_dense: float = 0.80  # a Chinese question: dense similarity of the best unit…
    min_lexical: float = 0.40  # …and the share of the question's words it holds,
    min_dense_close: float = 0.88  # …or a lower share when the unit is very close in meaning
    min_lexical_close: float = 0.30  # …if it holds half the weight of the question's words the report uses
    min_weight_close: float = 0.5
    min_dense_english: float = 0.80  # an English question shares no words with the report: dense first…
    min_dense_english_mapped: float = 0.755  # …or lower, when the unit holds half the report-side forms of its words
    min_lexical_english_mapped: float = 0.5
    english_lexical_weight: float = 0.25
    min_dense_english_worded: float = 0.70  # …or lower, when the unit holds half the glossary's forms of its words
    min_lexical_english: float = 0.5


_MONEY_MARK = re.compile(r"\d\s*(?:万元|亿元|千元|元)|(?:万元|元)\)?\s*[:：]?\s*$|单位\s*[:：]\s*万元")
_PERCENT_MARK = re.compile(r"\d\s*%")


class SemanticAnswerer:
    """Answers with the best-ranked unit when the rule-based answerer found nothing it trusts."""

    def __init__(self, ranker: UnitRanker, calibration: Calibration = Calibration()) -> None:
        self.ranker = ranker
        self.calibration = calibration

    def answer(self, query: str, terms: Sequence[str], chunks: Sequence[Chunk], english: bool,
               figure: bool = False, unit_kind: str = "any", measure: str = "",
               required: Sequence[str] = (), worded: bool = False, slot: str = "",
               counted: Sequence[str] = (), change: bool = False, anchors: Sequence[Term] = (),
               named: Sequence[Sequence[str]] = (), least_named: int = 1,
               weighs: Callable[[str], float] | None = None, given: Sequence[str] = (),
               rejects: Callable[[Unit], bool] | None = None) -> Draft | None:
        """`measure` is the word a figure is counted in (米 for 多少米): the unit must state a figure in it.
        `required` are names the unit must contain (a quoted name the question asks about). `worded`: every
        content word of an English question has report-side forms, so their overlap may stand in for similarity.
        `change`: the question asks how much a figure rose or fell, which a unit stating no change does not answer;
        else a unit stating only changes is no answer.
        `anchors`: what the question is about; when given, the unit must hold a form of one of them. `named`: groups
        of names (the cost items a money question names, 燃料费; its compounds, 普通教育): the unit names one of each.
        `least_named`: how many of the question's terms the unit must name (two, when only the general dictionary
        gave the words forms: one shared word, 系统, is chance). `weighs`: the weighted share of the question's words
        that the report uses which a text holds; a unit close in meaning but holding few words must hold half.
        `rejects`: a unit no answer may be (one stating only another kind of figure than asked: 编制 for 在职)."""
        ranked = self.candidates(query, terms, chunks, english, figure, unit_kind, measure, required, slot, counted,
                                 change)
        if counted and given:  # how many of the 33 villages…: a count of them other than the 33 the question gives
            ranked = [r for r in ranked if any(_counts_other(r.unit.quote, f, given) for f in counted)]
        if rejects is not None:
            ranked = [r for r in ranked if not rejects(r.unit)]
        if anchors:
            ranked = [r for r in ranked if lexical_overlap(anchors, r.unit.quote) > 0]
        if least_named > 1:
            ranked = [r for r in ranked if len(_terms_named(terms, r.unit.quote)) >= least_named]
        for group in (g for g in named if g):
            ranked = [r for r in ranked if any(n in r.unit.quote for n in group)]
        if not ranked:
            return None
        best = ranked[0]
        log.info("best unit dense %.3f lexical %.2f: %s", best.dense, best.lexical, best.unit.quote[:60])
        return unit_draft(best) if self.close_enough(best, english, worded, weighs) else None

    def candidates(self, query: str, terms: Sequence[str], chunks: Sequence[Chunk], english: bool,
                   figure: bool = False, unit_kind: str = "any", measure: str = "",
                   required: Sequence[str] = (), slot: str = "", counted: Sequence[str] = (),
                   change: bool = False) -> list[RankedUnit]:
        """The units that could answer, best first: a figure's unit states a figure in the asked unit."""
        # An English question meets the report's words only through the genre glossary's report-side forms
        # (basic expenditure → 基本支出): they weigh more there, where dense similarity across languages is weak.
        ranked = self.ranker.rank(query, terms, chunks, needs_digit=figure,
                                  lexical_weight=self.calibration.english_lexical_weight if english else None,
                                  headings=not english)
        if figure:
            groups = [(t,) if isinstance(t, str) else tuple(t) for t in terms]
            forms = [f for g in groups for f in g]
            ranked = [r for r in ranked if _fits_unit(r.unit, unit_kind, measure) and _states_figure(r.unit.quote)
                      and (not measure or states_measure(r.unit.quote, measure))
                      and (states_a_change(r.unit.quote) if change else not states_only_changes(r.unit.quote))
                      and not only_sums_of_one_member(forms, r.unit.quote, measure)  # 连通道路: not 村内道路、连通道路32.63公里
                      and not only_uses_of_one_member(groups, *_sentence_of(r.unit), measure)]  # training: not 基本支出
        if counted:  # how many patents: the unit names what is counted
            ranked = [r for r in ranked if any(f in r.unit.quote for f in counted)]
        if slot:  # when was it established: the unit must state a date; 用来干什么: a use
            ranked = [r for r in ranked if answers_slot(r.unit.quote, slot)]
        return [r for r in ranked if not _is_heading_only(r.unit) and _CJK_PAIR.search(r.unit.quote)
                and all(n in r.unit.quote for n in required)]  # a bare index cell (10, 11) says nothing

    def close_enough(self, best: RankedUnit, english: bool, worded: bool,
                     weighs: Callable[[str], float] | None = None) -> bool:
        c = self.calibration
        if english:
            return (best.dense >= c.min_dense_english
                    or (best.dense >= c.min_dense_english_mapped and best.lexical >= c.min_lexical_english_mapped)
                    or (worded and best.dense >= c.min_dense_english_worded and best.lexical >= c.min_lexical_english))
        if best.dense >= c.min_dense and best.lexical >= c.min_lexical:
            return True
        # 结余的钱属于什么来源的资金 → 结余资金为…中央直达资金: close in meaning, few words in common. Not 满意度是多少 →
        # 项目已完成竣工验收,完成率100%, which holds the project's name and not what is asked of it.
        return (best.dense >= c.min_dense_close and best.lexical >= c.min_lexical_close and weighs is not None
                and weighs(f"{unmarked(best.unit.chunk.heading)} {best.unit.quote}") >= c.min_weight_close)




def _sentence_of(unit: Unit) -> tuple[str, tuple[int, int]]:
    """The whole sentence a unit (a window of clauses) is cut from, and where the unit is in it."""
    text, at, end = unit.chunk.text, unit.start - unit.chunk.start, unit.end - unit.chunk.start
    start = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
    stops = [i for i in (text.find("。", end), text.find("\n", end)) if i != -1]
    return text[start:min(stops, default=len(text))], (at - start, end - start)


def _counts_other(text: str, form: str, given: Sequence[str]) -> bool:
    """Whether `text` counts `form` (33个行政村) with a figure other than those `given`."""
    return any(m.group(1) not in given
               for m in re.finditer(rf"(\d[\d,.]*)\s*[个家名所条座户人项位间台辆]?{re.escape(form)}", text))


def _states_figure(text: str) -> bool:
    """Whether a unit states a figure other than a year, a date or an item's number (a title's 2022年, (1)…经费)."""
    return bool(_DIGIT.search(_ITEM_NUMBER.sub("", DATE.sub("", text))))


_ITEM_NUMBER = re.compile(r"[（(]\s*\d{1,2}\s*[)）]|(?<![\d.])\d{1,2}\s*[、．](?!\d)|^\s*\d{1,2}\.(?!\d)")


_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:亿元|万元|元|%)")
_AGAINST = re.compile(r"(?:比上年|较上年|同比|比去年)[^，,。；;]{0,8}$")


def states_only_changes(text: str) -> bool:
    """Whether every amount a unit states is a change (减少994.42元, 下降4.14%): how much was spent is not that."""
    changes = _changes(text)
    return bool(changes) and all(changes)


def states_a_change(text: str) -> bool:
    """Whether a unit states an amount as a change (比上年增长9.0%, 减少17,993元): 非税收入1.2万元 does not say how much
    it grew."""
    return any(_changes(text))


def _changes(text: str) -> list[bool]:
    """For each amount the text states, whether it is stated as a change (after 增长, 减少…, or against 比上年)."""
    labels = tuple(lexicon.PERCENT_KINDS["change"]["labels"])
    return [text[:m.start()].rstrip().endswith(labels) or bool(_AGAINST.search(text[:m.start()]))
            for m in _AMOUNT.finditer(text)]


def _fits_unit(unit: Unit, kind: str, measure: str = "") -> bool:
    text = unit.quote
    if kind == "money":
        return bool(_MONEY_MARK.search(text)) or "万元" in unit.chunk.section or "单位:万元" in unit.chunk.text
    if kind == "percent":
        return bool(_PERCENT_MARK.search(text))
    if kind == "count":  # how many receptions: a count, never only an amount of money, a percentage or a length
        counted = text if measure else _quantities().sub("", text)  # how many tonnes asks in one
        return _states_figure(_AMOUNT.sub("", counted))
    return True


@cache
def _quantities() -> re.Pattern:
    """A figure in a measure of quantity (32.63公里, 1000㎡): how much of something, never how many."""
    words = "|".join(sorted(map(re.escape, lexicon.QUANTITY_MEASURES), key=len, reverse=True))
    return re.compile(rf"\d[\d,]*(?:\.\d+)?\s*(?:{words})(?![a-z])")


def _is_heading_only(unit: Unit) -> bool:
    """A title or heading line (2022年决算报告): it names a topic, it answers nothing."""
    text = _CAPTION_NUMBER.sub("", unit.quote)  # 1-1市公安局职能职责, 表2 收支情况: a table's caption
    return (unit.start == unit.chunk.start and unit.end == unit.chunk.end and len(text) <= 40
            and not _DIGIT.search(re.sub(r"(?:19|20)\d{2}年度?", "", text)) and not re.search(r"[，,。；;:：]", text))
