"""The plan page: header and open tasks, content sections, warnings, the gate, revisions with their
diff, the timeline, who may see it, and a fixed number of queries however big the plan."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import event, func, insert, select

from app.extensions import db
from app.web.tasks import TASK_FORMS
from approvals.demo import make_resident_id, roster_csv, sample_roster
from approvals.models import Plan, RosterWorker
from approvals.services.roster import refresh_plan_roster
from tests import flow
from tests.ui.forms_support import block


def text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def pane(page: str, key: str) -> str:
    """The HTML of one tab pane."""
    start = page.index(f'id="pane-{key}"')
    end = page.find('<div class="tab-pane', start + 1)
    return page[start : end if end != -1 else len(page)]


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def steel(api, world, complete_content):  # type: ignore[no-untyped-def]
    """A complete plan of the steel firm with its 20-worker roster, still in drafting."""
    return flow.create(api("clerk"), complete_content(world.steel))


def test_header_shows_title_enterprise_status_revision_hash_and_risk(browser, steel):
    page = text(browser("clerk").get(f"/plans/{steel['id']}"))
    assert "迁安钢铁职工安置方案" in page
    assert "迁安钢铁" in page
    assert "迁安市" in page
    assert re.search(r'data-testid="status">企业起草<', page)
    assert re.search(r'data-testid="revision">尚未提交<', page)
    assert f'title="{steel["content_hash"]}"' in page
    assert steel["content_hash"][:12] + "</code>" in page
    assert "尚未评估" in page


def test_open_tasks_link_to_their_form_only_for_the_role_that_does_them(api, browser, steel, monkeypatch):
    monkeypatch.setitem(TASK_FORMS, "congress_vote", "web.home")  # the vote form, as its module registers it
    flow.submit(api("clerk"), steel["id"])
    union = text(browser("union").get(f"/plans/{steel['id']}"))
    box = union[union.index('data-testid="open-tasks"') :]
    assert 'data-task="congress_vote"' in box
    assert "职工代表大会审议表决" in box
    assert f'href="/?plan_id={steel["id"]}"' in box  # task_url(bpmn_id, plan_id)
    clerk = text(browser("clerk").get(f"/plans/{steel['id']}"))
    box = clerk[clerk.index('data-testid="open-tasks"') :]
    assert "职工代表大会审议表决" in box
    assert "由工会代表办理" in box
    assert f'href="/?plan_id={steel["id"]}"' not in box


def test_content_shows_every_section_with_channels_funding_and_roster_figures(browser, steel):
    page = text(browser("reviewer").get(f"/plans/{steel['id']}"))
    content = pane(page, "content")
    for label in ("企业基本情况", "化解过剩产能任务", "职工基本情况", "安置渠道", "劳动关系处理", "经济补偿",
                  "拖欠工资和社会保险费", "社会保险关系转移接续", "内部退养", "资金保障", "再就业帮扶",
                  "特殊群体照顾", "风险评估与应急处置预案", "实施步骤与时间安排", "听取职工意见情况"):  # fmt: skip
        assert f">{label}</h2>" in content, label
    channels = re.search(r'data-channel="termination">(.*?)</tr>', content, re.S)
    assert channels is not None
    cells = re.findall(r'<td class="text-end">(.*?)</td>', channels.group(1), re.S)
    assert re.sub(r"<[^>]+>", "", cells[0]).strip() == "3"
    assert ">3</a>" in cells[1]
    funding = content[content.index('data-testid="funding-status"') :]
    assert "资金缺口" in funding
    assert "0.00 元" in funding
    assert "✔ 是" in funding
    assert "董事会决议〔2018〕12号" in content  # a source's evidence
    severance = re.search(r'data-testid="severance-summary">(.*?)</p>', content, re.S)
    assert severance is not None
    # 劳动合同法 Art 46, 47: the 3 terminated, 3 self-employed and 3 public-welfare workers all leave (冀38号 §四).
    assert "与本企业解除劳动关系9人" in severance.group(1)
    assert "内部退养4人" in content  # 4 of 20 in internal retirement (every sixth row, from the first)


def test_missing_items_are_listed_by_section_and_in_the_warnings(api, browser):
    plan = flow.create(api("clerk"), {"workforce": {"on_roll": 100, "in_scope": 0}})
    page = text(browser("clerk").get(f"/plans/{plan['id']}?tab=warnings"))
    warnings = pane(page, "warnings")
    listed = block(page, "missing-items")
    assert "职工基本情况：需安置职工数须为正整数。" in listed  # the section named once, as a link
    assert "职工基本情况：职工基本情况" not in listed
    assert 'href="?tab=content#section-workforce"' in warnings
    assert "职工实名制台账：尚未导入职工名单。" in listed
    assert "需安置职工数须为正整数" in pane(text(browser("clerk").get(f"/plans/{plan['id']}")), "content")


def test_the_gate_is_a_checklist_with_the_reason_of_each_failure(api, browser, steel):
    page = text(browser("clerk").get(f"/plans/{steel['id']}?tab=gate"))
    gate = pane(page, "gate")
    assert 'class="tab-pane active" id="pane-gate"' in page
    assert 'id="pane-content"' not in page  # only the tab asked for is rendered
    assert re.search(r'<li class="ok[^"]*" data-condition="plan_complete"', gate)
    assert re.search(r'<li class="ok[^"]*" data-condition="funds_secured"', gate)
    failed = re.search(r'<li class="fail[^"]*" data-condition="congress_passed">(.*?)</li>', gate, re.S)
    assert failed is not None
    assert "当前版本尚未经职工代表大会或职工大会表决通过。" in failed.group(1)
    assert re.search(r'<li class="fail[^"]*" data-condition="published"', gate)
    window = re.search(r'<li class="fail[^"]*" data-condition="notice_window_over">(.*?)</li>', gate, re.S)
    assert window is not None
    assert "方案尚未公布，公示期尚未开始。" in window.group(1)
    assert re.search(r'<li class="ok[^"]*" data-condition="objections_closed"', gate)
    assert "已满足4项，共8项" in page  # complete, funded, not high risk, no objection open


def test_revisions_list_and_diff_show_a_changed_field_and_roster_rows(api, browser, world, complete_content):
    clerk = api("clerk")
    content = complete_content(world.steel)
    rows = content["roster"]
    plan = flow.create(clerk, content)
    first = flow.submit(clerk, plan["id"])["plan"]
    flow.vote(api("union"), plan["id"], first["content_hash"])
    flow.review(api("reviewer"), plan["id"], "return", "请补充转岗岗位。")
    # one transfer worker replaced by another, one renamed: counts and costs unchanged
    removed, renamed = rows[1], rows[2]
    newcomer = [make_resident_id("130283", date(1985, 1, 1), 777), "新职工", "2010-01-15", "转岗培训", "4500",
                "工人", "否", "否"]  # fmt: skip
    changed = [r if r is not renamed else [r[0], "张某三", *r[2:]] for r in rows if r is not removed] + [newcomer]
    upload = clerk.put(f"/plans/{plan['id']}/roster", data={"file": (io.BytesIO(roster_csv(changed)), "名单.csv")},
                       content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 200, upload.json
    measures = {"measures": "提供至少三次岗位推荐；转岗岗位：轧钢、点检。"}
    assert clerk.patch(f"/plans/{plan['id']}", json={"content": {"reemployment": measures}}).status_code == 200
    flow.submit(clerk, plan["id"])

    page = text(browser("reviewer").get(f"/plans/{plan['id']}?tab=revisions&from=1&to=2"))
    revisions = pane(page, "revisions")
    assert 'data-revision="1"' in revisions
    assert 'data-revision="2"' in revisions
    assert "钢铁企业" not in revisions
    assert ">clerk</td>" in revisions
    diff = revisions[revisions.index('data-testid="diff"') :]
    row = re.search(r'<tr data-path="reemployment.measures">(.*?)</tr>', diff, re.S)
    assert row is not None
    assert "再就业帮扶 › 再就业帮扶措施" in row.group(1)
    assert "组织转岗培训" in row.group(1)
    assert "转岗岗位：轧钢、点检。" in row.group(1)
    assert "新增1人，删除1人，修改1人。" in diff
    added = re.search(r'data-roster-change="added">(.*?)</div>', diff, re.S)
    gone = re.search(r'data-roster-change="removed">(.*?)</div>', diff, re.S)
    assert added is not None
    assert newcomer[0] in added.group(1)
    assert "新职工" in added.group(1)
    assert gone is not None
    assert removed[0] in gone.group(1)
    assert removed[1] in gone.group(1)
    changes = diff[diff.index('data-roster-change="changed"') :]
    assert renamed[0] in changes
    assert "姓名" in changes
    assert renamed[1] in changes
    assert "张某三" in changes


def test_a_revision_that_does_not_exist_is_said_so_in_the_tab(api, browser, steel):
    flow.submit(api("clerk"), steel["id"])
    page = text(browser("clerk").get(f"/plans/{steel['id']}?tab=revisions&from=1&to=9"))
    assert "方案第9版不存在。" in pane(page, "revisions")


def test_timeline_names_who_did_what_and_when_in_chinese(api, browser, world, steel):
    world.users["union"].display_name = "钢铁工会王主席"
    db.session.commit()
    flow.submit(api("clerk"), steel["id"])
    flow.vote(api("union"), steel["id"], steel["content_hash"])
    page = text(browser("supervisor").get(f"/plans/{steel['id']}?tab=timeline"))
    timeline = pane(page, "timeline")
    actions = re.findall(r'data-action="([^"]+)"', timeline)
    evidence = ["funding.evidence_added"] * 2  # one file per funding source (tests/flow.create)
    documents = ["congress.document_uploaded"] * 3  # minutes, resolution, attendance sheet (tests/flow.vote)
    assert actions == ["congress.vote_recorded", *documents, "plan.submitted", *evidence, "plan.updated",
                       "roster.imported", "plan.created"]  # fmt: skip
    assert "上传职代会会议材料" in timeline
    assert "签到表（本人签字）：签到表（本人签字）.pdf" in timeline
    vote = timeline[timeline.index('data-action="congress.vote_recorded"') :]
    assert "录入职代会表决结果" in vote
    assert "钢铁工会王主席（工会代表）" in vote
    assert "应到120，实到100，赞成80，反对15，弃权5" in vote
    assert "表决通过" in vote
    assert "导入职工实名制台账" in timeline
    assert "接受20行，拒绝0行" in timeline
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", vote)


def test_a_plan_the_user_may_not_see_is_404_everywhere(browser, steel):
    outsider = browser("clerk_small")
    assert outsider.get(f"/plans/{steel['id']}").status_code == 404
    assert outsider.get(f"/plans/{steel['id']}/process/placement_plan.bpmn").status_code == 404
    assert browser("reviewer_other").get(f"/plans/{steel['id']}?tab=roster").status_code == 404
    assert browser("clerk").get("/plans/999999").status_code == 404
    assert browser(None).get(f"/plans/{steel['id']}").status_code == 302  # to the login page


def test_each_tab_issues_the_same_few_queries_however_big_the_plan(api, browser, world, complete_content):
    small = flow.create(api("clerk"), complete_content(world.steel, workers=12, seed=3), title="小方案")
    big = flow.create(api("clerk"), complete_content(world.steel, workers=120, seed=4), title="大方案")
    for n in range(3):  # a longer trail too
        assert api("clerk").patch(f"/plans/{big['id']}", json={"title": f"大方案{n}"}).status_code == 200
    reviewer = browser("reviewer")
    counts: dict[str, list[int]] = {}
    for plan in (small, big):
        for tab in ("content", "roster", "warnings", "gate", "revisions", "diagram", "timeline"):
            db.session.remove()  # as between two requests: nothing cached in the session
            with counted() as statements:
                text(reviewer.get(f"/plans/{plan['id']}?tab={tab}"))
            counts.setdefault(tab, []).append(len(statements))
    assert all(small == big for small, big in counts.values()), counts  # 120 workers page; 12 fit one page
    # the gate reads the public notice and the open objections: two of them on every tab that shows it; the
    # bureau's roster tab also reads, in one query, the other plans that hold the same workers (数据比对); a plan
    # in drafting reads its open return reasons (one query, none at other stages)
    assert max(big for _small, big in counts.values()) <= 12, counts


def test_every_tab_is_there_and_a_link_opens_one(browser, steel):
    page = text(browser("clerk").get(f"/plans/{steel['id']}?tab=timeline"))
    tabs = re.findall(r'data-tab="([a-z]+)"', page)
    assert tabs == ["content", "roster", "warnings", "gate", "revisions", "diagram", "timeline"]
    assert 'class="nav-link active" id="tab-timeline"' in page
    unknown = text(browser("clerk").get(f"/plans/{steel['id']}?tab=nonsense"))
    assert 'class="nav-link active" id="tab-content"' in unknown


def test_amounts_and_counts_follow_the_language(browser, api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel, workers=20))
    clerk = browser("clerk")
    clerk.get("/lang/en")
    page = text(clerk.get(f"/plans/{plan['id']}"))
    assert '<html lang="en">' in page
    funding = pane(page, "content")
    total = re.search(r'data-testid="funding-required">.*?<tfoot>.*?text-nowrap">([\d,.]+)</td>', funding, re.S)
    assert total is not None
    assert "," in total.group(1)
    assert total.group(1).endswith(".00")


def test_the_roster_fixture_is_what_the_content_tests_assume(world):
    rows = sample_roster(world.steel, 20, 1)
    assert sum(r[3] == "依法解除劳动合同" for r in rows) == 3
    assert sum(r[3] == "企业内部退养" for r in rows) == 4


def test_the_plan_page_links_its_documents_objections_and_workers_by_role(api, browser, world, steel):
    clerk = text(browser("clerk").get(f"/plans/{steel['id']}?tab=roster"))
    assert f'href="/plans/{steel["id"]}/documents"' in clerk
    assert f'href="/plans/{steel["id"]}/roster/workers/' in clerk  # the clerk opens a worker
    assert f'href="/plans/{steel["id"]}/remind"' not in clerk
    supervisor = browser("supervisor")
    page = text(supervisor.get(f"/plans/{steel['id']}?tab=roster"))
    assert f'href="/plans/{steel["id"]}/remind"' in page  # open tasks: the supervisor may 催办
    assert "/roster/workers/" not in page  # no personal data for the supervisor: no worker pages either
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == steel["id"])).first()
    assert supervisor.get(f"/plans/{steel['id']}/roster/workers/{worker.id_number}").status_code == 404
    assert browser("union").get(f"/plans/{steel['id']}/roster/workers/{worker.id_number}").status_code == 200


def _grow_roster(plan_id: int, extra: int) -> None:
    """`extra` more workers on the plan, inserted in bulk as copies of its first worker under new ID numbers
    on the rows after the last, and the roster summary recomputed as an import leaves it
    (approvals.services.roster.refresh_plan_roster)."""
    plan = db.session.get(Plan, plan_id)
    first = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan_id).limit(1)).one()
    last = db.session.scalar(select(func.max(RosterWorker.roster_row)).where(RosterWorker.plan_id == plan_id))
    columns = [c.key for c in RosterWorker.__table__.columns if c.key not in ("id", "id_number", "roster_row")]
    template = {key: getattr(first, key) for key in columns}
    db.session.execute(insert(RosterWorker), [
        {**template, "id_number": make_resident_id("130203", date(1970, 1, 1) + timedelta(days=n // 900), n % 900),
         "roster_row": last + 1 + n} for n in range(extra)])  # fmt: skip
    refresh_plan_roster(db.session, plan)
    db.session.commit()


def _unbounded(statements: list[str]) -> list[str]:
    """The statements that read the roster without a bound: no LIMIT, nor a lookup of the page's workers by
    their ids or ID numbers (their rows, the other plans holding them)."""
    bounded = re.compile(r"LIMIT|roster_worker\.id IN \(|roster_worker\.id_number IN \((?!SELECT)")  # any paramstyle
    return [s for s in statements if "FROM roster_worker" in s and not bounded.search(s)]


def test_the_roster_is_not_counted_again_on_each_page(api, browser, world, complete_content):
    """The plan page, its roster tab (whole, one flag, deep page) and the roster API read the totals the roster
    summary keeps (issue 14 §1): a 2,000-worker plan costs the statements a 12-worker plan does, and none of
    them reads the whole roster. A search still counts its matches, over the search's index range. The inbox
    and the plan list read no roster."""
    small = flow.create(api("clerk"), complete_content(world.steel, workers=12, seed=3), title="小方案")
    big = flow.create(api("clerk"), complete_content(world.steel, workers=12, seed=4), title="大方案")
    _grow_roster(big["id"], 2_000)
    reviewer = browser("reviewer")
    queries = ("tab=content", "tab=roster", "tab=roster&unreachable=1", "tab=roster&warnings=1",
               "tab=roster&excluded=1", "tab=warnings", "tab=roster&q=王")  # fmt: skip
    seen: dict[str, list[tuple[int, int]]] = {}
    for plan in (small, big):
        for query in queries:
            db.session.remove()  # as between two requests: nothing cached in the session
            with counted() as statements:
                text(reviewer.get(f"/plans/{plan['id']}?{query}"))
            seen.setdefault(query, []).append((len(statements), len(_unbounded(statements))))
        db.session.remove()
        with counted() as statements:
            response = api("reviewer").get(f"/plans/{plan['id']}/roster?per_page=10")
        assert response.status_code == 200
        seen.setdefault("api", []).append((len(statements), len(_unbounded(statements))))
    assert all(small == big for small, big in seen.values()), seen
    assert all(unbounded == 0 for query, runs in seen.items() if "q=" not in query for _n, unbounded in runs), seen
    assert seen["tab=roster&q=王"][1][1] == 1, seen  # the search's count of its matches, and only that
    db.session.remove()
    with counted() as statements:
        text(reviewer.get(f"/plans/{big['id']}?tab=roster&page=30"))  # a deep page costs what the first does
    assert (len(statements), len(_unbounded(statements))) == seen["tab=roster"][1], seen
    for who, url in (("reviewer", "/"), ("clerk", "/"), ("supervisor", "/plans"), ("clerk", "/plans")):
        db.session.remove()
        with counted() as statements:
            text(browser(who).get(url))  # the inbox and the plan list read no roster at all
        assert not [s for s in statements if "roster_worker" in s], (who, url)
    roster = pane(text(reviewer.get(f"/plans/{big['id']}?tab=roster")), "roster")
    assert "符合条件2,012人，名单共2,012人" in roster  # the totals the page shows, from the summary
    assert "第 1 / 41 页，共 2,012 条" in roster  # the pager: 50 workers a page
    assert db.session.get(Plan, big["id"]).roster_summary["workers"] == 2_012
