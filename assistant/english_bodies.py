"""The bodies an English question names (the Xundian County Culture and Tourism Bureau, the center's), and whether
one is a stored report's own: whose report is meant, or what is asked about."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from assistant import lexicon
from vectorstore.tokenize import normalise

_NOT_A_NAME = r"(?!(?:How|What|When|Which|Who|Whom|Where|Why|Did|Does|Do|Is|Was|Were|Are|Has|Have|The|In|For|Of|And)\b)"
_NOT_IN_A_NAME = (r"(?!(?:in|on|at|to|for|from|by|with|the|a|an|did|does|do|is|was|were|are|has|have|had|how|what|"
                  r"when|which|much|many|spend|spent|get|got|receive|received)\b)")


@cache
def _english_body() -> re.Pattern:
    """A body named after a proper name, up to its kind (lexicon english_body_kinds): the Xundian County Culture
    and Tourism Bureau, the Kaiyuan municipal government's big data research center, the Inner Mongolia Department
    of Human Resources and Social Security."""
    kind = r"(?:" + "|".join(lexicon.ENGLISH_BODY_KINDS) + r")(?:'s|’s)?\b"
    word = _NOT_IN_A_NAME + r"[A-Za-z][\w-]*(?:'s|’s)?"
    return re.compile(rf"\b{_NOT_A_NAME}[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*(?:\s+{word}){{0,6}}?\s+(?i:{kind})"
                      rf"(?:(?:\s+{word}){{0,4}}?\s+(?i:{kind}))?(?:\s+of(?:\s+(?:[A-Z][\w-]*|and))+)?"
                      r"(?:\s*\([^()]{1,60}\)|\s+(?:affiliated|attached|subordinate)\s+(?:with|to)(?:\s+[A-Z][\w-]*)+)?")
    # Chenggong Middle School (affiliated with Yunnan University), or the same without the brackets


@cache
def english_self() -> re.Pattern:
    """The report's own body, referred to by its kind and owning what is asked: the center's, this bureau's."""
    return re.compile(r"\b(?:the|this|its)\s+(?:" + "|".join(lexicon.ENGLISH_BODY_KINDS) + r")(?:'s|’s)(?=\s)")


@cache
def english_self_named() -> re.Pattern:
    """The report's own body by its kind alone, not owning anything (how much did the school actually spend): own
    only when a stored report's body is of that kind (names_own_body), else a thing asked about."""
    return re.compile(r"\b(?:the|this)\s+(?:" + "|".join(lexicon.ENGLISH_BODY_KINDS) + r")\b(?!'s|’s)")


def names_own_body(body: str, own: Sequence[str]) -> bool:
    """Whether a body an English question names is a stored report's own (the Xundian culture and tourism bureau of
    …文化和旅游局's report) rather than one the report speaks of (the Dazu District natural forest protection
    management center in …林业局's report: what is asked about). Its kind says: the head kind (the last, or the
    one before `of`) must end an own name as its Chinese name would (center → 中心). Own when nothing says."""
    endings = lexicon.ENGLISH_BODY_ENDINGS
    kinds = re.findall(rf"\b({'|'.join(endings)})\b(\s+of\b)?", body)
    if not own or not kinds:
        return True
    head = next((kind for kind, of in kinds if of), kinds[-1][0])
    return any(name.endswith(tuple(endings[head])) for name in own)


def english_bodies(text: str) -> list[str]:
    """The bodies an English question names by a proper name, as normalised text (lower-case)."""
    return [normalise(m.group(0)) for m in _english_body().finditer(text)]
