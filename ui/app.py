"""The Gradio web chat over the stored reports: streamed, cited answers with a 来源 panel and 👍/👎 feedback.

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

from typing import TYPE_CHECKING

import gradio as gr

from ui.desk import ChatDesk, DeskError, DeskOptions, Turn
from ui.feedback import FEEDBACK_FILE, FeedbackStore
from ui.render import EMPTY_SOURCES_HTML, SOURCES_CSS, report_titles_line
from ui.staff import STAFF_CSS, StaffDesk, StaffLimits, staff_page

if TYPE_CHECKING:
    from assistant import Assistant, Settings

APP_TITLE = "绩效报告问答助手"
ALL_REPORTS = "全部报告"
EXAMPLES: dict[str, list[str]] = {
    "预算支出": ["2022年总支出是多少？", "人员支出是多少？", "基本支出是多少？"],
    "工作成绩": ["取得了哪些成绩？", "哪两家企业被认定为高新技术企业？"],
    "问题与改进": ["存在哪些问题？", "下一步有哪些改进措施？"],
}
APP_CSS = """
#rq-examples .rq-example-row { justify-content: flex-start; align-items: center; gap: 0.5em; }
#rq-examples .rq-example-row > * { flex: 0 0 auto !important; width: auto; min-width: 0; }
#rq-examples .rq-group { min-width: 6em !important; }
"""


def build_app(assistant: Assistant, settings: Settings, options: DeskOptions | None = None) -> gr.Blocks:
    """The page for `assistant`; feedback goes to settings.data_dir/feedback.sqlite3. Nothing is started."""
    options = options or DeskOptions()
    desk = ChatDesk(assistant, FeedbackStore(settings.data_dir / FEEDBACK_FILE), options)
    facets = assistant.facets()
    titles = sorted({c.title for c in assistant.retriever.chunks if c.title})
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## 📊 {APP_TITLE}\n{report_titles_line(titles)}答案均附原文出处，可点击 👍/👎 评价。")
        facet = gr.Dropdown([ALL_REPORTS, *(_facet_label(d, y) for d, y in facets)], value=ALL_REPORTS,
                            type="index", label="部门/年度", visible=len(facets) > 1, elem_id="rq-facet")
        turns = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot, question, ask_btn = _chat_column(settings)
                example_buttons = _example_rows()  # above the fold: a first-time visitor sees what to ask
                comment, status = _feedback_row()
            with gr.Column(scale=2):
                sources = gr.HTML(EMPTY_SOURCES_HTML, css_template=SOURCES_CSS, elem_id="rq-sources")
        _wire_chat(desk, facets, (question, turns, facet), (chatbot, sources), ask_btn, example_buttons)
        chatbot.like(_like_handler(desk), [turns, comment], [status, comment], api_visibility="private")
        chatbot.clear(lambda: ([], EMPTY_SOURCES_HTML), None, [turns, sources], api_visibility="private")
        _api_endpoint(desk)
    if settings.admin_token:  # the staff page: not linked from the public page, and absent without a token
        staff = StaffDesk(assistant, desk.feedback, settings.admin_token, settings.data_dir,
                          StaffLimits(settings.upload_max_bytes, settings.uploads_per_minute))
        with demo.route("工作人员", "/staff", show_in_navbar=False):
            staff_page(staff, client_of)
    demo.queue(max_size=options.queue_size, default_concurrency_limit=options.concurrency)
    return demo


def launch(demo: gr.Blocks, host: str, port: int, max_upload_bytes: int | None = None) -> None:
    """Start serving without blocking: no file access, no share link, no error details for visitors. Uploads
    are capped at 100 kB unless the staff page is on (`max_upload_bytes`, a report file's cap)."""
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=True, share=False, show_error=False,
                quiet=True, ssr_mode=False, mcp_server=False, pwa=False, enable_monitoring=False,
                max_file_size=max_upload_bytes or "100kb", css=APP_CSS + STAFF_CSS)


def _chat_column(settings: Settings) -> tuple[gr.Chatbot, gr.Textbox, gr.Button]:
    chatbot = gr.Chatbot(label="对话", height=420, elem_id="rq-chat", buttons=["copy"],
                         sanitize_html=True, allow_tags=False, latex_delimiters=[], render_markdown=True,
                         placeholder="请就报告内容提问，例如：2022年总支出是多少？")
    with gr.Row():
        question = gr.Textbox(show_label=False, placeholder=f"输入问题（{settings.max_question_chars} 字以内），回车提问",
                              max_length=settings.max_question_chars, lines=1, scale=5, elem_id="rq-question")
        ask_btn = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="rq-ask")
    return chatbot, question, ask_btn


def _feedback_row() -> tuple[gr.Textbox, gr.Markdown]:
    with gr.Row():
        comment = gr.Textbox(label="反馈意见（可选）", max_length=1000, scale=3, elem_id="rq-comment",
                             placeholder="点击回答下方的 👍/👎 时，这里的意见会一并提交")
        status = gr.Markdown(elem_id="rq-feedback-status")
    return comment, status


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
            yield step.messages, step.sources, step.turns

    def respond_typed(text: str, state: list[Turn], facet_index: int | None, request: gr.Request):
        first = True
        for messages, sources, new_state in respond(text, state, facet_index, request):
            yield messages, sources, new_state, ("" if first else gr.skip())
            first = False

    typed_outputs = [*outputs, turns, question]
    for trigger in (question.submit, ask_btn.click):
        trigger(respond_typed, [question, turns, facet], typed_outputs, api_visibility="private")
    for button in example_buttons:  # a button's value is its label: the example question
        button.click(respond, [button, turns, facet], [*outputs, turns], api_visibility="private")


def _like_handler(desk: ChatDesk):
    def on_like(state: list[Turn], comment: str, data: gr.LikeData, request: gr.Request):
        recorded, status = desk.rate(state or [], data.index, data.liked, comment, client_of(request))
        return status, ("" if recorded else gr.skip())

    return on_like


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
