"""The default answerer: picks the report's own facts, list items or sentences, and cites each one."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from assistant import lexicon
from assistant.asks import Intent
from assistant.draft import Draft, Span
from assistant.evidence_scope import top_sources, with_source_chunks, year_ok
from assistant.figure_draft import figure_draft
from assistant.figures import (
    MIN_FIGURE_SCORE,
    Candidate,
    dedupe,
    figure_candidates,
)
from assistant.holder import asks_who_is_in_charge, duty_owner, holder_draft
from assistant.kinds import percent_kind
from assistant.leads import clean_lead
from assistant.list_count import asks_list_count, count_draft
from assistant.lists import MAX_ITEMS, ListItem, best_list, cut_short, focused_item
from assistant.matching import Matcher, norm_text
from assistant.ordinals import marks_item
from assistant.parts import members_draft, parts_draft, shares_draft
from assistant.question import YEAR, Question, quoted_names
from assistant.slots import HOLDER, answers_slot, slot_words
from ingest.models import Chunk
from ingest.sentences import clause_spans, item_head_bounds, sentence_spans
from ingest.tables import is_cell_run, is_table_row
from vectorstore.hybrid import ScoredChunk

log = logging.getLogger(__name__)

# Thresholds, calibrated on the labelled questions in evals/ (see docs/EVAL.md).
MIN_SENTENCE_SCORE = 0.3
MIN_LIST_SCORE = 0.4
ASKED_MISSING = 0.7  # a sentence without the noun a 什么 question asks for
LISTS_THINGS = 1.2  # a 有哪些 question's sentence that names three things or more (机井1座,…水塔1座,…潜水泵2台)
SLOT_IN_WINDOW = 0.2  # a long sentence is answered with the clauses that state what the slot asks for
FIGURE_QUOTED = 0.1  # a sentence that states the very figure the question quotes (那1756.37万元是什么钱)
YEAR_STATED = 0.01  # of two sentences alike, the one that names the year asked about
REASON_BY_SECTION = 0.8  # a 为什么 answer whose reason is only its section's (原因分析)
COMPLEMENT_SHARE = 0.6  # a sentence that covers what the best one leaves out, at this share of its score…
COMPLEMENT_GAIN = 0.3  # …and at least this share of the question's weighted terms
HEADING_BODY_CHARS = 120
HEAD_IN_CITATION = 240  # an item's head this near the sentence that answers is cited with it, as one passage
PLACED_ITEM_CHARS = 3000  # the item asked for by its place lies this near its list's lead-in
WINDOW_CHARS = 60  # a longer sentence is answered with its best run of clauses
_LIST_CONCEPTS = ("问题", "不足", "措施", "改进", "成绩", "成效", "完成", "目标", "任务", "职责", "机构")
_PER_MARK = re.compile(r"每|人均|户均|平均|各")


def answer_extractive(q: Question, hits: list[ScoredChunk], corpus: list[Chunk], matcher: Matcher,
                      doc_years: set[int], wider: Question | None = None) -> Draft:
    """Figure, list or sentence answer; an abstention when nothing in the report answers.

    `wider` is the whole question when `q` is one part of it (有几家被认定 after 组织几家企业申报…).
    """
    if not hits:
        return Draft.not_found()
    if q.slot == HOLDER:  # 算在哪一块: the head of the item whose list names it
        sources = top_sources(hits)
        asking = slot_words(q.norm, q.slot)  # (under which spending area: how it is asked, not what about)
        named = replace(q, terms=[t for t in q.terms if not any(t in w for w in asking)])
        return holder_draft([c for c in corpus if c.source in sources], lambda text: matcher.coverage(named, text))
    figures: list[Candidate] | None = None
    if q.members or q.breakdown or q.compare or q.intent is Intent.FIGURE:
        # Scored once: the whole reports the hits come from are read, which costs at thousands of reports.
        figures = figure_candidates(q, with_source_chunks(hits, corpus), matcher, doc_years, wider)
    if q.members:
        return members_draft(q, figures)
    sentences = _sentence_candidates(q, hits, matcher, doc_years) if q.breakdown or q.intent is not Intent.FIGURE else []
    if q.breakdown or q.compare:
        draft = None
        if q.breakdown and percent_kind(q) == "share":  # 各项占多少: the shares, before the amounts of the parts
            draft = shares_draft(figures, lambda text: matcher.score(q, text))
        draft = draft or parts_draft(q, figures)
        if draft is not None:
            return draft
        if q.ranks:  # 哪项支出最多 with no stated parts of what is asked: a near sentence would name no largest
            return Draft.not_found()
        listed = [c for c in sentences[:3] if c.score >= MIN_SENTENCE_SCORE and _introduces_enumeration(c.lead)]
        if q.breakdown and listed:  # 绩效目标包括哪三项，各多少钱: 目标：一是…万元；二是…万元；三是…万元
            return _sentence_draft(listed[:1])
    if q.intent is Intent.FIGURE:
        given = quoted_figures(q) + (quoted_figures(wider) if wider is not None else [])
        if given:  # 这32.63公里里面，村内道路是多少公里: the figure the question gives is not what it asks for
            figures = [c for c in figures if c.fact is None or norm_text(c.fact.value) not in given]
        if q.per_unit:  # 每家奖励多少: a total is no answer; the report must state an amount per firm
            figures = [c for c in figures if _PER_MARK.search(c.span.quote)]
        if figures and figures[0].score >= MIN_FIGURE_SCORE:
            return figure_draft(figures)
        counted = count_draft(best_list(q, hits, corpus, matcher), corpus, lambda title: matcher.score(q, title) > 0) \
            if asks_list_count(q) else None
        return counted or Draft.not_found()  # 职责表里一共列了几条: the number of the list's last item
    wants_list = q.intent is Intent.LIST or any(c in q.norm for c in _LIST_CONCEPTS) or q.ordinal
    if wants_list:
        found = best_list(q, hits, corpus, matcher)
        if q.ordinal and found and found[0] >= MIN_LIST_SCORE and len(found[2]) >= abs(q.ordinal):
            # 主要职能第一条: the item at that place; 最后一条: the last
            item, draft = found[2][q.ordinal - 1 if q.ordinal > 0 else q.ordinal], Draft()
            if q.ordinal < 0 and cut_short(item, corpus):
                return Draft.not_found()  # the last item of a list the opening cuts off is not its last
            draft.add(f"{clean_lead(item.text)}{draft.cite(item.span)}。")
            return draft
        if q.ordinal > 0:  # a list the opening cuts short (以下职能:1.…): the sentence its place's mark opens, if any
            placed = _placed_item(q.ordinal, [c for c in sentences if c.score >= MIN_SENTENCE_SCORE][:1], corpus)
            return _sentence_draft([placed]) if placed else Draft.not_found()
        if q.ordinal:  # the last of a list not found: no other item answers
            return Draft.not_found()
        top_sentence = sentences[0].score if sentences else 0.0
        if found and found[0] >= MIN_LIST_SCORE and (q.intent is Intent.LIST or found[0] >= top_sentence):
            item = focused_item(q, found[1], found[2], matcher)
            inline = [c for c in sentences[:1] if _INLINE_ITEM.match(c.lead.split("。")[0] + "。")]
            if item is None and inline and inline[0].score > found[0]:
                return _sentence_draft(inline)  # 搭建产学研平台方面有哪些成果: one inline item of a task
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
        owner = duty_owner(sentences[0].span, sentences[0].lead, corpus) if asks_who_is_in_charge(q.norm) else None
        if owner is not None:  # 科研诚信这块归谁管: the body whose duties these are, then the duty
            draft = Draft()
            draft.add(f"{owner.quote}{draft.cite(owner)}，{clean_lead(sentences[0].lead)}{draft.cite(sentences[0].span)}。")
            return draft
        return _sentence_draft(sentences, q, matcher)
    return Draft.not_found()


def _item_detail(q: Question, item: ListItem, sentences: list[Candidate]) -> Candidate | None:
    """The item's heading with the sentences after it, as the sentence answerer would give it."""
    chunk = item.span.chunk
    spans = sentence_spans(chunk.text)
    if not spans:
        return None
    s = spans[0][0]
    e = next((b for _, b in spans[1:] if b - s >= HEADING_BODY_CHARS), spans[-1][1])
    return Candidate(1.0, Span(chunk, s + chunk.start, e + chunk.start), chunk.text[s:e].strip())


def _whole_paragraph(best: Candidate) -> Candidate:
    """A list question answered by prose (主要职责是：…。…。) needs the paragraph, not one sentence."""
    chunk = best.span.chunk
    start = min(best.span.start, chunk.start + (sentence_spans(chunk.text) or [(0, 0)])[0][0])
    return Candidate(best.score, Span(chunk, start, chunk.end), chunk.text[start - chunk.start:].strip())


def _sentence_candidates(q: Question, hits: list[ScoredChunk], matcher: Matcher, doc_years: set[int]
                         ) -> list[Candidate]:
    out: list[Candidate] = []
    top = hits[0].score or 1.0
    quoted = quoted_figures(q)
    asked_forms = [norm_text(f) for f in (q.asked, *lexicon.SYNONYMS.get(q.asked, ()))] if q.asked else []
    for hit in hits:
        chunk = hit.chunk
        if chunk.kind in ("title", "heading") or is_table_row(chunk.text, chunk.record is not None):
            continue  # a table's row answers through its record or its facts, never as a sentence; a heading with
            # no body (（二）评价原则和评价方法, where the text is cut) says nothing of what it heads
        section_score = matcher.score(q, chunk.section)
        spans = sentence_spans(chunk.text)
        for index, (s, e) in enumerate(spans):
            sentence = chunk.text[s:e]
            if not year_ok(q, sentence, chunk) or is_cell_run(sentence):
                continue
            # (a Chinese question's: an English one's glossary words are the genre's, in every report's opening)
            own = matcher.score(q, sentence, "" if q.english else chunk.source)
            head = _item_head_span(chunk, s)
            with_head = matcher.score(q, _item_gloss(chunk, head) + sentence) if head is not None else own
            if with_head <= own:
                head = None  # its item's head adds nothing asked about: the sentence stands alone
            score = 0.75 * max(own, with_head) + 0.15 * section_score + 0.1 * hit.score / top
            if q.years and any(str(y) in sentence for y in q.years):
                score += YEAR_STATED  # 2023年在…方面取得了什么结果: the sentence of 2023, not the standing goal
            if quoted and any(f in norm_text(sentence) for f in quoted):
                score += FIGURE_QUOTED  # 那1756.37万元由哪些来源构成: the sentence that states that very figure
            if q.asked and not any(f in norm_text(sentence + chunk.section) for f in asked_forms):
                score *= ASKED_MISSING  # 按什么模式推进: a sentence that names no 模式 does not say which
            if q.why and not answers_slot(sentence, q.slot):
                if not answers_slot(chunk.section, q.slot):
                    continue  # 为什么只有2家被认定: a sentence that only states the fact gives no reason
                score *= REASON_BY_SECTION  # under 问题及原因分析, the sentences are the reasons, loosely
            elif not q.why and not answers_slot(sentence, q.slot):
                # 展厅在什么地方, 那笔钱是什么来源: an answer that states no place, no source, is refused
                # (answerers._single), so a sentence without one is no candidate, however many words it shares
                continue
            names_things = q.intent is Intent.LIST and _names_things(sentence)
            if names_things:
                score *= LISTS_THINGS
            listed = _introduces_enumeration(sentence)
            if listed:
                # 绩效目标：一是…；二是…；三是…: the sentence opens a list, so the answer is the whole list.
                e = _enumeration_end(chunk.text, spans, index)
            elif _INLINE_ITEM.match(sentence) and index + 1 < len(spans):
                # 一是积极搭建产学研平台。 names an item; what it achieved follows, up to 二是.
                listed = True
                e = _item_end(chunk.text, spans, index)
            elif names_things:
                listed = True  # the whole sentence: a window of it would drop things asked for
            elif index == 0 and len(spans) > 1 and _is_heading_sentence(chunk, sentence):
                # A heading alone (（一）完善科技创新管理机制。) says nothing; answer with what follows it.
                # It is scored as the heading, so it wins only when the heading is what was asked about.
                e = next((b for _, b in spans[1:] if b - s >= HEADING_BODY_CHARS), spans[-1][1])
            span = Span(chunk, s + chunk.start, e + chunk.start)
            lead = chunk.text[s:e].strip() if listed else _window(q, matcher, chunk, s, e)
            out.append(Candidate(score, span, lead, head=head))
    out.sort(key=lambda c: -c.score)
    return dedupe(out)


def _item_head_span(chunk: Chunk, s: int) -> Span | None:
    """The head of the inline item (三是小学教育支出，…。主要用于…) a sentence of its paragraph continues, or None
    when the sentence opens its item or sits in none: 主要用于… speaks of what its item's head names."""
    floor = chunk.text.rfind("\n", 0, s) + 1
    bounds = item_head_bounds(chunk.text, floor, s + 2)  # past a mark the sentence opens with: its own head
    if bounds is None or bounds[1] >= s:
        return None
    return Span(chunk, chunk.start + bounds[0], chunk.start + bounds[1])


def _item_gloss(chunk: Chunk, head: Span) -> str:
    """An item's head with the clause that restates it (三是小学教育支出,即教育强国推进工程合计676.47万元): what the
    item is about, for judging whether a later sentence of it speaks of what was asked."""
    at = head.end - chunk.start
    m = _RESTATES.match(chunk.text, at)
    return head.quote + (chunk.text[at:m.end()] if m else "")


# 即 and a name, not 即 and a list of what the item holds (即支持…资金、公办幼儿园生均经费、…).
_RESTATES = re.compile(r"[，,]\s*(?:即|也就是|亦即)[^，,；;。、\n]{1,40}(?=[，,；;。\n])")


_FIGURE_TERM = re.compile(r"\d{3,}(?:\.\d+)?|\d+\.\d+")  # 1756.37, 2179: a figure, not 3 of 3个
_INLINE_ITEM = re.compile(r"^\s*[一二三四五六七八九十]是[^，,；;。]{2,18}。$")
_COUNTED_THING = re.compile(r"\d\s*(?:座|台|间|套|处|辆|条|个|块|口|眼|张|所|栋|幢|项)(?![\d])")


def _names_things(sentence: str) -> bool:
    """Whether a sentence names three things or more: 、-separated, or counted (新建机井1座,…,潜水泵2台)."""
    return sentence.count("、") >= 2 or len(_COUNTED_THING.findall(sentence)) >= 3


def _item_end(text: str, spans: list[tuple[int, int]], index: int) -> int:
    """The end of the sentences after an inline item's title, up to the next item (二是…)."""
    end = spans[index][1]
    for s, e in spans[index + 1:]:
        if _NEXT_ITEM.match(text[s:e]) or re.match(r"^\s*[一二三四五六七八九十]是", text[s:e]):
            break
        end = e
    return end


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
            if q.slot and not q.why and answers_slot(text[a:b], q.slot):
                score += SLOT_IN_WINDOW
            if score > best_score:
                best, best_score = (a, b), score
    following = [c for c in clauses if c[0] >= best[1]]
    if _WHICH.search(q.norm) and following and _NAMING.match(text[best[1]:following[0][1]].lstrip("，,；; ")):
        best = (best[0], following[0][1])  # 是哪两家: …验收工作，分别由戊公司…和己项目…实施 names them
    if _INTRODUCES.match(text[best[1]:e].lstrip("，,；; ")) or _LEADS_IN.search(text[best[0]:best[1] + 1]):
        best = (best[0], e)  # …维持学校的正常运转,包括:用于发放教师工资、…: what it includes is the answer
    return text[best[0]:best[1]].strip()


_WHICH = re.compile(r"哪[几两二三四五六七八九十\d]?[家个位所项名]|哪些|是谁|有谁|\bwhich\b|\bwho\b")
_NAMING = re.compile(r"分别(?:由|是|为|给|向)|即|包括")
_LEADS_IN = re.compile(r"(?:包括|包含|如下|以下)[:：]")  # …维持学校的正常运转,包括 | :用于发放教师工资、…
_INTRODUCES = re.compile(r"(?:主要|具体)?(?:包括|包含|有)[:：]|如下[:：]")


def _sentence_draft(cands: list[Candidate], q: Question | None = None, matcher: Matcher | None = None) -> Draft:
    draft = Draft()
    best = cands[0]
    head = best.head
    if head is not None and head.chunk.id == best.span.chunk.id and head.start < best.span.start \
            and best.span.start - head.end <= HEAD_IN_CITATION:
        # 三是小学教育支出…。主要用于全县义务教育学校建设工作: one citation from the item's head to what is said of it
        draft.add(f"{clean_lead(head.quote)}：{clean_lead(best.lead)}{draft.cite(Span(head.chunk, head.start, best.span.end))}。")
    else:
        if head is not None:  # say which item it is
            draft.add(f"{clean_lead(head.quote)}{draft.cite(head)}：")
        draft.add(f"{clean_lead(best.lead)}{draft.cite(best.span)}。")
    shown = [best]
    quoted = quoted_names(q.text) if q is not None else []
    for other in cands[1:3]:
        if other.score >= 0.9 * best.score and other.span.chunk.id != best.span.chunk.id \
                and not (matcher is not None and q is not None and _only_the_opening(q, matcher, other)) \
                and all(name in other.lead for name in quoted):  # “三区”人才计划's, not another fund's
            draft.add(f"\n{clean_lead(other.lead)}{draft.cite(other.span)}。")
            shown.append(other)
    if q is not None and matcher is not None:
        # 产品层次和研发投入水平: a question about two things gets the sentence that speaks of the other one.
        said = "".join(c.lead for c in shown) + (best.head.quote if best.head is not None else "")
        said += matcher.opening(best.span.chunk.source)  # what the whole report is about goes without saying
        spans = [x.span for x in shown] + ([best.head] if best.head is not None else [])
        rest = [(matcher.coverage_beyond(q, c.lead, said), c) for c in cands[1:10]
                if c.score >= COMPLEMENT_SHARE * best.score and not any(_overlaps(c.span, x) for x in spans)
                and all(name in c.lead for name in quoted)]
        gain, other = max(rest, key=lambda gc: gc[0], default=(0.0, None))
        if other is not None and gain >= COMPLEMENT_GAIN:
            draft.add(f"\n{clean_lead(other.lead)}{draft.cite(other.span)}。")
    return draft


def quoted_figures(q: Question) -> list[str]:
    """The figures a question quotes (那1756.37万元, 这32.63公里): not its years, nor the 3 of 3个."""
    return [t for t in q.terms if _FIGURE_TERM.fullmatch(t) and not YEAR.fullmatch(t)]


def _only_the_opening(q: Question, matcher: Matcher, cand: Candidate) -> bool:
    """Whether a sentence names only what the whole report is about (its opening's 衔接资金, 某村) of a question
    that asks about something more (那口机井有多深): it says nothing of what was asked."""
    opening = matcher.opening(cand.span.chunk.source)
    return bool(opening) and matcher.coverage_beyond(q, cand.lead, opening) == 0.0 \
        and matcher.coverage_beyond(q, q.norm, opening) > 0.0


def _placed_item(place: int, best: list[Candidate], corpus: list[Chunk]) -> Candidate | None:
    """The sentence opened by the mark of the item at `place`, after the best sentence (the list's lead-in)."""
    if not best:
        return None
    at = best[0].span
    for chunk in sorted((c for c in corpus if c.source == at.chunk.source and c.end > at.start
                         and c.start < at.end + PLACED_ITEM_CHARS and c.kind not in ("title", "heading")),
                        key=lambda c: c.start):
        for s, e in sentence_spans(chunk.text):
            if chunk.start + s >= at.start and marks_item(chunk.text[s:e], place):
                span = Span(chunk, chunk.start + s, chunk.start + e)
                return Candidate(best[0].score, span, chunk.text[s:e].strip())
    return None


def _overlaps(a: Span, b: Span) -> bool:
    return a.chunk.source == b.chunk.source and a.start < b.end and b.start < a.end


def _list_draft(title: str, items: list[ListItem]) -> Draft:
    draft = Draft()
    if title and not re.search(r"\d", title):
        draft.add(f"{title}：\n")
    for item in items[:MAX_ITEMS]:
        draft.add(f"- {item.text}{draft.cite(item.span)}\n")
    return draft
