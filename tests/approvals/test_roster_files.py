"""The roster file (domain.md §4): reading uploads, the template and the export.

Pure: no application, no database. Every file is generated here with openpyxl, csv or zipfile.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from approvals.roster.columns import BY_KEY, COLUMNS, REQUIRED, match_header
from approvals.roster.files import FileProblem, RosterFile, parse_row, read_roster
from approvals.roster.workbook import GUIDE_TITLE, SHEET_TITLE, roster_export, roster_template
from approvals.rules.content import CHANNELS
from approvals.rules.resident_id import check_character
from approvals.rules.roster import EXCLUSION_REASONS, HIGH_SKILL_LEVELS, MILITARY_FAMILY_TYPES, MODEL_WORKER_LEVELS

CJK = re.compile(r"[\u4e00-\u9fff]")
HEADERS = ["公民身份号码", "姓名", "入企时间", "安置渠道"]


def resident_id(body: str) -> str:
    """A valid 18-character ID from its 17-digit body."""
    return body + check_character(body)


ID1 = resident_id("13028319700101001")
ID2 = resident_id("13028319750615002")
ID3 = "11010519491231002X"


def xlsx(rows: list[list[Any]], setup: Callable[[Any], None] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if setup:
        setup(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def roster(result: RosterFile | FileProblem) -> RosterFile:
    assert isinstance(result, RosterFile), result
    return result


def refused(result: RosterFile | FileProblem, rule: str) -> FileProblem:
    assert isinstance(result, FileProblem), result
    assert result.rule == rule, result
    assert CJK.search(result.message)
    return result


def rules(result: RosterFile) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.rule) for p in result.problems]


def rewrite(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """The .xlsx with one member's bytes changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            target.writestr(member.filename, change(content) if member.filename == name else content)
    return buffer.getvalue()


# --- columns ----------------------------------------------------------------------------------


def test_required_columns_and_the_codes_the_rules_read():
    assert [c.key for c in REQUIRED] == ["id_number", "name", "hire_date", "channel"]
    assert dict(BY_KEY["channel"].choices) == {label: key for key, label in CHANNELS.items()}
    assert set(HIGH_SKILL_LEVELS) < {value for _, value in BY_KEY["skill_level"].choices}
    assert set(MODEL_WORKER_LEVELS) < {value for _, value in BY_KEY["model_worker"].choices}
    assert set(MILITARY_FAMILY_TYPES) < {value for _, value in BY_KEY["military_family"].choices}
    assert {value for _, value in BY_KEY["excluded_reason"].choices} == EXCLUSION_REASONS
    assert len({c.key for c in COLUMNS}) == len(COLUMNS)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("身份证号", "id_number"),
        (" 身份证号码 ", "id_number"),
        ("公民身份号码", "id_number"),
        ("证件号码", "id_number"),
        ("身份证号(18位)", "id_number"),
        ("身份证号（18位）", "id_number"),
        ("身份证号【必填】", "id_number"),
        ("ID_Number", "id_number"),
        ("ｉｄ＿ｎｕｍｂｅｒ", "id_number"),  # full-width
        ("*姓名", "name"),
        ("姓　　名", "name"),  # full-width spaces used for alignment
        ("职工姓名", "name"),
        ("档案出生日期", "birth_date"),
        ("入职日期", "hire_date"),
        ("参加工作时间", "work_start"),  # the first day of work anywhere, not 入企时间
        ("本单位工作时间", "hire_date"),
        ("首次参加工作时间", "work_start"),
        ("劳动合同类型", "contract_type"),
        ("安置方式", "channel"),
        ("月工资（元）", "monthly_wage"),
        ("是否劳模", "model_worker"),
        ("是否烈军属", "military_family"),
        ("孕期哺乳期", "pregnancy"),
        ("工伤/职业病", "work_injury"),
        ("身份证号\n码", "id_number"),  # a line break inside the header cell
        ("序号", None),
        ("工资条", None),
        ("", None),
    ],
)
def test_header_matching_is_tolerant(header: str, key: str | None):
    assert match_header(header) == key


# --- template round trip ------------------------------------------------------------------------


def test_template_has_headers_drop_downs_text_ids_and_a_guide():
    book = load_workbook(io.BytesIO(roster_template()))
    assert book.sheetnames == [SHEET_TITLE, GUIDE_TITLE]
    sheet = book[SHEET_TITLE]
    assert [cell.value for cell in sheet[1]] == [c.header for c in COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    letters = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    assert sheet.column_dimensions[letters["id_number"]].number_format == "@"
    assert sheet.column_dimensions[letters["id_number"]].width >= 20
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    channel_range = f"{letters['channel']}2:{letters['channel']}50001"
    assert lists[channel_range] == '"' + ",".join(CHANNELS.values()) + '"'
    for key in ("contract_type", "model_worker", "skill_level", "military_family", "pregnancy", "work_injury",
                "retirement_consent", "retirement_agreement", "contact_status"):  # fmt: skip
        assert f"{letters[key]}2:{letters[key]}50001" in lists, key
    guide = [row[0] for row in book[GUIDE_TITLE].iter_rows(values_only=True)]
    assert all(c.header in guide for c in COLUMNS)


def test_the_guide_lists_each_columns_accepted_values_from_the_column_table():
    """The guide sheet, the reader and its errors share one table (approvals/roster/columns.py): the notice's
    words (冀人社发〔2018〕38号 §四, §五) are listed where the reader accepts them."""
    book = load_workbook(io.BytesIO(roster_template()))
    rows = {row[0]: row for row in book[GUIDE_TITLE].iter_rows(values_only=True) if row[0]}
    assert rows["安置渠道"][1] == "必填（不纳入安置范围的不填）"
    assert "公益岗位" in rows["安置渠道"][5].split("、")
    assert "全国" in rows["劳动模范"][5].split("、")
    assert "可联系" in rows["联系状态"][5].split("、")
    assert rows["特殊情形"][3] == "孕期、产期、哺乳期、工伤、职业病、医疗期、无"
    assert "是否领取基本养老金" in rows["领取基本养老金"][4].split("、")


def test_template_filled_in_reads_back():
    book = load_workbook(io.BytesIO(roster_template()))
    sheet = book[SHEET_TITLE]
    position = {c.key: i + 1 for i, c in enumerate(COLUMNS)}
    entries = [
        {"id_number": ID1, "name": "张三", "sex": "男", "birth_date": date(1970, 1, 1), "hire_date": date(1990, 7, 1),
         "work_start": date(1988, 9, 1), "contract_type": "无固定期限", "channel": "企业内部退养", "monthly_wage": 4500.5, "post_category": "工人",
         "spouse_id_number": ID2, "model_worker": "省部级", "skill_level": "技师", "military_family": "无",
         "pregnancy": "否", "work_injury": "是", "retirement_consent": "是", "retirement_agreement": "是",
         "contact_status": "正常", "phone": "13800138000", "remarks": "双职工"},
        {"id_number": ID3, "name": "李四", "hire_date": "2001-03-15", "channel": "依法解除劳动合同",
         "termination_ground": "宣告破产（第四十四条第四项）", "contact_status": "暂时联系不上"},
    ]  # fmt: skip
    for row, entry in enumerate(entries, start=2):
        for key, value in entry.items():
            sheet.cell(row=row, column=position[key], value=value)
    buffer = io.BytesIO()
    book.save(buffer)

    result = roster(read_roster(buffer.getvalue(), "台账.xlsx"))

    assert result.format == "xlsx"
    assert result.sheet == SHEET_TITLE
    assert result.header_row == 1
    assert result.columns == {c.key: c.header for c in COLUMNS}
    assert result.unknown_headers == []
    assert result.problems == []
    first, second = result.rows
    assert first.row_number == 2
    assert first.values == {
        "id_number": ID1, "name": "张三", "sex": "M", "birth_date": date(1970, 1, 1), "hire_date": date(1990, 7, 1),
        "work_start": date(1988, 9, 1), "contract_type": "open_ended", "channel": "internal_retirement", "termination_ground": None,
        "monthly_wage": Decimal("4500.5"), "work_region": None, "post_category": "worker", "special_years": None,
        "spouse_id_number": ID2, "model_worker": "provincial",
        "skill_level": "technician", "military_family": "none", "disability_card": None, "pregnancy": False,
        "work_injury": True, "special_situation": None, "illness_severity": None, "employment_status": None,
        "drawing_pension": None, "retirement_consent": True, "retirement_agreement": True,
        "contact_status": "reachable", "contact_attempts": None, "bureau_filing": None, "excluded_reason": None,
        "justification": None, "phone": "13800138000", "remarks": "双职工",
    }  # fmt: skip
    assert second.row_number == 3
    assert (second.values["id_number"], second.values["hire_date"], second.values["channel"]) == (
        ID3, date(2001, 3, 15), "termination")  # fmt: skip
    assert second.values["contact_status"] == "unreachable"
    assert second.values["termination_ground"] == "bankruptcy"


# --- headers --------------------------------------------------------------------------------------


def test_headers_in_another_order_with_synonyms_and_unknown_columns():
    data = xlsx([
        ["序号", "安置方式", "职工姓名", "所在车间", " 身份证号码 ", "入职日期", "月工资（元）"],
        [1, "内退", "王五", "炼钢车间", ID1, "1995-08-01", "5,200.00"],
    ])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert result.columns == {"channel": "安置方式", "name": "职工姓名", "id_number": "身份证号码",
                              "hire_date": "入职日期", "monthly_wage": "月工资（元）"}  # fmt: skip
    assert result.unknown_headers == ["所在车间"]  # 序号 is recognised as a serial number and ignored
    (row,) = result.rows
    assert row.values["channel"] == "internal_retirement"
    assert row.values["monthly_wage"] == Decimal("5200.00")
    assert row.values["hire_date"] == date(1995, 8, 1)


def test_title_rows_above_the_header_are_skipped():
    def merge_title(sheet: Any) -> None:
        sheet.merge_cells("A1:D1")

    data = xlsx([["某钢铁公司2018年职工实名制台账"], [], ["填报单位：某钢铁公司", None, "填报日期：2018年7月"],
                 HEADERS, [ID1, "张三", "1990-07-01", "转岗培训"]], merge_title)  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert result.header_row == 4
    (row,) = result.rows
    assert row.row_number == 5
    assert row.values["channel"] == "transfer_training"
    assert result.problems == []


def test_a_two_row_header_with_group_titles():
    data = xlsx([["身份证号", "姓名", "入企时间", "安置渠道", "特殊群体", None],
                 [None, None, None, None, "劳动模范", "烈军属"],
                 [ID1, "张三", "1990-07-01", "自主创业", "国家级", "军属"]])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert result.header_row == 2
    assert result.columns["model_worker"] == "劳动模范"
    (row,) = result.rows
    assert (row.values["model_worker"], row.values["military_family"]) == ("national", "soldier")


def test_two_headers_for_one_column_keep_the_canonical_one_with_a_note():
    data = xlsx([["身份证号", "姓名", "入职日期", "入企时间", "安置渠道"],
                 [ID1, "张三", "1980-07-01", "1990-07-01", "自主创业"]])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert result.columns["hire_date"] == "入企时间"
    assert result.rows[0].values["hire_date"] == date(1990, 7, 1)
    assert len(result.notes) == 1
    assert "入职日期" in result.notes[0]


def test_work_start_and_hire_date_are_separate_columns():
    # 劳动合同法第四十七条 counts "在本单位工作的年限" and 第四十二条第五项 "在本单位连续工作满十五年": service
    # at this employer runs from 入企时间; 参加工作时间 (total working years) is another fact, kept apart.
    data = xlsx([["身份证号", "姓名", "参加工作时间", "入企时间", "安置渠道"],
                 [ID1, "张三", "1988-07-01", "1998-03-01", "自主创业"]])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert (result.columns["work_start"], result.columns["hire_date"]) == ("参加工作时间", "入企时间")
    values = result.rows[0].values
    assert (values["work_start"], values["hire_date"]) == (date(1988, 7, 1), date(1998, 3, 1))
    assert result.notes == []
    assert result.unknown_columns == []


def test_a_sheet_with_only_work_start_is_told_it_is_not_the_hire_date():
    data = xlsx([["身份证号", "姓名", "参加工作时间", "安置渠道"], [ID1, "张三", "1988-07-01", "自主创业"]])
    problem = refused(read_roster(data, "x.xlsx"), "missing_required")
    assert problem.missing_required == ("入企时间",)
    assert "“参加工作时间”是首次参加工作的日期，不是入企时间" in problem.message
    assert "劳动合同法第四十七条" in problem.message


def test_missing_required_headers_are_listed_with_the_headers_found():
    data = xlsx([["身份证号", "姓名", "性别", "备注"], [ID1, "张三", "男", ""]])
    problem = refused(read_roster(data, "x.xlsx"), "missing_required")
    assert problem.missing_required == ("入企时间", "安置渠道")
    assert problem.headers_found == ("身份证号", "姓名", "性别", "备注")
    assert "入企时间" in problem.message
    assert "身份证号" in problem.message


def test_wrong_headers_are_refused():
    data = xlsx([["商品", "单价", "数量", "金额"], ["钢材", 4000, 2, 8000]])
    problem = refused(read_roster(data, "订单.xlsx"), "no_header")
    assert "商品" in problem.message
    assert problem.headers_found == ("商品", "单价", "数量", "金额")


# --- CSV ------------------------------------------------------------------------------------------

CSV_ROWS = [HEADERS + ["备注"], [ID1, "王䶮", "1990-07-01", "公益性岗位兜底", "困难职工"],
            [ID3, "张喆", "2001/3/15", "企业转型安置", ""]]  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8-sig", "UTF-8（带 BOM）"), ("utf-8", "UTF-8"), ("gb18030", "GB18030（GBK）"), ("utf-16", "UTF-16")],
)
def test_csv_encodings(encoding: str, name: str):
    result = roster(read_roster(csv_bytes(CSV_ROWS, encoding), "台账.csv"))
    assert (result.format, result.encoding) == ("csv", name)
    assert [row.values["name"] for row in result.rows] == ["王䶮", "张喆"]  # 䶮 is in GB18030, not in GBK
    assert result.rows[1].values["hire_date"] == date(2001, 3, 15)
    assert result.problems == []


def test_gbk_csv_as_saved_by_excel():
    rows = [[cell.replace("䶮", "伟") for cell in row] for row in CSV_ROWS]
    result = roster(read_roster(csv_bytes(rows, "gbk"), "台账.csv"))
    assert result.encoding == "GB18030（GBK）"
    assert [row.values["name"] for row in result.rows] == ["王伟", "张喆"]
    assert result.rows[0].values["channel"] == "public_welfare"


def test_tab_separated_text():
    result = roster(read_roster(csv_bytes(CSV_ROWS, "utf-8", "\t"), "台账.txt"))
    assert [row.values["id_number"] for row in result.rows] == [ID1, ID3]


def test_undecodable_text_is_refused_naming_the_encodings_tried():
    data = "身份证号,姓名,入企时间,安置渠道\n".encode() + b"\x80\x80\xff\xfe\x81,\xff\n"
    problem = refused(read_roster(data, "x.csv"), "encoding")
    assert "UTF-8" in problem.message
    assert "GB18030" in problem.message


def test_csv_keeps_ids_written_as_formulas_or_with_an_apostrophe():
    rows = [HEADERS, [f'="{ID1}"', "张三", "1990-07-01", "自主创业"], [f"'{ID2}", "李四", "1990-07-01", "自主创业"],
            [ID3.lower(), "王五", "1990-07-01", "自主创业"]]  # fmt: skip
    result = roster(read_roster(csv_bytes(rows), "x.csv"))
    assert [row.values["id_number"] for row in result.rows] == [ID1, ID2, ID3]


def test_csv_id_in_scientific_notation_is_refused():
    rows = [HEADERS, ["1.30283E+17", "张三", "1990-07-01", "自主创业"]]
    result = roster(read_roster(csv_bytes(rows), "x.csv"))
    assert rules(result) == [(2, "公民身份号码", "numeric_cell")]
    assert "文本" in result.problems[0].message


# --- values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (date(2018, 7, 26), date(2018, 7, 26)),
        (datetime(2018, 7, 26, 9, 30), date(2018, 7, 26)),
        (43307, date(2018, 7, 26)),  # Excel serial number in a General-formatted cell
        ("43307", date(2018, 7, 26)),
        ("2018-07-26", date(2018, 7, 26)),
        (" 2018-07-26 ", date(2018, 7, 26)),
        ("2018-7-26", date(2018, 7, 26)),
        ("2018/7/26", date(2018, 7, 26)),
        ("2018.7.26", date(2018, 7, 26)),
        ("2018.07.26", date(2018, 7, 26)),
        ("2018年7月26日", date(2018, 7, 26)),
        ("2018 年 7 月 26 日", date(2018, 7, 26)),
        ("２０１８年７月２６日", date(2018, 7, 26)),
        ("2018年7月", date(2018, 7, 1)),
        ("2018-07", date(2018, 7, 1)),
        ("20180726", date(2018, 7, 26)),
        (20180726, date(2018, 7, 26)),
        ("2018-07-26 00:00:00", date(2018, 7, 26)),
    ],
)
def test_dates_in_every_format(cell: Any, expected: date):
    data = xlsx([HEADERS, [ID1, "张三", cell, "自主创业"]])
    result = roster(read_roster(data, "x.xlsx"))
    assert result.problems == []
    assert result.rows[0].values["hire_date"] == expected


@pytest.mark.parametrize("cell", ["明年", "2018-02-30", "2018年13月", "18-7-26", 2018.07, 2018, "2018.1", "1850-01-01"])
def test_unreadable_dates_are_cell_problems(cell: Any):
    data = xlsx([HEADERS, [ID1, "张三", cell, "自主创业"]])
    result = roster(read_roster(data, "x.xlsx"))
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.rule) == (2, "入企时间", "date")
    assert problem.message.startswith("第2行“入企时间”：")
    assert result.rows[0].values["hire_date"] is None


def test_numeric_id_cells():
    data = xlsx([
        HEADERS,
        [130283700101001, "老号", "1990-07-01", "自主创业"],  # 15 digits: exact in a float
        [1.30102197001011e17, "张三", "1990-07-01", "自主创业"],  # what Excel keeps of an 18-digit ID
        [int(ID2), "李四", "1990-07-01", "自主创业"],  # even an exact int is stored as a float
        [ID3, "王五", "1990-07-01", "自主创业"],
        ["1301021970", "赵六", "1990-07-01", "自主创业"],
    ])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert [row.values["id_number"] for row in result.rows] == ["130283700101001", None, None, ID3, None]
    assert rules(result) == [(3, "公民身份号码", "numeric_cell"), (4, "公民身份号码", "numeric_cell"),
                             (6, "公民身份号码", "id_format")]  # fmt: skip
    numeric = result.problems[0]
    assert numeric.value == "1.30102197001011e+17"
    assert "文本" in numeric.message
    assert "15 位" in numeric.message


def test_required_cells_wrong_choices_amounts_and_flags():
    data = xlsx([
        HEADERS + ["月平均工资", "本人同意内退", "劳动模范"],
        [ID1, "", "1990-07-01", "出国", "-100", "也许", "厂级"],
        [ID2, "李四", "1990-07-01", "内部退养", "¥3,500.456", "√", None],
    ])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    first, second = result.rows
    assert [(p.column, p.rule) for p in first.problems] == [
        ("姓名", "required"), ("安置渠道", "choice"), ("月平均工资", "amount"), ("本人同意内退", "choice"),
        ("劳动模范", "choice"),
    ]  # fmt: skip
    assert "企业内部退养、转岗培训" in first.problems[1].message
    assert second.problems == []
    assert second.values["monthly_wage"] == Decimal("3500.46")
    assert second.values["retirement_consent"] is True
    assert second.values["channel"] == "internal_retirement"


def test_empty_rows_and_serial_number_only_rows_are_skipped():
    data = xlsx([["序号", *HEADERS], [1, ID1, "张三", "1990-07-01", "自主创业"], [2], [None], [3, "", " ", None, None],
                 [4, ID2, "李四", "1990-07-01", "自主创业"]])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert [row.row_number for row in result.rows] == [2, 6]


# --- formulas and merged cells --------------------------------------------------------------------


def test_formula_cell_without_a_cached_value():
    data = xlsx([HEADERS + ["备注"], [ID1, "=\"张\"&\"三\"", "1990-07-01", "自主创业", "=1+1"],
                 [ID2, "李四", "1990-07-01", "自主创业", None]])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert rules(result) == [(2, "姓名", "formula_without_value"), (2, "备注", "formula_without_value")]
    assert result.problems[0].message == "第2行“姓名”：单元格含公式且没有计算结果，请粘贴为数值后重新上传。"
    assert result.rows[0].values["name"] is None


def test_formula_cell_with_a_cached_value_is_read():
    data = xlsx([HEADERS, [ID1, "张三", "1990-07-01", '="自主"&"创业"']])
    calculated = rewrite(data, "xl/worksheets/sheet1.xml",
                         lambda xml: xml.replace(b"</f><v></v>", "</f><v>自主创业</v>".encode()).replace(
                             b'<c r="D2">', b'<c r="D2" t="str">'))  # fmt: skip
    result = roster(read_roster(calculated, "x.xlsx"))
    assert result.problems == []
    assert result.rows[0].values["channel"] == "self_employment"


def test_merged_cells_in_the_data_are_reported_for_the_rows_they_hide():
    def merge(sheet: Any) -> None:
        sheet.merge_cells("D2:D3")

    data = xlsx([HEADERS, [ID1, "张三", "1990-07-01", "企业内部退养"], [ID2, "李四", "1990-07-01", None]], merge)
    result = roster(read_roster(data, "x.xlsx"))
    assert result.rows[0].values["channel"] == "internal_retirement"
    assert rules(result) == [(3, "安置渠道", "merged_cell")]
    assert "D2:D3" in result.problems[0].message


# --- files that are not rosters -------------------------------------------------------------------


def test_empty_file():
    refused(read_roster(b"", "台账.xlsx"), "empty_file")


def test_file_over_the_size_limit():
    problem = refused(read_roster(xlsx([HEADERS]), "台账.xlsx", max_bytes=1024), "too_large")
    assert "1 KB" in problem.message


def test_too_many_rows():
    rows = [HEADERS] + [[ID1, "张三", "1990-07-01", "自主创业"]] * 4
    refused(read_roster(xlsx(rows), "x.xlsx", max_rows=3), "too_many_rows")
    refused(read_roster(csv_bytes(rows), "x.csv", max_rows=3), "too_many_rows")
    assert len(roster(read_roster(csv_bytes(rows), "x.csv", max_rows=4)).rows) == 4


def test_empty_sheet():
    refused(read_roster(xlsx([]), "台账.xlsx"), "empty_sheet")
    refused(read_roster(b"\r\n,,,\r\n", "台账.csv"), "empty_sheet")


def test_truncated_xlsx():
    data = xlsx([HEADERS, [ID1, "张三", "1990-07-01", "自主创业"]])
    problem = refused(read_roster(data[: len(data) // 2], "台账.xlsx"), "corrupt")
    assert "损坏" in problem.message


def test_zip_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, ~1.4 MB compressed
                member.write(zeros)
    problem = refused(read_roster(buffer.getvalue(), "台账.xlsx"), "zip_bomb")
    assert "300.0 MB" in problem.message


def test_zip_member_with_a_high_compression_ratio_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(30 << 20))
    problem = refused(read_roster(buffer.getvalue(), "台账.xlsx"), "zip_bomb")
    assert "压缩比" in problem.message


def test_zip_member_larger_than_it_declares_is_refused():
    data = bytearray(xlsx([HEADERS, [ID1, "张三", "1990-07-01", "自主创业"]]))
    directory = data.index(b"PK\x01\x02")  # the central directory entry of the first member
    struct.pack_into("<I", data, directory + 24, 10)  # the first member now claims 10 bytes uncompressed
    refused(read_roster(bytes(data), "台账.xlsx"), "zip_bomb")


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG 图片"),
        (b"%PDF-1.7\n" + bytes(200), "PDF 文档"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Excel 97-2003 工作簿（.xls）"),
        (b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>", "网页（HTML）"),
        (b"\x00\x01\x02\x03binary", "无法识别的二进制文件"),
    ],
)
def test_renamed_files_name_the_format_found(data: bytes, shown: str):
    problem = refused(read_roster(data, "台账.xlsx"), "unsupported_format")
    assert shown in problem.message
    assert "请在 Excel 或 WPS 中打开台账，另存为 .xlsx 或 CSV" in problem.message


def test_password_protected_xlsx():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    refused(read_roster(data, "台账.xlsx"), "encrypted")


def test_word_document_renamed_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    problem = refused(read_roster(buffer.getvalue(), "台账.xlsx"), "unsupported_format")
    assert "Word" in problem.message


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04" + bytes(100), b"PK\x05\x06" + bytes(18), bytes(range(256)) * 4, b"\xef\xbb\xbf", b'"abc\n' * 3],
)
def test_garbage_never_raises(data: bytes):
    assert isinstance(read_roster(data, "x.xlsx"), FileProblem)


# --- export ---------------------------------------------------------------------------------------

STORED = {"id_number": ID1, "name": "=1+1", "hire_date": "1990-07-01", "channel": "termination",
          "monthly_wage": "4500.50", "pregnancy": False, "phone": "+8613800138000",
          "remarks": "@SUM(A1)"}  # fmt: skip


def test_export_neutralises_formula_injection():
    rows = [STORED, {**STORED, "id_number": ID2, "name": "-2+3", "remarks": "\t=cmd|' /C calc'!A0"},
            {**STORED, "id_number": ID3, "name": "+A1", "remarks": "\r=1"}]  # fmt: skip
    data = roster_export(rows)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    sheet = load_workbook(io.BytesIO(data))[SHEET_TITLE]
    header = [cell.value for cell in sheet[1]]
    assert header == [c.header for c in COLUMNS]
    name, remarks, phone = (header.index(BY_KEY[k].header) for k in ("name", "remarks", "phone"))
    body = list(sheet.iter_rows(min_row=2))
    assert [row[name].value for row in body] == ["'=1+1", "'-2+3", "'+A1"]
    assert [row[remarks].value for row in body] == ["'@SUM(A1)", "'\t=cmd|' /C calc'!A0", "'\r=1"]
    assert all(row[name].data_type == "s" for row in body)
    assert body[0][phone].value == "'+8613800138000"
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert calamine[1][name] == "'=1+1"


def test_export_writes_ids_as_text_and_labels_for_choices():
    sheet = load_workbook(io.BytesIO(roster_export([STORED])))[SHEET_TITLE]
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    id_cell = row[header.index("公民身份号码")]
    assert (id_cell.value, id_cell.data_type, id_cell.number_format) == (ID1, "s", "@")
    assert row[header.index("安置渠道")].value == "依法解除劳动合同"
    assert row[header.index("孕期哺乳期")].value == "否"
    assert row[header.index("入企时间")].value == datetime(1990, 7, 1)
    assert row[header.index("月平均工资")].value == 4500.5


def test_export_reads_back_to_the_stored_values():
    result = roster(read_roster(roster_export([STORED]), "导出.xlsx"))
    assert result.problems == []
    values = result.rows[0].values
    assert (values["name"], values["remarks"], values["phone"]) == ("=1+1", "@SUM(A1)", "+8613800138000")
    assert (values["id_number"], values["hire_date"], values["channel"]) == (ID1, date(1990, 7, 1), "termination")
    assert (values["monthly_wage"], values["pregnancy"]) == (Decimal("4500.5"), False)


# --- scale ----------------------------------------------------------------------------------------


def test_fifty_thousand_rows_of_gbk_csv():
    """Not timed (see the report for timings); checks nothing is lost or misnumbered at scale."""
    labels = list(CHANNELS.values())
    rows = [HEADERS + ["月平均工资", "技能等级"]]
    for i in range(50_000):
        rows.append([resident_id(f"1302831970{i % 12 + 1:02d}{i % 28 + 1:02d}{i % 1000:03d}"), f"职工{i}",
                     f"19{80 + i % 20}-{i % 12 + 1}-{i % 28 + 1}", labels[i % 6], f"{3000 + i % 5000}.50", "高级工"])  # fmt: skip
    result = roster(read_roster(csv_bytes(rows, "gbk"), "台账.csv"))
    assert len(result.rows) == 50_000
    assert result.problems == []
    assert result.rows[-1].row_number == 50_001
    assert result.rows[-1].values["name"] == "职工49999"


# --- more of what offices send ----------------------------------------------------------------------


def test_error_values_are_reported_not_read_as_empty():
    data = xlsx([HEADERS, [ID1, "张三", "1990-07-01", "=1/0"]])
    errored = rewrite(data, "xl/worksheets/sheet1.xml",
                      lambda xml: xml.replace(b'<c r="D2"><f>1/0</f><v></v></c>',
                                              b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))  # fmt: skip
    result = roster(read_roster(errored, "x.xlsx"))
    assert rules(result) == [(2, "安置渠道", "error_value")]
    assert "#DIV/0!" in result.problems[0].message


def test_the_roster_sheet_is_found_behind_an_instructions_sheet():
    book = Workbook()
    book.active.append(["说明：请按要求填写"])
    book.create_sheet("台账").append(HEADERS)
    book["台账"].append([ID1, "张三", "1990-07-01", "自主创业"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = roster(read_roster(buffer.getvalue(), "x.xlsx"))
    assert result.sheet == "台账"
    assert len(result.rows) == 1


def test_scope_and_unreachable_columns():
    data = xlsx([
        HEADERS + ["不纳入安置原因", "联系状态", "联系措施", "核查备案编号", "书面说明"],
        [ID1, "张三", "1990-07-01", "自主创业", "已退休", None, None, None, None],
        [ID2, "李四", "1990-07-01", "依法解除劳动合同", None, "联系不上", "数据比对、登报声明", "冀人社备〔2018〕3号",
         "本人书面申请解除"],
    ])  # fmt: skip
    first, second = roster(read_roster(data, "x.xlsx")).rows
    assert first.values["excluded_reason"] == "已领取基本养老金"
    assert second.values["contact_status"] == "unreachable"
    assert second.values["contact_attempts"] == "数据比对、登报声明"
    assert (second.values["bureau_filing"], second.values["justification"]) == (
        "冀人社备〔2018〕3号",
        "本人书面申请解除",
    )


@settings(max_examples=200, deadline=None, database=None)
@given(st.binary(max_size=2048), st.sampled_from([b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"]))
def test_any_bytes_give_an_answer_never_an_exception(data: bytes, prefix: bytes):
    result = read_roster(prefix + data, "x.xlsx")
    assert isinstance(result, RosterFile | FileProblem)
    assert not isinstance(result, FileProblem) or result.rule != "unreadable"  # no internal error was swallowed


SMALL_WORKBOOK = xlsx([HEADERS, [ID1, "张三", "1990-07-01", "自主创业"]])  # once: openpyxl stamps the time


@settings(max_examples=100, deadline=None, database=None)
@given(st.data())
def test_damaged_workbooks_give_an_answer_never_an_exception(data: st.DataObject):
    workbook = bytearray(SMALL_WORKBOOK)
    for _ in range(data.draw(st.integers(1, 8))):
        workbook[data.draw(st.integers(0, len(workbook) - 1))] = data.draw(st.integers(0, 255))
    result = read_roster(bytes(workbook), "x.xlsx")
    assert not isinstance(result, FileProblem) or result.rule != "unreadable"


# --- issue 11 §4: nothing the reader does not understand is dropped silently ---------------------


def test_hr_columns_for_the_rules_facts_are_recognised():
    """The columns HR systems use for 劳动合同法 Art 42 (特殊情形) and Art 44(2) (领取基本养老金) and for the scope of
    冀人社发〔2018〕38号 §二 (劳动关系状态) are read, not reported as unknown."""
    data = xlsx([
        [*HEADERS, "特殊情况", "劳动关系状态", "是否领取基本养老金", "所在车间"],
        [resident_id("13028319800101123"), "李四", "2000-01-01", "依法解除劳动合同", "怀孕", "在岗", "否", "一车间"],
    ])  # fmt: skip
    result = roster(read_roster(data, "x.xlsx"))
    assert {"special_situation": "特殊情况", "employment_status": "劳动关系状态",
            "drawing_pension": "是否领取基本养老金"}.items() <= result.columns.items()  # fmt: skip
    assert result.unknown_columns == [("H", "所在车间")]
    (row,) = result.rows
    assert (row.values["special_situation"], row.values["employment_status"], row.values["drawing_pension"]) == (
        "pregnancy", "on_post", False)  # fmt: skip


def test_unknown_and_headerless_columns_are_listed_with_their_letter():
    data = csv_bytes([
        ["序号", *HEADERS, "所在车间", "", "备用"],
        ["1", resident_id("13028319800101123"), "李四", "2000-01-01", "转岗培训", "一车间", "手写备注", ""],
    ])  # fmt: skip
    result = roster(read_roster(data, "x.csv"))
    assert result.unknown_columns == [("F", "所在车间"), ("G", ""), ("H", "备用")]


@pytest.mark.parametrize(
    ("header", "cell", "key", "value"),
    [
        ("劳动模范", "全国", "model_worker", "national"),  # 冀人社发〔2018〕38号 §五: 全国及省（部）级劳动模范
        ("劳动模范", "省（部）级", "model_worker", "provincial"),
        ("联系状态", "可联系", "contact_status", "reachable"),  # 冀38号 §三
        ("联系状态", "暂时无法联系", "contact_status", "unreachable"),
        ("安置渠道", "公益岗位", "channel", "public_welfare"),  # 冀38号 §四: 开发公益岗位兜底一批
        ("安置渠道", "开发公益岗位兜底", "channel", "public_welfare"),
        ("孕期哺乳期", "Ｙ", "pregnancy", True),  # full width
        ("孕期哺乳期", "N ", "pregnancy", False),  # trailing space
        ("领取基本养老金", " 是 ", "drawing_pension", True),
        ("特殊情形", "工伤", "special_situation", "work_injury"),
        ("特殊情形", "医疗期", "special_situation", "medical_period"),
        ("劳动关系状态", "停薪留职", "employment_status", "unpaid_leave"),
        ("不纳入安置原因", "享受基本养老保险待遇", "excluded_reason", "已领取基本养老金"),  # 冀38号 §二
    ],
)
def test_the_notices_words_and_usual_variants_are_accepted(header, cell, key, value):
    channel = cell if key == "channel" else "转岗培训"
    extra = [] if key == "channel" else [header]
    cells = [] if key == "channel" else [cell]
    data = csv_bytes([[*HEADERS, *extra], [resident_id("13028319800101123"), "李四", "2000-01-01", channel, *cells]])
    (row,) = roster(read_roster(data, "x.csv")).rows
    assert row.problems == []
    assert row.values[key] == value


def test_an_unknown_value_names_row_column_and_the_accepted_values():
    data = csv_bytes(
        [[*HEADERS, "特殊情形"], [resident_id("13028319800101123"), "李四", "2000-01-01", "转岗培训", "出差"]]
    )
    (problem,) = roster(read_roster(data, "x.csv")).problems
    assert (problem.row, problem.column, problem.rule, problem.value) == (2, "特殊情形", "choice", "出差")
    assert problem.message == "第2行“特殊情形”：“出差”不是可选值，可选：孕期、产期、哺乳期、工伤、职业病、医疗期、无。"


@pytest.mark.parametrize(
    ("header", "cell"),
    [("不纳入安置原因", "已领取基本养老金"), ("劳动关系状态", "已解除"), ("领取基本养老金", "是")],
)
def test_an_out_of_scope_worker_needs_no_channel(header, cell):
    """冀人社发〔2018〕38号 §二: workers already terminated or drawing a pension are not placed, so no channel."""
    data = csv_bytes([
        [*HEADERS, header],
        [resident_id("13028319800101123"), "李四", "2000-01-01", "", cell],
        [resident_id("13028319800101124"), "王五", "2000-01-01", "", ""],
    ])  # fmt: skip
    result = roster(read_roster(data, "x.csv"))
    assert rules(result) == [(3, "安置渠道", "required")]


@pytest.mark.parametrize(
    ("cell", "years"),
    [("9", Decimal("9.0")), ("9年", Decimal("9.0")), ("８.５", Decimal("8.5")), (12, Decimal("12.0")),
     (9.25, Decimal("9.3")), ("", None)],
)  # fmt: skip
def test_years_in_a_special_type_post_are_read_as_years(cell: Any, years: Decimal | None) -> None:
    row = parse_row({"id_number": ID1, "name": "张三", "hire_date": "2000-01-01", "channel": "转岗培训",
                     "post_category": "井下", "special_years": cell}, 2)  # fmt: skip
    assert row.problems == []
    assert (row.values["post_category"], row.values["special_years"]) == ("underground", years)


@pytest.mark.parametrize("cell", ["九年", "-1", "71", True])
def test_a_wrong_number_of_years_is_a_row_error_naming_the_column(cell: Any) -> None:
    row = parse_row({"id_number": ID1, "name": "张三", "hire_date": "2000-01-01", "channel": "转岗培训",
                     "special_years": cell}, 5)  # fmt: skip
    [problem] = row.problems
    assert (problem.row, problem.column, problem.rule) == (5, "特殊工种年限", "years")
    assert "年数" in problem.message


@pytest.mark.parametrize(
    ("cell", "post"),
    [("特殊工种", "special_type"), ("井下", "underground"), ("高空作业", "high_altitude"), ("高温", "high_temperature"),
     ("繁重体力劳动", "heavy_labour"), ("有毒有害", "hazardous"), ("病退", "illness"), ("因病提前退休", "illness"),
     ("特殊工种（井下）", "underground"), ("特殊工种·井下", "underground")],
)  # fmt: skip
def test_the_usual_wordings_of_a_post_category_are_read(cell: str, post: str) -> None:
    row = parse_row({"id_number": ID1, "name": "张三", "hire_date": "2000-01-01", "channel": "转岗培训",
                     "post_category": cell}, 2)  # fmt: skip
    assert row.problems == []
    assert row.values["post_category"] == post
