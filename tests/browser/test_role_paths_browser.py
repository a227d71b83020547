"""Each role's main path end to end in a real browser, through the pages a user would click.

Every test starts from the home page or the task list and follows the "办理" link of its task to
the form. The tests share this module's server but each works on its own demo plan (see
approvals/demo.py, `_demo_plans`), so none depends on another having run:

- plan 4 (steel, returned for revision): the clerk edits a section, saves, answers each reason and resubmits;
- plan 2 (steel, at the congress): the union records the vote;
- plan 3 (steel, at the bureau's review): the reviewer returns it, the clerk answers each reason and
  resubmits, the reviewer reads the answers beside the diff and approves;
- plan 7 (coal, high risk, waiting for the working group): the group is formed and clears it;
- plan 5 (steel, waiting for publication): the clerk publishes; the public notice opens without login;
- the audit trail (read only): the supervisor filters it and exports what is filtered.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import expect

from approvals.db import utcnow
from approvals.demo import evidence_pdf
from approvals.services.congress_documents import KINDS
from approvals.workdays import local_date


def submit(page: Any, control: Any) -> None:
    """Click what sends a form or follows a link, and wait until the page that answers has loaded."""
    with page.expect_navigation():
        control.click()


def confirm_and_submit(page: Any, control: Any) -> None:
    """Click what sends an irreversible step: the dialog names what will happen (static/js/confirm.js);
    its 确定 sends the form, and the page that answers has loaded."""
    control.click()
    dialog = page.get_by_test_id("confirm-dialog")
    assert "撤回" in dialog.inner_text()
    with page.expect_navigation():
        dialog.get_by_role("button", name="确定").click()


def flat(text: str) -> str:
    """A cell's text with its line breaks as the page shows them: an export keeps the reasons' lines."""
    return " ".join(text.split())


def open_task(page: Any, task: str, plan: str) -> None:
    """From the task list, follow the "办理" link of the task `task` on the plan whose title has `plan`."""
    page.goto("/tasks")
    row = page.get_by_test_id("tasks").locator("tbody tr").filter(has_text=task).filter(has_text=plan)
    assert row.count() == 1, f"{task} / {plan}: {page.get_by_test_id('tasks').inner_text()}"
    submit(page, row.get_by_role("link", name="办理"))


def flash(page: Any) -> str:
    """The message the last step left (a dismissible alert at the top of the page)."""
    return page.locator(".alert-dismissible").inner_text().strip()


def test_the_clerk_revises_a_returned_plan_saves_a_section_and_resubmits(page_for):
    page = page_for("clerk")
    home_row = page.locator("tr[data-plan='4']")  # the clerk's plans on the home page
    assert "企业起草" in home_row.inner_text()
    open_task(page, "起草安置方案", "第4批")
    assert re.search(r"/plans/4/draft$", page.url)
    submit(page, page.get_by_test_id("sections").get_by_role("link", name=re.compile("风险评估与应急处置预案")))
    emergency = "成立应急处置小组，设立职工接待窗口，24小时值守；每周向属地人社部门报告一次。"
    page.fill("#emergency_plan", emergency)
    submit(page, page.get_by_test_id("section-form").get_by_role("button", name="保存本部分"))
    assert flash(page) == "已保存“风险评估与应急处置预案”。"
    assert page.locator("#emergency_plan").input_value() == emergency  # saved, shown again from the server
    assert page.get_by_test_id("status").inner_text() == "企业起草"

    # returned with two reasons (approvals/demo.py): each is answered before the plan goes back
    assert "内部退养人员协议未附" in page.get_by_test_id("return-reasons").inner_text()
    submit(page, page.get_by_test_id("resubmit-link"))
    assert re.search(r"/plans/4/resubmit$", page.url)
    page.locator("textarea").nth(0).fill("已补充内部退养人员协议。")
    page.locator("textarea").nth(1).fill("已重新上传批复文件。")
    submit(page, page.get_by_role("button", name="提交答复并重新提交方案"))
    assert re.search(r"/plans/4$", page.url)
    assert "方案已提交（第2版），等待工会录入职工代表大会表决结果。" in flash(page)
    assert page.get_by_test_id("status").inner_text() == "职工代表大会审议"
    page.goto("/")
    assert "职工代表大会审议" in page.locator("tr[data-plan='4']").inner_text()
    assert page.get_by_test_id("tasks").locator("tr", has_text="第4批").count() == 0  # no longer the clerk's task


def test_the_union_records_a_vote_seeing_quorum_and_result_as_it_types(page_for):
    page = page_for("union")
    open_task(page, "职工代表大会审议表决", "第2批")
    assert re.search(r"/plans/2/vote$", page.url)
    quorum, result = page.get_by_test_id("quorum-status"), page.get_by_test_id("result-status")
    # A vote the server would refuse is not offered: the button waits, saying what is missing or wrong.
    expect(page.get_by_test_id("vote-submit")).to_be_disabled()
    expect(page.get_by_test_id("vote-problems")).to_contain_text("录入前还须填写或上传：")
    expect(page.get_by_test_id("vote-submit-blocked")).to_have_text(
        re.compile(r"^尚有\d+项未填或不符合规则，见上方。$")
    )
    page.fill("#held_on", local_date(utcnow()).isoformat())
    page.fill("#total_members", "120")
    page.fill("#present", "70")
    expect(quorum).to_have_text(re.compile("^未达到法定人数"))  # 70 < 2/3 of 120
    page.fill("#present", "96")
    expect(quorum).to_have_text(re.compile("^达到法定人数"))
    page.fill("#yes", "60")
    expect(result).to_have_text(re.compile("^未获通过"))  # half of all 120 members is not enough
    page.fill("#yes", "75")
    page.fill("#no", "15")
    page.fill("#abstain", "6")
    expect(result).to_have_text(re.compile("^表决通过"))
    page.fill("#abstain", "30")  # 75 + 15 + 30 votes cast by 96 present: a rule broken, named beside the button
    expect(page.get_by_test_id("vote-problems")).to_contain_text("系统将不予录入")
    expect(page.get_by_test_id("vote-submit-blocked")).to_have_text("尚有1项未填或不符合规则，见上方。")
    expect(page.get_by_test_id("vote-submit")).to_be_disabled()
    page.fill("#abstain", "6")
    # the record of the session (企业民主管理规定; domain.md §5): ballots, secret ballot, chair, scrutineers, PDFs
    page.fill("#ballots_issued", "96")
    page.fill("#ballots_returned", "96")
    page.fill("#ballots_valid", "96")
    expect(page.get_by_test_id("ballot-status")).to_contain_text("票数相符")
    page.check("input[name=secret_ballot][value=yes]")
    page.fill("#chair", "王建国")
    page.fill("#scrutineers", "李秀兰、赵志刚")
    for kind, label in KINDS.items():
        page.set_input_files(f"#{kind}", files=[{"name": f"{label}.pdf", "mimeType": "application/pdf",
                                                 "buffer": evidence_pdf(label)}])  # fmt: skip
    expect(page.get_by_test_id("vote-submit-blocked")).to_be_hidden()
    confirm_and_submit(page, page.get_by_test_id("vote-form").get_by_role("button", name="录入表决结果"))

    assert flash(page) == "已录入表决结果：表决通过（全体 120 人，到会 96 人，赞成 75 票）。"
    assert page.get_by_test_id("status").inner_text() == "人社部门审核"
    assert page.get_by_test_id("no-vote-open").is_visible()  # the vote is recorded once
    page.goto("/")
    assert page.get_by_test_id("tasks").locator("tr", has_text="第2批").count() == 0


def test_the_reviewer_returns_a_plan_with_reasons_then_approves_it_when_resubmitted(page_for):
    reviewer = page_for("reviewer")
    open_task(reviewer, "人社部门审核", "第3批")
    assert re.search(r"/plans/3/review$", reviewer.url)
    # What the page knows would be refused is not offered, the reason beside it: approving before any roster
    # verification (domain.md §8), sending no decision, returning without reasons.
    expect(reviewer.locator("input[name=decision][value=approve]")).to_be_disabled()
    expect(reviewer.get_by_test_id("approve-blocked")).to_contain_text("名单经人社部门核查")
    button, why = reviewer.get_by_test_id("review-submit"), reviewer.get_by_test_id("review-submit-blocked")
    expect(button).to_be_disabled()
    expect(why).to_have_text("请选择审核结论。")
    reviewer.check("input[name=decision][value=return]")
    expect(button).to_be_disabled()
    expect(why).to_contain_text("退回方案须写明理由")
    assert reviewer.get_by_test_id("confirm-dialog").count() == 0  # never asked to confirm what would be refused

    reviewer.check("input[name=reason_items][value=roster_verified]")
    expect(button).to_be_enabled()
    expect(why).to_be_hidden()
    reviewer.fill("#reasons", "请补充内部退养人员协议。")
    confirm_and_submit(reviewer, reviewer.get_by_role("button", name="提交审核结论"))
    assert re.search(r"/$", reviewer.url)
    assert flash(reviewer) == "方案已退回企业修改，退回理由已通知企业经办人。"
    assert reviewer.get_by_test_id("tasks").locator("tr", has_text="第3批").count() == 0

    clerk = page_for("clerk")  # the plan is back with the clerk, who answers each reason and resubmits it unchanged
    open_task(clerk, "起草安置方案", "第3批")
    assert "请补充内部退养人员协议。" in clerk.get_by_test_id("return-reasons").inner_text()
    submit(clerk, clerk.get_by_test_id("resubmit-link"))
    clerk.locator("textarea").nth(0).fill("名单核查所需材料已备齐。")
    # one answer per reason: the button waits, naming the reason still unanswered (the server refuses it too)
    expect(clerk.get_by_test_id("resubmit-submit")).to_be_disabled()
    expect(clerk.get_by_test_id("resubmit-submit-blocked")).to_have_text("尚未答复：第2条退回理由")
    clerk.locator("textarea").nth(1).fill("已补充内部退养人员协议（附件3）。")
    expect(clerk.get_by_test_id("resubmit-submit-blocked")).to_be_hidden()
    submit(clerk, clerk.get_by_role("button", name="提交答复并重新提交方案"))
    assert re.search(r"/plans/3$", clerk.url)
    assert "本版本已经职工代表大会表决通过，直接报人社部门审核。" in flash(clerk)  # same content: no second vote
    assert clerk.get_by_test_id("status").inner_text() == "人社部门审核"

    open_task(reviewer, "人社部门审核", "第3批")
    answered = reviewer.get_by_test_id("answered-reasons").inner_text()  # the reasons and answers, by the diff
    assert "请补充内部退养人员协议。" in answered
    assert "已补充内部退养人员协议（附件3）。" in answered
    assert reviewer.locator("#answers + #diff").count() == 1
    expect(reviewer.locator("input[name=decision][value=approve]")).to_be_disabled()  # no roster verification yet
    expect(reviewer.get_by_test_id("approve-blocked")).to_contain_text("尚不能审核同意")
    reviewer.goto("/plans/3?tab=roster")
    number = reviewer.locator("td[data-col=id]").first.inner_text().strip()
    reviewer.goto("/plans/3/verifications")  # the bureau's own check that approval needs (domain.md §8)
    reviewer.select_option("#method", "phone_check")
    reviewer.fill("#sample", "电话抽查1人")
    reviewer.fill("#result", "属实")
    reviewer.fill("#workers", number)
    submit(reviewer, reviewer.get_by_test_id("verification-form").get_by_role("button"))
    open_task(reviewer, "人社部门审核", "第3批")
    reviewer.check("input[name=decision][value=approve]")
    confirm_and_submit(reviewer, reviewer.get_by_role("button", name="提交审核结论"))
    assert re.search(r"/$", reviewer.url)
    assert flash(reviewer).startswith("已审核同意。风险评估：")
    assert flash(reviewer).endswith("方案转企业公布。")
    reviewer.goto("/plans/3")
    assert reviewer.get_by_test_id("status").inner_text() == "待公布"


def test_the_working_group_forms_and_clears_the_high_risk_plan(page_for):
    page = page_for("wg")
    open_task(page, "组建联合工作组", "冀南示范煤业")
    assert re.search(r"/plans/7/working-group$", page.url)
    rows = page.get_by_test_id("wg-form").locator("select[name$='-department']")
    departments = [rows.nth(i).input_value() for i in range(rows.count())]
    assert departments == ["人社", "发改", "工信", "财政", "安监", "工会", "集团公司"]  # prefilled, one per department
    for i, department in enumerate(departments):
        page.fill(f"input[name='members-{i}-name']", f"{department}成员{i + 1}")
        page.fill(f"input[name='members-{i}-organisation']", f"河北省{department}部门")
    page.fill("#contact_point", "企业人力资源部（联系人：赵某，0310-5550123）")
    page.fill("#findings", "经实地核查，安置渠道落实，资金来源有据，同意公布实施。")
    page.check("input[name=decision][value=cleared]")
    confirm_and_submit(page, page.get_by_role("button", name="组建工作组"))

    assert re.search(r"/$", page.url)
    assert (
        flash(page)
        == "联合工作组已组建（7名成员，联系点：企业人力资源部（联系人：赵某，0310-5550123））。工作组同意公布实施，方案转企业公布。"
    )
    assert page.get_by_test_id("tasks").locator("tr", has_text="冀南示范煤业").count() == 0
    page.goto("/plans/7")
    assert page.get_by_test_id("status").inner_text() == "待公布"


def test_the_clerk_publishes_with_the_gate_in_view_and_the_notice_opens_without_login(page_for):
    page = page_for("clerk")
    open_task(page, "公布实施方案", "第5批")
    assert re.search(r"/plans/5/publication$", page.url)
    gate = page.get_by_test_id("gate").locator("li")
    met = {gate.nth(i).get_attribute("data-key"): "ok" in (gate.nth(i).get_attribute("class") or "").split()
           for i in range(gate.count())}  # fmt: skip
    assert met == {"plan_complete": True, "funds_secured": True, "congress_passed": True, "bureau_approved": True,
                   "working_group_cleared": True, "published": False, "notice_window_over": False,
                   "objections_closed": True}  # fmt: skip
    confirm_and_submit(page, page.get_by_test_id("publish-form").get_by_role("button", name="公布方案"))

    assert flash(page) == "方案已公布（第 1 版）。各项前提均满足后即可启动实施。"
    assert page.get_by_test_id("status").inner_text() == "已公布"
    assert "ok" in (page.get_by_test_id("gate").locator("li[data-key=published]").get_attribute("class") or "")
    # published today: execution waits for the public notice's window (通知 §五), and the gate says until when
    window = page.get_by_test_id("gate").locator("li[data-key=notice_window_over]")
    assert "ok" not in (window.get_attribute("class") or "").split()
    assert "届满" in window.inner_text()
    link = page.get_by_test_id("public-link").get_attribute("href")
    assert (link or "").startswith("/public/")

    public = page_for(None)  # a worker with the link, not logged in
    response = public.goto(link)
    assert response.status == 200
    assert public.locator("h1").inner_text() == "冀东示范钢铁职工安置方案（第5批）"
    roster = public.get_by_test_id("roster").locator("tbody tr")
    assert roster.count() == 17  # the 17 workers of plan 5
    ids = public.get_by_test_id("roster").locator("td.id-number").all_inner_texts()
    assert all(re.fullmatch(r"1302\d\d\*{8}\d{3}[\dX]", number) for number in ids), ids  # masked
    assert "/login" not in public.url


def test_the_supervisor_filters_the_trail_by_person_and_action_and_exports_exactly_that(page_for):
    page = page_for("supervisor")
    submit(page, page.locator("#nav").get_by_role("link", name="审计记录"))
    everything = int(re.sub(r"\D", "", page.get_by_test_id("trail-count").inner_text()))
    page.fill("#person", "reviewer")
    page.select_option("#action", label="人社部门审核决定")
    submit(page, page.get_by_test_id("trail-filter").get_by_role("button", name="筛选"))
    assert "person=reviewer" in page.url

    rows = page.get_by_test_id("trail").locator("tbody tr")
    shown = [[flat(cell) for cell in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]
    assert len(shown) >= 4, page.url  # the demo's four reviews (plans 4-7), and any a test of this module added
    assert int(re.sub(r"\D", "", page.get_by_test_id("trail-count").inner_text())) == len(shown) < everything
    assert all("reviewer" in row[2] and row[4] == "人社部门审核决定" for row in shown)

    with page.expect_download() as csv_download:
        page.get_by_test_id("export-csv").click()
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    exported = [[flat(cell) for cell in row] for row in csv.reader(io.StringIO(text))]
    assert exported[0][:5] == ["记录编号", "时间", "人员", "角色", "操作"]
    assert exported[1:] == shown

    with page.expect_download() as xlsx_download:
        page.get_by_test_id("export-xlsx").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    cells = [["" if v is None else flat(str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == exported[0]
    assert cells[1:] == shown
