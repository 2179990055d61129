"""The Gradio web chat over the stored reports: streamed answers, each with its own clickable sources, and one
changeable 👍/👎 per answer (after a 👎, 哪里不对).

It also serves a stable JSON endpoint, `/ask`, taking (question, history_json) and returning the same
object as `report-qa ask --json`:

    >>> import json
    >>> from gradio_client import Client
    >>> client = Client("http://127.0.0.1:7860/")
    >>> result = client.predict("2022年科技局总支出是多少？", "[]", api_name="/ask")
    >>> result["answer"], result["citations"][0]["quote"]
    ('2022年总支出623.97万元[1]。', '2022年总支出623.97万元，其中：…')
    >>> history = [{"role": "user", "content": "2022年科技局总支出是多少？"},
    ...            {"role": "assistant", "content": result["answer"]}]
    >>> client.predict("那人员支出呢？", json.dumps(history, ensure_ascii=False), api_name="/ask")["answer"]
    '人员支出130.74万元[1]。'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import gradio as gr
from starlette.middleware import Middleware

from ui.desk import ChatDesk, DeskError, DeskOptions, Turn, feedback_values
from ui.feedback import FEEDBACK_FILE, REASONS, FeedbackStore
from ui.page import DeskPageMiddleware
from ui.render import SourceSpan, report_titles_line
from ui.staff import STAFF_CSS, StaffDesk, StaffLimits, staff_page

if TYPE_CHECKING:
    from assistant import Assistant, Settings

APP_TITLE = "绩效报告问答助手"
ALL_REPORTS = "全部报告"
EXAMPLES: dict[str, list[str]] = {
    "预算支出": ["2022年总支出是多少？", "人员支出是多少？", "哪项支出最多？"],
    "工作成绩": ["取得了哪些成绩？", "哪两家企业被认定为高新技术企业？"],
    "问题与改进": ["存在哪些问题？", "下一步有哪些改进措施？"],
}
APP_CSS = """
#rq-examples .rq-example-row { justify-content: flex-start; align-items: center; gap: 0.5em; flex-wrap: wrap; }
#rq-examples .rq-example-row > * { flex: 0 0 auto !important; width: auto; min-width: 0; }
#rq-examples .rq-group { min-width: 6em !important; }
#rq-chat .rq-cites { margin-top: 0.6em; font-size: 0.92em; }
#rq-chat .rq-cites summary { cursor: pointer; color: #4b5563; }
#rq-chat .rq-source { border-left: 3px solid #f59e0b; padding: 0.2em 0.7em; margin: 0.5em 0; }
#rq-chat .rq-head { font-weight: 600; }
#rq-chat .rq-meta, #rq-chat .rq-for, #rq-chat .rq-hint { color: #6b7280; font-size: 0.9em; margin: 0.2em 0; }
#rq-chat .rq-para { margin: 0.3em 0; }
#rq-chat mark { background: #fef3c7; padding: 0 0.1em; }
#rq-chat mark.rq-fig { background: #fbbf24; font-weight: 600; }
#rq-chat .rq-flash { animation: rq-flash 1.6s ease-out; }
@keyframes rq-flash { from { background: #fde68a; } to { background: transparent; } }
#rq-chat a.rq-cite { text-decoration: none; font-weight: 600; }
#rq-chat .rq-contact { background: #eff6ff; border: 1px solid #bfdbfe; border-radius: 8px; padding: 0.5em 0.8em;
                       margin: 0.5em 0; color: #1e3a8a; }
#rq-chat .rq-contact ul { margin: 0.2em 0 0; }
#rq-why { border: 1px solid #fecaca; }
"""


def build_app(assistant: Assistant, settings: Settings, options: DeskOptions | None = None) -> gr.Blocks:
    """The page for `assistant`; feedback goes to settings.data_dir/feedback.sqlite3. Nothing is started."""
    options = options or DeskOptions(max_history_turns=settings.max_history_turns,
                                     max_history_chars=settings.max_history_chars)
    desk = ChatDesk(assistant, FeedbackStore(settings.data_dir / FEEDBACK_FILE), options,
                    contact=settings.desk_contact)
    facets = assistant.facets()
    titles = sorted({c.title for c in assistant.retriever.chunks if c.title})
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## 📊 {APP_TITLE}\n{report_titles_line(titles)}"
                    "每个回答都附原文出处：点击答案中的 [n] 查看对应原文。可点击 👍/👎 评价回答。")
        facet = gr.Dropdown([ALL_REPORTS, *(_facet_label(d, y) for d, y in facets)], value=ALL_REPORTS,
                            type="index", label="当前报告（问题未指明单位时，按此报告作答）",
                            visible=len(facets) > 1, elem_id="rq-facet")
        turns, why_at = gr.State([]), gr.State(None)
        chatbot = gr.Chatbot(label="对话", show_label=False, height="62vh", autoscroll=False, elem_id="rq-chat", buttons=[],
                             sanitize_html=True, allow_tags=False, latex_delimiters=[], render_markdown=True,
                             placeholder="请就报告内容提问，例如：2022年总支出是多少？")
        why = _feedback_box()
        question, ask_btn = _question_row(settings)
        example_buttons = _example_rows()
        _wire_chat(desk, facets, (question, turns, facet), (chatbot, turns), ask_btn, example_buttons)
        _wire_feedback(desk, chatbot, turns, why_at, why)
        _api_endpoint(desk)
    if settings.admin_token:  # the staff page: not linked from the public page, and absent without a token
        staff = StaffDesk(assistant, desk.feedback, settings.admin_token, settings.data_dir,
                          StaffLimits(settings.upload_max_bytes, settings.uploads_per_minute))
        with demo.route("工作人员", "/staff", show_in_navbar=False):
            staff_page(staff, client_of)
    demo.queue(max_size=options.queue_size, default_concurrency_limit=options.concurrency)
    return demo


def launch(demo: gr.Blocks, host: str, port: int, chunks: Callable[[], Sequence[SourceSpan]],
           max_upload_bytes: int | None = None) -> None:
    """Start serving without blocking: no file access, no share link, no error details for visitors, no API or
    settings links in the footer (`/ask` is documented in the README). `chunks` gives the stored reports, for the
    full-text pages. Uploads are capped at 100 kB unless the staff page is on (`max_upload_bytes`)."""
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=True, share=False, show_error=False,
                quiet=True, ssr_mode=False, mcp_server=False, pwa=False, enable_monitoring=False, footer_links=[],
                max_file_size=max_upload_bytes or "100kb", css=APP_CSS + STAFF_CSS,
                app_kwargs={"middleware": [Middleware(DeskPageMiddleware, chunks=chunks)]})


def _question_row(settings: Settings) -> tuple[gr.Textbox, gr.Button]:
    with gr.Row():
        question = gr.Textbox(show_label=False, placeholder=f"输入问题（{settings.max_question_chars} 字以内），回车提问",
                              max_length=settings.max_question_chars, lines=1, scale=5, elem_id="rq-question")
        ask_btn = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="rq-ask")
    return question, ask_btn


def _feedback_box() -> tuple[gr.Markdown, gr.Group, gr.Radio, gr.Textbox, gr.Button]:
    """Right under the chat: the vote's confirmation, and after a 👎 the 哪里不对 choices."""
    status = gr.Markdown(elem_id="rq-feedback-status")
    with gr.Group(visible=False, elem_id="rq-why") as box:
        reason = gr.Radio(list(REASONS), label="哪里不对？", elem_id="rq-why-reason")
        comment = gr.Textbox(label="补充说明（可选）", max_length=1000, lines=1, elem_id="rq-why-comment")
        send = gr.Button("提交", size="sm", elem_id="rq-why-send")
    return status, box, reason, comment, send


def _example_rows() -> list[gr.Button]:
    buttons: list[gr.Button] = []
    with gr.Column(elem_id="rq-examples"):
        gr.Markdown("**示例问题**（点击即可提问）")
        for group, questions in EXAMPLES.items():
            with gr.Row(elem_classes="rq-example-row"):
                gr.Markdown(f"**{group}**", elem_classes="rq-group")
                buttons += [gr.Button(q, size="sm", variant="secondary", scale=0) for q in questions]
    return buttons


def _wire_chat(desk: ChatDesk, facets: list, inputs: tuple, outputs: tuple, ask_btn: gr.Button,
               example_buttons: list[gr.Button]) -> None:
    question, turns, facet = inputs

    def respond(text: str, state: list[Turn], facet_index: int | None, request: gr.Request):
        filters = _filters(facets, facet_index)
        for step in desk.reply(text, state or [], filters, client_of(request)):
            yield gr.Chatbot(step.messages, feedback_value=feedback_values(step.turns)), step.turns

    def respond_typed(text: str, state: list[Turn], facet_index: int | None, request: gr.Request):
        first = True
        for chat, new_state in respond(text, state, facet_index, request):
            yield chat, new_state, ("" if first else gr.skip())
            first = False

    for trigger in (question.submit, ask_btn.click):
        trigger(respond_typed, [question, turns, facet], [*outputs, question], api_visibility="private")
    for button in example_buttons:  # a button's value is its label: the example question
        button.click(respond, [button, turns, facet], list(outputs), api_visibility="private")


def _wire_feedback(desk: ChatDesk, chatbot: gr.Chatbot, turns: gr.State, why_at: gr.State, why: tuple) -> None:
    status, box, reason, comment, send = why

    def on_like(state: list[Turn], data: gr.LikeData, request: gr.Request):
        rated = desk.rate(state or [], data.index, data.liked, client_of(request))
        asking = rated.ask_why is not None
        return rated.turns, rated.status, rated.ask_why, gr.Group(visible=asking), None, ""

    def on_why(state: list[Turn], at: int | None, choice: str | None, text: str, request: gr.Request):
        stored, message = desk.explain(state or [], at, choice or "", text, client_of(request))
        return message, gr.Group(visible=not stored)

    chatbot.like(on_like, [turns], [turns, status, why_at, box, reason, comment], api_visibility="private")
    send.click(on_why, [turns, why_at, reason, comment], [status, box], api_visibility="private")
    chatbot.clear(lambda: ([], "", None, gr.Group(visible=False)), None, [turns, status, why_at, box],
                  api_visibility="private")


def _api_endpoint(desk: ChatDesk) -> None:
    """`/ask`: hidden components, so the endpoint has a stable (question, history_json) -> JSON signature."""
    with gr.Column(visible=False):
        question = gr.Textbox(label="question")
        history_json = gr.Textbox(label="history_json", value="[]")
        result = gr.JSON(label="answer")
        trigger = gr.Button("ask")

    def ask(text: str, history: str, request: gr.Request) -> dict:
        """Answer `question` (history_json: earlier turns as [{"role", "content"}]); returns the answer JSON."""
        try:
            return desk.ask_json(text, history, client_of(request))
        except DeskError as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    trigger.click(ask, [question, history_json], result, api_name="ask")


def client_of(request: gr.Request | None) -> str:
    """The visitor's IP as the server sees it (behind a reverse proxy, all visitors share the proxy's)."""
    client = getattr(request, "client", None) if request is not None else None
    return str(getattr(client, "host", "") or "unknown")


def _filters(facets: list, facet_index: int | None) -> dict | None:
    if not facet_index or not 0 < facet_index <= len(facets):
        return None
    department, year = facets[facet_index - 1]
    return {k: v for k, v in (("department", department), ("year", year)) if v} or None


def _facet_label(department: str, year: int | None) -> str:
    return " · ".join(p for p in (department or "未知部门", f"{year} 年度" if year else "") if p)
