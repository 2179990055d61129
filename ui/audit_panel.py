"""The staff page's 报告数据核对: the audit findings of every stored report, problems first, as HTML."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.audit import KIND_LABELS, STATUS_LABELS, Finding
from ui.render import escape

AUDIT_CSS = """
.rq-audit { font-size: 0.95em; line-height: 1.6; }
.rq-audit h4 { margin: 0.6em 0 0.3em; }
.rq-audit ul { list-style: none; padding: 0; margin: 0; }
.rq-finding { border-left: 3px solid #16a34a; padding: 0.2em 0.8em; margin: 0 0 0.6em; }
.rq-finding.rq-problem { border-left-color: #dc2626; }
.rq-status { font-weight: 600; }
.rq-span { color: #6b7280; font-size: 0.85em; }
.rq-empty { color: #6b7280; }
"""


def audit_html(findings: Sequence[Finding], titles: dict[str, str] | None = None) -> str:
    """Per report: a count line, then each finding with its status, message and the spans it cites."""
    if not findings:
        return '<div class="rq-audit"><p class="rq-empty">尚无可核对的报告数据。</p></div>'
    titles = titles or {}
    by_source: dict[str, list[Finding]] = {}
    for f in findings:
        by_source.setdefault(f.spans[0].source, []).append(f)
    parts = ['<div class="rq-audit">']
    for source, items in by_source.items():
        problems = sum(f.is_problem for f in items)
        parts.append(f"<h4>《{escape(titles.get(source, source))}》</h4>"
                     f"<p>共 {len(items)} 项核对，{problems} 项需注意。</p><ul>")
        parts += [_finding_html(f) for f in items]
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _finding_html(f: Finding) -> str:
    spans = "".join(f'<div class="rq-span">{escape(s.section)} · 第 {s.start}–{s.end} 字 “{escape(s.quote)}”</div>'
                    for s in f.spans)
    problem = " rq-problem" if f.is_problem else ""
    return (f'<li class="rq-finding{problem}" data-kind="{escape(f.kind.value)}" '
            f'data-status="{escape(f.status.value)}">'
            f'<span class="rq-status">【{escape(STATUS_LABELS[f.status])}】</span>'
            f'[{escape(KIND_LABELS[f.kind])}] {escape(f.message)}{spans}</li>')
