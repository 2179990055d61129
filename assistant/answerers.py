"""The rules' answerers, one per `AnswerKind`, picked from a registry. Each reads a planned question and the chunks
retrieved for it, and returns a `Draft`; a plan's parts are retrieved for here, never sent back through the chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from assistant.draft import Draft
from assistant.extractive import answer_extractive
from assistant.fields import answer_field
from assistant.matching import Matcher
from assistant.models import NOT_FOUND
from assistant.multipart import compare_drafts, merge
from assistant.plan import AnswerKind, PartPlan, QueryPlan
from assistant.question import Question
from assistant.slots import answers_slot
from ingest.models import Chunk
from vectorstore.hybrid import ScoredChunk

_ORDINALS = "一二三四五六七八九十"


class Evidence(Protocol):
    """What the answerers read: retrieval within a scope, the scope's matcher, and the served corpus."""

    @property
    def corpus(self) -> list[Chunk]: ...

    def search(self, q: Question, scope: dict | None) -> list[ScoredChunk]: ...

    def chunks_in(self, scope: dict | None) -> list[Chunk]: ...

    def vocabulary(self, scope: dict | None) -> Matcher: ...


Answerer = Callable[["RuleAnswerer", QueryPlan, list[ScoredChunk]], Draft]
ANSWERERS: dict[AnswerKind, Answerer] = {}


def answers(*kinds: AnswerKind) -> Callable[[Answerer], Answerer]:
    """Registers an answerer for these kinds."""
    def register(fn: Answerer) -> Answerer:
        for kind in kinds:
            ANSWERERS[kind] = fn
        return fn
    return register


class PartByMeaning(Protocol):
    """Asks one part of a question by meaning, when the rules found no answer to it (None: not close enough)."""

    def __call__(self, ask: Question, search: Question, scope: dict | None, hits: list[ScoredChunk]
                 ) -> Draft | None: ...  # `hits`: what `search` retrieved already


class RuleAnswerer:
    """Answers a plan by its kind, from the report's own words (no model). `by_meaning`, when given, is asked for
    a part of a several-part question that the rules leave unanswered."""

    def __init__(self, evidence: Evidence, by_meaning: PartByMeaning | None = None) -> None:
        self.evidence = evidence
        self.by_meaning = by_meaning

    def answer(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
        return ANSWERERS[plan.kind](self, plan, hits)

    def read(self, q: Question, hits: list[ScoredChunk], scope: dict | None, wider: Question | None = None) -> Draft:
        matcher = self.evidence.vocabulary(scope)
        return answer_extractive(q, hits, self.evidence.corpus, matcher, matcher.years, wider)

    def part(self, part: PartPlan, scope: dict | None, hits: list[ScoredChunk] | None = None) -> Draft:
        """One part, retrieved for with the whole question's words (unless `hits` are given), scored on its own."""
        hits = self.evidence.search(part.search, scope) if hits is None else hits
        return self.read(part.ask, hits, scope, part.wider)


@answers(AnswerKind.ABSTAIN, AnswerKind.MEANING)
def _not_by_rules(rules: RuleAnswerer, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
    return Draft.not_found()


@answers(AnswerKind.OTHER_LANGUAGE)
def _other_language(rules: RuleAnswerer, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
    """No answer and no citation: the reply says which languages the desk answers in."""
    draft = Draft(abstained=True)
    draft.add(plan.reply)
    return draft


@answers(AnswerKind.SINGLE)
def _single(rules: RuleAnswerer, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
    draft = rules.read(plan.question, hits, plan.scope)
    if not draft.abstained and not answers_slot(draft.text, plan.question.slot, by_rules=True):
        return Draft.not_found()  # 什么时候成立的 answered without a date, 用来干什么 without a use: something else
    return draft


@answers(AnswerKind.PARTS)
def _parts(rules: RuleAnswerer, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
    return _merged([_part_or_meaning(rules, p, plan.scope) for p in plan.parts])


def _part_or_meaning(rules: RuleAnswerer, part: PartPlan, scope: dict | None) -> Draft:
    """验收了没有？完成比例是多少？: each part the rules leave unanswered is asked by meaning, as a whole question is."""
    hits = rules.evidence.search(part.search, scope)
    draft = rules.part(part, scope, hits)
    if draft.abstained and rules.by_meaning is not None:
        return rules.by_meaning(part.ask, part.search, scope, hits) or draft
    return draft


@answers(AnswerKind.COMPARE)
def _compare(rules: RuleAnswerer, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
    drafts = [rules.part(p, plan.scope) for p in plan.parts]
    return compare_drafts(drafts, plan.compared, plan.question.compare)


@answers(AnswerKind.FOLLOW_UP)
def _follow_up(rules: RuleAnswerer, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
    draft = rules.part(plan.parts[0], plan.scope)
    if not draft.abstained or plan.otherwise is None:
        return draft
    # Its own words say too little (这两笔分别贷给了谁): the whole question is asked.
    return rules.answer(plan.otherwise, hits)


@answers(AnswerKind.FIELD)
def _field(rules: RuleAnswerer, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
    found = answer_field(plan.field, rules.evidence.chunks_in(plan.scope))
    return found if found is not None else Draft.not_found()  # the caller then answers `plan.otherwise`


@answers(AnswerKind.SEVERAL)
def _several(rules: RuleAnswerer, plan: QueryPlan, hits: list[ScoredChunk]) -> Draft:
    return _merged([_first_answer(rules, readings) for readings in plan.asks])


def _merged(drafts: list[Draft]) -> Draft:
    """The answers to the parts or questions asked at once, saying plainly which one the report does not answer."""
    merged = merge(drafts)
    unanswered = [_ORDINALS[i] for i, d in enumerate(drafts) if d.abstained and i < len(_ORDINALS)]
    if unanswered and not merged.abstained:
        merged.add(f"（第{'、'.join(unanswered)}问：{NOT_FOUND}）")
        merged.partial = True
    return merged


def _first_answer(rules: RuleAnswerer, readings: list[QueryPlan]) -> Draft:
    first_hits: list[ScoredChunk] | None = None
    for reading in readings:
        hits = rules.evidence.search(reading.question, reading.scope)
        if first_hits is None:
            first_hits = hits
        draft = rules.answer(reading, hits)
        if not draft.abstained:
            return draft
    if readings and rules.by_meaning is not None:  # no rule answers this ask: its first reading, by meaning
        first = readings[0]
        return rules.by_meaning(first.question, first.question, first.scope, first_hits or []) or Draft.not_found()
    return Draft.not_found()
