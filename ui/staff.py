"""The staff page (/staff) of the same server: add and remove reports, the 报告数据核对 audit, and the visitors'
feedback as a file. Every action takes the token set in REPORT_QA_ADMIN_TOKEN and checks it on the server; with
no token set there is no page at all. Uploads are capped in size and in files per minute per client."""

from __future__ import annotations

import hmac
import html
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import gradio as gr

from assistant.audit import audit_chunks
from ingest.pipeline import FAILED, FileOutcome, readable
from ui.audit_panel import AUDIT_CSS, audit_html
from ui.feedback import FeedbackStore
from ui.ratelimit import RateLimiter

if TYPE_CHECKING:
    from assistant import Assistant

UPLOADS_DIR = "uploads"  # under the data dir: uploaded reports are kept, so a re-upload replaces its file
WRONG_TOKEN = "口令错误，未执行任何操作。 / Wrong token: nothing was done."
_FAILED_TOKENS_PER_MINUTE = 5


class StaffError(Exception):
    """An action refused; the message is safe to show and names the problem."""


@dataclass(frozen=True)
class StaffLimits:
    upload_max_bytes: int = 20_000_000
    uploads_per_minute: int = 10


class StaffDesk:
    """What the staff page does, without the page: each method checks the token first."""

    def __init__(self, assistant: Assistant, feedback: FeedbackStore, token: str, data_dir: Path,
                 limits: StaffLimits | None = None) -> None:
        if not token:
            raise ValueError("the staff page needs a token")
        self.assistant, self.feedback, self._token = assistant, feedback, token
        self.uploads = Path(data_dir) / UPLOADS_DIR
        self.limits = limits or StaffLimits()
        self._uploads = RateLimiter(self.limits.uploads_per_minute)
        self._wrong = RateLimiter(_FAILED_TOKENS_PER_MINUTE)
        self._writing = threading.Lock()  # one upload or removal at a time

    def check(self, token: str | None, client: str = "") -> None:
        if not hmac.compare_digest((token or "").encode("utf-8"), self._token.encode("utf-8")):
            if not self._wrong.allow(client):
                raise StaffError("口令错误次数过多，请一分钟后再试。 / Too many wrong tokens: wait a minute.")
            raise StaffError(WRONG_TOKEN)

    def reports(self) -> list[tuple[str, str]]:
        """(label, origin) of every stored report file."""
        seen: dict[str, str] = {}
        for c in self.assistant.retriever.chunks:
            seen.setdefault(c.origin or c.source, f"{c.source}（{c.department or '未识别单位'} {c.year or ''}）".strip())
        return sorted(((label, origin) for origin, label in seen.items()), key=lambda pair: pair[0])

    def upload(self, token: str | None, paths: list[str], client: str = "") -> str:
        """Store the uploaded files; returns the per-file report (stored, skipped, failed with its reason)."""
        self.check(token, client)
        if not paths:
            raise StaffError("请先选择要上传的报告文件。 / Choose report files to upload first.")
        lines, kept = [], []
        for path in map(Path, paths):
            name = Path(path.name).name
            if not self._uploads.allow(client):
                per = self.limits.uploads_per_minute
                lines.append(FileOutcome(name, FAILED, f"上传过于频繁：每分钟最多 {per} 个文件 / over {per} files a minute").line())
                continue
            size = path.stat().st_size if path.exists() else 0
            if size > self.limits.upload_max_bytes:
                cap = self.limits.upload_max_bytes
                lines.append(FileOutcome(name, FAILED, f"文件过大：{size} 字节，上限 {cap} 字节 / over the {cap}-byte limit").line())
                continue
            kept.append((path, name))
        if kept:
            with self._writing:
                lines.append(self._store(kept))
        return "\n".join(line for line in lines if line)

    def _store(self, kept: list[tuple[Path, str]]) -> str:
        """Each file is read and checked in a folder of its own first, so a bad file never replaces a kept
        upload of the same name; the good ones are then stored from the uploads folder (a stable path, so a
        re-upload replaces its earlier version)."""
        self.uploads.mkdir(parents=True, exist_ok=True)
        lines, good = [], []
        with tempfile.TemporaryDirectory(dir=self.uploads, prefix=".incoming-") as incoming:
            for path, name in kept:
                target = Path(incoming) / name
                shutil.copyfile(path, target)
                problem = readable(target)
                if problem:
                    lines.append(FileOutcome(name, FAILED, problem).line())
                    continue
                final = self.uploads / name
                shutil.move(str(target), final)
                good.append(final)
        if good:
            report = self.assistant.ingest(good, progress=False)
            lines += [o.line(Path(o.name).name) for o in report.outcomes]
        return "\n".join(lines)

    def remove(self, token: str | None, origin: str, client: str = "") -> str:
        self.check(token, client)
        if origin not in {o for _, o in self.reports()}:
            raise StaffError("没有这份报告。 / No such report is stored.")
        with self._writing:
            removed = self.assistant.remove([origin])
        return f"已移除 {Path(origin).name}（{removed} 块）。 / Removed {Path(origin).name} ({removed} chunks)."

    def audit(self, token: str | None, client: str = "") -> str:
        self.check(token, client)
        chunks = self.assistant.retriever.chunks
        return audit_html(audit_chunks(chunks), {c.source: c.title for c in chunks if c.title})

    def export_feedback(self, token: str | None, fmt: str = "csv", client: str = "") -> Path:
        self.check(token, client)
        out = Path(tempfile.mkdtemp(prefix="report-qa-feedback-")) / f"feedback.{fmt}"
        out.write_text(self.feedback.export(fmt), encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        return out


def report_table_html(text: str) -> str:
    """The per-file report as an HTML table (status, file, reason)."""
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in line.split("\t", 2)) + "</tr>"
                   for line in text.splitlines() if line.strip())
    return f'<table class="rq-ingest"><tr><th>状态</th><th>文件</th><th>说明</th></tr>{rows}</table>'


STAFF_CSS = """
.rq-ingest { border-collapse: collapse; font-size: 0.95em; }
.rq-ingest td, .rq-ingest th { border: 1px solid #d1d5db; padding: 0.2em 0.6em; text-align: left; }
.rq-staff-error { color: #b91c1c; font-weight: 600; }
""" + AUDIT_CSS


def staff_page(desk: StaffDesk, client_of) -> None:
    """The page's components and events; call it inside `demo.route(...)`. `client_of(request)` names the
    client for the limits."""
    gr.Markdown("## 工作人员页面\n添加或移除报告、查看报告数据核对、导出访客反馈。每项操作都需要口令。")
    token = gr.Textbox(label="口令 Token", type="password", elem_id="rq-staff-token")
    with gr.Tab("添加报告"):
        files = gr.File(file_count="multiple", file_types=[".txt", ".md", ".docx", ".pdf"], type="filepath",
                        label="报告文件（.txt .md .docx .pdf）", elem_id="rq-staff-files")
        upload = gr.Button("入库", variant="primary", elem_id="rq-staff-upload")
        uploaded = gr.HTML(elem_id="rq-staff-uploaded")
    with gr.Tab("移除报告"):
        listed = gr.Dropdown([], label="已入库的报告", elem_id="rq-staff-reports")
        show = gr.Button("刷新列表", elem_id="rq-staff-list")
        remove = gr.Button("移除所选报告", variant="stop", elem_id="rq-staff-remove")
        removed = gr.HTML(elem_id="rq-staff-removed")
    with gr.Tab("报告数据核对"):
        audit = gr.Button("核对", elem_id="rq-staff-audit")
        audited = gr.HTML(elem_id="rq-staff-audited")
    with gr.Tab("反馈导出"):
        fmt = gr.Radio(["csv", "jsonl"], value="csv", label="格式")
        export = gr.Button("导出", elem_id="rq-staff-export")
        exported = gr.File(label="反馈文件", elem_id="rq-staff-exported")
        export_note = gr.HTML()

    def _refused(exc: StaffError) -> str:
        return f'<p class="rq-staff-error">{html.escape(str(exc))}</p>'

    def _choices() -> gr.Dropdown:
        return gr.Dropdown(choices=desk.reports(), value=None)

    def on_upload(tok, paths, request: gr.Request):
        """The chosen files clear once handled; on a refused token they stay chosen, to try again."""
        try:
            table = report_table_html(desk.upload(tok, list(paths or []), client_of(request)))
            return table, _choices(), None
        except StaffError as exc:
            return _refused(exc), gr.Dropdown(), gr.File()

    def on_list(tok, request: gr.Request):
        try:
            desk.check(tok, client_of(request))
            return _choices(), ""
        except StaffError as exc:
            return gr.Dropdown(choices=[], value=None), _refused(exc)

    def on_remove(tok, origin, request: gr.Request):
        try:
            return f"<p>{html.escape(desk.remove(tok, origin or '', client_of(request)))}</p>", _choices()
        except StaffError as exc:
            return _refused(exc), gr.Dropdown()

    def on_audit(tok, request: gr.Request):
        try:
            return desk.audit(tok, client_of(request))
        except StaffError as exc:
            return _refused(exc)

    def on_export(tok, chosen, request: gr.Request):
        try:
            return str(desk.export_feedback(tok, chosen, client_of(request))), ""
        except StaffError as exc:
            return None, _refused(exc)

    private = {"api_visibility": "private"}
    upload.click(on_upload, [token, files], [uploaded, listed, files], concurrency_limit=1, **private)
    show.click(on_list, [token], [listed, removed], **private)
    remove.click(on_remove, [token, listed], [removed, listed], concurrency_limit=1, **private)
    audit.click(on_audit, [token], [audited], **private)
    export.click(on_export, [token, fmt], [exported, export_note], **private)
