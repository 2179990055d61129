"""Read report files (.txt/.md/.docx/.pdf) into `SourceDocument`s with title, department and year."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from ingest.errors import IngestError
from ingest.issuer import parse_issuer
from ingest.models import SourceDocument
from ingest.tables import header_words

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


@dataclass(frozen=True)
class Limits:
    """What one file may cost to read: a .docx's XML once unzipped (a zip bomb is refused before parsing),
    and a PDF's pages."""

    docx_expanded_bytes: int = 64_000_000
    pdf_pages: int = 500


@dataclass
class Scan:
    """A folder's files: the report files to load, and the others, each with why it was skipped."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

_HEADING = re.compile(r"^[一二三四五六七八九十百零〇]+、")
_ISSUER_LINE = re.compile(r"(?:局|委员会|委|办公室|中心|院|厅|部|政府|所|站|会)$")
_ISSUER_IN_TEXT = re.compile(r"[\u4e00-\u9fa5]{2,20}?(?:局|委员会|办公室|中心|厅|院)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_NUM = r"[\d〇○零一二三四五六七八九十]"
_DATE_LINE = re.compile(rf"^{_NUM}{{4}}\s*年(?:\s*{_NUM}{{1,3}}\s*月(?:\s*{_NUM}{{1,3}}\s*日)?)?$")  # 2023年4月 etc.
_EXTRA_STRIP = "\ufeff\uf020\u200b"  # BOM, Symbol-font space (PUA), zero-width space
_MAX_PREAMBLE_LINES = 8
_MAX_ISSUER_LEN = 30
_MAX_CONTROL_RATIO = 0.05
_WRAPPED = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*\n\s*(?=[\u4e00-\u9fff])")
_MIN_TABLE_FIELDS = 3  # distinct table header fields a PDF page names before its tables are read
_MIN_PLAUSIBLE = 0.9  # share of CJK, ASCII and CJK punctuation in text decoded without a byte-order mark


def _clean(line: str) -> str:
    """Strip whitespace (incl. full-width spaces) and invisible padding characters."""
    return line.strip().strip(_EXTRA_STRIP).strip()


def _fail(path: Path | str, problem: str) -> IngestError:
    name = path.name if isinstance(path, Path) else str(path)
    return IngestError(f"{name}: {problem}")


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    bad = sum(1 for c in text if c == "\ufffd" or (c not in "\t\n\r\f\v" and unicodedata.category(c) == "Cc"))
    return bad > _MAX_CONTROL_RATIO * max(len(text), 1)


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode text bytes: utf-8(-sig), then gb18030, then charset-normalizer. Returns (text, encoding)."""
    binary = _fail(path, "看起来是二进制文件，不是文本 / looks like a binary file, not text")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in raw:
        candidates = [_utf16_without_bom(raw) or ""]
        if not candidates[0]:
            raise binary
    else:
        candidates = ["utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding, errors="strict")
        except UnicodeDecodeError:
            continue
        break
    else:
        best = from_bytes(raw).best()
        if best is None:
            raise binary
        text, encoding = str(best), best.encoding
        logger.warning("%s: decoded with charset-normalizer guess %s", path.name, encoding)
    if _looks_binary(text):
        raise binary
    logger.debug("%s: decoded as %s", path.name, encoding)
    return text, encoding


def _check_docx_expansion(path: Path, raw: bytes, limits: Limits) -> None:
    """A .docx is a zip: refuse one whose XML would expand past the cap before any of it is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            expanded = sum(info.file_size for info in archive.infolist() if info.filename.endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _fail(path, f"无法读取 docx（文件损坏或不完整）/ cannot read docx, corrupt or truncated: {exc}") from exc
    if expanded > limits.docx_expanded_bytes:
        raise _fail(path, f"docx 解压后过大：{expanded} 字节，上限 {limits.docx_expanded_bytes} 字节 / the docx expands "
                          f"to {expanded} bytes of XML, over the {limits.docx_expanded_bytes}-byte limit")


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 without a byte-order mark: its ASCII (digits, newlines) puts a zero byte at odd offsets
    (little-endian) or even ones (big-endian); only a few CJK characters (一 U+4E00) put one on the other side.
    It must then decode strictly into mostly CJK, ASCII and CJK punctuation. A binary file fails either test."""
    if len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    encoding = "utf-16-le" if odd >= 4 * even else "utf-16-be" if even >= 4 * odd else None
    if encoding is None:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    plausible = sum(1 for c in text if c.isascii() or "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return encoding if plausible >= _MIN_PLAUSIBLE * len(text) else None


def _cell_text(text: str) -> str:
    """A cell on one line: a line wrapped between two Chinese characters closes up (满意度指\n标), other breaks
    and runs of space become one space."""
    return " ".join(_WRAPPED.sub("", text).split())


def _row_line(row) -> str:
    """A table row as one line: one cell per grid column, joined by tabs. A cell spanning columns (gridSpan)
    gives its text once and empty cells after it; a cell merged down (vMerge) repeats in every row it spans,
    so each row keeps its parent indicator. Line breaks inside a cell become spaces."""
    cells, seen = [], set()
    for cell in row.cells:
        cells.append("" if id(cell._tc) in seen else _cell_text(cell.text))
        seen.add(id(cell._tc))
    return "\t".join(cells)


def _read_docx(path: Path, raw: bytes, limits: Limits) -> str:
    """Body paragraphs and table rows (a cell per grid column, joined by tabs), in document order."""
    import docx
    from docx.table import Table

    _check_docx_expansion(path, raw, limits)
    try:
        document = docx.Document(io.BytesIO(raw))
        parts: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                parts += [_row_line(row) for row in block.rows]
            else:
                parts.append(block.text)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml errors, ...
        problem = f"无法读取 docx（文件损坏或不完整）/ cannot read docx, corrupt or truncated: {exc}"
        raise _fail(path, problem) from exc
    return "\n".join(parts)


def _read_pdf(path: Path, raw: bytes, limits: Limits) -> tuple[str, tuple[int, ...]]:
    """Text layer of every page, pages joined by newlines. A page whose text names table headers (年度指标值,
    执行率…) is read again for its ruled tables: each row becomes one line, a cell per column, joined by tabs."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(path, "PDF 已加密 / PDF is encrypted")
        if len(reader.pages) > limits.pdf_pages:
            raise _fail(path, f"PDF 页数过多：{len(reader.pages)} 页，上限 {limits.pdf_pages} 页 / "
                              f"{len(reader.pages)} pages, over the {limits.pdf_pages}-page limit")
        pages = [page.extract_text() or "" for page in reader.pages]
        tabled = [i for i, text in enumerate(pages) if _names_table_headers(text)]
        if tabled:
            pages = _with_tables(raw, pages, tabled)
    except IngestError:
        raise
    except Exception as exc:  # PdfReadError, struct/zlib errors on truncated files, ...
        problem = f"无法读取 PDF（文件损坏或不完整）/ cannot read PDF, corrupt or truncated: {exc}"
        raise _fail(path, problem) from exc
    if not any(page.strip() for page in pages):
        raise _fail(path, "PDF 没有文本层（可能是扫描件），请先做 OCR / no text layer (scanned?), OCR it first")
    pages = [_normalise(page) for page in pages]
    starts = [0]
    for page in pages[:-1]:
        starts.append(starts[-1] + len(page) + 1)
    return "\n".join(pages), tuple(starts)


def _names_table_headers(text: str) -> bool:
    return len({field for word, field in header_words() if word in text}) >= _MIN_TABLE_FIELDS


def _with_tables(raw: bytes, pages: list[str], tabled: list[int]) -> list[str]:
    """Pages `tabled` re-read with pdfplumber: the lines outside its ruled tables, and each table row as one
    tab-joined line, in reading order (top to bottom)."""
    import pdfplumber

    pages = list(pages)
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        for i in tabled:
            page = pdf.pages[i]
            tables = page.find_tables()
            if not tables:
                continue
            boxes = [t.bbox for t in tables]
            lines = [(line["top"], line["text"]) for line in page.extract_text_lines()
                     if not any(_inside(line, box) for box in boxes)]
            for table in tables:
                rows = [row for row in table.extract() if any(cell for cell in row)]
                lines += [(table.bbox[1] + k * 1e-3, "\t".join(_cell_text(cell or "") for cell in row))
                          for k, row in enumerate(rows)]
            pages[i] = "\n".join(text for _, text in sorted(lines, key=lambda item: item[0]))
    return pages


def _inside(line: dict, box: tuple[float, float, float, float]) -> bool:
    middle = (line["top"] + line["bottom"]) / 2
    return box[1] <= middle <= box[3] and line["x0"] < box[2] and line["x1"] > box[0]


def _check_file(path: Path, max_bytes: int) -> None:
    if not path.exists():
        raise _fail(str(path), "文件不存在 / no such file")
    if path.is_dir():
        raise _fail(str(path), "是目录，不是文件 / is a directory, not a file")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        kind = path.suffix or "(无扩展名 / none)"
        raise _fail(path, f"不支持的文件类型 {kind}，支持 {supported} / unsupported file type, supported: {supported}")
    size = path.stat().st_size
    if size > max_bytes:
        limits = f"{size} 字节，上限 {max_bytes} 字节 / file is {size} bytes, over the {max_bytes}-byte limit"
        raise _fail(path, f"文件过大：{limits}")
    if size == 0:
        raise _fail(path, "文件为空 / file is empty (0 bytes)")


def _os_problem(path: Path | str, exc: OSError) -> IngestError:
    """One line for a file the system would not give us: no permission, gone mid-run, a device error."""
    if isinstance(exc, PermissionError):
        problem = "没有读取权限 / permission denied"
    elif isinstance(exc, FileNotFoundError):
        problem = "文件在读取时消失 / the file vanished while it was being read"
    elif isinstance(exc, IsADirectoryError):
        problem = "是目录，不是文件 / is a directory, not a file"
    else:
        problem = f"无法读取 / cannot read: {exc.strerror or exc}"
    return _fail(path, problem)


def load_document(
    path: str | os.PathLike,
    *,
    department: str | None = None,
    year: int | None = None,
    max_bytes: int = 20_000_000,
    limits: Limits | None = None,
) -> SourceDocument:
    """Read one report file; `department`/`year` override the values parsed from the text. Every problem,
    the system's included (permission, a file gone mid-run), is an `IngestError` that names the file."""
    path = Path(path)
    limits = limits or Limits()
    try:
        _check_file(path, max_bytes)
        raw = path.read_bytes()
    except OSError as exc:
        raise _os_problem(path, exc) from exc
    suffix = path.suffix.lower()
    encoding = "utf-8"
    pages: tuple[int, ...] = ()
    if suffix == ".docx":
        text = _read_docx(path, raw, limits)
    elif suffix == ".pdf":
        text, pages = _read_pdf(path, raw, limits)
    else:
        text, encoding = _decode(raw, path)
    text = _normalise(text)
    if not text.strip():
        raise _fail(path, "文件只有空白，没有内容 / file contains only whitespace")
    title, parsed_department, parsed_year = parse_metadata(text)
    logger.info("loaded %s (%d chars, %s)", path.name, len(text), encoding)
    return SourceDocument(
        source=path.name,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=title,
        department=parsed_department if department is None else department,
        year=parsed_year if year is None else year,
        encoding=encoding,
        origin=str(path.resolve()),
        pages=pages,
    )


def scan(path: str | os.PathLike) -> Scan:
    """A file -> that file; a folder -> its report files, recursively and sorted, and every other visible file
    as skipped with its reason. Hidden files and Office lock files (~$) are left out without a word."""
    root = Path(path)
    try:
        if not root.exists():
            raise _fail(str(root), "路径不存在 / no such file or directory")
        if root.is_file():
            return Scan(files=[root])
        found = Scan()
        for p in sorted(root.rglob("*")):
            if p.name.startswith("~$") or any(part.startswith(".") for part in p.relative_to(root).parts):
                continue
            if p.is_dir():
                continue
            if p.suffix.lower() in SUPPORTED_SUFFIXES:
                found.files.append(p)
            else:
                kind = p.suffix or "(无扩展名 / none)"
                found.skipped.append((p, f"不是报告文件类型 {kind} / not a report file type"))
        return found
    except OSError as exc:
        raise _os_problem(root, exc) from exc


def iter_report_files(path: str | os.PathLike) -> list[Path]:
    """The report files of `scan(path)`."""
    return scan(path).files


def _preamble(lines: list[str]) -> list[str]:
    """Non-empty lines before the first `一、` heading, if that heading comes early enough."""
    for i, line in enumerate(lines[: _MAX_PREAMBLE_LINES + 1]):
        if _HEADING.match(line):
            return lines[:i]
    return []


def _is_issuer(line: str) -> bool:
    return len(line) <= _MAX_ISSUER_LEN and bool(_ISSUER_LINE.search(line))


def _pick_year(text: str, title: str) -> int | None:
    """Most frequent `YYYY年` in the text, preferring one that the title mentions."""
    counts = Counter(_YEAR.findall(text))
    if not counts:
        return None
    in_title = [y for y in _YEAR.findall(title) if y in counts]
    if in_title:
        return int(max(in_title, key=lambda y: (counts[y], -in_title.index(y))))
    return int(counts.most_common(1)[0][0])


def parse_metadata(text: str) -> tuple[str, str, int | None]:
    """Return (title, department, year) guessed from the report's preamble and body."""
    lines = [cleaned for cleaned in map(_clean, text.splitlines()) if cleaned]
    preamble = _preamble(lines)
    issuers = [line for line in preamble if _is_issuer(line)]
    rest = [line for line in preamble if not _is_issuer(line) and not _DATE_LINE.match(line)]
    title = "".join(issuers + rest)
    if not title:
        title = lines[0][:60] if lines else ""
    department = parse_issuer(text)
    if not department and issuers:
        department = issuers[0]
    elif not department:
        match = _ISSUER_IN_TEXT.search(text[:500])
        department = match.group(0) if match else ""
    return title, department, _pick_year(text, title)  # a signing-date line is not part of the title
