"""End to end in headless Debian Chromium: ask, follow up, abstain, escape, rate — as a visitor would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_S = 45

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver"),
]


@pytest.fixture
def browser(tmp_path, monkeypatch):
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the project's test extra)")
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1200",
                "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_S)
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """The desk as a visitor sees it."""

    def __init__(self, driver, url: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver, self.by = driver, By
        self.wait = WebDriverWait(driver, WAIT_S, poll_frequency=0.1)
        driver.get(url)
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#rq-question textarea"))

    def text(self, css: str) -> str:
        return " ".join(e.text for e in self.driver.find_elements(self.by.CSS_SELECTOR, css))

    def replies(self) -> list[str]:
        return [e.text for e in self.driver.find_elements(self.by.CSS_SELECTOR, '#rq-chat [data-testid="bot"]')]

    def ask(self, question: str, *expected: str) -> str:
        """Type a question, press Enter, and wait for a new reply holding every expected string."""
        from selenium.webdriver.common.keys import Keys

        before = len(self.replies())
        box = self.driver.find_element(self.by.CSS_SELECTOR, "#rq-question textarea")
        box.send_keys(question)
        box.send_keys(Keys.ENTER)
        return self.wait_for_reply(before, *expected)

    def wait_for_reply(self, before: int, *expected: str) -> str:
        def done(_):
            replies = self.replies()
            return len(replies) > before and all(s in replies[-1] for s in expected) and replies[-1]

        return self.wait.until(done, message=f"no reply with {expected}; chat: {self.text('#rq-chat')!r}")

    def wait_for_sources(self, *expected: str) -> str:
        return self.wait.until(lambda _: all(s in (t := self.text("#rq-sources")) for s in expected) and t,
                               message=f"sources never showed {expected}: {self.text('#rq-sources')!r}")


@pytest.mark.timeout(300)
def test_visitor_asks_follows_up_meets_an_abstention_and_rates_an_answer(ui_server, browser, tmp_path):
    page = Page(browser, ui_server.url)
    assert "本助手仅依据《庐山市科学技术局部门整体支出绩效自评报告》作答" in page.text("body")
    assert not page.text("#rq-facet")  # one report: no 部门/年度 selector

    page.ask("2022年科技局总支出是多少？", "623.97", "[1]")
    page.wait_for_sources("一、部门概况 › （五）当年部门预算及执行情况", "总支出623.97万元")
    marks = browser.find_elements(page.by.CSS_SELECTOR, "#rq-sources mark")
    assert any("总支出623.97万元" in m.text for m in marks)
    browser.save_screenshot(str(tmp_path / "answer.png"))

    page.ask("那人员支出呢？", "130.74")
    page.ask("局长是谁？", "报告中未找到相关信息")
    page.wait_for_sources("报告中未找到相关信息")
    browser.save_screenshot(str(tmp_path / "abstention.png"))
    assert all((tmp_path / name).stat().st_size > 10_000 for name in ("answer.png", "abstention.png"))

    browser.find_element(page.by.CSS_SELECTOR, "#rq-comment textarea, #rq-comment input").send_keys("数字准确")
    browser.find_elements(page.by.CSS_SELECTOR, '#rq-chat button[aria-label="Like"]')[0].click()
    page.wait.until(lambda _: "已记录您的反馈" in page.text("#rq-feedback-status"))
    with sqlite3.connect(ui_server.data_dir / "feedback.sqlite3") as db:
        rows = db.execute("SELECT rating, question, comment FROM feedback").fetchall()
    assert ("up", "2022年科技局总支出是多少？", "数字准确") in rows


@pytest.mark.timeout(180)
def test_html_typed_into_the_question_shows_as_text_and_example_buttons_ask(ui_server, browser):
    page = Page(browser, ui_server.url)

    page.ask("<img src=x onerror=alert(1)>是什么？", "报告中未找到相关信息")

    assert "<img src=x onerror=alert(1)>是什么？" in page.text('#rq-chat [data-testid="user"]')
    assert not browser.find_elements(page.by.CSS_SELECTOR, "#rq-chat img[src='x']")
    before = len(page.replies())
    example = [b for b in browser.find_elements(page.by.CSS_SELECTOR, "#rq-examples button")
               if b.text == "哪两家企业被认定为高新技术企业？"]
    example[0].click()
    page.wait_for_reply(before, "新恒机械", "捷豹药械")
