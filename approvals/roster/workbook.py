"""The roster as .xlsx: a blank template with drop-downs, and an export safe to open in Excel."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from approvals.roster.columns import AMOUNT, CODE, COLUMNS, DATE, FORMULA_START, ID, IGNORED_HEADERS, YEARS, Column

SHEET_TITLE = "职工实名制台账"
GUIDE_TITLE = "填写说明"
TEMPLATE_ROWS = 50_000  # drop-downs cover rows 2–50001
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "0.00"
YEARS_FORMAT = "0.0"

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_REQUIRED = Font(bold=True, color="C00000")


def neutralise(text: str) -> str:
    """Text a spreadsheet will show as text: a leading apostrophe before =, +, -, @, tab or CR."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_START) else text


def _format_columns(sheet: Any) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.kind in (ID, CODE):
            dimension.number_format = "@"
        elif column.kind == DATE:
            dimension.number_format = DATE_FORMAT
        elif column.kind == AMOUNT:
            dimension.number_format = AMOUNT_FORMAT
        elif column.kind == YEARS:
            dimension.number_format = YEARS_FORMAT


def _prompt(column: Column) -> str:
    text = column.description
    if column.kind == ID:
        text += "请先将单元格设为文本格式，避免末位丢失。"
    elif column.kind == DATE:
        text += "格式：2018-07-26。"
    return text[:255]


def roster_template() -> bytes:
    """A blank roster: Chinese headers, frozen header row, text ID columns, drop-downs and a guide sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _REQUIRED if column.required else _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(index)
        area = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.labels) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=f"请从下拉列表中选择：{'、'.join(column.labels)}。"[:255],
                showInputMessage=True,
                promptTitle=column.header[:32],
                prompt=_prompt(column),
            )
        else:
            validation = DataValidation(showInputMessage=True, promptTitle=column.header[:32], prompt=_prompt(column))
        validation.add(area)
        sheet.add_data_validation(validation)
    _format_columns(sheet)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22
    _guide(book.create_sheet(GUIDE_TITLE))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_KIND_NAMES = {ID: "身份证号（文本）", CODE: "号码（文本）", DATE: "日期", AMOUNT: "金额（元）", YEARS: "年数"}


def _guide(sheet: Any) -> None:
    notes = (
        "填写说明",
        "1. 每名职工填写一行，不要合并单元格，不要在表格中插入小计、合计或分组标题行。",
        "2. 身份证号、残疾证号、电话等号码列请使用文本格式，否则 Excel 会把 18 位号码变成科学计数法并丢失末位。",
        "3. 日期填写为 2018-07-26、2018/7/26 或 2018年7月26日；只知道年月时可填 2018年7月。",
        "4. 有下拉列表的列请从列表中选择；是/否类列填写“是”或“否”。",
        "5. 单元格中不要使用公式；如由其他表格计算得出，请“选择性粘贴→数值”后再上传。",
        f"6. 红色表头为必填列；表头顺序可以调整，也可使用下表中“其他可用列名”；“{IGNORED_HEADERS[0]}”等编号列会被忽略。",
        "7. 保存为 .xlsx，或另存为 CSV（UTF-8 或 GBK 编码均可）后上传。",
        "8. 下表以外的列不会导入，上传检查时会逐列提示。",
    )
    for line in notes:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["列名", "是否必填", "填写内容", "可选值", "其他可用列名", "也接受的写法"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for column in COLUMNS:
        allowed = "、".join(column.labels) or _KIND_NAMES.get(column.kind, "文字")
        required = ("必填（不纳入安置范围的不填）" if column.in_scope_only else "必填") if column.required else "选填"
        sheet.append([column.header, required, column.description, allowed, "、".join(column.synonyms),
                      "、".join(label for label, _ in column.aliases)])  # fmt: skip
    for letter, width in zip("ABCDEF", (16, 10, 60, 36, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _as_amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _export_value(column: Column, value: Any) -> Any:
    """A stored value as a cell value: labels for drop-downs, real dates and numbers, everything else text."""
    if value is None or value == "":
        return None
    if column.choices:
        label = column.label_of(value)
        if label is not None:
            return label
    elif column.kind == DATE:
        day = _as_date(value)
        if day is not None:
            return day
    elif column.kind in (AMOUNT, YEARS):
        amount = _as_amount(value)
        if amount is not None:
            return amount
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def roster_export(rows: list[dict[str, Any]]) -> bytes:
    """The roster as .xlsx with the template's headers; IDs as text, formula-like text neutralised."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    _format_columns(sheet)
    sheet.freeze_panes = "A2"
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = _REQUIRED if column.required else _BOLD
        cell.fill = _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    styled = {index: _cell_format(column) for index, column in enumerate(COLUMNS) if _cell_format(column)}
    for row in rows:
        values: list[Any] = [_export_value(column, row.get(column.key)) for column in COLUMNS]
        for index, number_format in styled.items():
            value = values[index]
            if value is not None and (number_format == "@") == isinstance(value, str):
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = number_format
                values[index] = cell
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell_format(column: Column) -> str | None:
    if column.kind in (ID, CODE):
        return "@"
    if column.kind == DATE:
        return DATE_FORMAT
    if column.kind == AMOUNT:
        return AMOUNT_FORMAT
    if column.kind == YEARS:
        return YEARS_FORMAT
    return None
