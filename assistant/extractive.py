"""The default answerer: picks the report's own facts, list items or sentences, and cites each one."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from assistant.draft import Draft, Span
from assistant.lexicon import SYNONYMS
from assistant.lists import ListItem, best_list, focused_item
from assistant.matching import Matcher, norm_text
from assistant.models import NOT_FOUND
from assistant.question import UNIT_GROUPS, Intent, Question, UnitKind
from ingest.models import Chunk, Fact
from ingest.sentences import clause_spans, sentence_spans
from vectorstore.hybrid import ScoredChunk
from vectorstore.tokenize import bigrams

log = logging.getLogger(__name__)

# Thresholds, calibrated on the labelled questions in evals/ (see docs/EVAL.md).
MIN_FIGURE_SCORE = 0.35
MIN_SENTENCE_SCORE = 0.3
MIN_LIST_SCORE = 0.4
NAMED_ELSEWHERE = 0.6  # a figure whose sentence lacks the firm or place the question names
RESTATED_SHARE = 0.5  # the same figure elsewhere, at half the best score or more, is cited as well
NAMED_NEARBY = 0.85
ASKED_MISSING = 0.7
COMPLEMENT_SHARE = 0.6  # a sentence that covers what the best one leaves out, at this share of its score…
COMPLEMENT_GAIN = 0.3  # …and at least this share of the question's weighted terms  # a sentence without the noun a 什么 question asks for  # … whose sentence names it, but not its own clause
HEADING_BODY_CHARS = 120
WINDOW_CHARS = 60  # a longer sentence is answered with its best run of clauses
_LEAD_FILLER = re.compile(r"^(?:\d{1,2}[、.．](?!\d)|其中[：:]?|包含|包括|[一二三四五六七八九十]是|同时|目前|并且|另外)+")
_MEASURE_WORDS = re.compile(r"(?:同比|比上年|较上年)?(?:金额|总额|总计|合计|共计|资金|数量|人数|比例|占比|增长|增幅|下降)")
_LEAD_STOP = frozenset("，,。；;（(）)：:！？!?")
_LIST_CONCEPTS = ("问题", "不足", "措施", "改进", "成绩", "成效", "完成", "目标", "任务", "职责", "机构")


@dataclass(frozen=True)
class Candidate:
    score: float
    span: Span
    lead: str  # verbatim text stated in the answer
    label: str = ""  # the fact's label, for figure candidates
    figure: str = ""  # value and unit, for figure candidates
    fact: Fact | None = None
    lead_start: int = -1  # source offsets of the lead, for figure candidates
    lead_end: int = -1


def answer_extractive(q: Question, hits: list[ScoredChunk], corpus: list[Chunk], matcher: Matcher,
                      doc_years: set[int], wider: Question | None = None) -> Draft:
    """Figure, list or sentence answer; an abstention when nothing in the report answers.

    `wider` is the whole question when `q` is one part of it (有几家被认定 after 组织几家企业申报…).
    """
    if not hits:
        return _abstain()
    if q.members:
        return _members_draft(q, _figure_candidates(q, _with_source_chunks(hits, corpus), matcher, doc_years, wider))
    if q.breakdown or q.compare:
        figures = _figure_candidates(q, _with_source_chunks(hits, corpus), matcher, doc_years, wider)
        draft = _parts_draft(q, figures)
        if draft is not None:
            return draft
    if q.intent is Intent.FIGURE:
        figures = _figure_candidates(q, _with_source_chunks(hits, corpus), matcher, doc_years, wider)
        if q.per_unit:  # 每家奖励多少: a total is no answer; the report must state an amount per firm
            figures = [c for c in figures if _PER_MARK.search(_sentence_text(c))]
        if figures and figures[0].score >= MIN_FIGURE_SCORE:
            return _figure_draft(figures)
        return _abstain()
    wants_list = q.intent is Intent.LIST or any(c in q.norm for c in _LIST_CONCEPTS)
    sentences = _sentence_candidates(q, hits, matcher, doc_years)
    if wants_list:
        found = best_list(q, hits, corpus, matcher)
        top_sentence = sentences[0].score if sentences else 0.0
        if found and found[0] >= MIN_LIST_SCORE and (q.intent is Intent.LIST or found[0] >= top_sentence):
            item = focused_item(q, found[1], found[2], matcher)
            if item is None:
                return _list_draft(found[1], found[2])
            detail = _item_detail(q, item, sentences)
            if detail and q.intent is Intent.LIST:
                detail = _whole_paragraph(detail)
            if detail:
                return _sentence_draft([detail])
    if sentences and sentences[0].score >= MIN_SENTENCE_SCORE:
        if q.intent is Intent.LIST:
            return _sentence_draft([_whole_paragraph(sentences[0])])
        return _sentence_draft(sentences, q, matcher)
    return _abstain()


def _item_detail(q: Question, item: ListItem, sentences: list[Candidate]) -> Candidate | None:
    """The item's heading with the sentences after it, as the sentence answerer would give it."""
    chunk = item.span.chunk
    spans = sentence_spans(chunk.text)
    if not spans:
        return None
    s = spans[0][0]
    e = next((b for _, b in spans[1:] if b - s >= HEADING_BODY_CHARS), spans[-1][1])
    return Candidate(1.0, Span(chunk, s + chunk.start, e + chunk.start), chunk.text[s:e].strip())


def _with_source_chunks(hits: list[ScoredChunk], corpus: list[Chunk], sources: int = 3) -> list[ScoredChunk]:
    """The hits, then every other chunk of the reports the top hits come from (unranked).

    Facts are few and cheap to score, and a paraphrased question (局里发工资的开销) can miss the
    right paragraph in retrieval while its label still matches. Only the top reports are read, so
    this stays small when thousands of reports are stored.
    """
    top_sources = list(dict.fromkeys(h.chunk.source for h in hits))[:sources]
    seen = {h.chunk.id for h in hits}
    extra = [ScoredChunk(c, 0.0) for c in corpus if c.source in top_sources and c.id not in seen and c.facts]
    return list(hits) + extra


def _whole_paragraph(best: Candidate) -> Candidate:
    """A list question answered by prose (主要职责是：…。…。) needs the paragraph, not one sentence."""
    chunk = best.span.chunk
    start = min(best.span.start, chunk.start + (sentence_spans(chunk.text) or [(0, 0)])[0][0])
    return Candidate(best.score, Span(chunk, start, chunk.end), chunk.text[start - chunk.start:].strip())


def _abstain() -> Draft:
    draft = Draft(abstained=True)
    draft.add(NOT_FOUND)
    return draft


def _year_ok(q: Question, text: str, chunk: Chunk) -> bool:
    """A question about another year or place than the report's needs that year or place in the evidence."""
    other = [y for y in q.years if y != chunk.year]
    places = [p for p in q.places if p not in chunk.department and p not in chunk.title]
    own = {chunk.department, chunk.department.replace("科学技术", "科技")}
    bodies = [b for b in q.bodies if not any(o.endswith(b) for o in own)]
    return all(str(y) in text for y in other) and all(p in text for p in places + bodies)


def _unit_ok(q: Question, fact: Fact) -> bool:
    if q.unit is UnitKind.ANY:
        return True
    if q.unit is UnitKind.COUNT:
        # 几个 counts anything (几个人, 几个项目); 几家/几名 name their unit.
        allowed = (q.count_unit,) if q.count_unit and q.count_unit != "个" else ()
        money = UNIT_GROUPS[UnitKind.MONEY] + UNIT_GROUPS[UnitKind.PERCENT]
        if q.count_unit in ("人", "名"):
            allowed = ("人", "名")
        return fact.unit in allowed if allowed else fact.unit not in money
    return fact.unit in UNIT_GROUPS[q.unit]


def _sentence_of(chunk: Chunk, pos: int) -> tuple[int, int]:
    for s, e in sentence_spans(chunk.text):
        if s + chunk.start <= pos < e + chunk.start:
            return s + chunk.start, e + chunk.start
    return chunk.start, chunk.end


def _figure_candidates(q: Question, hits: list[ScoredChunk], matcher: Matcher, doc_years: set[int],
                       wider: Question | None = None) -> list[Candidate]:
    """Every fact of the hits with its lead, scored against the question (and the whole question it
    is a part of, when it is one part of several)."""
    out: list[Candidate] = []
    top = hits[0].score or 1.0
    rarest = matcher.rarest_name(q)
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        for fact in chunk.facts:
            if not _unit_ok(q, fact):
                continue
            s_start, s_end = _sentence_of(chunk, fact.start)
            sentence = chunk.text[s_start - chunk.start:s_end - chunk.start]
            if not _year_ok(q, sentence, chunk):
                continue
            lead_start, lead_end = _lead_span(chunk, fact, s_start, s_end)
            lead = chunk.text[lead_start - chunk.start:lead_end - chunk.start]
            context = _bracket_context(chunk, s_start, lead_start, lead_end)
            score = (0.4 * matcher.score(q, lead) + 0.15 * matcher.score(q, context)
                     + 0.25 * matcher.score(q, sentence)
                     + 0.1 * matcher.score(q, chunk.section) + 0.1 * hit.score / top
                     + 0.05 * matcher.nearest_to_end(q, lead) + 0.15 * matcher.names_in(q, context))
            if rarest and rarest not in norm_text(context):
                # 乐胜拿到的贷款是多少: a figure of some other firm does not answer for 乐胜.
                score *= NAMED_NEARBY if rarest in norm_text(sentence) else NAMED_ELSEWHERE
            if wider is not None:
                score += 0.1 * matcher.score(wider, sentence)
            lead = _clean_lead(lead)
            if fact.value.count(".") > 1:  # 449.34.34万元: say so rather than repeat it as if it were sound
                lead += "（原文数字如此，疑有笔误）"
            out.append(Candidate(score, Span(chunk, s_start, s_end), lead, norm_text(fact.label),
                                 fact.value + fact.unit, fact, lead_start, lead_end))
    out.sort(key=lambda c: -c.score)
    return _dedupe(out)


def _lead_span(chunk: Chunk, fact: Fact, s_start: int, s_end: int) -> tuple[int, int]:
    """The fact's own words: its label and figure, or its whole clause when the label is elsewhere."""
    text, base = chunk.text, chunk.start
    seg, stop = fact.start - base, fact.end - base
    number = text.rfind(fact.value, seg, stop)
    label = norm_text(fact.label)
    start = seg
    if _MEASURE_WORDS.fullmatch(label):
        # 金额共计500万元 / 同比增长8.3%: the clause before says what the amount or growth is of.
        start = _clause_start(text, s_start - base, max(_clause_start(text, s_start - base, number) - 1, 0))
    elif label and label not in norm_text(text[seg:number]):
        start = _clause_start(text, s_start - base, number)
        label_after = label in norm_text(text[stop:s_end - base])
        if not label_after and len(text[start:number].strip()) < 2 and start > s_start - base:
            start = _clause_start(text, s_start - base, start - 1)  # 满意度持续上升，超90%
    end = stop
    while end < s_end - base and text[end] not in _LEAD_STOP and not (end == stop and _next_figure(text, end, s_end - base)):
        end += 1
    if end < s_end - base and text[end] in "（(":  # 2家企业（新恒机械、捷豹药械）被认定: the clause goes on
        close = _closing(text, end, s_end - base)
        if close is not None and close < s_end - base and text[close] not in _LEAD_STOP:
            end = close
            while end < s_end - base and text[end] not in _LEAD_STOP:
                end += 1
    return start + base, end + base


def _next_figure(text: str, pos: int, limit: int) -> bool:
    """At a 、 that starts another figure's item (金鹰科技200万元、乐胜300万元): the lead ends here."""
    if text[pos] != "、":
        return False
    end = pos + 1
    while end < limit and text[end] not in _LEAD_STOP and text[end] != "、":
        end += 1
    return bool(re.search(r"\d", text[pos:end]))


def _bracket_context(chunk: Chunk, s_start: int, lead_start: int, lead_end: int) -> str:
    """The lead, widened past an enclosing bracket: 金鹰科技200万元 sits in （…） after 科贷通贷款…500万元."""
    text, base = chunk.text, chunk.start
    opened = text.rfind("（", s_start - base, lead_start - base)
    closed = text.rfind("）", s_start - base, lead_start - base)
    if opened == -1 or closed > opened:  # the whole clause: 九江新恒机械有限公司获得“科贷通”贴息贷款2万元
        return text[_clause_start(text, s_start - base, lead_start - base):lead_end - base]
    start = _clause_start(text, s_start - base, opened)
    if _MEASURE_WORDS.match(norm_text(text[start:opened])):  # 金额共计500万元（…）: what it is the total of
        start = _clause_start(text, s_start - base, max(start - 1, 0))
    return text[start:lead_end - base]


def _clause_start(text: str, floor: int, pos: int) -> int:
    return max([floor] + [text.rfind(d, floor, pos) + 1 for d in "，,；;：:。"])


def _clean_lead(lead: str) -> str:
    return _LEAD_FILLER.sub("", lead.strip().strip("、，,").rstrip("。；;：:")).strip()


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in cands:
        key = norm_text(c.lead)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _figure_draft(cands: list[Candidate]) -> Draft:
    draft = Draft()
    best = cands[0]
    draft.add(f"{best.lead}{draft.cite(best.span)}。")
    shown = 0
    for other in cands[1:6]:
        if shown == 2 or other.span == best.span:
            continue
        # Reports state one quantity in two places, sometimes two ways (增长8.33% / 同比增长8.3%):
        # show the close runner-up for the same quantity, and the other place a figure is restated.
        same_quantity = other.label and best.label and (other.label in best.label or best.label in other.label)
        restated = _same_figure(other, best) and other.score >= RESTATED_SHARE * best.score
        if restated or (same_quantity and other.score >= 0.9 * best.score):
            draft.add(f"\n另：{other.lead}{draft.cite(other.span)}。")
            shown += 1
    return draft


def _same_figure(a: Candidate, b: Candidate) -> bool:
    """623.97万元 == 623.97万元; 8.33% restates 8.3% (one rounded to fewer places), when their labels agree."""
    if a.figure == b.figure:
        return True
    if not (a.fact and b.fact) or a.fact.unit != b.fact.unit:
        return False
    x, y = _decimal(a.fact.value), _decimal(b.fact.value)
    if x is None or y is None or x == y:
        return x is not None and x == y
    short, long_ = (x, y) if -x.as_tuple().exponent < -y.as_tuple().exponent else (y, x)
    places = -short.as_tuple().exponent
    rounds = long_.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == short
    shared = set(bigrams(a.label)) & set(bigrams(b.label))
    return rounds and places >= 1 and bool(shared or a.label in b.label or b.label in a.label)


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value.count(".") <= 1 else None
    except InvalidOperation:
        return None


_PER_MARK = re.compile(r"每|人均|户均|平均|各")


def _sentence_text(cand: Candidate) -> str:
    return cand.span.quote


def _members_draft(q: Question, figures: list[Candidate]) -> Draft:
    """入库的31家企业是哪些: the names, when the report lists them after the count; else an honest
    abstention that says the report gives only the number."""
    counted = [c for c in figures if c.fact and c.fact.value + c.fact.unit == q.members and c.score >= MIN_FIGURE_SCORE]
    for cand in counted:
        bounds = _parts_span(cand)
        if bounds is not None and bounds[1] < bounds[2]:
            chunk = cand.span.chunk
            draft = Draft()
            end = max(bounds[2], cand.lead_end)  # …（新恒机械、捷豹药械）被认定
            draft.add(f"{_clean_lead(chunk.text[bounds[0] - chunk.start:end - chunk.start])}{draft.cite(cand.span)}。")
            return draft
    draft = _abstain()
    if counted:
        draft.notice = "报告只给出了数量，没有列出具体名单。"
    return draft


def _parts_span(cand: Candidate) -> tuple[int, int, int] | None:
    """Source offsets (start, parts start, end) of a figure with the parts the report splits it into, or None.

    项目支出…万元（其中：本级…123.9万元，…325.44万元）: the figure and its bracket. 总支出623.97万元，其中：
    基本支出…，项目支出…: the figure to the end of its sentence. An item inside such a bracket
    (金鹰科技200万元) stands for the bracket and the total before it.
    """
    chunk, base = cand.span.chunk, cand.span.chunk.start
    text = chunk.text
    s_start, s_end = cand.span.start - base, cand.span.end - base
    start, end = cand.lead_start - base, cand.lead_end - base
    if start < 0:
        return None
    opened = text.rfind("（", s_start, start)
    if opened != -1 and text.rfind("）", s_start, start) < opened:  # the figure is itself a part
        close = _closing(text, opened, s_end)
        return (_clause_start(text, s_start, opened) + base, opened + base, close + base) if close else None
    after = cand.fact.end - base if cand.fact else end
    named = re.match(r"[^，,。；;：:（(）)]{0,6}[（(]", text[after:s_end])  # 2家企业（新恒机械、捷豹药械）
    if named:
        opened = after + named.end() - 1
        close = _closing(text, opened, s_end)
        return (start + base, opened + base, close + base) if close else None
    rest = text[end:s_end]
    if re.match(r"[，,]?\s*(?:其中|包括|包含|含|分别|具体为)|[：:]", rest):
        return start + base, end + base, s_end + base
    return None


def _closing(text: str, opened: int, limit: int) -> int | None:
    """The offset just past the bracket that opens at `opened`, or None when it does not close in the sentence."""
    depth = 0
    for i in range(opened, limit):
        if text[i] in "（(":
            depth += 1
        elif text[i] in "）)":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _parts_draft(q: Question, figures: list[Candidate]) -> Draft | None:
    """由哪几部分组成 / 各是多少 / 哪家贷得多: the best figure with the parts it is split into, cited.

    For a comparison, the largest (or smallest) part is named; no figure is computed, so every
    figure in the answer is one the cited sentence states.
    """
    if not figures or figures[0].score < MIN_FIGURE_SCORE:
        return None
    for cand in figures[:8]:
        if cand.score < 0.8 * figures[0].score:
            break
        bounds = _parts_span(cand)
        if bounds is None:
            continue
        chunk = cand.span.chunk
        start, parts_start, end = bounds
        unit = cand.fact.unit if cand.fact else ""
        parts = [f for f in chunk.facts if parts_start <= f.start and f.end <= end and f.unit == unit]
        if len(parts) < 2:
            continue
        text = chunk.text[start - chunk.start:end - chunk.start]
        draft = Draft()
        draft.add(f"{_clean_lead(text)}{draft.cite(cand.span)}。")
        if q.compare:
            named = _extreme(parts, q.compare)
            if named is not None:
                word = "最多" if q.compare == "max" else "最少"
                draft.add(f"\n其中{word}的是：{_clean_lead(named.clause.strip('、，,（('))}{draft.cite(cand.span)}。")
        return draft
    return None


def _extreme(parts: list[Fact], direction: str) -> Fact | None:
    """The one part with the largest (or smallest) value; None on a tie or a malformed figure."""
    valued = [(v, f) for f in parts if (v := _decimal(f.value)) is not None]
    if len(valued) < 2 or len(valued) != len(parts):
        return None
    valued.sort(key=lambda vf: vf[0], reverse=direction == "max")
    if valued[0][0] == valued[1][0]:
        return None
    return valued[0][1]


def _sentence_candidates(q: Question, hits: list[ScoredChunk], matcher: Matcher, doc_years: set[int]
                         ) -> list[Candidate]:
    out: list[Candidate] = []
    top = hits[0].score or 1.0
    asked_forms = [norm_text(f) for f in (q.asked, *SYNONYMS.get(q.asked, ()))] if q.asked else []
    for hit in hits:
        chunk = hit.chunk
        if chunk.kind == "title":
            continue
        section_score = matcher.score(q, chunk.section)
        spans = sentence_spans(chunk.text)
        for index, (s, e) in enumerate(spans):
            sentence = chunk.text[s:e]
            if not _year_ok(q, sentence, chunk):
                continue
            score = 0.75 * matcher.score(q, sentence) + 0.15 * section_score + 0.1 * hit.score / top
            if q.asked and not any(f in norm_text(sentence + chunk.section) for f in asked_forms):
                score *= ASKED_MISSING  # 按什么模式推进: a sentence that names no 模式 does not say which
            listed = _introduces_enumeration(sentence)
            if listed:
                # 绩效目标：一是…；二是…；三是…: the sentence opens a list, so the answer is the whole list.
                e = _enumeration_end(chunk.text, spans, index)
            elif index == 0 and len(spans) > 1 and _is_heading_sentence(chunk, sentence):
                # A heading alone (（一）完善科技创新管理机制。) says nothing; answer with what follows it.
                # It is scored as the heading, so it wins only when the heading is what was asked about.
                e = next((b for _, b in spans[1:] if b - s >= HEADING_BODY_CHARS), spans[-1][1])
            span = Span(chunk, s + chunk.start, e + chunk.start)
            out.append(Candidate(score, span, chunk.text[s:e].strip() if listed else _window(q, matcher, chunk, s, e)))
    out.sort(key=lambda c: -c.score)
    return _dedupe(out)


_FIRST_ITEM = re.compile(r"[：:]\s*(?:一是|1[、.．]|[（(]一[）)]|首先)")
_NEXT_ITEM = re.compile(r"^\s*(?:[二三四五六七八九十]是|\d{1,2}[、.．](?!\d)|[（(][二三四五六七八九十][）)]|其次|再次|最后)")


def _introduces_enumeration(sentence: str) -> bool:
    return bool(_FIRST_ITEM.search(sentence))


def _enumeration_end(text: str, spans: list[tuple[int, int]], index: int) -> int:
    """The end of the 二是/三是… sentences that follow sentence `index` of a chunk."""
    end = spans[index][1]
    for s, e in spans[index + 1:]:
        if not _NEXT_ITEM.match(text[s:e]):
            break
        end = e
    return end


def _is_heading_sentence(chunk: Chunk, sentence: str) -> bool:
    head = norm_text(chunk.heading)
    return bool(head) and norm_text(sentence).rstrip("。：:").endswith(head[-6:]) and len(sentence) <= len(chunk.heading) + 4


def _window(q: Question, matcher: Matcher, chunk: Chunk, s: int, e: int, width: int = 3) -> str:
    """The best run of up to `width` clauses of a long sentence, so the answer leads with what was asked."""
    text = chunk.text
    if e - s <= WINDOW_CHARS or _is_heading_sentence(chunk, text[s:sentence_spans(text, s, e)[0][1]]):
        return text[s:e].strip()
    clauses = clause_spans(text, s, e)
    best, best_score = (s, e), -1.0
    for i in range(len(clauses)):
        for j in range(i, min(i + width, len(clauses))):
            a, b = clauses[i][0], clauses[j][1]
            score = matcher.score(q, text[a:b]) - 0.002 * (b - a)
            if score > best_score:
                best, best_score = (a, b), score
    return text[best[0]:best[1]].strip()


def _sentence_draft(cands: list[Candidate], q: Question | None = None, matcher: Matcher | None = None) -> Draft:
    draft = Draft()
    best = cands[0]
    draft.add(f"{_clean_lead(best.lead)}{draft.cite(best.span)}。")
    shown = [best]
    for other in cands[1:3]:
        if other.score >= 0.9 * best.score and other.span.chunk.id != best.span.chunk.id:
            draft.add(f"\n{_clean_lead(other.lead)}{draft.cite(other.span)}。")
            shown.append(other)
    if q is not None and matcher is not None:
        # 产品层次和研发投入水平: a question about two things gets the sentence that speaks of the other one.
        said = "".join(c.lead for c in shown)
        rest = [(matcher.coverage_beyond(q, c.lead, said), c) for c in cands[1:10]
                if c.score >= COMPLEMENT_SHARE * best.score and not any(_overlaps(c.span, x.span) for x in shown)]
        gain, other = max(rest, key=lambda gc: gc[0], default=(0.0, None))
        if other is not None and gain >= COMPLEMENT_GAIN:
            draft.add(f"\n{_clean_lead(other.lead)}{draft.cite(other.span)}。")
    return draft


def _overlaps(a: Span, b: Span) -> bool:
    return a.chunk.source == b.chunk.source and a.start < b.end and b.start < a.end


def _list_draft(title: str, items: list[ListItem]) -> Draft:
    draft = Draft()
    if title and not re.search(r"\d", title):
        draft.add(f"{title}：\n")
    for item in items:
        draft.add(f"- {item.text}{draft.cite(item.span)}\n")
    return draft
