"""一是…二是…三是小学教育支出: an inline enumeration's figures and sentences belong to their item. When one item's head
names everything of the question that any head of the enumeration names (三是小学教育支出 for 小学教育支出花了多少), the
other items' figures and sentences are another item's, unless their own words name all of that and more (中小学
inside the 学前 item's list names no more than 小学: it is not the 小学 item). When no head names it all (a loan scheme
in one head, 企业 in another), none is."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence


def other_items(paragraphs: Sequence[Hashable], heads: Sequence[str], own_words: Sequence[str],
                found: Callable[[str], frozenset]) -> list[bool]:
    """For each candidate (its paragraph, its item's head or '', its own words): whether it is another item's than
    the one the question asks about. `found` gives the question's terms a text names."""
    named: dict[str, frozenset] = {h: found(h) for h in set(heads) if h}
    union: dict[Hashable, frozenset] = {}
    for p, h in zip(paragraphs, heads):
        if h:
            union[p] = union.get(p, frozenset()) | named[h]
    asked = {p: u for p, u in union.items() if u and any(named[h] == u for q, h in zip(paragraphs, heads) if q == p and h)}
    return [bool(h) and p in asked and named[h] != asked[p] and not asked[p] < found(words)
            for p, h, words in zip(paragraphs, heads, own_words)]
