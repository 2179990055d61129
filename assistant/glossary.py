"""English → Chinese glossary of the genre: the words residents use in English about a Chinese
department's performance report, mapped to the words such reports use. English questions are matched
through it, so a word missing here counts as unknown (and may lead to an abstention).

It is a genre glossary, not a list of one report's sentences: budgets and spending, staffing,
enterprises and their certifications, projects and funds, statistics, talent, problems and measures.
"""

from __future__ import annotations

import re

from assistant.knowledge import load

_TABLES = {"PHRASES": "phrases", "WORDS": "words", "_DEPARTMENT_FIELDS": "department_fields",
           "_COMMISSIONS": "commissions", "_MONTHS": "months", "_DEPARTMENT_KINDS": "department_kinds"}


def __getattr__(name: str):
    """PHRASES, WORDS and the department names: data in assistant/knowledge/glossary.toml, read on first use."""
    if name not in _TABLES:
        raise AttributeError(name)
    value = dict(load("glossary")[_TABLES[name]])
    globals()[name] = value
    return value


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
             ("s", ""), ("'s", ""), ("ly", ""))


def plain_forms(word: str, suffixes: tuple[tuple[str, str], ...] = _SUFFIXES) -> list[str]:
    """An English word as written, then its plain forms by `suffixes` (companies → company)."""
    word = word.lower().strip("'’")
    return [word] + [word[: len(word) - len(suffix)] + repl for suffix, repl in suffixes
                     if word.endswith(suffix) and len(word) - len(suffix) >= 3]


def lookup(word: str, table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The report-side forms of an English word, trying its plain forms (companies → company)."""
    return next((table[form] for form in plain_forms(word) if form in table), ())


def phrases_in(norm: str) -> list[tuple[str, tuple[str, ...]]]:
    """Multi-word glossary phrases in an English question, longest first, not overlapping; a phrase's last word
    may be plural or past (self-evaluations, signed off)."""
    found, taken = [], []
    phrases = __getattr__("PHRASES")
    for phrase in sorted(phrases, key=len, reverse=True):
        for m in re.finditer(r"(?<![a-z])" + re.escape(phrase) + r"(?:e?s|e?d)?(?![a-z])", norm):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((phrase, phrases[phrase]))
    return found


def departments_named(norm: str) -> list[str]:
    """The Chinese names of the departments an English question names (Science and Technology Bureau → 科技局)."""
    found = []
    kinds = "|".join(map(re.escape, __getattr__("_DEPARTMENT_KINDS")["kinds"]))
    for field, forms in __getattr__("_DEPARTMENT_FIELDS").items():
        f = re.escape(field)
        if re.search(rf"(?<![a-z]){f}(?: \w+)? (?:{kinds})|(?:{kinds}) of {f}(?![a-z])", norm):
            found += forms
    return found + [f for name, forms in __getattr__("_COMMISSIONS").items() if re.search(rf"(?<![a-z]){re.escape(name)}", norm)
                    for f in forms]


def joined_names() -> list[str]:
    """The English names of a body's field that are joined by "and" (human resources and social security): one
    name, never two subjects."""
    names = [*__getattr__("_DEPARTMENT_FIELDS"), *__getattr__("_COMMISSIONS")]
    return sorted((n for n in names if " and " in n), key=len, reverse=True)


def english_dates(norm: str) -> list[tuple[str, str]]:
    """(the date as asked, as reports write it): december 8, 2022 → 12月8日; 8 december → 12月8日; december 2020 →
    12月. The year stays in the question and is read as a year."""
    months = __getattr__("_MONTHS")
    names = "|".join(sorted(months, key=len, reverse=True))
    found = []
    for m in re.finditer(rf"\b(?:({names})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|(\d{{1,2}})(?:st|nd|rd|th)?\s+({names})\b"
                         rf"|({names})\b(?=,?\s+(?:19|20)\d{{2}}))", norm):
        month = months[m.group(1) or m.group(4) or m.group(5)]
        day = m.group(2) or m.group(3)
        found.append((m.group(0), f"{month}月{day}日" if day else f"{month}月"))
    return found
