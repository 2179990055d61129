"""The staff page's logic (ui.staff.StaffDesk) on a real store: the token, uploads with their per-file report,
size and rate caps, removal, audit and feedback export; and the page is absent without a token."""

from __future__ import annotations

import pytest

from ui.feedback import FeedbackStore
from ui.staff import WRONG_TOKEN, StaffDesk, StaffError, StaffLimits

TOKEN = "desk-token-123"


@pytest.fixture
def staff(fast_assistant, tmp_path):
    return StaffDesk(fast_assistant, FeedbackStore(tmp_path / "fb.sqlite3"), TOKEN, tmp_path / "data",
                     StaffLimits(upload_max_bytes=2_000_000, uploads_per_minute=4))


def _sources(staff) -> set[str]:
    return {c.source for c in staff.assistant.retriever.chunks}


def test_a_wrong_or_missing_token_does_nothing(staff, report_path):
    for token in ("", None, TOKEN + "x", TOKEN.upper()):
        with pytest.raises(StaffError, match="口令错误"):
            staff.upload(token, [str(report_path)], client="a")
    assert staff.assistant.store.count() == 0


def test_repeated_wrong_tokens_are_slowed_down(staff):
    messages = []
    for _ in range(7):
        with pytest.raises(StaffError) as refused:
            staff.check("nope", client="b")
        messages.append(str(refused.value))
    assert messages[0] == WRONG_TOKEN and "次数过多" in messages[-1]


def test_an_upload_is_stored_answered_and_reported_per_file(staff, report_path, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a docx")
    text = staff.upload(TOKEN, [str(report_path), str(bad)], client="c")
    lines = {name: (status, reason) for status, name, reason in (line.split("\t") for line in text.splitlines())}
    assert lines[report_path.name][0] == "已入库 stored" and lines["broken.docx"][0] == "失败 failed"
    assert "无法读取 docx" in lines["broken.docx"][1]
    assert _sources(staff) == {report_path.name}
    assert "623.97" in staff.assistant.ask("2022年科技局总支出是多少？").text
    assert (staff.uploads / report_path.name).is_file() and not (staff.uploads / "broken.docx").exists()


def test_a_bad_file_never_replaces_a_good_upload_of_the_same_name(staff, report_path, tmp_path):
    staff.upload(TOKEN, [str(report_path)], client="d")
    before = staff.assistant.store.count()
    impostor = tmp_path / "impostor" / report_path.name
    impostor.parent.mkdir()
    impostor.write_bytes(b"")
    text = staff.upload(TOKEN, [str(impostor)], client="d")
    assert text.startswith("失败 failed") and "文件为空" in text
    assert staff.assistant.store.count() == before
    assert (staff.uploads / report_path.name).read_bytes() == report_path.read_bytes()


def test_uploading_the_same_report_again_replaces_it_rather_than_doubling_it(staff, report_path):
    staff.upload(TOKEN, [str(report_path)], client="e")
    count = staff.assistant.store.count()
    staff.upload(TOKEN, [str(report_path)], client="e")
    assert staff.assistant.store.count() == count and len(staff.reports()) == 1


def test_uploads_are_capped_in_size_and_in_files_per_minute(staff, report_path, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(report_path.read_bytes() * 200)  # over the 2 MB cap of this desk
    assert "文件过大" in staff.upload(TOKEN, [str(big)], client="f")
    copies = []
    for i in range(4):
        copy = tmp_path / f"copy{i}.txt"
        copy.write_bytes(report_path.read_bytes())
        copies.append(str(copy))
    text = staff.upload(TOKEN, copies, client="f")  # the big file counted: 3 more pass, the 4th is refused
    assert text.count("已入库 stored") == 3 and "每分钟最多 4 个文件" in text


def test_a_report_is_removed_and_the_others_stay(staff, report_path, tmp_path):
    other = tmp_path / "other.txt"
    other.write_bytes(report_path.read_bytes())
    staff.upload(TOKEN, [str(report_path), str(other)], client="g")
    origin = next(o for label, o in staff.reports() if label.startswith("other.txt"))
    with pytest.raises(StaffError, match="口令错误"):
        staff.remove("bad", origin)
    assert "已移除 other.txt" in staff.remove(TOKEN, origin)
    assert _sources(staff) == {report_path.name}
    with pytest.raises(StaffError, match="没有这份报告"):
        staff.remove(TOKEN, origin)


def test_feedback_is_exported_only_with_the_token(staff):
    from ui.feedback import Rating

    staff.feedback.add("问题", "回答", [], Rating.UP, "有用")
    with pytest.raises(StaffError):
        staff.export_feedback("bad")
    exported = staff.export_feedback(TOKEN, "jsonl")
    assert "有用" in exported.read_text(encoding="utf-8")


def test_the_page_exists_only_with_a_token(fast_assistant, settings_for, tmp_path):
    from ui.app import build_app

    def has_staff(settings) -> bool:
        demo = build_app(fast_assistant, settings)
        return any(getattr(b, "elem_id", None) == "rq-staff-token" for b in demo.blocks.values()) or any(
            getattr(b, "elem_id", None) == "rq-staff-token" for page in getattr(demo, "pages", [])
            for b in ([] if not hasattr(page, "blocks") else page.blocks.values()))

    assert not has_staff(settings_for(tmp_path / "off"))
    assert has_staff(settings_for(tmp_path / "on").model_copy(update={"admin_token": TOKEN}))
