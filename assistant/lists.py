"""List answers: the numbered items under a heading, or the 一是…二是… items of a paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.draft import Span
from assistant.matching import Matcher, norm_text
from assistant.question import Question
from ingest.chunker import SECTION_SEP
from ingest.enumerations import leading_number, marker_free, numbered_items
from ingest.models import Chunk
from ingest.sentences import clause_spans, enumerated_spans, sentence_spans
from ingest.structure import unmarked
from vectorstore.hybrid import ScoredChunk

MAX_ITEMS = 10
SHORT_SENTENCE = 50
FOCUS_MIN = 0.25
FOCUS_MARGIN = 0.1


@dataclass(frozen=True)
class ListItem:
    text: str
    span: Span


@dataclass
class Container:
    source: str
    path: str
    items: list[ListItem]
    child_paths: list[str]
    heading: str = ""  # what names the list: the last heading, or the words before 一是…

    def __post_init__(self) -> None:
        self.heading = self.heading or self.path.split(SECTION_SEP)[-1]

    @property
    def title(self) -> str:
        return unmarked(self.heading).rstrip("：:，,")


def best_list(q: Question, hits: list[ScoredChunk], corpus: list[Chunk], matcher: Matcher
              ) -> tuple[float, str, list[ListItem]] | None:
    """The best-matching list in the sources the hits come from: (score, title, items)."""
    sources = {h.chunk.source for h in hits}
    hit_ids = {h.chunk.id: h.score for h in hits}
    top = max(hit_ids.values()) or 1.0
    containers = [c for s in sources for c in _section_containers([x for x in corpus if x.source == s])]
    containers += [c for h in hits if (c := _enumeration(h.chunk, corpus))]
    if not containers:
        return None

    def score(c: Container) -> float:
        heading = c.heading
        items = " ".join(i.text for i in c.items)
        retrieved = max((hit_ids.get(i.span.chunk.id, 0.0) for i in c.items), default=0.0) / top
        return (0.55 * matcher.score(q, heading) + 0.15 * matcher.score(q, c.path)
                + 0.2 * matcher.score(q, items) + 0.1 * retrieved)

    ranked = sorted(containers, key=score, reverse=True)
    best = _descend(q, ranked[0], containers, matcher)
    return score(ranked[0]), best.title, best.items  # all: an item past the tenth may be the one asked


def focused_item(q: Question, title: str, items: list[ListItem], matcher: Matcher) -> ListItem | None:
    """The one item a question singles out (研发投入方面存在什么问题 → （一）研发投入实力不强), if any.

    Only the words the list's own title lacks count: 主要工作任务有哪些 names the list, not its item
    全面落实建设创新江西工作任务. But when an item's heading ends in the question's subject and the
    list's title does not (主要职责 under 部门主要职责职能，…基本情况), the item is what was asked.
    """
    if len(items) < 2:
        return None
    headings = [i.text.split("：")[0] for i in items]
    if not matcher.heads(q, title):
        heads = [n for n, h in enumerate(headings) if matcher.heads(q, h)]
        if len(heads) == 1:
            return items[heads[0]]
    scored = sorted(((matcher.coverage_beyond(q, h, title), n) for n, h in enumerate(headings)), reverse=True)
    (best, index), (second, _) = scored[0], scored[1]
    return items[index] if best >= FOCUS_MIN and best - second >= FOCUS_MARGIN else None


def _descend(q: Question, best: Container, containers: list[Container], matcher: Matcher) -> Container:
    """From 问题及改进措施 down to 主要问题, when exactly one child heading matches better."""
    by_path = {(c.source, c.path): c for c in containers}
    while True:
        kids = [by_path[(best.source, p)] for p in best.child_paths if (best.source, p) in by_path]
        if not kids:
            return best
        scored = sorted(((matcher.score(q, k.path.split(SECTION_SEP)[-1]), i) for i, k in enumerate(kids)),
                        reverse=True)
        if scored[0][0] <= 0 or (len(scored) > 1 and scored[0][0] == scored[1][0]):
            return best
        best = kids[scored[0][1]]


def _section_containers(chunks: list[Chunk]) -> list[Container]:
    chunks = sorted((c for c in chunks if c.kind != "title"), key=lambda c: c.start)
    paths = list(dict.fromkeys(c.section for c in chunks))
    prefixes = list(dict.fromkeys(SECTION_SEP.join(p.split(SECTION_SEP)[:i])
                                  for p in paths for i in range(1, len(p.split(SECTION_SEP)))))
    out = []
    for prefix in prefixes:
        depth = len(prefix.split(SECTION_SEP)) + 1
        children = list(dict.fromkeys(SECTION_SEP.join(p.split(SECTION_SEP)[:depth]) for p in paths
                                      if p.startswith(prefix + SECTION_SEP)))
        if len(children) < 2:
            continue
        items = [_section_item(child, [c for c in chunks if c.section == child
                                       or c.section.startswith(child + SECTION_SEP)])
                 for child in children]
        out.append(Container(chunks[0].source, prefix, [i for i in items if i], children))
    return out


def _section_item(path: str, chunks: list[Chunk]) -> ListItem | None:
    if not chunks:
        return None
    first = chunks[0]
    heading = path.split(SECTION_SEP)[-1]
    text = heading
    sentences = sentence_spans(first.text)
    if first.kind == "body" and sentences:
        s, e = sentences[0]
        lead = first.text[s:e].rstrip("。；;")
        if norm_text(lead).startswith(norm_text(heading)[:6]):
            lead = first.text[sentences[1][0]:sentences[1][1]].rstrip("。；;") if len(sentences) > 1 else ""
        if lead and len(lead) <= SHORT_SENTENCE:
            text = f"{heading}：{lead}"
    return ListItem(text, Span(first, first.start, first.end))


def _enumeration(chunk: Chunk, corpus: list[Chunk]) -> Container | None:
    """The 一是…二是… (or （一）…（二）…, 1).…2).…) items of a paragraph, followed into the next chunk of the same
    section (六是…七是…)."""
    section = siblings_of(chunk, corpus)
    siblings = [c for c in section if c.start >= chunk.start]
    items: list[ListItem] = []
    intro_text = ""
    numbered = False  # （一）…（二）… rather than 一是…二是…: only the clause before them names the list
    for part in siblings or [chunk]:
        spans = enumerated_spans(part.text, 0, len(part.text))
        if not spans and not items:
            spans = numbered_items(part.text)
            numbered = bool(spans)
        if not spans or (items and spans[0][0] > 0):
            break
        if not items:
            intro_text = part.text[:spans[0][0]].strip()
        items += [ListItem(marker_free(part.text[s:e]).rstrip("。；;，,"), Span(part, s + part.start, e + part.start))
                  for s, e in spans]
    if len(items) < 2:
        return _numbered_paragraphs(chunk, section)
    intro = (clause_spans if numbered else sentence_spans)(intro_text)[-1] if intro_text else None
    heading = chunk.heading + (intro_text[intro[0]:intro[1]] if intro else "")
    return Container(chunk.source, chunk.section + SECTION_SEP + "·", items, [], heading)


def siblings_of(chunk: Chunk, corpus: list[Chunk]) -> list[Chunk]:
    """The chunks of `chunk`'s section, in reading order."""
    return sorted((c for c in corpus if c.source == chunk.source and c.section == chunk.section),
                  key=lambda c: c.start)


def _numbered_paragraphs(chunk: Chunk, siblings: list[Chunk]) -> Container | None:
    """Paragraphs numbered 1, 2, 3… in one style (1).负责…, （一）…), or a table flattened one cell per line
    (1 / 预防… / 2 / 维护…): the run that holds `chunk`, each item cited from its own paragraph."""
    items: list[ListItem] = []
    style, expected, i = None, 1, 0
    while i < len(siblings):
        lead = leading_number(siblings[i].text)
        if lead is None or lead[1] != expected or (style and lead[0] != style):
            if items:
                break
            i += 1
            continue
        style, expected = lead[0], expected + 1
        part = siblings[i + 1] if lead[0] == "cell" and i + 1 < len(siblings) else siblings[i]
        text = marker_free(part.text).rstrip("。；;，,")
        if text:
            items.append(ListItem(text, Span(part, part.start, part.end)))
        i += 2 if part is not siblings[i] else 1
    if len(items) < 2 or not any(it.span.chunk.id == chunk.id for it in items) and leading_number(chunk.text) is None:
        return None
    return Container(chunk.source, chunk.section + SECTION_SEP + "#", items, [], chunk.heading)


def cut_short(item: ListItem, corpus: list[Chunk]) -> bool:
    """Whether an item ends its report's text unfinished (an opening cut mid-sentence): more may have followed."""
    chunk = item.span.chunk
    last = max((c.end for c in corpus if c.source == chunk.source), default=chunk.end)
    return item.span.end >= last - 2 and not chunk.text.rstrip().endswith(("。", "；", ";", "."))
