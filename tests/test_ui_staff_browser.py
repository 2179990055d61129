"""The staff page in headless Debian Chromium: a wrong token is refused, an upload is answered on the public
page, a bad upload gets its message, and the store is intact afterwards. The server is started by the test
with REPORT_QA_ADMIN_TOKEN set, on loopback, and always stopped."""

from __future__ import annotations

import pytest

from tests.conftest import WAIT_S, served
from tests.test_ui_browser import Page, pytestmark  # noqa: F401  (the same marks: browser, slow, Chromium present)

TOKEN = "staff-token-for-the-test"

@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    with served(tmp_path_factory.mktemp("staff-server"), REPORT_QA_ADMIN_TOKEN=TOKEN) as app:
        yield app


class StaffPage:
    def __init__(self, driver, url: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver, self.by = driver, By
        self.wait = WebDriverWait(driver, WAIT_S, poll_frequency=0.2)
        driver.get(url + "staff")
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#rq-staff-token input"))

    def find(self, css: str) -> list:
        return self.driver.find_elements(self.by.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return " ".join(e.text for e in self.find(css))

    def token(self, value: str) -> None:
        box = self.find("#rq-staff-token input")[0]
        box.clear()
        box.send_keys(value)

    def choose(self, *paths) -> None:
        self.find("#rq-staff-files input[type=file]")[0].send_keys("\n".join(str(p) for p in paths))
        self.wait.until(lambda _: all(p.stem in self.text("#rq-staff-files") for p in paths),
                        message=f"the files never showed as chosen: {self.text('#rq-staff-files')!r}")

    def press_upload(self, *expected: str) -> str:
        """Click 入库 and wait for a new report holding every expected string (a timer shows meanwhile)."""
        before = self.text("#rq-staff-uploaded")
        self.find("#rq-staff-upload")[0].click()
        return self.wait.until(
            lambda _: (t := self.text("#rq-staff-uploaded")) != before and all(e in t for e in expected) and t,
            message=f"no upload report with {expected}: {self.text('#rq-staff-uploaded')!r}")


@pytest.mark.timeout(300, method="signal")
def test_staff_page_refuses_a_wrong_token_stores_a_good_upload_and_names_a_bad_one(staff_server, browser,
                                                                                tmp_path, report_path):
    public = Page(browser, staff_server.url)
    assert not public.find("#rq-staff-token") and "工作人员" not in public.text("body")  # not linked

    page = StaffPage(browser, staff_server.url)
    page.token("not-the-token")
    other = tmp_path / "东岭县民政局绩效自评报告.txt"
    other.write_text("东岭县民政局2023年度部门整体支出绩效自评报告\n一、部门概况\n2023年总支出4567.89万元。\n",
                     encoding="utf-8")
    page.choose(other)
    assert "已入库" not in page.press_upload("口令错误")

    page.token(TOKEN)  # the chosen file stays chosen after a refused token
    stored = page.press_upload("已入库", other.name)
    assert "失败" not in stored

    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    page.choose(bad)
    refused = page.press_upload("失败", bad.name, "无法读取 docx")
    assert "Traceback" not in refused and "已入库" not in refused

    public = Page(browser, staff_server.url)
    reply = public.ask("东岭县民政局2023年总支出是多少？", "4567.89")
    assert "4567.89" in reply
    reply = public.ask("2022年科技局总支出是多少？", "623.97")  # the bundled report is intact
    assert "623.97" in reply
