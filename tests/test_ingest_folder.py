"""A folder of mixed files: each good report stored, each other file named with its reason, never a traceback;
encodings without a byte-order mark; a .docx zip bomb and an oversized PDF refused before they are parsed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from ingest.errors import IngestError
from ingest.loaders import Limits, load_document, scan
from ingest.pipeline import FAILED, SKIPPED, STORED

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "evals" / "real" / "reports"
OTHER_REPORT = REAL / "r02-hengyang-gongan-2020.txt"


def _broken_docx(path: Path) -> Path:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("部门整体支出绩效自评报告")
    document.save(buffer)
    path.write_bytes(buffer.getvalue()[:400])
    return path


@pytest.fixture
def mixed_folder(tmp_path, report_path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    _broken_docx(folder / "broken.docx")
    (folder / "table.csv").write_text("项目,金额\n总支出,1\n", encoding="utf-8")
    (folder / "good-one.txt").write_bytes(report_path.read_bytes())
    (folder / "sub" / "good-two.txt").write_bytes(OTHER_REPORT.read_bytes())
    (folder / ".hidden.txt").write_text("不应被看见", encoding="utf-8")
    return folder


def _by_name(report) -> dict[str, tuple[str, str]]:
    return {Path(o.name).name: (o.status, o.reason) for o in report.outcomes}


def test_a_mixed_folder_stores_both_good_reports_and_names_every_other_file(fast_assistant, mixed_folder):
    report = fast_assistant.ingest([mixed_folder], progress=False)
    outcomes = _by_name(report)
    assert set(outcomes) == {"empty.txt", "photo.jpg", "broken.docx", "table.csv", "good-one.txt", "good-two.txt"}
    assert outcomes["good-one.txt"][0] == outcomes["good-two.txt"][0] == STORED and report.files == 2
    assert outcomes["photo.jpg"] == (SKIPPED, "不是报告文件类型 .jpg / not a report file type")
    assert outcomes["table.csv"][0] == SKIPPED
    assert outcomes["empty.txt"][0] == FAILED and "文件为空" in outcomes["empty.txt"][1]
    assert outcomes["broken.docx"][0] == FAILED and "无法读取 docx" in outcomes["broken.docx"][1]
    assert report.failed
    sources = {c.source for c in fast_assistant.store.all_chunks()}
    assert sources == {"good-one.txt", "good-two.txt"}
    assert "623.97" in fast_assistant.ask("2022年科技局总支出是多少？").text


def test_cli_prints_one_line_per_file_and_exits_nonzero_when_any_failed(mixed_folder, tmp_path, subprocess_env):
    done = subprocess.run([sys.executable, "-m", "report_qa", "--data-dir", str(tmp_path / "data"), "ingest",
                           str(mixed_folder)], cwd=ROOT, env=subprocess_env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    lines = [line.split("\t") for line in (done.stdout + done.stderr).splitlines() if "\t" in line]
    assert all("失败" in line for line in done.stderr.splitlines() if "\t" in line)
    statuses = {Path(name).name: status for status, name, _ in lines}
    assert statuses == {"broken.docx": "失败 failed", "empty.txt": "失败 failed", "photo.jpg": "跳过 skipped",
                        "table.csv": "跳过 skipped", "good-one.txt": "已入库 stored", "good-two.txt": "已入库 stored"}
    assert "已入库 2 个文件" in done.stdout


def test_a_folder_of_only_good_reports_exits_zero(tmp_path, report_path, subprocess_env):
    folder = tmp_path / "good"
    folder.mkdir()
    (folder / "a.txt").write_bytes(report_path.read_bytes())
    done = subprocess.run([sys.executable, "-m", "report_qa", "--data-dir", str(tmp_path / "data"), "ingest",
                           str(folder)], cwd=ROOT, env=subprocess_env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("已入库 stored\t")


def test_an_unreadable_file_is_named_and_the_next_file_is_stored(fast_assistant, tmp_path, report_path, monkeypatch):
    locked, good = tmp_path / "locked.txt", tmp_path / "good.txt"
    locked.write_bytes(report_path.read_bytes())
    good.write_bytes(report_path.read_bytes())
    real_read = Path.read_bytes

    def read_bytes(self):  # the test runs as root, whom chmod 000 does not stop: the system's refusal, simulated
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = fast_assistant.ingest([locked, good], progress=False)
    assert _by_name(report) == {"locked.txt": (FAILED, "没有读取权限 / permission denied"),
                                "good.txt": (STORED, "")}


def test_a_file_that_vanishes_between_listing_and_reading_is_named(fast_assistant, tmp_path, report_path,
                                                                  monkeypatch):
    from ingest import pipeline as indexing

    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("gone.txt", "kept.txt"):
        (folder / name).write_bytes(report_path.read_bytes())

    def scan_then_delete(path):
        found = scan(path)
        (folder / "gone.txt").unlink()
        return found

    monkeypatch.setattr(indexing, "scan", scan_then_delete)
    report = fast_assistant.ingest([folder], progress=False)
    outcomes = _by_name(report)
    assert outcomes["gone.txt"][0] == FAILED and "文件不存在" in outcomes["gone.txt"][1]
    assert outcomes["kept.txt"][0] == STORED


def test_a_dangling_link_in_a_folder_fails_by_name(fast_assistant, tmp_path, report_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    os.symlink(tmp_path / "nowhere.txt", folder / "link.txt")
    (folder / "real.txt").write_bytes(report_path.read_bytes())
    outcomes = _by_name(fast_assistant.ingest([folder], progress=False))
    assert outcomes["link.txt"][0] == FAILED and outcomes["real.txt"][0] == STORED


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_decoded(tmp_path, report_text, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(report_text.encode(encoding))
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    doc = load_document(path)
    assert doc.encoding == encoding and doc.text == report_text.replace("\r\n", "\n")
    assert doc.department == load_document(ROOT / "data" / "reports" / next(
        p.name for p in (ROOT / "data" / "reports").glob("*.txt"))).department


def test_binary_with_zero_bytes_is_still_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(IngestError, match="二进制"):
        load_document(path)


def _docx_with_xml_of(path: Path, xml_bytes: int) -> Path:
    """A valid-looking .docx whose document.xml unzips to `xml_bytes` bytes (spaces compress to almost nothing)."""
    buffer = io.BytesIO()
    document = docx.Document()
    for line in ("部门整体支出绩效自评报告", "一、部门概况", "总支出100万元。"):
        document.add_paragraph(line)
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * xml_bytes, 1)
            out.writestr(info.filename, data)
    return path


def test_a_docx_that_unzips_past_the_cap_is_refused_before_parsing(tmp_path):
    bomb = _docx_with_xml_of(tmp_path / "bomb.docx", 8_000_000)
    assert bomb.stat().st_size < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match="docx 解压后过大") as refused:
            load_document(bomb, limits=Limits(docx_expanded_bytes=4_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.args[0].startswith("bomb.docx: ")
    assert peak < 2_000_000  # the 8 MB of XML were never expanded
    small = load_document(_docx_with_xml_of(tmp_path / "ok.docx", 1000), limits=Limits(docx_expanded_bytes=4_000_000))
    assert "总支出100万元。" in small.text  # under the cap, the same kind of file is read


def test_a_pdf_over_the_page_cap_is_refused_with_its_page_count(tmp_path):
    pdf = FPDF()
    for _ in range(3):
        pdf.add_page()
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError, match="PDF 页数过多：3 页，上限 2 页"):
        load_document(path, limits=Limits(pdf_pages=2))
