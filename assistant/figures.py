"""Figure answers: the report's amount and count facts that answer 是多少, led by the words that name them."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, partial

from assistant import lexicon
from assistant.asks import UNIT_GROUPS, UnitKind
from assistant.counting import PERSON_COUNTERS, closes_an_item, counted_thing, counted_words, is_counter
from assistant.draft import Span
from assistant.enumeration import other_items
from assistant.evidence_scope import column_ok, year_ok
from assistant.figure_subject import (
    another_figure_named,
    asked_label,
    joined_labels,
    label_of_another,
    labels_as,
    less_the_heading,
    part_named,
    whole_named,
)
from assistant.items import asked_things, compounds, counted_end, counted_in, named_items, names_counted
from assistant.kinds import asked_amount, asked_rate, is_change, percent_kind, relation, stated_amount, stated_kind
from assistant.leads import clause_start, clean_lead, closing, table_lead
from assistant.listed import (
    asks_a_total,
    one_member_of_a_sum,
    one_use_of_a_sum,
    part_not_asked,
    quoted_item_for_a_total,
    unnamed_item,
)
from assistant.matching import Matcher, norm_text
from assistant.question import Question, quoted_names
from assistant.slots import states_measure
from ingest.models import Chunk, Fact
from ingest.sentences import item_head, sentence_spans
from ingest.tables import is_cell_fact, is_cell_run
from vectorstore.hybrid import ScoredChunk

# Thresholds, calibrated on the labelled questions in evals/ (see docs/EVAL.md).
MIN_FIGURE_SCORE = 0.35
NAMED_ELSEWHERE = 0.6  # a figure whose sentence lacks the firm or place the question names
NAMED_NEARBY = 0.85  # … whose sentence names it, but not its own clause
_AMOUNTS = frozenset(UNIT_GROUPS[UnitKind.MONEY] + UNIT_GROUPS[UnitKind.PERCENT])  # not 增加8个项目: a count
OFF_TOPIC = 0.6  # a part's figure whose sentence shares nothing with the rest of the whole question
AMOUNT_FOR_SHARE = 0.8  # 占多少 with no 比例 may be answered with the amount, when no share is stated
LABEL_NOT_ASKED = 0.85  # a figure labelled otherwise than the words the question puts before 多少, which label others
WRONG_KIND = 0.3  # a percentage stated as another kind than asked (a change for a share): it answers something else
PART_OF_WHOLE = 0.8  # a figure stated after 其中 whose own qualifier (基本 of 基本支出) the question does not name
_MEASURE_WORDS = re.compile(r"(?:同比|比上年|较上年)?"
                            r"(?:金额|总额|总计|合计|共计|资金|数量|人数|比例|占比|占|增长|增幅|增加|上升|下降|降低|减少|降幅"
                            r"|(?:支出)?(?:年初)?(?:决算|预算)数?"  # …经费年初预算为27,080元，支出决算为26,085.58元
                            r"|(?:预算)?(?:完成|执行)率)")  # …项目已完成竣工验收,完成率100%: the clause before is what
_COUNTERS = frozenset("个家名人项条所")
_LEAD_STOP = frozenset("，,。；;（(）)：:！？!?")
_PLACE_NAME = re.compile(r"(?:[镇乡村县区市州旗]|街道)$")  # 某镇, 某村: a place, not an item (村内道路)
_COUNTED_AFTER = 4  # how far after a count the noun it counts may be written (28个展区)
_QUALIFIER_CHARS = 12  # a bracket this short right after a figure qualifies it: 副主任3名(副科级)


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
    head: Span | None = None  # the inline item (三是小学教育支出) a sentence of its item belongs to


def _unit_ok(q: Question, fact: Fact) -> bool:
    if q.measure in lexicon.QUANTITY_MEASURES and fact.unit not in lexicon.QUANTITY_MEASURES:
        return False  # 修了多少公里: a length, never 计划投资2179万元
    if q.unit is UnitKind.ANY:
        return True
    if q.unit is UnitKind.COUNT:
        # 几个 counts anything (几个人, 几个项目); 几家/几名 name their unit.
        allowed = (q.count_unit,) if q.count_unit and q.count_unit != "个" else ()
        money = UNIT_GROUPS[UnitKind.MONEY] + UNIT_GROUPS[UnitKind.PERCENT]
        if q.count_unit in ("人", "名"):
            allowed = ("人", "名")
        if allowed:
            return fact.unit in allowed
        # How many villages: not 32.63公里 (a length), unless asked in it (how many tonnes, 多少公里 as a count)
        return fact.unit not in money and (fact.unit not in lexicon.QUANTITY_MEASURES or fact.unit == q.measure)
    return fact.unit in UNIT_GROUPS[q.unit]


def _sentence_of(chunk: Chunk, pos: int) -> tuple[int, int]:
    for s, e in sentence_spans(chunk.text):
        if s + chunk.start <= pos < e + chunk.start:
            return s + chunk.start, e + chunk.start
    return chunk.start, chunk.end


def figure_candidates(q: Question, hits: list[ScoredChunk], matcher: Matcher, doc_years: set[int],
                       wider: Question | None = None) -> list[Candidate]:
    """Every fact of the hits with its lead, scored against the question (and the whole question it
    is a part of, when it is one part of several)."""
    out: list[Candidate] = []
    heads: list[str] = []  # the enumerated item each candidate sits in (三是小学教育支出), or ''
    counts_asked: list[bool] = []  # whether a count candidate names the noun the question counts (分为七个方面)
    top = hits[0].score or 1.0
    rarest = matcher.rarest_name(q)
    # What the figure must be of: a term that labels a figure in the reports (人员支出), or a compound of four
    # characters or more the reports name (普通教育): a figure whose sentence lacks it is of something else.
    found = compounds(q.terms, matcher.in_corpus)
    labelled = [norm_text(t) for t in q.terms if len(t) >= 3 and norm_text(t) in matcher.labels or t in found]
    own_words = q.norm if wider is not None and wider.norm != q.norm else ""
    part_words = part_named(q, wider) if own_words else []
    asked, rate = percent_kind(q), asked_rate(q)
    # 非税收入比上年增长了多少: what changed is labelled by the words the tokenizer split (非税, 收入)
    changed = joined_labels(q, matcher.labels) if asked == "change" else []
    labelled += [j for j in changed if j not in labelled]
    amount = asked_amount(q)
    whole = whole_named(q, asked)
    own = q
    if asked == "share":  # 接待费占多少比例: 比例 is how a share is asked; 占11.81% states one without the word
        own = replace(q, terms=[t for t in q.terms if t not in lexicon.PERCENT_KINDS["share"]["labels"]])
    if whole:  # 占三公经费的比例, 本级收入中，来自税收的: the whole is named before the part, not in the part's own words
        labelled = [t for t in labelled if t not in whole.group(1)]
        own = replace(own, terms=[t for t in own.terms if t not in whole.group(1)])
        rarest = "" if rarest and rarest in whole.group(1) else rarest
    items, things = named_items(q, matcher.in_corpus), asked_things(q)
    question_forms = [*q.terms, *(f for forms in q.expanded.values() for f in forms)]
    counted_noun = counted_in(q.norm)  # 多少个展区 → 展区: what the question counts, named after its counter
    counted_forms = [norm_text(f) for w in counted_words(q.norm) for f in q.expanded.get(w, ())] \
        if q.english and q.unit is UnitKind.COUNT and q.count_unit not in PERSON_COUNTERS else []  # how many screens → 屏
    subject_forms = question_forms if not q.english else [  # how much money did…spend: no part named by them
        f for key, forms in q.expanded.items() if key not in lexicon.ENGLISH_MONEY_FRAME for f in forms]
    # “其他普通教育支出”合计多少钱: a figure is of the quoted item only where its sentence or section names it
    quoted = [*quoted_names(q.text, titles=False), *(quoted_names(wider.text, titles=False) if wider else [])]
    asks_total = asks_a_total(q.norm)
    for hit in hits:
        chunk = hit.chunk
        heading = norm_text(chunk.section.rsplit("›", 1)[-1])
        in_year_columns = [f.start for f in chunk.facts if f.column]  # (a form's cells read by their years)
        for fact in chunk.facts:
            if not _unit_ok(q, fact):
                continue
            s_start, s_end = _sentence_of(chunk, fact.start)
            sentence = chunk.text[s_start - chunk.start:s_end - chunk.start]
            cell = is_cell_fact(fact)
            columns = cell and any(s_start <= at < s_end for at in in_year_columns)
            if not (column_ok(q, fact, chunk, columns) if fact.column or columns else year_ok(q, sentence, chunk)):
                continue  # (基本支出 93199.91 75.99% 81781 under 当年 … 2021 年: 81781 is the 2021 figure)
            if any(n not in sentence and n not in chunk.section for n in quoted):
                continue
            if not cell and is_cell_run(sentence):
                continue  # 万元 2021 年 2022 年 88.3%: in a form's run of cells, only a label cell names a number
            run, sentence = sentence, fact.clause if cell else sentence  # a form's cell is scored by its own row
            sentence_norm = norm_text(sentence)
            lead_start, lead_end = _lead_span(chunk, fact, s_start, s_end)
            named_to = lead_end + (_COUNTED_AFTER if q.unit is UnitKind.COUNT else 0)  # 等28个展区: counted after
            if items and not any(i in norm_text(f"{chunk.section}{chunk.text[s_start - chunk.start:named_to - chunk.start]}")
                                 for i in items):
                continue  # 燃料费花了多少: 运行维护支出23,005.58元，主要用于…燃料费、维修费 is not its amount
            lead = chunk.text[lead_start - chunk.start:lead_end - chunk.start]
            shown_end = _named_after_colon(chunk, fact, lead_end, s_end)
            context = _bracket_context(chunk, s_start, lead_start, lead_end)
            said = f"{fact.of}{lead}" if fact.of and fact.of not in lead else lead  # 比上年降低30.2% of 支出
            if cell and asks_total and norm_text(fact.label) in lexicon.TOTAL_LABELS:
                said = run  # 资金总共是多少: a form's bare 合计 row is the total of what its cells are about
            after = chunk.text[fact.end - chunk.start:fact.end - chunk.start + 8]
            thing = counted_thing(chunk.text[fact.end - chunk.start:s_end - chunk.start], fact.unit)
            if thing:  # 以及174台拼接屏、30台主机工作站: what a count counts is written after its counter; the words
                # before it that close a list item (拼接屏、) name the count before
                number_at = chunk.text.rfind(fact.value, fact.start - chunk.start, fact.end - chunk.start)
                closed = closes_an_item(chunk.text[fact.start - chunk.start:number_at])
                said = thing.group(1) if closed else f"{said}{thing.group(1)}"
                shown_end = fact.end + thing.end()  # said up to what it counts: 等28个展区, 174台拼接屏
                if closed:  # …from its number: not the item before
                    lead_start = chunk.start + number_at
            counted = max((f for f in question_forms if len(f) >= 2 and after.startswith(f) and f in counted_noun),
                          key=len, default="") if counted_noun else ""
            if counted and q.unit is UnitKind.COUNT:  # …等28个展区: the answer says what is counted
                shown_end = max(shown_end, fact.end + counted_end(after, counted, question_forms))
                said += counted  # …and it is what the count is of, though written after the figure
            own_here, q_here = less_the_heading(own, heading, sentence_norm), less_the_heading(q, heading, sentence_norm)
            score = (0.4 * matcher.score(own_here, said) + 0.15 * matcher.score(own_here, context)
                     + 0.25 * matcher.score(q_here, run)
                     + 0.1 * matcher.score(q, chunk.section) + 0.1 * hit.score / top
                     + 0.05 * matcher.nearest_to_end(q, lead) + 0.15 * matcher.names_in(q, context))
            if rarest and rarest not in norm_text(context) and rarest not in heading \
                    and not (_PLACE_NAME.search(rarest) and rarest in matcher.opening(chunk.source)):
                # (the place the whole report is about: its opening names it, 某村某产业项目)
                # 乙公司拿到的贷款是多少: a figure of some other firm does not answer for 乙公司.
                score *= NAMED_NEARBY if rarest in sentence_norm else NAMED_ELSEWHERE
            if asked and fact.unit == "%" and stated_kind(fact.label) not in ("", asked) \
                    or rate and fact.unit == "%" and rate not in sentence_norm:
                score *= WRONG_KIND  # 占三公经费的比例 is not answered with 比上年下降42.13%, 满意度 with 完成率100%
            elif fact.unit in _AMOUNTS and (not asked and (relation(fact) if fact.unit == "%" else is_change(fact))
                                            or asked == "change" and fact.unit != "%" and not is_change(fact)):
                # (a percentage only when relative, 下降85.38% of 支出: 满意度持续上升，超90% states a level)
                score *= OFF_TOPIC  # 接待费花了多少 is not answered with 减少17,993元, nor 少了多少 with 3,080元
            if asked == "share" and q.unit is UnitKind.ANY and fact.unit != "%":
                score *= AMOUNT_FOR_SHARE  # 公务接待费占多少: its share, when the report states one
            if amount and fact.unit != "%" and stated_amount(fact.label) not in ("", amount):
                score *= OFF_TOPIC  # 实际花了多少 is not answered with 年初预算为27,080元
            stated = chunk.text[s_start - chunk.start:fact.end - chunk.start]
            if (not counted and not (q.unit is UnitKind.COUNT and fact.unit in _COUNTERS)
                    and one_member_of_a_sum(question_forms, stated, q.terms) or quoted_item_for_a_total(q.norm, stated)
                    or one_use_of_a_sum(things, lead, chunk.text[fact.end - chunk.start:s_end - chunk.start])
                    or asks_total and q.unit is UnitKind.MONEY and unnamed_item(things, stated)):
                continue  # 转移支付一共多少: not 专项转移支付补助、上年结转…等1,756.37万元, the sum of them all
            # (174台拼接屏、30台…: what a count counts is written after it; 这35个自评项目: given, not asked)
            rivals = [f.clause for f in chunk.facts if f is not fact and s_start <= f.start < s_end
                      and f.unit == fact.unit and f.value not in q.terms] \
                if fact.unit in _AMOUNTS and not cell and not (q.compare or q.breakdown) else []
            if rivals and another_figure_named(partial(matcher.coverage, own_here), fact.clause, rivals):
                score *= OFF_TOPIC
            if part_not_asked(subject_forms, q.norm, chunk.text[s_start - chunk.start:lead_start - chunk.start],
                              fact.label):
                score *= PART_OF_WHOLE  # 实际花了多少: 支出56916443.49元, not 其中，基本支出为50167398.51元
            said_norm = norm_text(said) if part_words else ""
            if part_words and not any(w in said_norm for w in part_words):
                score *= PART_OF_WHOLE * PART_OF_WHOLE  # 其中镇本级收入是多少 after 财力总共有多少: not 财力1,867.48万元
            # (a figure before it in its sentence is what it changed from: 研发投入7800万元，增长8.33%)
            others = [norm_text(f.label) for f in chunk.facts if f is not fact and not s_start <= f.start < fact.start]
            if not cell and any(label_of_another(t, norm_text(said + context), others) for t in changed):
                continue  # 非税收入比上年增长了多少: not 比上年增长9.0% of the revenue beside 非税收入1.2万元
            if any(t not in sentence_norm for t in labelled):
                # 临聘人员的工资花了多少: 人员支出 is all staff's pay, not the 临聘人员's the question names.
                score *= NAMED_ELSEWHERE
            if wider is not None:
                score += 0.1 * matcher.score(wider, sentence)
                if own_words and matcher.coverage_beyond(wider, chunk.section + sentence, own_words) == 0:
                    # 培训班…办了几期，多少人参加: a headcount from elsewhere in the report does not say
                    # how many took part in what the question is about (its section may say it: 三公经费里…各占多少).
                    score *= OFF_TOPIC
            lead = clean_lead(chunk.text[lead_start - chunk.start:shown_end - chunk.start])
            if fact.value.count(".") > 1:  # 449.34.34万元: say so rather than repeat it as if it were sound
                lead += "（原文数字如此，疑有笔误）"
            lead = table_lead(lead, fact)
            out.append(Candidate(score, Span(chunk, s_start, s_end), lead, norm_text(fact.label),
                                 fact.value + fact.unit, fact, lead_start, shown_end))
            heads.append(item_head(chunk.text, s_start - chunk.start, lead_start - chunk.start))
            counts_asked.append(names_counted(counted_noun, fact.label, after) if counted_noun else bool(
                counted_forms and _is_count(fact) and any(f in norm_text(fact.label + (thing.group(1) if thing else ""))
                                                          for f in counted_forms)))
    out = _of_the_item_asked(out, heads, lambda text: matcher.terms_in(own, text))
    label = asked_label(q, matcher.labels)
    if label and any(labels_as(c.label, label) for c in out):  # 收入总计是多少: 收入总计1,867.48万元, not 加上…0万元
        out = [c if labels_as(c.label, label) else replace(c, score=c.score * LABEL_NOT_ASKED) for c in out]
    if any(counts_asked):  # 分成了几个方面: 分为七个方面, not 自评项目35个, a count of something else
        out = [c if asked or not _is_count(c.fact) else replace(c, score=c.score * WRONG_KIND)
               for c, asked in zip(out, counts_asked)]
    out = _by_label_within_sentence(out, lambda label: matcher.score(wider or q, label))
    out.sort(key=lambda c: -c.score)
    if q.measure:  # 多少吨 is answered by a figure in 吨, not by another of its sentence (a cell: its row's unit)
        out = [c for c in out if states_measure(c.figure if c.fact.unit else c.span.quote, q.measure)]
    return dedupe(out)


def _is_count(fact: Fact) -> bool:
    return fact.unit in _COUNTERS or is_counter(fact.unit)


def _by_label_within_sentence(cands: list[Candidate], label_score) -> list[Candidate]:
    """增长14.5% after 税收收入 is a growth of 税收收入 (Fact.of): among the changes of one kind stated in one
    sentence, the one whose subject names more of what is asked goes first. The sentence's scores are only handed
    round among its figures, so no figure passes the bar on its label alone."""
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(cands):
        kind = relation(c.fact) if c.fact else ""
        if kind:  # only figures that state a change of the same kind (增长) are rivals for one subject
            groups.setdefault((c.span.chunk.id, c.span.start, c.span.end, c.fact.unit, kind), []).append(i)
    out = list(cands)
    for members in groups.values():
        if len(members) < 2:
            continue
        scores = sorted((cands[i].score for i in members), reverse=True)
        order = sorted(members, key=lambda i: (-round(label_score(cands[i].fact.of + cands[i].fact.label), 1),
                                               -cands[i].score))
        for i, score in zip(order, scores):
            out[i] = replace(cands[i], score=score)
    return out


def _lead_span(chunk: Chunk, fact: Fact, s_start: int, s_end: int) -> tuple[int, int]:
    """The fact's own words: its label and figure, or its whole clause when the label is elsewhere."""
    text, base = chunk.text, chunk.start
    seg, stop = fact.start - base, fact.end - base
    if is_cell_fact(fact):
        return fact.start, fact.end  # 项目支出 29441.59 24.01%: a form's cells, not the run of cells around them
    number = text.rfind(fact.value, seg, stop)
    label = norm_text(fact.label)
    start = seg
    if _MEASURE_WORDS.fullmatch(label):
        # 金额共计500万元 / 同比增长8.3%: the clause before says what the amount or growth is of.
        start = clause_start(text, s_start - base, max(clause_start(text, s_start - base, number) - 1, 0))
        if _MEASURE_WORDS.fullmatch(norm_text(text[start:number]).strip("，,:：")) and start > s_start - base:
            start = clause_start(text, s_start - base, start - 1)  # 支出23,005.58元,占,88.19%: a stray comma
    elif label and label not in norm_text(text[seg:number]):
        start = clause_start(text, s_start - base, number)
        label_after = label in norm_text(text[stop:s_end - base])
        if not label_after and len(text[start:number].strip()) < 2 and start > s_start - base:
            start = clause_start(text, s_start - base, start - 1)  # 满意度持续上升，超90%
    end = stop
    while end < s_end - base and text[end] not in _LEAD_STOP and not (end == stop and _next_figure(text, end, s_end - base)):
        end += 1
    if fact.unit != "%" and is_change(fact):  # 减少17,993元,下降85.38%: the same change, as a percentage
        end = _percent_of_change(text, end, s_end - base)
    if end < s_end - base and text[end] in "（(":
        # 2家企业（丙公司、丁公司）被认定: the clause goes on; 副主任3名(副科级): the bracket qualifies the figure
        close = closing(text, end, s_end - base)
        if close is not None and (close - end <= _QUALIFIER_CHARS or (close < s_end - base and text[close] not in _LEAD_STOP)):
            end = close
            while end < s_end - base and text[end] not in _LEAD_STOP:
                end += 1
    return start + base, end + base


def _percent_of_change(text: str, end: int, limit: int) -> int:
    """The end of a clause that follows a change in amount with the same change as a percentage, else `end`."""
    tail = _change_percent().match(text, end, limit)
    return tail.end() if tail else end


@cache
def _change_percent() -> re.Pattern:
    labels = "|".join(lexicon.PERCENT_KINDS["change"]["labels"])
    return re.compile(rf"[，,]\s*(?:{labels})了?\s*\d+(?:\.\d+)?\s*%")


def _named_after_colon(chunk: Chunk, fact: Fact, lead_end: int, s_end: int) -> int:
    """股级事业单位1个：科技创新服务中心: the names after a count's colon are shown with it (not scored)."""
    text, base = chunk.text, chunk.start
    if fact.unit not in _COUNTERS or lead_end >= s_end or text[lead_end - base] not in "：:":
        return lead_end
    named = re.match(r"[：:][^，,。；;]{1,40}", text[lead_end - base:s_end - base])
    return lead_end + named.end() if named else lead_end


def _next_figure(text: str, pos: int, limit: int) -> bool:
    """At a 、 that starts another figure's item (甲公司200万元、乙公司300万元): the lead ends here."""
    if text[pos] != "、":
        return False
    end = pos + 1
    while end < limit and text[end] not in _LEAD_STOP and text[end] != "、":
        end += 1
    return bool(re.search(r"\d", text[pos:end]))


def _bracket_context(chunk: Chunk, s_start: int, lead_start: int, lead_end: int) -> str:
    """The lead, widened past an enclosing bracket: 甲公司200万元 sits in （…） after 某贷款产品贷款…500万元."""
    text, base = chunk.text, chunk.start
    opened = text.rfind("（", s_start - base, lead_start - base)
    closed = text.rfind("）", s_start - base, lead_start - base)
    if opened == -1 or closed > opened:  # the whole clause: 另一市丙公司有限公司获得“某贷款产品”贴息贷款2万元
        return text[clause_start(text, s_start - base, lead_start - base):lead_end - base]
    start = clause_start(text, s_start - base, opened)
    if _MEASURE_WORDS.match(norm_text(text[start:opened])):  # 金额共计500万元（…）: what it is the total of
        start = clause_start(text, s_start - base, max(start - 1, 0))
    return text[start:lead_end - base]


def _of_the_item_asked(cands: list[Candidate], heads: list[str], found) -> list[Candidate]:
    """三是小学教育支出，即…676.47万元: the figures of another item than the one asked weigh less (assistant.enumeration)."""
    other = other_items([(c.span.chunk, c.lead_start) for c in cands], heads, [c.lead for c in cands], found)
    return [replace(c, score=c.score * OFF_TOPIC) if o else c for c, o in zip(cands, other)]


def dedupe(cands: list[Candidate]) -> list[Candidate]:
    """The first candidate of each lead (two figures of one lead say the same)."""
    first: dict[str, Candidate] = {}
    for c in cands:
        first.setdefault(norm_text(c.lead), c)
    return list(first.values())

