"""一是…二是…三是小学教育支出: an inline enumeration's figures and sentences belong to their item. When one item's head
names everything of the question that any head of the enumeration names (三是小学教育支出 for 小学教育支出花了多少), the
other items' figures and sentences are another item's, unless their own words name all of that and more (中小学
inside the 学前 item's list names no more than 小学: it is not the 小学 item). When no head names it all (a loan scheme
in one head, 企业 in another), none is."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ingest.models import Chunk
from ingest.sentences import paragraph_breaks, paragraph_of


def other_items(places: Sequence[tuple[Chunk, int]], heads: Sequence[str], own_words: Sequence[str],
                found: Callable[[str], frozenset]) -> list[bool]:
    """For each candidate (where it is: its chunk and offset; its item's head or ''; its own words): whether it is
    another item's than the one the question asks about. `found` gives the question's terms a text names."""
    chunks = {(c.source, c.start): c for c, _ in places}.values()
    breaks = paragraph_breaks((c.source, c.start, c.text) for c in chunks)  # paragraphs placed across chunks
    paragraphs = [paragraph_of(breaks, chunk.source, pos) for chunk, pos in places]
    named: dict[str, frozenset] = {h: found(h) for h in set(heads) if h}
    in_paragraph: dict[tuple[str, int], set[frozenset]] = {}
    for p, h in zip(paragraphs, heads):
        if h:
            in_paragraph.setdefault(p, set()).add(named[h])
    union = {p: frozenset().union(*sets) for p, sets in in_paragraph.items()}
    asked = {p: u for p, u in union.items() if u and u in in_paragraph[p]}  # one head names it all
    return [bool(h) and p in asked and named[h] != asked[p] and not asked[p] < found(words)
            for p, h, words in zip(paragraphs, heads, own_words)]
