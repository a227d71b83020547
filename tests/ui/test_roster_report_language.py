"""The roster report (the check before the import) in the reader's language: each column named once and
by its label from the roster's columns, every explanation said in English on the English page, the
file-level refusals (a ZIP bomb among them) too; and its "Row" column readable at both widths."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from tests import flow
from tests.approvals.hostile import lying_bomb
from tests.ui.forms_support import ORIGIN, block, page_for
from tests.ui.test_enterprise_roster_upload import rid, upload

CJK = re.compile(r"[\u4e00-\u9fff]")
# 安置方式 is a header offices use for 安置渠道 (approvals/roster/columns.py): the same column.
HEADER = ["公民身份号码", "姓名", "入企时间", "安置方式", "月平均工资"]
ROWS = [
    [rid(1), "职工1", "2008-03-01", "内部退养", "4500"],  # born 1980: far from retirement, no consent or agreement
    [rid(2), "职工2", "2008-03-01", "随便安置", "4500"],  # no such channel
    [rid(2)[:-1] + ("0" if rid(2)[-1] != "0" else "1"), "职工3", "2008-03-01", "转岗培训", "4500"],  # check character
]


@pytest.fixture
def stash(app, tmp_path: Path):
    before = dict(app.config)
    app.config["UPLOAD_STASH_DIR"] = tmp_path / "uploads"
    yield
    app.config.update(before)


@pytest.fixture
def plan(api, world, complete_content):
    return flow.create(api("clerk"), complete_content(world.steel))


def roster_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([HEADER, *ROWS])
    return out.getvalue().encode("utf-8")


def report(client, plan_id: int, lang: str) -> str:
    client.get(f"/lang/{lang}")
    return client.get(f"/plans/{plan_id}/roster/upload").get_data(as_text=True)


def chips(page: str) -> list[str]:
    """The per-column counts of the report ("安置渠道 × 2"), as shown."""
    found = lxml.html.fromstring(page).xpath("//*[@data-testid='report']//span[contains(@class, 'rounded-pill')]")
    return [" ".join(e.text_content().split()) for e in found]


def issue_rows(page: str) -> list[list[str]]:
    table = lxml.html.fromstring(page).xpath("//table[@data-testid='issues']")[0]
    return [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in table.xpath("tbody/tr")]


def test_each_column_is_counted_once_whatever_the_file_calls_it(browser, plan, stash):
    clerk = browser("clerk")
    upload(clerk, plan["id"], roster_csv(), name="名单.csv")
    page = report(clerk, plan["id"], "zh_CN")
    shown = chips(page)
    columns = Counter(chip.split(" × ")[0] for chip in shown)
    assert columns["安置渠道"] == 1, shown  # the cell under 安置方式 and the rule on channel: one column
    assert "安置渠道 × 2" in shown  # the unknown channel and the internal-retirement window
    assert all(count == 1 for count in columns.values()), shown
    assert {row[1] for row in issue_rows(page)} >= {"安置渠道", "公民身份号码"}


def test_the_english_report_names_columns_and_explains_rows_in_english(browser, plan, stash):
    clerk = browser("clerk")
    upload(clerk, plan["id"], roster_csv(), name="roster.csv")
    page = report(clerk, plan["id"], "en")
    shown = chips(page)
    assert "Placement channels × 2" in shown
    assert not any(CJK.search(chip) for chip in shown), shown
    given = {cell for row in [HEADER, *ROWS] for cell in row}  # the file's own words may be quoted
    for row, column, _value, explanation in issue_rows(page):
        assert not CJK.search(column), column
        said = explanation
        for words in sorted(given, key=len, reverse=True):
            said = said.replace(words, "")
        assert not CJK.search(said), explanation
        assert said.startswith(f"Row {row}") or row == "—", explanation
    explanations = " ".join(row[3] for row in issue_rows(page))
    assert "is not one of the options: " in explanations
    assert "Internal retirement must be applied for by the worker voluntarily." in explanations
    assert "The check character of the resident ID number is wrong" in explanations
    # The same report, read again in Chinese: the messages were kept as patterns, not as English text.
    chinese = " ".join(row[3] for row in issue_rows(report(clerk, plan["id"], "zh_CN")))
    assert "内部退养须本人自愿申请。" in chinese
    assert "公民身份号码校验码错误" in chinese


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("zh_CN", ["文件“bomb.xlsx”内部文件 xl/worksheets/sheet1.xml 解压后的实际大小超过其声明的大小", "已拒绝读取"],
         ["was refused"]),
        ("en", ['The file "bomb.xlsx" was refused: the member xl/worksheets/sheet1.xml inflates to more than its '
                "declared size of 4 KB; it may be a maliciously crafted archive"], ["文件", "解压"]),
    ],
)  # fmt: skip
def test_a_zip_bomb_is_refused_in_the_readers_language(browser, plan, stash, lang, said, not_said):
    clerk = browser("clerk")
    clerk.get(f"/lang/{lang}")
    response = upload(clerk, plan["id"], lying_bomb(1 << 20), name="bomb.xlsx")  # small: never spooled to a file
    assert response.status_code == 422
    error = block(response.get_data(as_text=True), "error-file")
    for words in said:
        assert words in error, error
    for words in not_said:
        assert words not in error, error


def test_the_row_column_keeps_its_header_on_one_line_at_office_and_phone_width(browser, plan, stash, chromium):
    clerk = browser("clerk")
    upload(clerk, plan["id"], roster_csv(), name="roster.csv")
    clerk.get("/lang/en")
    page = page_for(chromium, clerk)
    for width in (1366, 800):  # an office screen, and a narrow window where the explanations crowd the columns
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{ORIGIN}/plans/{plan['id']}/roster/upload")
        header = page.get_by_test_id("issues").locator("thead th").first
        assert header.inner_text() == "Row"
        line = page.evaluate("h => parseFloat(getComputedStyle(h).lineHeight)", header.element_handle())
        box = header.bounding_box()
        assert box is not None
        assert box["height"] < 2 * line + 12, width  # one line and the cell's padding, not a letter per line
    page.set_viewport_size({"width": 390, "height": 844})
    first = page.get_by_test_id("issues").locator("tbody tr").first.locator("td").first
    assert first.get_attribute("data-label") == "Row"  # a phone reads each row as "label value" lines
    label = page.evaluate("c => getComputedStyle(c, '::before').content", first.element_handle())
    assert "Row" in label
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
