"""Who asks, and how they start asking: 我是退休的老人，想问问这批路… asks about the roads. The clauses a resident opens
with about themselves (lexicon persona_openers) and the lead-in words before what is asked (lexicon lead_ins) name no
subject: a thing they name (小学生, 作业) is not a thing the report must state."""

from __future__ import annotations

import re

from assistant import lexicon

_CLAUSE = re.compile(r"[^，,：:；;]*[，,：:；;]?")


def without_persona(norm: str) -> str:
    """我是小学生,作业要查一下:那座水塔能装多少吨水 → 那座水塔能装多少吨水: the question less its opening clauses
    about the asker and its lead-in; unchanged when nothing else would be left."""
    clauses = [c for c in _CLAUSE.findall(norm) if c]
    while len(clauses) > 1:
        first = _less_lead_in(clauses[0].strip())
        if first.startswith(lexicon.PERSONA_OPENERS) or not first.strip("，,：:；; "):
            clauses.pop(0)
            continue
        clauses[0] = first
        break
    kept = "".join(clauses)
    return _less_lead_in(kept.strip()) or norm


def _less_lead_in(clause: str) -> str:
    lead = max((w for w in lexicon.LEAD_INS if clause.startswith(w)), key=len, default="")
    return clause[len(lead):]
