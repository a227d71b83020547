"""Reading an uploaded roster (实名制台账): .xlsx or CSV bytes in, parsed rows and Chinese problems out.

The format is found from the content, not the name. Every failure is a FileProblem or a CellProblem
in Chinese; nothing raises. Pure: no database, no Flask.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import logging
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html import unescape
from operator import itemgetter
from typing import Any, NamedTuple

from python_calamine import CalamineSheet, CalamineWorkbook, SheetTypeEnum

from approvals.archives import ArchiveRefused, BoundedArchive, size_text
from approvals.filetypes import OLE2, ZIP_SIGNATURES, by_signature, zip_kind
from approvals.i18n import N_, Listing, Text
from approvals.roster.columns import (
    AMOUNT,
    BY_KEY,
    CHOICE,
    CHOICE_INDEX,
    CODE,
    DATE,
    FLAG,
    FORMULA_START,
    ID,
    REQUIRED,
    TEXT,
    YEARS,
    Column,
    header_rank,
    is_ignored_header,
    match_header,
    normalize,
)
from approvals.roster.extent import MAX_TAG as MAX_TAG_BYTES
from approvals.roster.extent import Beyond, ExtentScanner, TagTooLong, column_index, column_letters
from approvals.rules.roster import exclusion_reason
from approvals.rules.text_limits import FIELDS, ROSTER_TEXT

log = logging.getLogger(__name__)

MAX_SHEET_COLUMNS = 64  # the template has 25; a clerk may add some of their own
SHOWN_MAX = 100  # characters of a wrong cell repeated in its problem
HEADER_SEARCH_ROWS = 10
HEADER_MIN_MATCHES = 3


@dataclass(frozen=True)
class CellProblem:
    row: int  # the spreadsheet's own 1-based row number
    column: str  # the header as written in the file
    rule: str
    value: str
    message: str


@dataclass(slots=True)
class RosterRow:
    row_number: int
    values: dict[str, Any]  # column key → str, date, Decimal, bool or None
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class RosterFile:
    format: str  # "xlsx" or "csv"
    columns: dict[str, str]  # column key → header found
    unknown_columns: list[tuple[str, str]]  # (column letter, header) of every column not read: reported, not dropped
    rows: list[RosterRow]
    header_row: int  # 1-based; the last header row when the header spans two rows
    sheet: str | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)  # file-level remarks (Texts)

    @property
    def problems(self) -> list[CellProblem]:
        return [problem for row in self.rows for problem in row.problems]

    @property
    def unknown_headers(self) -> list[str]:
        return [header for _, header in self.unknown_columns]


@dataclass(frozen=True)
class FileProblem:
    rule: str
    message: str
    missing_required: tuple[str, ...] = ()  # Chinese headers of required columns not found
    headers_found: tuple[str, ...] = ()


def read_roster(
    data: bytes, filename: str, *, max_bytes: int = 20 * 1024 * 1024, max_rows: int = 100_000
) -> RosterFile | FileProblem:
    """The roster in `data` (.xlsx or CSV/TXT, told apart by content), or why it cannot be read."""
    try:
        with collector_paused():
            return _read(data, filename, max_bytes, max_rows)
    except BaseException as exc:  # a reader bug must not become a 500; Rust panics are BaseExceptions
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        log.exception("unreadable roster file %r", filename)
        return FileProblem(
            "unreadable",
            Text(N_("无法读取文件“%(name)s”，文件可能已损坏。请另存为 .xlsx 或 CSV 后重新上传。"), name=filename),
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a million cells create no cycles, and its passes cost ~15%."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(data: bytes, filename: str, max_bytes: int, max_rows: int) -> RosterFile | FileProblem:
    if not data:
        return FileProblem("empty_file", Text(N_("文件“%(name)s”是空的（0 字节），请检查后重新上传。"), name=filename))
    if len(data) > max_bytes:
        return FileProblem("too_large", Text(N_("文件“%(name)s”大小为 %(size)s，超过上限 %(max)s。"
                                                "请删除多余的工作表、图片和空白格式后重新上传，或另存为 CSV。"),
                                             name=filename, size=_size(len(data)), max=_size(max_bytes)))  # fmt: skip
    if data.startswith(ZIP_SIGNATURES):
        return _read_xlsx(data, filename, max_rows)
    found = _binary_format(data)
    if found:
        return _unsupported(filename, found)
    return _read_csv(data, filename, max_rows)


# --- format detection ----------------------------------------------------------------------------

_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")


def _binary_format(data: bytes) -> str | None:
    """A human name for a format that is not a roster (binary, web page), or None for text."""
    if data.startswith(OLE2) and _ENCRYPTED_OOXML in data:
        return "encrypted"
    found = by_signature(data)
    if found is not None:
        return found.label
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")) or (head.startswith(b"<") and b"<table" in head):
        return N_("网页（HTML）格式的表格（常见于其他系统导出的“.xls”）")
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        return N_("Excel 2003 XML 表格")
    if b"\x00" in data[:8192]:
        return N_("无法识别的二进制文件")
    return None


def _unsupported(filename: str, found: str) -> FileProblem:
    if found == "encrypted":
        return FileProblem("encrypted", Text(N_("文件“%(name)s”设置了打开密码，系统无法读取。请在 Excel 中取消密码"
                                                "（文件→信息→保护工作簿→用密码进行加密），另存为 .xlsx 后重新上传。"),
                                             name=filename))  # fmt: skip
    return FileProblem("unsupported_format", Text(N_("文件“%(name)s”实际上是%(found)s，不是 .xlsx 工作簿或 CSV 文件。"
                                                     "请在 Excel 或 WPS 中打开台账，另存为 .xlsx 或 CSV 后重新上传。"),
                                                  name=filename, found=Text(found)))  # fmt: skip


_size = size_text


# --- .xlsx ----------------------------------------------------------------------------------------


def _corrupt(filename: str) -> FileProblem:
    return FileProblem("corrupt", Text(N_("文件“%(name)s”不完整或已损坏，无法作为 .xlsx 工作簿打开（可能上传中断或文件被截断）。"
                                          "请在 Excel 中打开确认内容完整，另存为 .xlsx 或 CSV 后重新上传。"), name=filename))  # fmt: skip


def _read_xlsx(data: bytes, filename: str, max_rows: int) -> RosterFile | FileProblem:
    try:
        reader = BoundedArchive(data)
    except ArchiveRefused as refused:
        return _archive_problem(filename, refused)
    names = {member.filename for member in reader.members}
    if "xl/workbook.xml" not in names:
        return _unsupported(filename, zip_kind(reader.archive).label)
    read = _read_parts(reader, filename, _sheet_rows(max_rows))
    if isinstance(read, FileProblem):
        return read
    parts, sheet_xml = read
    # calamine parses the sheet without holding the GIL: meanwhile the worksheets are searched for
    # cells calamine cannot be trusted with (two cores).
    with ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(lambda: {path: _untrusted_cells(xml) for path, xml in sheet_xml.items()})
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            chosen = _choose_sheet(book)
        except Exception:  # CalamineError and its XML/zip failures
            log.info("calamine could not read %r", filename, exc_info=True)
            return _corrupt(filename)
        untrusted_by_part = scanning.result()
    if chosen is None:
        return FileProblem("empty_sheet", Text(N_("文件“%(name)s”中没有数据：所有工作表都是空的。"), name=filename))
    index, sheet, head = chosen
    header = _find_header(head)
    if header is None:
        return _no_header(filename, head)
    if sheet.end is not None and sheet.end[0] - header > max_rows:
        return _too_many_rows(filename, sheet.end[0] - header, max_rows)
    grid = sheet.to_python(skip_empty_area=False)
    merged = sheet.merged_cell_ranges or []
    sheet_parts = _sheet_parts(parts)
    untrusted = untrusted_by_part.get(sheet_parts[index] or "", []) if index < len(sheet_parts) else []
    return _build(grid, header, filename, max_rows, "xlsx", sheet=sheet.name, merged=merged, untrusted=untrusted)


Untrusted = list[tuple[int, int, "_Invalid"]]


def _sheet_rows(max_rows: int) -> int:
    """The last row a worksheet may use: every row the import accepts and the header rows above them."""
    return max_rows + HEADER_SEARCH_ROWS + 2


def _archive_problem(filename: str, refused: ArchiveRefused) -> FileProblem:
    if refused.rule == "corrupt":
        return _corrupt(filename)
    return FileProblem("zip_bomb", Text(N_("文件“%(name)s”%(reason)s，可能是恶意构造的压缩文件或含有大量空白格式，已拒绝读取。"
                                           "请删除多余内容后另存为 .xlsx 或 CSV 再上传。"),
                                        name=filename, reason=refused.reason))  # fmt: skip


class _SheetTooLarge(Exception):
    def __init__(self, path: str, beyond: Beyond) -> None:
        super().__init__(path)
        self.path, self.beyond = path, beyond


def _read_parts(
    reader: BoundedArchive, filename: str, max_rows: int
) -> tuple[dict[str, bytes], dict[str, bytes]] | FileProblem:
    """Every member inflated once within the archive's bounds, each worksheet's cells checked on the way
    to lie within `max_rows` rows and MAX_SHEET_COLUMNS columns: the workbook's own parts and the
    worksheets' XML, or why the file is refused. Nothing has been given to calamine yet."""
    by_name = {member.filename: member for member in reader.members}
    parts: dict[str, bytes] = {}
    sheets: dict[str, bytes] = {}
    try:
        for name in _WORKBOOK_PARTS:
            if name in by_name:
                parts[name] = reader.read(by_name[name])
        worksheets = {path for path in _sheet_parts(parts) if path}
        for member in reader.members:
            if member.filename in parts:
                continue
            if member.filename in worksheets or (
                member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
            ):
                sheets[member.filename] = _read_sheet(reader, member, max_rows)
            elif member.filename.lower().endswith("sharedstrings.xml"):
                _check_shared_strings(reader, member)
            else:
                for _ in reader.chunks(member):
                    pass  # counted and checked, not kept
    except ArchiveRefused as refused:
        return _archive_problem(filename, refused)
    except TagTooLong:
        return FileProblem("malformed_sheet", Text(N_("文件“%(name)s”的工作表中含有异常的超长 XML 标记，不是电子表格软件保存的"
                                                      "文件，已拒绝读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 或 CSV 再上传。"),
                                                   name=filename))  # fmt: skip
    except _TooManyStrings as many:
        return FileProblem("zip_bomb", Text(N_("文件“%(name)s”的共享字符串表声明了 %(n)s 项，远多于其内容能容纳的数量，"
                                               "可能是恶意构造的文件，已拒绝读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 或 CSV 再上传。"),
                                            name=filename, n=many.declared))  # fmt: skip
    except _SheetTooLarge as large:
        beyond = large.beyond
        sheet = _sheet_names(reader, by_name).get(large.path, large.path)
        return FileProblem("sheet_too_large", Text(N_("文件“%(name)s”的工作表“%(sheet)s”用到了单元格 %(ref)s（第 %(row)s 行、"
                                                      "第 %(column)s 列），超出职工名单可能的范围（最多 %(rows)s 行、%(columns)s 列），"
                                                      "可能是恶意构造的文件或含有远处的空白格式，已拒绝读取。"
                                                      "请删除表格下方和右侧的多余内容，另存为 .xlsx 或 CSV 后重新上传。"),
                                                   name=filename, sheet=sheet, ref=beyond.ref, row=beyond.row,
                                                   column=beyond.column, rows=max_rows, columns=MAX_SHEET_COLUMNS))  # fmt: skip
    return parts, sheets


def _read_sheet(reader: BoundedArchive, member: zipfile.ZipInfo, max_rows: int) -> bytes:
    scanner = ExtentScanner(max_rows, MAX_SHEET_COLUMNS)
    pieces = []
    for chunk in reader.chunks(member):
        beyond = scanner.feed(chunk)
        if beyond is not None:
            raise _SheetTooLarge(member.filename, beyond)
        pieces.append(chunk)
    return b"".join(pieces)


class _TooManyStrings(Exception):
    def __init__(self, declared: int) -> None:
        super().__init__(declared)
        self.declared = declared


_SST_TAG = re.compile(rb"<(?:[\w.-]+:)?sst\b([^>]*)>")
# calamine reserves room for `uniqueCount` entries (the table's size); `count` is how many cells use
# them, which a real file with repeated values has far more of than entries (a 5,000-row roster: 75,368
# uses of 15,054 strings), and which reserves nothing.
_UNIQUE_COUNT = re.compile(rb"""\buniqueCount\s*=\s*["']\s*(\d+)""")
_SMALLEST_STRING = 10  # bytes of the shortest entry, <si><t/></si>


def _check_shared_strings(reader: BoundedArchive, member: zipfile.ZipInfo) -> None:
    """Refuse a shared-strings table declaring more entries than its size can hold: calamine reserves
    memory for the declared count before reading any (2,000,000,000 entries: 48 GB, and an abort)."""
    bound = member.file_size // _SMALLEST_STRING + 1000
    head = b""
    for chunk in reader.chunks(member):  # read to the end all the same: counted and CRC-checked
        if len(head) > MAX_TAG_BYTES:
            continue
        head += chunk
        found = _SST_TAG.search(head)
        if found:
            declared = max((int(n) for n in _UNIQUE_COUNT.findall(found[1])), default=0)
            if declared > bound:
                raise _TooManyStrings(declared)
            head = b" " * (MAX_TAG_BYTES + 1)  # checked: skip the rest
        elif len(head) > MAX_TAG_BYTES:
            raise TagTooLong(len(head))


def _sheet_names(reader: BoundedArchive, by_name: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet zip path → the sheet's name, for messages."""
    try:
        parts = {name: reader.read(by_name[name]) for name in _WORKBOOK_PARTS if name in by_name}
    except ArchiveRefused:
        return {}
    names = [_attributes(tag[1]).get("name", "") for tag in _SHEET_TAG.finditer(parts.get("xl/workbook.xml", b""))]
    return {path: name for path, name in zip(_sheet_parts(parts), names, strict=False) if path and name}


_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_RELATIONSHIP_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attributes(tag: bytes) -> dict[str, str]:
    return {m[1].decode(): unescape((m[2] if m[2] is not None else m[3]).decode("utf-8", "replace"))
            for m in _ATTRIBUTE.finditer(tag)}  # fmt: skip


def _sheet_parts(parts: dict[str, bytes]) -> list[str | None]:
    """The zip path of each sheet, in workbook order (calamine's order)."""
    targets = {}
    for tag in _RELATIONSHIP_TAG.finditer(parts.get("xl/_rels/workbook.xml.rels", b"")):
        attributes = _attributes(tag[1])
        target = attributes.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[attributes.get("Id")] = path
    sheets: list[str | None] = []
    for tag in _SHEET_TAG.finditer(parts.get("xl/workbook.xml", b"")):
        attributes = _attributes(tag[1])
        rid = next((value for name, value in attributes.items() if name.endswith(":id") or name == "id"), None)
        sheets.append(targets.get(rid))
    return sheets


def _choose_sheet(book: CalamineWorkbook) -> tuple[int, CalamineSheet, list[list[Any]]] | None:
    """The first worksheet whose first rows hold a roster header, else the first with any data."""
    first = None
    for index, meta in enumerate(book.sheets_metadata):
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_index(index)
        if sheet.start is None:
            continue
        head = sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS + 1)
        if _find_header(head) is not None:
            return index, sheet, head
        if first is None and any(_text(cell) for row in head for cell in row):
            first = index, sheet, head
    return first


_ROOT_TAG = re.compile(rb"""<((?:[\w.-]+:)?)worksheet\b[^>]*?=\s*(["'])""")  # its prefix and quote style
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_CACHED_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>\s*[^<\s]")
_VALUE_TAG = re.compile(rb"<(?:[\w.-]+:)?v\s*/?>")
_CELL_TYPE_STR = re.compile(rb"""\bt\s*=\s*["']str["']""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']\$?([A-Z]{1,3})\$?(\d{1,7})["']""")
_ERROR_CELL = re.compile(
    rb"""<(?:[\w.-]+:)?c\b[^>]*?\bt\s*=\s*["']e["'][^>]*>(?:(?!</(?:[\w.-]+:)?c>).)*?<(?:[\w.-]+:)?v>([^<]*)<""", re.S
)


def _untrusted_cells(xml: bytes) -> Untrusted:
    """0-based (row, column) of cells calamine reads as empty although they are not: formulas the file
    holds no result for, and error values (#DIV/0!, #N/A …).

    Cheap when there are none (two substring scans; the regexes are slow on 60 MB). A formula is the first
    child of its <c> element, so the cell's start tag is the last "<" before it. A string formula
    with an empty result is a value.
    """
    found: list[tuple[int, int, _Invalid]] = []
    root = _ROOT_TAG.search(xml, 0, 4096)
    prefix, quote = (root[1], root[2]) if root else (b"", b'"')
    if b"<" + prefix + b"f" in xml:
        for match in _FORMULA_TAG.finditer(xml):
            at = match.start()
            start_tag = xml[xml.rfind(b"<", 0, at) : at]
            end = _CELL_END.search(xml, at)
            body = xml[at : end.start() if end else len(xml)]
            if _CACHED_VALUE.search(body) or (_CELL_TYPE_STR.search(start_tag) and _VALUE_TAG.search(body)):
                continue
            ref = _CELL_REF.search(start_tag)
            if ref:
                found.append((int(ref[2]) - 1, _column_index(ref[1].decode()), _NO_RESULT))
    if b"t=" + quote + b"e" + quote in xml:
        for match in _ERROR_CELL.finditer(xml):
            ref = _CELL_REF.search(match[0])
            if ref:
                error = unescape(match[1].decode("utf-8", "replace")) if match[1] else Text(N_("错误值"))
                found.append((int(ref[2]) - 1, _column_index(ref[1].decode()),
                              _Invalid("error_value", Text(N_("单元格是错误值（%(error)s），请修正公式或数据后粘贴为数值重新上传。"), error=error))))  # fmt: skip
    return found


def _column_index(letters: str) -> int:
    return column_index(letters) - 1


def _column_letters(index: int) -> str:
    return column_letters(index + 1)


# --- CSV ------------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str] | None:
    """The text and the name of its encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    candidates: tuple[tuple[str, str], ...]
    if data.startswith(codecs.BOM_UTF8):
        candidates = (("utf-8-sig", "UTF-8（带 BOM）"),)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = (("utf-16", "UTF-16"),)
    else:
        candidates = (("utf-8", "UTF-8"), ("gb18030", "GB18030（GBK）"))
    for codec, name in candidates:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(data: bytes, filename: str, max_rows: int) -> RosterFile | FileProblem:
    decoded = _decode(data)
    if decoded is None:
        tried = Listing(["UTF-8"] if data.startswith(codecs.BOM_UTF8) else ["UTF-8", "GB18030（GBK）"], N_("、"))
        return FileProblem("encoding", Text(N_("文件“%(name)s”的文字编码无法识别（已尝试 %(tried)s）。"
                                               "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新上传。"),
                                            name=filename, tried=tried))  # fmt: skip
    text, encoding = decoded
    if "\x00" in text[:8192]:
        return _unsupported(filename, N_("无法识别的二进制文件"))
    head = text[:65536]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    try:
        grid: list[list[Any]] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return FileProblem("corrupt", Text(N_("文件“%(name)s”不是有效的 CSV 文件（引号不配对或单元格过长）。"
                                              "请在 Excel 中打开后另存为 .xlsx 或 CSV 再上传。"), name=filename))  # fmt: skip
    if not any(cell.strip() for row in grid for cell in row):
        return FileProblem("empty_sheet", Text(N_("文件“%(name)s”中没有数据。"), name=filename))
    header = _find_header(grid[: HEADER_SEARCH_ROWS + 1])
    if header is None:
        return _no_header(filename, grid[: HEADER_SEARCH_ROWS + 1])
    if len(grid) - 1 - header > max_rows:
        return _too_many_rows(filename, len(grid) - 1 - header, max_rows)
    return _build(grid, header, filename, max_rows, "csv", encoding=encoding)


# --- header ---------------------------------------------------------------------------------------


def _find_header(rows: Sequence[Sequence[Any]]) -> int | None:
    """0-based index of the first of the first 10 rows naming at least 3 known columns."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {match_header(cell) for cell in row if isinstance(cell, str) and cell.strip()}
        keys.discard(None)
        if len(keys) >= HEADER_MIN_MATCHES:
            return index
    return None


def _is_sub_header(top: Sequence[Any], below: Sequence[Any]) -> bool:
    """Whether `below` continues a two-row header (a group title such as 特殊群体 above 劳动模范, 烈军属…)."""
    matched = False
    for index, cell in enumerate(below):
        if not _text(cell):
            continue
        if isinstance(cell, str) and match_header(cell):
            matched = True
        elif not is_ignored_header(cell) and index < len(top) and match_header(_text(top[index])):
            return False  # a value under a known column: data, not header
    return matched


def _no_header(filename: str, rows: Sequence[Sequence[Any]]) -> FileProblem:
    first = next(([_text(c) for c in row if _text(c)] for row in rows if any(_text(c) for c in row)), [])
    shown = Listing([Text(N_("“%(text)s”"), text=h) for h in first[:12]], N_("、")) if first else Text(N_("（空）"))
    expected = Listing([Text(N_("“%(text)s”"), text=Text(c.header)) for c in REQUIRED], N_("、"))
    return FileProblem("no_header", Text(N_("文件“%(name)s”中没有找到台账表头：前 %(rows)s 行中没有一行包含至少 "
                                            "%(min)s 个已知列名（如%(expected)s）。第一行内容是：%(shown)s。"
                                            "请使用系统提供的导入模板填写。"), name=filename, rows=HEADER_SEARCH_ROWS,
                                         min=HEADER_MIN_MATCHES, expected=expected, shown=shown),
                       headers_found=tuple(first))  # fmt: skip


def _too_many_rows(filename: str, rows: int, max_rows: int) -> FileProblem:
    return FileProblem("too_many_rows", Text(N_("文件“%(name)s”有 %(rows)s 行数据，超过单次导入上限 %(max)s 行。"
                                                "请删除表格下方的空行和无关内容，或分批导入。"),
                                             name=filename, rows=rows, max=max_rows))  # fmt: skip


def _map_headers(
    headers: Sequence[str],
) -> tuple[dict[int, str], dict[str, str], list[tuple[str, str]], list[str]]:
    """Column index → key, key → header, (letter, header) of unknown columns and notes; the most canonical
    of duplicates wins."""
    by_key: dict[str, int] = {}
    unknown: list[tuple[str, str]] = []
    notes: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        key = match_header(header)
        if key is None:
            if not is_ignored_header(header):
                unknown.append((_column_letters(index), header))
            continue
        if key in by_key:
            kept, dropped = by_key[key], index
            if header_rank(key, header) < header_rank(key, headers[kept]):
                kept, dropped = index, kept
            by_key[key] = kept
            notes.append(Text(N_("“%(kept)s”与“%(dropped)s”都表示“%(column)s”，已读取“%(kept)s”列（第 %(kept_letter)s 列），"
                                 "忽略第 %(dropped_letter)s 列。"), kept=headers[kept], dropped=headers[dropped],
                              column=Text(BY_KEY[key].header), kept_letter=_column_letters(kept),
                              dropped_letter=_column_letters(dropped)))  # fmt: skip
            continue
        by_key[key] = index
    columns = {index: key for key, index in by_key.items()}
    found = {key: headers[index] for key, index in sorted(by_key.items(), key=lambda item: item[1])}
    return columns, found, unknown, notes


# --- rows -----------------------------------------------------------------------------------------


class _Invalid(NamedTuple):
    rule: str
    message: str


Parser = Callable[[Any], Any]
_MISSING = object()
_NO_RESULT = _Invalid("formula_without_value", Text(N_("单元格含公式且没有计算结果，请粘贴为数值后重新上传。")))


def _build(
    grid: list[list[Any]],
    header: int,
    filename: str,
    max_rows: int,
    kind: str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    untrusted: Sequence[tuple[int, int, _Invalid]] = (),
) -> RosterFile | FileProblem:
    """The roster below the header row; `kind`, `sheet` and `encoding` describe the source."""
    headers = [_text(cell) for cell in grid[header]]
    if header + 1 < len(grid) and _is_sub_header(grid[header], grid[header + 1]):
        for index, cell in enumerate(grid[header + 1]):
            if isinstance(cell, str) and match_header(cell):
                headers += [""] * (index + 1 - len(headers))
                headers[index] = _text(cell)
        header += 1
    columns, found, unknown, notes = _map_headers(headers)
    missing = [column for column in REQUIRED if column.key not in found]
    if missing:
        names = Listing([Text(N_("“%(text)s”"), text=Text(column.header)) for column in missing], N_("、"))
        shown = Listing([Text(N_("“%(text)s”"), text=h) for h in headers if h], N_("、"))
        # An office's sheet with only 参加工作时间 has not given the date of entry into this enterprise.
        hint = (Text(N_("“参加工作时间”是首次参加工作的日期，不是入企时间：在本单位工作的年限按入企时间计算"
                        "（劳动合同法第四十七条）。")) if "hire_date" not in found and "work_start" in found else "")  # fmt: skip
        return FileProblem("missing_required", Text(N_("文件“%(name)s”缺少必填列：%(names)s。表格中找到的列是：%(shown)s。"
                                                       "%(hint)s请补充这些列（也可使用导入模板）后重新上传。"),
                                                    name=filename, names=names, shown=shown, hint=hint),
                           tuple(column.header for column in missing), tuple(h for h in headers if h))  # fmt: skip
    plan = [(index, BY_KEY[key]) for index, key in sorted(columns.items())]
    special = _special_cells(header, columns, merged, untrusted, len(grid) - 1)
    data = grid[header + 1 :]
    headerless = _headerless_columns(headers, data)
    if headerless:
        unknown = sorted(unknown + headerless, key=lambda found: column_index(found[0]))
    data += [[] for _ in range(max(special, default=-1) - header - len(data))]  # rows holding only formulas
    width = max(columns) + 1
    for row in data:  # CSV rows differ in length; calamine's are already even
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    raw, parsed, bad = [], [], set()
    # Transposed in one pass; CSV rows may be longer than `width` (never shorter, see above): cut to the shortest.
    by_column = list(zip(*data, strict=False)) if data else [()] * width
    for index, column in plan:
        cells = list(by_column[index])
        values, invalid = _parse_column(column, cells)
        raw.append(cells)
        parsed.append(values)
        bad.update(invalid)
    rows = _assemble(header + 1, plan, [headers[index] for index, _ in plan], raw, parsed, bad, special)
    if len(rows) > max_rows:
        return _too_many_rows(filename, len(rows), max_rows)
    if not rows:  # committing it would delete every saved worker
        where = Text(N_("工作表“%(sheet)s”"), sheet=sheet) if sheet else Text(N_("文件"))
        return FileProblem("no_rows", Text(N_("文件“%(name)s”中没有职工数据：%(where)s只有表头（第 %(row)s 行），"
                                              "下方没有任何职工行。请填写职工信息后重新上传；已保存的名单未作改动。"),
                                           name=filename, where=where, row=header + 1),
                           headers_found=tuple(h for h in headers if h))  # fmt: skip
    return RosterFile(kind, found, unknown, rows, header + 1, sheet, encoding, notes)


def _headerless_columns(headers: Sequence[str], data: Sequence[Sequence[Any]]) -> list[tuple[str, str]]:
    """(letter, "") of each column with data below an empty header: not read, so reported as unknown."""
    width = max(map(len, data), default=0)
    blank = [index for index in range(width) if index >= len(headers) or not headers[index]]
    return [(_column_letters(index), "") for index in blank
            if any(index < len(row) and _text(row[index]) for row in data)]  # fmt: skip


def parse_row(cells: dict[str, Any], row_number: int) -> RosterRow:
    """One row given as column key → cell (as a file would hold it: labels, 是/否, dates as text or date
    cells, amounts), parsed and checked by the same rules as a file's rows; its problems carry `row_number`.

    Keys must be roster column keys. Every required column missing from `cells` is reported as empty.
    """
    keys = list(cells) + [column.key for column in REQUIRED if column.key not in cells]
    plan = [(index, BY_KEY[key]) for index, key in enumerate(keys)]
    raw, parsed, bad = [], [], set()
    for _, column in plan:
        cell = cells.get(column.key)
        values, invalid = _parse_column(column, [cell.strip() if isinstance(cell, str) else cell])
        raw.append([cell])
        parsed.append(values)
        bad.update(invalid)
    rows = _assemble(row_number - 1, plan, [column.header for _, column in plan], raw, parsed, bad, {})
    if not rows:  # every cell empty: the required ones are missing
        rows = [RosterRow(row_number, dict.fromkeys(keys), [
            CellProblem(row_number, column.header, "required", "", _missing(row_number, column.header))
            for column in REQUIRED])]  # fmt: skip
    return rows[0]


def _assemble(
    first: int,
    plan: list[tuple[int, Column]],
    headers: list[str],
    raw: list[list[Any]],
    parsed: list[list[Any]],
    bad: set[int],
    special: dict[int, dict[int, _Invalid]],
) -> list[RosterRow]:
    """Rows from parsed columns: empty rows dropped, invalid cells turned into problems."""
    keys = [column.key for _, column in plan]
    required = [position for position, (_, column) in enumerate(plan) if column.required]
    in_scope_only = {position for position in required if plan[position][1].in_scope_only}
    scope_at = [keys.index(key) if key in keys else None for key in _SCOPE_KEYS]
    required_of = itemgetter(*required, 0)  # always a tuple, even with one required column
    position_of = {index: position for position, (index, _) in enumerate(plan)}
    width = len(plan)
    # Rows that need more than zipping keys and values: an invalid or special cell, or a required one empty
    # (which includes every empty row).
    attention = set(bad)
    attention.update(at - first for at in special)
    for position in required:
        attention.update(offset for offset, value in enumerate(parsed[position]) if value is None)
    rows: list[RosterRow] = []
    for offset, values in enumerate(zip(*parsed, strict=True)):
        at = first + offset  # 0-based row in the sheet
        if offset not in attention:
            rows.append(RosterRow(at + 1, dict(zip(keys, values, strict=True)), []))
            continue
        flagged = special.get(at)
        if flagged:
            positions = {position_of[index]: invalid for index, invalid in flagged.items()}
            merged_only = all(invalid.rule == "merged_cell" for invalid in positions.values())  # others are content
            if merged_only and all(v is None for p, v in enumerate(values) if p not in positions):
                continue  # a merged range reaching into empty rows
            values = tuple(positions.get(p, v) for p, v in enumerate(values))
        elif values.count(None) == width:
            continue
        number = at + 1
        problems = []
        if None in required_of(values):
            missing = [p for p in required if values[p] is None]
            if in_scope_only.intersection(missing) and _out_of_scope(values, scope_at):
                missing = [p for p in missing if p not in in_scope_only]
            problems = [CellProblem(number, headers[p], "required", "", _missing(number, headers[p], plan[p][1]))
                        for p in missing]  # fmt: skip
        if offset in bad or flagged:
            cleaned = list(values)
            for position, value in enumerate(values):
                if value.__class__ is _Invalid:
                    cleaned[position] = None
                    shown = _shown(raw[position][offset])
                    shown = shown if len(shown) <= SHOWN_MAX else shown[:SHOWN_MAX] + "…"
                    problems.append(CellProblem(number, headers[position], value.rule, shown,
                                                Text(N_("第%(row)s行“%(column)s”：%(message)s"), row=number,
                                                     column=_header(headers[position], plan[position][1]),
                                                     message=value.message)))  # fmt: skip
            values = tuple(cleaned)
        rows.append(RosterRow(number, dict(zip(keys, values, strict=True)), problems))
    return rows


def _header(header: str, column: Column | None = None) -> str:
    """A column's header in a message: the column's own (said in the reader's language), or a header the
    file gave instead, as the file gave it."""
    return Text(header) if column is None or header == column.header else header


def _missing(row: int, header: str, column: Column | None = None) -> Text:
    return Text(N_("第%(row)s行缺少“%(column)s”。"), row=row, column=_header(header, column))


_SCOPE_KEYS = ("excluded_reason", "employment_status", "drawing_pension")  # exclusion_reason's arguments


def _out_of_scope(values: Sequence[Any], positions: list[int | None]) -> bool:
    """Whether the row puts the worker outside the placement scope (冀人社发〔2018〕38号 §二): a column
    required only in scope (the channel) may then be empty."""
    given = [None if p is None or values[p].__class__ is _Invalid else values[p] for p in positions]
    return exclusion_reason(*given) is not None


def _special_cells(
    header: int,
    columns: dict[int, str],
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    untrusted: Sequence[tuple[int, int, _Invalid]],
    last_row: int,
) -> dict[int, dict[int, _Invalid]]:
    """Cells of data rows whose value cannot be trusted: inside a merged range (not its top-left), formulas
    without a result, error values. A merged range is followed no further than the sheet's last row and
    its roster columns: a range may declare A2:XFD1048576 (17 billion cells) in a few bytes."""
    special: dict[int, dict[int, _Invalid]] = {}
    for (top, left), (bottom, right) in merged:
        if bottom <= header:
            continue
        ref = f"{_column_letters(left)}{top + 1}:{_column_letters(right)}{bottom + 1}"
        inside = [index for index in columns if left <= index <= right]
        for at in range(max(top, header + 1), min(bottom, last_row) + 1):
            for index in inside:
                if (at, index) != (top, left):
                    special.setdefault(at, {})[index] = _Invalid("merged_cell",
                        Text(N_("位于合并单元格 %(ref)s 中，合并后只有左上角单元格有值，本行读到的是空值。"
                                "请取消合并单元格并逐行填写后重新上传。"), ref=ref))  # fmt: skip
    for at, index, invalid in untrusted:
        if at > header and index in columns:
            special.setdefault(at, {})[index] = invalid
    return special


class _ParseOnce(dict[Any, Any]):
    """Cell → parsed value, parsing a cell value only the first time it is looked up."""

    def __init__(self, parse: Parser) -> None:
        super().__init__({None: None})
        self.parse = parse

    def __missing__(self, cell: Any) -> Any:
        value = self[cell] = self.parse(cell)
        return value


def _parse_column(column: Column, cells: list[Any]) -> tuple[list[Any], list[int]]:
    """Parsed values (None when empty, _Invalid when wrong) and the offsets of the wrong ones."""
    if column.kind == TEXT:
        try:
            values: list[Any] = [
                (_unquote(text) if text[:1] == "'" else text) or None for text in map(str.strip, cells)
            ]
        except TypeError:  # a number or date among the text
            values = [_parse_text(cell) for cell in cells]
        limit = FIELDS.get(f"roster.{column.key}", ROSTER_TEXT)
        if max(map(len, filter(None, values)), default=0) <= limit:
            return values, []
        long = [offset for offset, value in enumerate(values) if value and len(value) > limit]
        for offset in long:
            values[offset] = _Invalid(
                "max_length",
                Text(
                    N_("不得超过 %(limit)s 个字（现为 %(n)s 个字），请精简后重新上传。"),
                    limit=limit,
                    n=len(values[offset]),
                ),
            )
        return values, long
    if column.kind in (DATE, CHOICE, FLAG):  # few distinct values: parse each once, in one pass over the cells
        parse = _parse_date if column.kind == DATE else _choice_parser(column)
        cache = _ParseOnce(parse)
        values = list(map(cache.__getitem__, cells))
        if not any(cell.__class__ is bool for cell in cache):  # True == 1.0 would share an entry
            if not any(value.__class__ is _Invalid for value in cache.values()):
                return values, []
            return values, [offset for offset, value in enumerate(values) if value.__class__ is _Invalid]
    elif column.kind in (ID, CODE):  # unique values; plain digits (most of them) need no parsing
        parse = _PARSERS[column.kind]
        length = (18,) if column.kind == ID else range(1, 30)
        values = [cell if cell.__class__ is str and cell.isdigit() and cell.isascii() and len(cell) in length
                  else None if cell is None or cell == "" else parse(cell) for cell in cells]  # fmt: skip
        return values, [offset for offset, value in enumerate(values) if value.__class__ is _Invalid]
    else:
        parse = _PARSERS[column.kind]
    values = [None if cell is None or cell == "" else parse(cell) for cell in cells]
    return values, [offset for offset, value in enumerate(values) if value.__class__ is _Invalid]


# --- values ---------------------------------------------------------------------------------------

_EXACT_FLOAT = 2**53
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_ID_TEXT = re.compile(r"(?:\d{17}[\dX]|\d{15})")
_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月?)"
    r"(?:\s*[T\s]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)
_CENT = Decimal("0.01")
_AMOUNT_NOISE = dict.fromkeys(map(ord, ",，元¥￥ \u3000"))


def _text(cell: Any) -> str:
    """A cell as trimmed text: integral numbers without ".0", dates in ISO form."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < _EXACT_FLOAT else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _shown(cell: Any) -> str:
    if isinstance(cell, float) and not (cell.is_integer() and abs(cell) < _EXACT_FLOAT):
        return format(cell, ".15g")  # what Excel shows: 15 significant digits
    return _text(cell)


def _unquote(text: str) -> str:
    """Undo the apostrophe our export puts before text that starts like a formula."""
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def _parse_text(cell: Any) -> Any:
    text = _text(cell)
    return _unquote(text) if text else None


def _numeric_message(shown: str, what: str) -> _Invalid:
    return _Invalid("numeric_cell", Text(N_("%(what)s被保存为数字（读到 %(shown)s），Excel 只保留 15 位有效数字，末尾几位可能"
                                            "已丢失。请将该列设置为“文本”格式，重新录入后上传。"), what=Text(what), shown=shown))  # fmt: skip


def _identifier_text(cell: str) -> str:
    text = cell.strip()
    if text[:2] == '="' and text[-1:] == '"':  # ="…", the CSV trick for keeping digits
        text = text[2:-1]
    text = text.lstrip("'`")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def _parse_id(cell: Any) -> Any:
    if isinstance(cell, str):
        text = cell.strip()
        if len(text) == 18 and text.isascii() and text[:17].isdigit() and (text[17].isdigit() or text[17] in "Xx"):
            return text.upper()
        text = _identifier_text(text).upper()
        if not text:
            return None
        if _SCIENTIFIC.fullmatch(text):
            return _numeric_message(text, N_("身份证号"))
        if _ID_TEXT.fullmatch(text):
            return text
        return _Invalid(
            "id_format", Text(N_("“%(text)s”不是有效的身份证号，应为 18 位（末位可为 X）或 15 位数字。"), text=text)
        )
    if isinstance(cell, bool):
        return _Invalid("id_format", Text(N_("不是有效的身份证号。")))
    if isinstance(cell, int):
        text = str(cell)
        return (
            text
            if len(text) in (15, 18)
            else _Invalid("id_format", Text(N_("“%(text)s”不是有效的身份证号，应为 18 位或 15 位。"), text=text))
        )
    if isinstance(cell, float):
        if cell.is_integer() and 0 < cell < _EXACT_FLOAT and len(str(int(cell))) == 15:
            return str(int(cell))  # a legacy 15-digit number is exact in a float
        return _numeric_message(_shown(cell), N_("身份证号"))
    return _Invalid("id_format", Text(N_("“%(text)s”不是有效的身份证号。"), text=_text(cell)))


def _parse_code(cell: Any) -> Any:
    if isinstance(cell, str):
        text = _identifier_text(cell)
        if _SCIENTIFIC.fullmatch(text):
            return _numeric_message(text, N_("号码"))
        return text or None
    if isinstance(cell, float):
        if cell.is_integer() and 0 <= cell < 1e15:
            return str(int(cell))
        return _numeric_message(_shown(cell), N_("号码"))
    return _text(cell) or None


def _bad_date(text: str) -> _Invalid:
    return _Invalid(
        "date", Text(N_("无法识别的日期“%(text)s”，请填写为 2018-07-26、2018/7/26 或 2018年7月26日。"), text=text)
    )


def _make_date(year: int, month: int, day: int, text: str) -> Any:
    if not 1900 <= year <= 2100:
        return _Invalid("date", Text(N_("日期“%(text)s”的年份不合理。"), text=text))
    try:
        return date(year, month, day)
    except ValueError:
        return _Invalid("date", Text(N_("日期“%(text)s”不存在。"), text=text))


def _serial_date(number: float, text: str) -> Any:
    if 1900 <= number <= 2100:
        if number.is_integer():
            return _Invalid(
                "date", Text(N_("“%(text)s”只有年份，请填写完整日期，如 %(year)s-07-26。"), text=text, year=int(number))
            )
        return _Invalid("date", Text(N_("“%(text)s”被当作数字保存，无法区分月份（如 2018.1 可能是 1 月或 10 月）。"
                                        "请将该列设置为“日期”或“文本”格式，填写为 2018-07-26。"), text=text))  # fmt: skip
    if number.is_integer() and 19000101 <= number <= 21001231:
        digits = str(int(number))
        return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), digits)
    if 1 <= number < 73051:  # Excel serial day numbers up to 2100-01-01
        return _EXCEL_EPOCH + timedelta(days=int(number))
    return _bad_date(text)


def _parse_date(cell: Any) -> Any:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return _serial_date(float(cell), _shown(cell))
    if not isinstance(cell, str):
        return _bad_date(_text(cell))
    text = cell.strip()
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return (
                day
                if 1900 <= day.year <= 2100
                else _Invalid("date", Text(N_("日期“%(text)s”的年份不合理。"), text=text))
            )
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    match = _DATE_TEXT.fullmatch(text)
    if match:
        year, month, day_of_month = match.groups()
        if day_of_month is None and month == "1" and text[4:5] == "." and len(text) == 6:
            return _Invalid(
                "date",
                Text(
                    N_("“%(text)s”无法区分是 1 月还是 10 月，请填写为 %(year)s-01 或 %(year)s-10。"),
                    text=text,
                    year=year,
                ),
            )
        return _make_date(int(year), int(month), int(day_of_month or 1), text)
    match = _DATE_DIGITS.fullmatch(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]), text)
    if text.isdigit() and len(text) <= 5:
        return _serial_date(float(text), text)
    return _bad_date(text)


def _parse_amount(cell: Any) -> Any:
    if isinstance(cell, bool):
        return _Invalid("amount", Text(N_("应为金额（元）。")))
    try:
        if isinstance(cell, float):
            if cell.is_integer() and 0 <= cell < _EXACT_FLOAT:
                return Decimal(int(cell))
            text = repr(cell)
            if "e" not in text and len(text) - text.find(".") <= 3 and cell >= 0:
                return Decimal(text)  # already whole cents: skip the slow quantize
            amount = Decimal(text)
        elif isinstance(cell, int):
            amount = Decimal(cell)
        else:
            text = unicodedata.normalize("NFKC", _text(cell)).translate(_AMOUNT_NOISE)
            if not text:
                return None
            amount = Decimal(text)
    except (InvalidOperation, ValueError):
        return _Invalid("amount", Text(N_("“%(text)s”不是有效的金额，请只填写数字（单位：元）。"), text=_text(cell)))
    if not amount.is_finite():
        return _Invalid("amount", Text(N_("“%(text)s”不是有效的金额。"), text=_text(cell)))
    if amount < 0:
        return _Invalid("amount", Text(N_("金额“%(text)s”不能为负数。"), text=_text(cell)))
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def _choice_parser(column: Column) -> Parser:
    index = CHOICE_INDEX[column.key]

    def parse(cell: Any) -> Any:
        if column.kind == FLAG and isinstance(cell, bool):
            return cell
        text = _text(cell)
        if not text:
            return None
        value = index.get(normalize(text))
        if value is None:  # the choices said only when wrong: one worker's row is parsed afresh many times
            allowed = Listing((Text(label) for label in column.labels), N_("、"))
            return _Invalid("choice", Text(N_("“%(text)s”不是可选值，可选：%(allowed)s。"), text=text, allowed=allowed))
        return value

    return parse


_TENTH = Decimal("0.1")
_YEARS_NOISE = dict.fromkeys(map(ord, "年 \u3000"))
MAX_YEARS = 70  # more years in one post than a working life is a typing error


def _parse_years(cell: Any) -> Any:
    """A number of years (特殊工种年限): 0 to MAX_YEARS, to one decimal place; "9年" is read as 9."""
    if isinstance(cell, bool):
        return _Invalid("years", Text(N_("应为年数。")))
    text = unicodedata.normalize("NFKC", _text(cell)).translate(_YEARS_NOISE)
    if not text:
        return None
    try:
        years = Decimal(text)
    except InvalidOperation:
        return _Invalid("years", Text(N_("“%(text)s”不是有效的年数，请只填写数字（单位：年）。"), text=_text(cell)))
    if not years.is_finite() or not 0 <= years <= MAX_YEARS:
        return _Invalid("years", Text(N_("年数“%(text)s”应在0到%(max)s之间。"), text=_text(cell), max=MAX_YEARS))
    return years.quantize(_TENTH, rounding=ROUND_HALF_UP)


_PARSERS: dict[str, Parser] = {ID: _parse_id, CODE: _parse_code, AMOUNT: _parse_amount, YEARS: _parse_years}
