"""Questions that ask for two figures at once (基本支出和项目支出分别是多少？) are answered part by part."""

from __future__ import annotations

import re

from assistant.draft import Draft

_CUE = r"(?:多少|几[家个名人项条笔次所届期]?|how many|how much)"
_SPLIT_AT_CUE = re.compile(r",?\s+and\s+(?=how|what)|[，,、;；]|(?<=[\u4e00-\u9fff])(?:以及|还有|和)(?=[\u4e00-\u9fff]*" + _CUE + ")")
_EACH = re.compile(r"(.+?)(?:分别|各自|各)((?:是|为|有)?[^？?，,]{0,4}?(?:多少|几)[^？?]*)[？?]?$")
_CONJ = re.compile(r"和|与|及|以及|、|跟|and")


def split_question(question: str) -> list[str]:
    """One sub-question per figure asked for; [question] when it asks for one."""
    m = _EACH.match(question)
    if m:
        subjects = [s.strip(" ，,") for s in _CONJ.split(m.group(1)) if s.strip(" ，,")]
        if len(subjects) > 1:
            head = _shared_head(subjects[0])
            return [f"{head if i else ''}{s}{m.group(2)}" for i, s in enumerate(subjects)]
    if len(re.findall(_CUE, question, flags=re.IGNORECASE)) < 2:
        return [question]
    parts, start = [], 0
    for sep in _SPLIT_AT_CUE.finditer(question):
        part = question[start:sep.start()]
        if re.search(_CUE, part, flags=re.IGNORECASE):
            parts.append(part)
            start = sep.end()
    parts.append(question[start:])
    parts = [p.strip(" ，,？?") for p in parts if p.strip(" ，,？?")]
    if len(parts) < 2:
        return [question]
    # The first part often carries shared context (落实…任务，…); give it to the later parts too.
    context = parts[0] if not re.search(_CUE, parts[0], flags=re.IGNORECASE) else ""
    return [p for p in parts if re.search(_CUE, p, flags=re.IGNORECASE)] if not context else \
        [f"{context}，{p}" for p in parts[1:]]


def _shared_head(first: str) -> str:
    """2022年基本支出 → 2022年, so the second subject keeps the year."""
    m = re.match(r"((?:19|20)\d{2}年(?:度)?)", first)
    return m.group(1) if m else ""


def merge(drafts: list[Draft]) -> Draft:
    """One draft whose [n] markers are renumbered across the parts."""
    merged = Draft()
    answered = [d for d in drafts if not d.abstained]
    if not answered:
        return drafts[0]
    for d in answered:
        text = d.text
        for i, span in enumerate(d.spans):
            text = text.replace(f"[{i + 1}]", f"[#{merged.cite(span)[1:-1]}]")
        merged.add(text.replace("[#", "[") + "\n")
    return merged
