"""Which chunks a figure or sentence may be read from: the whole reports the top hits come from, and only text of
the year, place and body a question names when it names another than the report's own."""

from __future__ import annotations

import re

from assistant.departments import abbreviates
from assistant.question import Question
from ingest.facts import CURRENT_COLUMN
from ingest.models import Chunk, Fact
from vectorstore.hybrid import ScoredChunk

_ASIDE = re.compile(r"[（(][^（()）]*[)）]")  # a bracketed aside (含2023年转列…项目5个)


def with_source_chunks(hits: list[ScoredChunk], corpus: list[Chunk], sources: int = 3) -> list[ScoredChunk]:
    """The hits, then every other chunk of the reports the top hits come from (unranked).

    Facts are few and cheap to score, and a paraphrased question (局里发工资的开销) can miss the
    right paragraph in retrieval while its label still matches. Only the top reports are read, so
    this stays small when thousands of reports are stored.
    """
    top = top_sources(hits, sources)
    seen = {h.chunk.id for h in hits}
    extra = [ScoredChunk(c, 0.0) for c in corpus if c.source in top and c.id not in seen and c.facts]
    return list(hits) + extra


def top_sources(hits: list[ScoredChunk], sources: int = 3) -> set[str]:
    """The first `sources` distinct reports the hits come from, by their best hit."""
    return set(list(dict.fromkeys(h.chunk.source for h in hits))[:sources])


def year_ok(q: Question, text: str, chunk: Chunk) -> bool:
    """A question about another year or place than the report's needs that year or place in the evidence."""
    other = [y for y in q.years if y != chunk.year]
    places = [p for p in q.places if p not in chunk.department and p not in chunk.title]
    own = {chunk.department, chunk.department.replace("科学技术", "科技")}
    bodies = [b for b in q.bodies if not any(o.endswith(b) for o in own) and not abbreviates(b, chunk.department)]
    aside = _ASIDE.sub("", text) if other else text  # (含2023年转列…项目5个): an aside's year is not the text's
    return all(str(y) in aside or re.search(rf"[\[〔［]{y}[\]〕］]", text) for y in other) \
        and all(p in text for p in places + bodies)  # (衡发[2010]3号: a document of 2010)


def column_ok(q: Question, fact: Fact, chunk: Chunk, in_a_form_of_years: bool = False) -> bool:
    """A figure in a form's year column (基本支出 … 81781 under 2021 年) answers only a question of that year; the
    form's own column (当年), or a cell of such a form whose columns are not known (财政拨款 108292.73, its row's
    year cells moved away by the PDF), only one of no other year than the report's."""
    if fact.column == CURRENT_COLUMN or (in_a_form_of_years and not fact.column):
        return all(y == chunk.year for y in q.years)
    return any(f"{y}年" == fact.column for y in q.years)
