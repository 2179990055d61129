"""Who asks, and how they start asking: 我是退休的老人，想问问这批路… asks about the roads. The clauses a resident opens
with about themselves (lexicon persona_openers) and the lead-in words before what is asked (lexicon lead_ins) name no
subject: a thing they name (小学生, 作业) is not a thing the report must state. Nor does a clause that only says
where to look (According to the centre's report, …; lexicon source_frames, source_words)."""

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
        if first.startswith(lexicon.PERSONA_OPENERS) or _names_the_source(first) or not first.strip("，,：:；; "):
            clauses.pop(0)
            continue
        clauses[0] = first
        break
    kept = "".join(clauses)
    return _less_lead_in(kept.strip()) or norm


def without_besides(norm: str) -> str:
    """除了打井，还新建了哪些设施 → ，还新建了哪些设施: the question less what it sets aside (lexicon besides_cues) up
    to its comma, which the resident knows already; unchanged when no comma closes it."""
    cues = "|".join(re.escape(c) for c in sorted(lexicon.BESIDES_CUES, key=len, reverse=True))
    return re.sub(rf"(?:^|(?<=[\u4e00-\u9fff\s]))(?:{cues})[^，,。？?]{{1,40}}?(?=[，,])", " ", norm, count=1,
                  flags=re.IGNORECASE)


def _names_the_source(clause: str) -> bool:
    """According to the centre's report, / 根据这份报告，: a clause that only says where to look."""
    bare = clause.strip("，,：:；; ")
    return bare.startswith(lexicon.SOURCE_FRAMES) and bare.endswith(lexicon.SOURCE_WORDS)


def _less_lead_in(clause: str) -> str:
    lead = max((w for w in lexicon.LEAD_INS if clause.startswith(w)), key=len, default="")
    return clause[len(lead):]
