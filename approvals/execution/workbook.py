"""The execution ledger as .xlsx: a template with drop-downs, and reading a filled one into each worker's parts.

One row per worker, found by 公民身份号码; a part (items.PARTS) is taken from a row when any of its cells
is filled. A column the reader does not know is reported, never dropped (domain.md §8 Roster).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from approvals.execution.items import AGREEMENT_KINDS, FIELD_LABELS, OUTCOME_FIELD_LABELS, OUTCOME_KINDS, PART_FIELDS
from approvals.i18n import N_, Text

SHEET_TITLE = "实施台账"
TEMPLATE_ROWS = 50_000
ID_HEADER, NAME_HEADER = "公民身份号码", "姓名"
# The columns after the worker's ID and name, by the part they fill: (key, header).
COLUMNS: list[tuple[str, str, str]] = [
    *((part, key, FIELD_LABELS[key]) for part, keys in PART_FIELDS.items() if part != "outcome" for key in keys),
    ("outcome", "outcome_kind", FIELD_LABELS["outcome_kind"]),
    *(("outcome", key, label) for key, label in OUTCOME_FIELD_LABELS.items()),
]
# The template's own column headers (catalogue texts); any other header in a report is the file's, shown as written.
TEMPLATE_HEADERS = frozenset({ID_HEADER, NAME_HEADER, *(header for _part, _key, header in COLUMNS)})
CHOICES = {"agreement_kind": AGREEMENT_KINDS, "outcome_kind": OUTCOME_KINDS}
DATE_KEYS = frozenset(key for _part, key, _header in COLUMNS if key.endswith("_on"))


@dataclass(frozen=True)
class SheetProblem:
    row: int | None
    column: str
    rule: str
    message: Text


@dataclass
class SheetRow:
    row: int
    id_number: str
    name: str
    parts: dict[str, dict[str, Any]]  # part -> its values, as record_part takes them


@dataclass
class Sheet:
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)


def ledger_template() -> bytes:
    """A blank ledger with the headers, the drop-downs of the two choices and date formats."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    headers = [ID_HEADER, NAME_HEADER, *(header for _part, _key, header in COLUMNS)]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(header) * 2)
        key = COLUMNS[index - 3][1] if index > 2 else None
        if index == 1:
            sheet.column_dimensions[letter].number_format = "@"
        elif key in DATE_KEYS or key in ("started_on", "finished_on", "ends_on"):
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if key in CHOICES:
            listed = ",".join(CHOICES[key].values())
            validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value).strip()


def read_ledger(data: bytes) -> Sheet:
    """The filled rows of an uploaded ledger; problems name the row, the column and the rule."""
    sheet = Sheet()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (any unreadable file is one problem for the person who sent it)
        sheet.problems.append(
            SheetProblem(None, "file", "xlsx", Text(N_("文件不是有效的.xlsx工作簿，请使用下载的实施台账模板。")))
        )
        return sheet
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    by_header = {h: key for _part, key, h in COLUMNS}
    part_of = {key: part for part, key, _h in COLUMNS}
    if ID_HEADER not in header:
        sheet.problems.append(
            SheetProblem(1, ID_HEADER, "required_column", Text(N_("第1行缺少“%(column)s”列。"), column=ID_HEADER))
        )
        return sheet
    for column, text in enumerate(header, start=1):
        if text and text not in by_header and text not in (ID_HEADER, NAME_HEADER):
            sheet.problems.append(SheetProblem(1, text, "known_column",
                                               Text(N_("第1行第%(column)s列“%(text)s”不是实施台账的列，请使用模板的列名。"),
                                                    column=column, text=text)))  # fmt: skip
    for number, values in enumerate(rows, start=2):
        cells = {header[i]: _cell(v) for i, v in enumerate(values) if i < len(header) and header[i]}
        if not any(cells.values()):
            continue
        parts: dict[str, dict[str, Any]] = {}
        for text, value in cells.items():
            key = by_header.get(text)
            if key is None or value == "":
                continue
            parts.setdefault(part_of[key], {})[key] = value
        sheet.rows.append(SheetRow(number, cells.get(ID_HEADER, "").upper(), cells.get(NAME_HEADER, ""), parts))
    return sheet
