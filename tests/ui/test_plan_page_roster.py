"""The plan page's roster: search, filters and pages in SQL, the warnings that link to them, and
personal data only for the roles that may see it."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import text as sql_text

from app.extensions import db
from approvals.demo import make_resident_id, roster_csv
from approvals.i18n import restored
from approvals.models import RosterWorker
from approvals.rules.resident_id import mask_id
from approvals.services.roster_view import RosterFilter, roster_ids
from tests import flow
from tests.ui.test_plan_page import pane, text

HEADER = ["公民身份号码", "姓名", "入企时间", "安置渠道", "月平均工资", "劳动合同类型", "劳动模范", "孕期哺乳期",
          "配偶身份证号", "联系状态", "联系措施", "核查备案编号", "不纳入安置原因", "书面说明"]  # fmt: skip


def rid(n: int, year: int = 1980, female: bool = False) -> str:
    return make_resident_id("130283", date(year, 1 + n % 12, 1 + n % 28), 2 * n + (0 if female else 1))


# name -> (ID number, the row's cells after ID and name); every rule the filters read, once or twice
PEOPLE = {
    "张一": (rid(1), ["2008-03-01", "转岗培训", "4500", "固定期限", "无", "否", "", "正常", "", "", "", ""]),
    "王二": (rid(2), ["2008-03-01", "转岗培训", "4500", "无固定期限", "省部级", "否", "", "正常", "", "", "", ""]),
    "李三": (rid(3, 1990, True), ["2012-03-01", "转岗培训", "4500", "固定期限", "无", "是", "", "正常", "", "", "", ""]),
    "赵四": (rid(4), ["2008-03-01", "依法解除劳动合同", "4500", "固定期限", "无", "否", rid(5, female=True), "正常", "", "",
                     "", "本人申请"]),
    "赵五": (rid(5, female=True), ["2008-03-01", "依法解除劳动合同", "4500", "固定期限", "无", "否", rid(4), "正常", "",
                                   "", "", "本人申请"]),
    "孙六": (rid(6), ["2008-03-01", "自主创业", "4500", "固定期限", "无", "否", "", "暂时联系不上", "张贴公示、登报声明",
                     "冀人社核备〔2018〕1号", "", ""]),
    "周七": (rid(7, 1960), ["1990-03-01", "企业转型安置", "4500", "固定期限", "无", "否", "", "正常", "", "", "已领取基本养老金",
                     ""]),
    "王八": (rid(8), ["2008-03-01", "自主创业", "4500", "固定期限", "无", "否", "", "暂时联系不上", "张贴公示", "", "", ""]),
}  # fmt: skip


def roster_file(people: dict[str, tuple[str, list[str]]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows([number, name, *rest] for name, (number, rest) in people.items())
    return out.getvalue().encode("gbk")


def upload(client, plan_id: int, data: bytes) -> None:  # type: ignore[no-untyped-def]
    response = client.put(f"/plans/{plan_id}/roster?accept_valid=1", data={"file": (io.BytesIO(data), "名单.csv")},
                          content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 200, response.json
    assert response.json["rejected"] == 0, response.json["errors"]


@pytest.fixture
def plan(api, world):  # type: ignore[no-untyped-def]
    created = flow.create(api("clerk"), {}, title="名单测试方案")
    upload(api("clerk"), created["id"], roster_file(PEOPLE))
    return created


def names(page: str) -> list[str]:
    roster = pane(page, "roster")
    return re.findall(r'data-col="name">(?:<a href="[^"]+">)?([^<]+)(?:</a>)?</td>', roster)


def ids(page: str) -> list[str]:
    return re.findall(r'data-col="id">([^<]+)</td>', pane(page, "roster"))


def test_the_import_stores_the_facts_the_filters_read(plan):
    stored = {w.name: w for w in db.session.query(RosterWorker).filter_by(plan_id=plan["id"])}
    assert {n for n, w in stored.items() if w.protected} == {"王二"}
    assert {n for n, w in stored.items() if w.art42} == {"李三"}
    assert {n for n, w in stored.items() if w.couple} == {"赵四", "赵五"}
    assert {n for n, w in stored.items() if w.unreachable} == {"孙六", "王八"}
    assert {n for n, w in stored.items() if not w.in_scope} == {"周七"}
    # 李三 and 赵五: women without a post category (their retirement age needs it); couple; no filing
    assert {n for n, w in stored.items() if w.has_warnings} == {"李三", "赵四", "赵五", "王八"}
    assert {n for n, w in stored.items() if w.reached_retirement} == {"周七"}  # 60 in 2020 (劳动合同法 Art 44(2))
    assert stored["王二"].contract_type == "open_ended"
    assert stored["张一"].contract_type == "fixed_term"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", list(PEOPLE)),
        ("q=王", ["王二", "王八"]),  # a name's start
        ("q=赵五", ["赵五"]),  # a whole name
        ("q=" + rid(6), ["孙六"]),  # a whole ID number
        ("q=" + rid(5, female=True)[:14].lower(), ["赵五"]),  # the start of one
        ("q=%25", []),  # LIKE wildcards are searched for, not obeyed
        ("channel=termination", ["赵四", "赵五"]),
        ("contract_type=open_ended", ["王二"]),
        ("excluded=1", ["周七"]),
        ("protected=1", ["王二"]),
        ("art42=1", ["李三"]),
        ("couple=1", ["赵四", "赵五"]),
        ("unreachable=1", ["孙六", "王八"]),
        ("warnings=1", ["李三", "赵四", "赵五", "王八"]),
        ("reached_retirement=1", ["周七"]),
        ("unreachable=1&warnings=1", ["王八"]),
        ("channel=self_employment&q=孙", ["孙六"]),
    ],
)
def test_search_and_filters_return_exactly_the_matching_workers(browser, plan, query, expected):
    page = text(browser("clerk").get(f"/plans/{plan['id']}?tab=roster&{query}"))
    assert names(page) == expected
    assert f"符合条件{len(expected)}人，名单共8人" in page


def test_pages_hold_the_configured_number_of_rows_in_import_order(app, api, browser, world, complete_content):
    big = flow.create(api("clerk"), complete_content(world.steel, workers=60))
    size = app.config["PAGE_SIZE"]
    clerk = browser("clerk")
    first = text(clerk.get(f"/plans/{big['id']}?tab=roster"))
    second = text(clerk.get(f"/plans/{big['id']}?tab=roster&page=2"))
    order = [w.name for w in db.session.query(RosterWorker).filter_by(plan_id=big["id"]).order_by(RosterWorker.id)]
    assert names(first) == order[:size]
    assert names(second) == order[size:]
    assert "第 2 / 2 页，共 60 条" in second
    pager = pane(second, "roster")
    assert f'href="/plans/{big["id"]}?tab=roster&page=1"' in pager
    filtered = text(clerk.get(f"/plans/{big['id']}?tab=roster&channel=termination&page=1"))
    assert len(names(filtered)) == 10  # every sixth of 60; one page, no pager
    assert "下一页" not in pane(filtered, "roster")


def test_filters_survive_paging(app, api, browser, world, complete_content, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 4)
    big = flow.create(api("clerk"), complete_content(world.steel, workers=60))
    page = text(browser("clerk").get(f"/plans/{big['id']}?tab=roster&channel=termination"))
    assert len(names(page)) == 4
    assert f'href="/plans/{big["id"]}?tab=roster&channel=termination&page=2"' in pane(page, "roster")


@pytest.mark.parametrize("viewer", ["clerk", "union", "reviewer"])
def test_the_enterprise_its_union_and_the_bureau_see_full_id_numbers(browser, plan, viewer):
    page = text(browser(viewer).get(f"/plans/{plan['id']}?tab=roster"))
    assert ids(page)[0] == rid(1)
    assert ">出生日期</th>" in pane(page, "roster")
    assert names(text(browser(viewer).get(f"/plans/{plan['id']}?tab=roster&q={rid(6)}"))) == ["孙六"]


@pytest.mark.parametrize("viewer", ["supervisor", "admin"])
def test_other_roles_see_names_with_masked_ids_and_cannot_search_by_id(browser, plan, viewer):
    page = text(browser(viewer).get(f"/plans/{plan['id']}?tab=roster"))
    assert ids(page)[0] == mask_id(rid(1))
    roster = pane(page, "roster")
    for number, _rest in PEOPLE.values():
        assert number not in page
        assert number[6:14] not in roster  # no birth date either
    assert ">出生日期</th>" not in roster
    assert "经济补偿（元）" not in roster
    probe = text(browser(viewer).get(f"/plans/{plan['id']}?tab=roster&q={rid(6)[:10]}"))
    assert names(probe) == []
    assert 'data-testid="id-search-refused"' in probe


def test_masked_roles_do_not_see_personal_values_in_the_roster_diff(api, browser, world, complete_content):
    clerk = api("clerk")
    content = complete_content(world.steel)
    rows = content["roster"]
    plan = flow.create(clerk, content)
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    flow.review(api("reviewer"), plan["id"], "return", "核实工资。")
    changed = [r if i != 1 else [*r[:4], "4999", *r[5:]] for i, r in enumerate(rows)]  # a transfer worker's wage
    data = io.BytesIO(roster_csv(changed))
    assert clerk.put(f"/plans/{plan['id']}/roster", data={"file": (data, "名单.csv")},
                     content_type="multipart/form-data").status_code == 200  # fmt: skip
    flow.submit(clerk, plan["id"])
    url = f"/plans/{plan['id']}?tab=revisions&from=1&to=2"
    full = pane(text(browser("reviewer").get(url)), "revisions")
    assert rows[1][0] in full
    assert "4,999.00" in full
    masked = pane(text(browser("supervisor").get(url)), "revisions")
    assert rows[1][0] not in masked
    assert mask_id(rows[1][0]) in masked
    assert "4,999.00" not in masked
    assert "（个人信息，不予显示）" in masked


def test_warnings_count_each_group_and_link_to_the_filtered_roster(browser, plan):
    page = text(browser("reviewer").get(f"/plans/{plan['id']}?tab=warnings"))
    warnings = pane(page, "warnings")
    expected = {"protected": 1, "couple": 2, "unreachable": 2, "art42": 1, "excluded": 1, "warnings": 4,
                "reached_retirement": 1}  # fmt: skip
    for key, count in expected.items():
        row = re.search(rf'<tr data-warning="{key}">(.*?)</tr>', warnings, re.S)
        assert row is not None, key
        assert re.search(rf">{count}</td>", row.group(1)), (key, row.group(1))
        assert f'href="/plans/{plan["id"]}?tab=roster&{key}=1"' in row.group(1)
    assert "其中2人被解除劳动合同。" in warnings  # the couple
    assert "其中1人未记录联系措施或未备案。" in warnings  # 王八


def warning_counts(browser, plan_id: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    warnings = pane(text(browser("reviewer").get(f"/plans/{plan_id}?tab=warnings")), "warnings")
    rows = re.findall(r'<tr data-warning="(\w+)">.*?<td class="text-end text-nowrap">([\d,]+)</td>', warnings, re.S)
    return {key: int(count.replace(",", "")) for key, count in rows}


def test_the_counts_follow_an_edit_of_one_worker(api, browser, plan):
    """The counts are kept in the plan's roster summary: an edit of one worker recounts them."""
    before = warning_counts(browser, plan["id"])
    response = api("clerk").patch(f"/plans/{plan['id']}/roster/{PEOPLE['张一'][0]}",
                                  json={"model_worker": "省部级", "contact_status": "暂时联系不上",
                                        "contact_attempts": "张贴公示", "bureau_filing": "冀人社核备〔2018〕2号"})  # fmt: skip
    assert response.status_code == 200, response.json
    after = warning_counts(browser, plan["id"])
    assert after == {**before, "protected": before["protected"] + 1, "unreachable": before["unreachable"] + 1}
    response = api("clerk").patch(f"/plans/{plan['id']}/roster/{PEOPLE['王八'][0]}",
                                  json={"contact_status": "正常", "contact_attempts": ""})  # fmt: skip
    assert response.status_code == 200, response.json
    assert warning_counts(browser, plan["id"]) == {**after, "unreachable": after["unreachable"] - 1,
                                                   "warnings": after["warnings"] - 1}  # fmt: skip


def test_a_spouse_added_later_makes_both_a_couple(api, world):
    plan = flow.create(api("clerk"), {}, title="双职工方案")
    husband = {"赵四": PEOPLE["赵四"]}
    upload(api("clerk"), plan["id"], roster_file(husband))
    assert not db.session.query(RosterWorker).filter_by(plan_id=plan["id"]).one().couple
    response = api("clerk").put(f"/plans/{plan['id']}/roster", content_type="multipart/form-data",
                                data={"file": (io.BytesIO(roster_file({**husband, "赵五": PEOPLE["赵五"]})), "名单.csv")})  # fmt: skip
    assert (response.json["added"], response.json["updated"]) == (1, 1)  # the husband's row changed with his spouse
    db.session.expire_all()
    assert all(w.couple for w in db.session.query(RosterWorker).filter_by(plan_id=plan["id"]))


@pytest.mark.parametrize(("query", "expected"), [("protected=1", ["王二"]), ("unreachable=1&warnings=1", ["王八"]),
                                                 ("q=王", ["王二", "王八"]), ("q=" + rid(6)[:12], ["孙六"])])  # fmt: skip
def test_the_api_lists_the_roster_through_the_same_filters(api, plan, query, expected):
    body = api("reviewer").get(f"/plans/{plan['id']}/roster?{query}").json
    assert [w["name"] for w in body["items"]] == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize("flag", ["excluded", "protected", "art42", "couple", "unreachable", "warnings",
                                  "reached_retirement"])  # fmt: skip
def test_a_filter_on_one_fact_reads_only_the_workers_with_it(plan, flag):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the planner of a few rows' table is SQLite's here; bench/plan_page.py checks PostgreSQL")
    query = roster_ids(plan["id"], RosterFilter(**{flag: True}), search_ids=True)
    sql = str(query.limit(50).compile(db.engine, compile_kwargs={"literal_binds": True}))
    steps = " | ".join(row[-1] for row in db.session.execute(sql_text("EXPLAIN QUERY PLAN " + sql)))
    assert f"INDEX ix_roster_worker_{flag} " in steps, steps


def test_a_workers_warning_reads_in_the_readers_language_and_the_api_in_chinese(api, browser, plan):
    """A warning is kept as its pattern and values (approvals.i18n.stored), so the English worker page and
    roster tab say it in English; the API keeps saying it in Chinese; a row kept before as Chinese text is
    shown as it was kept."""
    number = PEOPLE["王八"][0]
    worker = db.session.query(RosterWorker).filter_by(plan_id=plan["id"], id_number=number).one()
    chinese = [str(restored(w["message"])) for w in worker.warnings]
    assert chinese
    assert all(isinstance(w["message"], dict) for w in worker.warnings)
    clerk = browser("clerk")
    clerk.get("/lang/en")
    page = text(clerk.get(f"/plans/{plan['id']}/roster/workers/{number}"))
    shown = re.search(r'data-testid="warnings">(.*?)</ul>', page, re.S)
    assert shown is not None
    english = re.sub(r"<[^>]+>", " ", shown.group(1))
    assert "Row 9" in english, english
    assert not re.search(r"[\u4e00-\u9fff]", english.replace("王八", "")), english
    roster = pane(text(clerk.get(f"/plans/{plan['id']}?tab=roster&warnings=1")), "roster")
    assert not [c for c in chinese if c in roster]
    assert "Row 9" in roster
    said = api("clerk").get(f"/plans/{plan['id']}/roster?warnings=1").json["items"]
    assert [w["message"] for item in said if item["id_number"] == number for w in item["warnings"]] == chinese
    worker.warnings = [{**worker.warnings[0], "message": "第9行：以前导入时保存的提示。"}]
    db.session.commit()
    assert "第9行：以前导入时保存的提示。" in text(clerk.get(f"/plans/{plan['id']}/roster/workers/{number}"))
