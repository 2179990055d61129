"""Read report files (.txt/.md/.docx/.pdf) into `SourceDocument`s with title, department and year."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

from charset_normalizer import from_bytes

from ingest.issuer import parse_issuer
from ingest.errors import IngestError
from ingest.models import SourceDocument

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")

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


def _read_docx(path: Path) -> str:
    """Body paragraphs and table rows (cells joined by tabs), in document order."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        parts: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells, seen = [], set()
                    for cell in row.cells:  # merged cells repeat; keep each once
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            cells.append(cell.text)
                    parts.append("\t".join(cells))
            else:
                parts.append(block.text)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml errors, ...
        problem = f"无法读取 docx（文件损坏或不完整）/ cannot read docx, corrupt or truncated: {exc}"
        raise _fail(path, problem) from exc
    return "\n".join(parts)


def _read_pdf(path: Path) -> str:
    """Text layer of every page, pages joined by newlines."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(path, "PDF 已加密 / PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as exc:  # PdfReadError, struct/zlib errors on truncated files, ...
        problem = f"无法读取 PDF（文件损坏或不完整）/ cannot read PDF, corrupt or truncated: {exc}"
        raise _fail(path, problem) from exc
    if not any(page.strip() for page in pages):
        raise _fail(path, "PDF 没有文本层（可能是扫描件），请先做 OCR / no text layer (scanned?), OCR it first")
    return "\n".join(pages)


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


def load_document(
    path: str | os.PathLike,
    *,
    department: str | None = None,
    year: int | None = None,
    max_bytes: int = 20_000_000,
) -> SourceDocument:
    """Read one report file; `department`/`year` override the values parsed from the text."""
    path = Path(path)
    _check_file(path, max_bytes)
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    encoding = "utf-8"
    if suffix == ".docx":
        text = _read_docx(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
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
    )


def iter_report_files(path: str | os.PathLike) -> list[Path]:
    """A file -> [file]; a directory -> its supported files, recursively, sorted (hidden and ~$ lock files skipped)."""
    root = Path(path)
    if not root.exists():
        raise _fail(str(root), "路径不存在 / no such file or directory")
    if root.is_file():
        return [root]
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not p.name.startswith("~$")
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


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
