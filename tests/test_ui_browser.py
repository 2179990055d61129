"""End to end in headless Debian Chromium, as a visitor would: ask, follow up, click an older answer's [n] and see
its figure, read it on a phone, open the full report, vote and say what was wrong, reach a person, escape.

The browser is Debian's `chromium` driven through Debian's `chromedriver` (both by explicit path, never
downloaded), with a fresh profile per test and the browser's own (English) language: the desk must still be
Chinese. The served app is conftest's `ui_server`, always stopped at the end.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.conftest import CHROMEDRIVER, CHROMIUM, DESK_CONTACT, WAIT_S
from ui.bubble import STREAMING_MARK

TOTAL_SECTION = "一、部门概况 › （五）当年部门预算及执行情况"
REPORT_TITLE = "《庐山市科学技术局部门整体支出绩效自评报告》"

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

        self.driver, self.by, self.url = driver, By, url
        self.wait = WebDriverWait(driver, WAIT_S, poll_frequency=0.1)
        driver.get(url)
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#rq-question textarea"))

    def find(self, css: str, within=None) -> list:
        return (within or self.driver).find_elements(self.by.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return " ".join(e.text for e in self.find(css))

    def bubbles(self) -> list:
        return self.find('#rq-chat [data-testid="bot"]')

    def replies(self) -> list[str]:
        return [e.text for e in self.bubbles()]

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
            return (len(replies) > before and STREAMING_MARK not in replies[-1]
                    and all(s in replies[-1] for s in expected) and replies[-1])

        return self.wait.until(done, message=f"no reply with {expected}; chat: {self.text('#rq-chat')!r}")

    def vote_last_reply(self, label: str) -> None:
        """Click 赞 (👍) or 踩 (👎) under the latest reply; the desk's labels are Chinese in any browser."""
        self.find(f'#rq-chat button[aria-label="{label}"]')[-1].click()

    def status(self, *expected: str) -> str:
        return self.wait.until(lambda _: all(s in (t := self.text("#rq-feedback-status")) for s in expected) and t,
                               message=f"no feedback status {expected}: {self.text('#rq-feedback-status')!r}")

    def in_view(self, element) -> bool:
        return self.driver.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;", element)


def feedback_rows(data_dir: Path, question: str) -> list[dict]:
    with sqlite3.connect(data_dir / "feedback.sqlite3") as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT rating, question, answer, citations, comment, reason FROM feedback WHERE question = ?",
                          (question,)).fetchall()
    return [dict(r) for r in rows]


@pytest.mark.timeout(240, method="signal")
def test_each_answer_keeps_its_source_and_an_older_answers_link_shows_its_highlighted_figure(ui_server, browser,
                                                                                              tmp_path):
    page = Page(browser, ui_server.url)
    assert f"本助手仅依据{REPORT_TITLE}作答" in page.text("body")
    assert not page.text("#rq-facet")  # one report: no report selector
    assert page.find("#rq-examples button")[0].is_displayed()  # the examples are there before any question

    reply = page.ask("2022年科技局总支出是多少？", "623.97", "[1]")
    assert reply.startswith("2022年总支出623.97万元")
    first = page.bubbles()[0]
    assert page.text(".rq-source .rq-head") == f"[1] {TOTAL_SECTION}"
    assert f"{REPORT_TITLE} · 庐山市科学技术局 · 2022 年度" in first.text  # whose report

    page.ask("那人员支出呢？", "130.74")
    second = page.bubbles()[1]
    assert page.in_view(page.find('#rq-chat [data-testid="user"]')[-1])  # the new question is brought into view
    assert "按上文理解为" in second.text
    assert [m.text for m in page.find("mark.rq-fig", second)] == ["130.74万元"]

    # The older answer: fold its sources away, then click its [1]. It opens again and shows its own figure.
    page.find("details.rq-cites > summary", first)[0].click()
    page.wait.until(lambda _: not page.find("mark.rq-fig", first)[0].is_displayed())
    page.find("a.rq-cite", first)[0].click()
    figure = page.find("mark.rq-fig", first)[0]
    page.wait.until(lambda _: figure.is_displayed() and page.in_view(figure), message="the figure never showed")
    assert figure.text == "623.97万元"
    flashed = browser.execute_script("return [...document.querySelectorAll('.rq-flash')].map(e => e.id)")
    assert flashed == [page.find(".rq-source", first)[0].get_attribute("id")]
    browser.save_screenshot(str(tmp_path / "answer.png"))
    assert (tmp_path / "answer.png").stat().st_size > 10_000


@pytest.mark.timeout(180, method="signal")
def test_the_full_report_opens_at_the_cited_passage(ui_server, browser):
    page = Page(browser, ui_server.url)
    page.ask("2022年科技局基本支出是多少？", "174.63")
    source = page.find(".rq-source")[-1]
    quote = page.find(".rq-para > mark", source)[0].text

    browser.get(urljoin(ui_server.url, page.find("a.rq-full", source)[0].get_attribute("href")))

    here = page.wait.until(lambda d: d.find_elements(page.by.ID, "rq-here"))[0]
    assert here.text == quote and "174.63" in quote
    assert page.in_view(here)  # scrolled to the passage
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    assert REPORT_TITLE in browser.find_element(page.by.TAG_NAME, "h1").text


@pytest.mark.timeout(180, method="signal")
def test_on_a_390_px_phone_the_source_sits_right_under_the_answer(ui_server, browser, tmp_path):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    page = Page(browser, ui_server.url)

    page.ask("2022年科技局总支出是多少？", "623.97")

    bubble = page.bubbles()[-1]
    answer, source = page.find("p", bubble)[0], page.find(".rq-source", bubble)[0]
    gap = browser.execute_script("return arguments[1].getBoundingClientRect().top"
                                 " - arguments[0].getBoundingClientRect().bottom;", answer, source)
    assert 0 <= gap < 80  # under the answer, not a page further down
    assert page.find("mark.rq-fig", bubble)[0].text == "623.97万元"
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    browser.save_screenshot(str(tmp_path / "mobile.png"))


@pytest.mark.timeout(180, method="signal")
def test_script_tag_in_a_question_shows_as_literal_text_and_never_runs(ui_server, browser):
    page = Page(browser, ui_server.url)
    browser.execute_script("window.__rqAlerts = []; window.alert = m => window.__rqAlerts.push(String(m));")
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>是什么？"

    page.ask(hostile)

    assert hostile in page.text('#rq-chat [data-testid="user"]')
    assert not page.find("#rq-chat script, #rq-chat img[src='x']")
    assert browser.execute_script("return window.__rqAlerts") == []
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is what raises when no dialog is open


@pytest.mark.timeout(180, method="signal")
def test_thumbs_down_asks_what_was_wrong_and_the_one_vote_can_be_changed(ui_server, browser):
    page = Page(browser, ui_server.url)
    question, comment = "2022年科技局公用经费是多少？", "希望说明公用经费的用途"
    page.ask(question, "43.89")

    page.vote_last_reply("踩")
    page.status("👎", "哪里不对")
    why = page.find("#rq-why")[0]
    assert why.is_displayed()
    [choice] = [label for label in page.find("#rq-why-reason label") if label.text == "数字不对"]
    choice.click()
    page.find("#rq-why-comment textarea, #rq-why-comment input")[0].send_keys(comment)
    page.find("#rq-why-send")[0].click()
    page.status("已记录：数字不对")
    (row,) = feedback_rows(ui_server.data_dir, question)
    assert (row["rating"], row["reason"], row["comment"]) == ("down", "数字不对", comment)
    assert "43.89" in row["answer"] and "43.89" in json.loads(row["citations"])[0]["quote"]

    page.vote_last_reply("赞")  # changed mind: the same answer's one vote changes
    page.status("👍")
    (row,) = feedback_rows(ui_server.data_dir, question)
    assert (row["rating"], row["reason"], row["comment"]) == ("up", "", "")
    assert not [box for box in page.find("#rq-why") if box.is_displayed()]  # hidden again


@pytest.mark.timeout(180, method="signal")
def test_an_abstention_shows_the_desks_contact_and_an_example_button_asks_its_question(ui_server, browser):
    page = Page(browser, ui_server.url)

    reply = page.ask("局长是谁？", "报告中未找到相关信息")

    assert "转人工" in reply and f"电话：{DESK_CONTACT['phone']}" in reply and f"地址：{DESK_CONTACT['address']}" in reply
    assert f"查看报告全文：{REPORT_TITLE}" in reply and "错误" not in reply
    before = len(page.replies())
    example = [b for b in page.find("#rq-examples button") if b.text == "哪两家企业被认定为高新技术企业？"]
    example[0].click()
    page.wait_for_reply(before, "新恒机械", "捷豹药械")
    assert "哪两家企业被认定为高新技术企业？" in page.text('#rq-chat [data-testid="user"]')


@pytest.mark.timeout(120, method="signal")
def test_the_page_is_chinese_in_an_english_browser_with_no_api_or_settings_links(ui_server, browser):
    page = Page(browser, ui_server.url)
    page.ask("2022年科技局总支出是多少？", "623.97")

    assert browser.execute_script("return navigator.userAgent") and \
        browser.execute_script("return document.documentElement.lang") == "zh-CN"
    labels = {b.get_attribute("aria-label") for b in page.find("#rq-chat button")}
    assert {"赞", "踩"} <= labels and not labels & {"Like", "Dislike", "Clear", "Copy message"}
    body = page.text("body")
    assert not any(s in body for s in ("Use via API", "Built with Gradio", "Settings", "通过 API 使用"))
