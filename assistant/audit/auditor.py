"""Report audit: checks a report's own figures and text against each other, as findings that cite their spans.

`audit_chunks(assistant.retriever.chunks)` audits every stored report; `audit_notes(answer, findings)`
gives the one-line notes for an answer that cites a span a finding is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.audit import checks
from assistant.audit.checks import fmt
from assistant.audit.findings import KIND_LABELS, STATUS_LABELS, Finding, Kind, Span, Status, where

__all__ = ["KIND_LABELS", "STATUS_LABELS", "Finding", "Kind", "Span", "Status", "audit_chunks", "audit_document",
           "audit_notes", "audit_report", "where"]


_NOTE_ORDER = (Kind.MALFORMED, Kind.RESTATED, Kind.PARTS_SUM, Kind.TARGET, Kind.BLANK, Kind.TRUNCATED, Kind.TYPO)


def audit_chunks(chunks: Iterable) -> list[Finding]:
    """Findings for every report among `chunks` (stored or freshly cut), report by report."""
    by_source: dict[str, list] = {}
    for chunk in chunks:
        by_source.setdefault(chunk.source, []).append(chunk)
    return [f for source in sorted(by_source) for f in audit_report(by_source[source])]


def audit_document(doc) -> list[Finding]:
    """Findings for one loaded `SourceDocument`, at ingest time."""
    from ingest.chunker import chunk_document

    return audit_report(chunk_document(doc))


def audit_report(chunks: Sequence) -> list[Finding]:
    """All checks on one report's chunks: the problems first, then what holds."""
    from ingest.facts import NUMBER

    text = _sparse_text(chunks)
    figures = checks.make_figures(chunks, text)
    found = checks.breakdowns(figures, text)
    implied = checks.implied_values(found)
    findings = [checks.sum_finding(b, implied) for b in found]
    malformed = [f for f in figures if f.value is None]
    findings += [malformed_finding(f, implied.get(f, [])) for f in malformed]
    findings += _unlabelled_malformed(chunks, malformed, NUMBER)
    findings += checks.target_findings(figures, found, implied)
    findings += checks.restatement_findings(figures)
    findings += text_findings(chunks)
    order = {kind: i for i, kind in enumerate(Kind)}
    return sorted(findings, key=lambda f: (not f.is_problem, order[f.kind], f.spans[0].start))


def _sparse_text(chunks: Sequence) -> str:
    """The report's text rebuilt from its chunks, at their own offsets (gaps, such as headings, as newlines)."""
    buffer = ["\n"] * max((c.end for c in chunks), default=0)
    for c in chunks:
        buffer[c.start:c.end] = c.text
    return "".join(buffer)


def malformed_finding(figure, implied: list) -> Finding:
    """449.34.34万元, with the value its parts, or its total less the other parts, give it."""
    head = f"{figure.name}原文写作“{figure.written}”，数字格式有误"
    implied = sorted(implied, key=lambda i: not i.from_parts)
    readings = []
    for i in implied:
        how = "按分项" if i.from_parts else f"按{i.via.total.name}减其他分项"
        readings.append(f"{how}（{i.expression}）计算{'应为' if not readings else '为'} {fmt(i.value)} {figure.fact.unit}")
    values = {i.value for i in implied}
    if len(values) == 1 and len(readings) > 1:
        readings[-1] = readings[-1].replace("计算为", "计算也为")
    tail = "；".join(readings) if readings else "上下文无法推定其数值"
    if len(values) > 1:
        tail += "，两种推算不一致"
    spans = (figure.span, *(f.span for i in implied for f in (i.via.total, *i.via.parts) if f is not figure))
    expected = fmt(implied[0].value) if len(values) == 1 else None
    return Finding(Kind.MALFORMED, Status.MALFORMED, f"{head}；{tail}。", tuple(dict.fromkeys(spans)),
                   expected, figure.fact.value, (figure.fact.value,))


def _unlabelled_malformed(chunks: Sequence, known: list, number: re.Pattern) -> list[Finding]:
    """Malformed numbers the fact extraction gave no label, so no figure carries them."""
    covered = {(f.fact.start, f.fact.end) for f in known}
    out = []
    for c in chunks:
        for m in number.finditer(c.text):
            start, end = c.start + m.start(), c.start + m.end()
            if m.group(1).count(".") >= 2 and not any(s <= start and end <= e for s, e in covered):
                out.append(Finding(Kind.MALFORMED, Status.MALFORMED, f"原文写作“{m.group(0)}”，数字格式有误。",
                                   (Span(c.source, start, end, m.group(0), c.section),), None, m.group(1),
                                   (m.group(1),)))
    return out


# --- blanks, truncated terms and misspellings ----------------------------------------------------

_GAP = "[ \t\u3000]"
_BLANKS = (  # (pattern, what is missing): each match is where a number or words belong
    (re.compile(f"第{_GAP}*[届期批次号]"), "“第”后缺少序数"),
    (re.compile(f"(?<=[\u4e00-\u9fff]){_GAP}+(?:万元|亿元|元)(?![\u4e00-\u9fff])"), "金额空缺，单位前没有数字"),
    (re.compile("(?:共计|合计|总计)(?:万元|亿元)"), "金额空缺，单位前没有数字"),
    (re.compile(f"[（(]{_GAP}*[）)]"), "括号内容空缺"),
    (re.compile(r"(?<=[\u4e00-\u9fff])(?:_{2,}|＿{2,}|(?:XX|××|ＸＸ)(?=[\d万元家个名项%]))"), "留有占位符，内容未填写"),
)
TYPOS = {"拔款": "拨款", "己经": "已经", "帐户": "账户", "按排": "安排"}  # known misspellings in the genre
_CONTEXT = 8


def text_findings(chunks: Sequence) -> list[Finding]:
    """Blanks where a number belongs, genre terms cut off before a number, and known misspellings."""
    terms = _truncatable_terms()
    out = []
    for c in sorted(chunks, key=lambda c: c.start):
        out += _blanks(c) + _truncations(c, terms) + _typos(c)
    return out


def _blanks(chunk) -> list[Finding]:
    out = []
    for pattern, what in _BLANKS:
        for m in pattern.finditer(chunk.text):
            start, quote = chunk.start + m.start(), m.group(0)
            message = f"{where(chunk.section)}“{_context(chunk, m.start(), m.end())}”：{what}。"
            out.append(Finding(Kind.BLANK, Status.BLANK, message,
                               (Span(chunk.source, start, start + len(quote), quote, chunk.section),),
                               None, quote, (quote,)))
    return out


def _truncations(chunk, terms: list[str]) -> list[Finding]:
    hits: dict[int, tuple[int, str]] = {}  # end of the cut term → (start, term); the longest term wins
    for term in terms:
        for m in re.finditer(re.escape(term[:-1]) + r"(?=\d)", chunk.text):
            if len(term) > len(hits.get(m.end(), (0, ""))[1]):
                hits[m.end()] = (m.start(), term)
    out = []
    for end, (start, term) in sorted(hits.items()):
        number = re.match(r"[\d.]+\S?", chunk.text[end:]).group(0)
        quote = chunk.text[start:end] + number
        message = (f"{where(chunk.section)}“{_context(chunk, start, end + len(number))}”：“{term}”被截断为"
                   f"“{term[:-1]}”，其后直接接“{number}”，句子缺少文字。")
        out.append(Finding(Kind.TRUNCATED, Status.BLANK, message,
                           (Span(chunk.source, chunk.start + start, chunk.start + start + len(quote), quote,
                                 chunk.section),), term, term[:-1], (quote,)))
    return out


def _typos(chunk) -> list[Finding]:
    out = []
    for wrong, right in TYPOS.items():
        for m in re.finditer(wrong, chunk.text):
            start = chunk.start + m.start()
            message = f"{where(chunk.section)}“{_context(chunk, m.start(), m.end())}”：“{wrong}”疑为“{right}”之误。"
            out.append(Finding(Kind.TYPO, Status.MALFORMED, message,
                               (Span(chunk.source, start, start + len(wrong), wrong, chunk.section),),
                               right, wrong, (wrong,)))
    return out


def _truncatable_terms() -> list[str]:
    """The genre's longer terms, as the tokenizer knows them (its vocabulary file lives with it)."""
    from vectorstore.tokenize import genre_terms

    return [t for t in genre_terms() if len(t) >= 4]


def _context(chunk, start: int, end: int) -> str:
    lo, hi = max(0, start - _CONTEXT), min(len(chunk.text), end + _CONTEXT)
    return ("…" if lo else "") + chunk.text[lo:hi].replace("\n", " ") + ("…" if hi < len(chunk.text) else "")


# --- notes on answers ----------------------------------------------------------------------------

def audit_notes(answer, findings: Sequence[Finding]) -> list[str]:
    """One line per problem finding that the answer cites a span of and states a figure or word of."""
    if getattr(answer, "abstained", False) or not answer.citations:
        return []
    order = {kind: i for i, kind in enumerate(_NOTE_ORDER)}
    notes, seen = [], set()
    for f in sorted((f for f in findings if f.is_problem), key=lambda f: order.get(f.kind, len(order))):
        subject = (f.spans[0].source, f.spans[0].start, f.spans[0].end)
        if subject in seen or not any(word and word in answer.text for word in f.about):
            continue
        if any(c.source == s.source and c.start < s.end and s.start < c.end for c in answer.citations for s in f.spans):
            seen.add(subject)
            notes.append(f"核对提示：{f.message}")
    return notes
