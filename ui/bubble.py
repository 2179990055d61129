"""One answer's chat bubble: its text with each [n] a link to its source, and its sources under it.

Every answer keeps its own sources, so an earlier answer stays checkable after later ones. A source names the
report it quotes (title, department, year), its section, and the cited sentence inside its paragraph, with the
figure the answer gives highlighted inside the sentence; it links to the full report text at that passage.
An abstention is never a dead end: it offers the desk's contact and the full reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlencode

from assistant import Answer, Citation, Mode
from assistant.settings import DeskContact
from ui.render import NUMBERED_ITEM, SourceSpan, containing_chunk, escape

ABSTAIN_HINT = "可以换个问法，或询问预算支出、工作成绩、问题与改进等报告中的内容。"
STREAMING_MARK = "▍"  # ends a bubble while its answer is still streaming
REPORT_PATH = "report"  # the full report text, served next to the page (ui/page.py)
CONTEXT_CHARS = 160  # of the paragraph shown on each side of a cited sentence
MAX_REPORT_LINKS = 5  # full reports an abstention links to; a desk with hundreds stored says how many there are
MAX_MARKED = 3  # figures an answer's stretch may give and still have each one marked in its quote
_MARKER = re.compile(r"\[(\d+)\]")
# A figure as answers write it: 623.97万元, 1,234.5元, 95%, 31家. The unit is kept so 31 does not mark 2031.
_FIGURE = re.compile(r"\d[\d,，]*(?:\.\d+)*\s*(?:亿元|万元|千元|元|％|%|个百分点|家|个|项|人次|人|次|户|件|分|篇|名|天)?")
_YEAR = re.compile(r"(?:19|20)\d\d")  # a bare year is when, not the figure asked for


def contact_html(contact: DeskContact) -> str:
    """The desk's phone, address and hours, and its note on reaching a person."""
    rows = [(label, value) for label, value in (("电话", contact.phone), ("地址", contact.address),
                                                 ("时间", contact.hours)) if value]
    lines = "".join(f"<li>{label}：{escape(value)}</li>" for label, value in rows)
    items = f"<ul>{lines}</ul>" if lines else ""
    return f'<div class="rq-contact"><b>联系人工服务</b>：{escape(contact.note)}{items}</div>'


def report_href(source: str, start: int | None = None, end: int | None = None) -> str:
    """The full report text, scrolled to text[start:end] (marked) when given. Relative: it works under a proxy."""
    query = {"source": source} | ({"start": start, "end": end} if start is not None and end is not None else {})
    return f"{REPORT_PATH}?{urlencode(query)}" + ("#rq-here" if start is not None else "")


class BubbleRenderer:
    """Turns answers into chat bubbles, reading the stored chunks for each citation's paragraph and report."""

    def __init__(self, chunks: Sequence[SourceSpan], contact: DeskContact | None = None) -> None:
        self.chunks = chunks
        self.contact = contact or DeskContact()

    def streaming(self, answer: Answer, prefix: str) -> str:
        """The bubble while the answer streams: its text so far, links and sources to come."""
        return f"{escape(NUMBERED_ITEM.sub('', prefix))}{STREAMING_MARK}"

    def final(self, answer: Answer, turn_id: str) -> str:
        """The finished bubble: the text with linked [n], then the answer's sources (or the way to a person)."""
        body = escape(NUMBERED_ITEM.sub("", answer.text))
        if answer.mode == Mode.REFUSED:
            return f"⚠️ {body}"
        if answer.abstained or not answer.citations:
            return f"ℹ️ {body}\n\n{self._way_on(answer)}"
        by_n = {c.n: c for c in answer.citations}
        body = _MARKER.sub(lambda m: _cite_link(turn_id, int(m.group(1))) if int(m.group(1)) in by_n else m.group(0),
                           body)
        if answer.notice:
            body += f"\n\n> {escape(answer.notice)}"
        figures = _figures_by_marker(answer.text)
        sources = "".join(self._source(c, turn_id, figures.get(c.n, [])) for c in answer.citations)
        understood = (f'<p class="rq-for">按上文理解为：{escape(answer.rewritten_question)}</p>'
                      if answer.rewritten_question else "")
        return (f'{body}\n\n<details class="rq-cites" open><summary>来源（{len(answer.citations)} 条）'
                f"：点击 [n] 查看对应原文</summary>{understood}{sources}</details>")

    def _source(self, citation: Citation, turn_id: str, figures: list[str]) -> str:
        chunk = containing_chunk(citation, self.chunks)
        title = getattr(chunk, "title", "") or citation.source
        whose = " · ".join(p for p in (getattr(chunk, "department", ""), _year(getattr(chunk, "year", None))) if p)
        page = f" · 第 {citation.page} 页" if citation.page else ""
        link = report_href(citation.source, citation.start, citation.end)
        return (f'<div class="rq-source" id="{source_id(turn_id, citation.n)}">'
                f'<div class="rq-head">[{citation.n}] {escape(citation.section)}</div>'
                f'<div class="rq-meta">《{escape(title)}》{" · " + escape(whose) if whose else ""}{page}</div>'
                f'<p class="rq-para">{paragraph_html(citation, self.chunks, figures)}</p>'
                f'<a class="rq-full" href="{escape(link)}" target="_blank">在报告全文中查看</a></div>')

    def _way_on(self, answer: Answer) -> str:
        """After an abstention: what to try, whom to ask, and the full reports to read."""
        reports = sorted({(c.source, getattr(c, "title", "") or c.source) for c in self.chunks})
        links = "、".join(f'<a class="rq-full" href="{escape(report_href(source))}" target="_blank">'
                         f"《{escape(title)}》</a>" for source, title in reports[:MAX_REPORT_LINKS])
        more = f"等，共 {len(reports)} 份报告" if len(reports) > MAX_REPORT_LINKS else ""
        full = f'<p class="rq-reports">查看报告全文：{links}{more}</p>' if links else ""
        hint = f'<p class="rq-hint">{ABSTAIN_HINT}</p>' if answer.mode != Mode.REFUSED else ""
        return f'<div class="rq-way">{hint}{contact_html(self.contact)}{full}</div>'


def source_id(turn_id: str, n: int) -> str:
    return f"rq-{turn_id}-{n}"


def _cite_link(turn_id: str, n: int) -> str:
    return f'<a class="rq-cite" href="#{source_id(turn_id, n)}" title="查看来源 {n}">[{n}]</a>'


def _year(year: int | None) -> str:
    return f"{year} 年度" if year else ""


def _figures_by_marker(text: str) -> dict[int, list[str]]:
    """For each [n], the figures the answer states in the stretch of text that [n] closes."""
    out: dict[int, list[str]] = {}
    last = 0
    for m in _MARKER.finditer(text):
        stretch = text[last:m.start()]
        found = [f.group(0).strip() for f in _FIGURE.finditer(stretch)]
        found = [f for f in found if not _YEAR.fullmatch(f)]
        if len(found) <= MAX_MARKED:  # a whole sentence restated marks nothing in particular: its quote is the mark
            out.setdefault(int(m.group(1)), []).extend(found)
        last = m.end()
    return out


def paragraph_html(citation: Citation, chunks: Sequence[SourceSpan], figures: Sequence[str] = ()) -> str:
    """The cited quote inside its paragraph, the quote in <mark>, and inside it each figure the answer gives
    (a stated figure the quote contains) in a <mark class="rq-fig">."""
    quote = _marked_figures(citation.quote, figures)
    chunk = containing_chunk(citation, chunks)
    if chunk is None:
        return f"<mark>{quote}</mark>"
    lo, hi = citation.start - chunk.start, citation.end - chunk.start
    if chunk.text[lo:hi] != citation.quote:  # offsets disagree with the text: fall back to a search
        lo = chunk.text.find(citation.quote)
        if lo < 0:
            return f"<mark>{quote}</mark>"
        hi = lo + len(citation.quote)
    before, after = chunk.text[max(0, lo - CONTEXT_CHARS):lo], chunk.text[hi:hi + CONTEXT_CHARS]
    lead = "…" if lo > CONTEXT_CHARS else ""
    tail = "…" if hi + CONTEXT_CHARS < len(chunk.text) else ""
    return f"{lead}{escape(before)}<mark>{quote}</mark>{escape(after)}{tail}"


def _marked_figures(quote: str, figures: Sequence[str]) -> str:
    """The escaped quote with each of `figures` it contains wrapped once; longer figures first, none nested."""
    spans: list[tuple[int, int]] = []
    for figure in sorted({f for f in figures if f}, key=len, reverse=True):
        for m in re.finditer(re.escape(figure), quote):
            before = quote[m.start() - 1] if m.start() else ""
            after = quote[m.end()] if m.end() < len(quote) else ""
            if before.isdigit() or before == "." or after.isdigit():
                continue  # 23.9 inside 123.90 is not the figure
            if not any(s < m.end() and m.start() < e for s, e in spans):
                spans.append((m.start(), m.end()))
                break
    out, last = [], 0
    for s, e in sorted(spans):
        out.append(f'{escape(quote[last:s])}<mark class="rq-fig">{escape(quote[s:e])}</mark>')
        last = e
    return "".join(out) + escape(quote[last:])
