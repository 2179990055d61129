"""End to end in headless Debian Chromium: ask, follow up, abstain, escape, rate — as a visitor would.

The browser is Debian's `chromium` driven through Debian's `chromedriver` (both by explicit path, never
downloaded), with a fresh profile per test. The served app is conftest's `ui_server`, always stopped at the end.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CHROMEDRIVER, CHROMIUM, WAIT_S

TOTAL_SECTION = "一、部门概况 › （五）当年部门预算及执行情况"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver"),
]


class Page:
    """The desk as a visitor sees it."""

    def __init__(self, driver, url: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver, self.by = driver, By
        self.wait = WebDriverWait(driver, WAIT_S, poll_frequency=0.1)
        driver.get(url)
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#rq-question textarea"))

    def find(self, css: str) -> list:
        return self.driver.find_elements(self.by.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return " ".join(e.text for e in self.find(css))

    def replies(self) -> list[str]:
        return [e.text for e in self.find('#rq-chat [data-testid="bot"]')]

    def ask(self, question: str, *expected: str) -> str:
        """Type a question, press Enter, and wait for the streamed reply to finish holding every expected string."""
        from selenium.webdriver.common.keys import Keys

        before = len(self.replies())
        box = self.find("#rq-question textarea")[0]
        box.send_keys(question)
        box.send_keys(Keys.ENTER)
        return self.wait_for_reply(before, *expected)

    def wait_for_reply(self, before: int, *expected: str) -> str:
        def done(_):
            replies = self.replies()
            settled = "正在整理答案与来源" not in self.text("#rq-sources")  # the panel fills when streaming ends
            return len(replies) > before and settled and all(s in replies[-1] for s in expected) and replies[-1]

        return self.wait.until(done, message=f"no reply with {expected}; chat: {self.text('#rq-chat')!r}")

    def wait_for_sources(self, *expected: str) -> str:
        return self.wait.until(lambda _: all(s in (t := self.text("#rq-sources")) for s in expected) and t,
                               message=f"sources never showed {expected}: {self.text('#rq-sources')!r}")

    def rate_last_reply(self, button: str, comment: str = "") -> str:
        """Optionally type a feedback comment, click 👍 (`Like`) or 👎 (`Dislike`) under the latest reply."""
        if comment:
            self.find("#rq-comment textarea, #rq-comment input")[0].send_keys(comment)
        self.find(f'#rq-chat button[aria-label="{button}"]')[-1].click()
        icon = "👍" if button == "Like" else "👎"
        return self.wait.until(lambda _: f"已记录您的反馈（{icon}）" in (t := self.text("#rq-feedback-status")) and t,
                               message=f"no feedback status: {self.text('#rq-feedback-status')!r}")


def feedback_rows(data_dir: Path, question: str) -> list[dict]:
    with sqlite3.connect(data_dir / "feedback.sqlite3") as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT rating, question, answer, citations, comment FROM feedback WHERE question = ?",
                          (question,)).fetchall()
    return [dict(r) for r in rows]


@pytest.mark.timeout(240, method="signal")
def test_streamed_answer_shows_the_figure_and_its_cited_section_and_a_follow_up_works(ui_server, browser, tmp_path):
    page = Page(browser, ui_server.url)
    assert "本助手仅依据《庐山市科学技术局部门整体支出绩效自评报告》作答" in page.text("body")
    assert not page.text("#rq-facet")  # one report: no 部门/年度 selector
    assert page.find("#rq-examples button")[0].is_displayed()  # the examples are there before any question

    reply = page.ask("2022年科技局总支出是多少？", "623.97", "[1]")

    assert reply.startswith("2022年总支出623.97万元")
    heads = [h for h in page.find("#rq-sources .rq-head") if h.is_displayed()]
    assert heads and heads[0].text == f"[1] {TOTAL_SECTION}"
    marks = [m for m in page.find("#rq-sources mark") if m.is_displayed()]
    assert any("总支出623.97万元" in m.text for m in marks)
    browser.save_screenshot(str(tmp_path / "answer.png"))
    assert (tmp_path / "answer.png").stat().st_size > 10_000

    page.ask("那人员支出呢？", "130.74")
    page.wait_for_sources("那人员支出呢？", "130.74万元", TOTAL_SECTION)


@pytest.mark.timeout(180, method="signal")
def test_script_tag_in_a_question_shows_as_literal_text_and_never_runs(ui_server, browser):
    page = Page(browser, ui_server.url)
    browser.execute_script("window.__rqAlerts = []; window.alert = m => window.__rqAlerts.push(String(m));")
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>是什么？"

    page.ask(hostile)

    assert hostile in page.text('#rq-chat [data-testid="user"]')
    assert not page.find("#rq-chat script, #rq-sources script, #rq-chat img[src='x'], #rq-sources img[src='x']")
    assert browser.execute_script("return window.__rqAlerts") == []
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is what raises when no dialog is open


@pytest.mark.timeout(180, method="signal")
def test_thumbs_down_with_a_comment_is_stored_in_the_feedback_database(ui_server, browser):
    page = Page(browser, ui_server.url)
    question, comment = "2022年科技局基本支出是多少？", "希望同时列出人员支出和公用经费"
    page.ask(question, "174.63")

    page.rate_last_reply("Dislike", comment)

    (row,) = feedback_rows(ui_server.data_dir, question)
    assert (row["rating"], row["comment"]) == ("down", comment)
    assert "174.63" in row["answer"]
    citations = json.loads(row["citations"])
    assert citations and citations[0]["section"] == TOTAL_SECTION and "174.63" in citations[0]["quote"]
    assert not page.find("#rq-comment textarea")[0].get_attribute("value")  # the comment went with the rating


@pytest.mark.timeout(180, method="signal")
def test_abstention_is_a_calm_notice_and_an_example_button_asks_its_question(ui_server, browser):
    page = Page(browser, ui_server.url)

    page.ask("局长是谁？", "报告中未找到相关信息")
    page.wait_for_sources("报告中未找到相关信息", "可以换个问法")

    assert [n for n in page.find("#rq-sources .rq-notice") if n.is_displayed()]
    assert "错误" not in page.text("#rq-chat") + page.text("#rq-sources")
    before = len(page.replies())
    example = [b for b in page.find("#rq-examples button") if b.text == "哪两家企业被认定为高新技术企业？"]
    example[0].click()
    page.wait_for_reply(before, "新恒机械", "捷豹药械")
    assert "哪两家企业被认定为高新技术企业？" in page.text('#rq-chat [data-testid="user"]')
