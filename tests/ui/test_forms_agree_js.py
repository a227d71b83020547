"""Forms that agree with the server, in a real browser (Debian's Chromium through Playwright; the
requests are answered by the Flask test client): the vote form's live check applies every rule the
server's vote validation applies, an irreversible step asks first in a dialog, and a refused objection
brings the person to its error."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from approvals.db import utcnow
from approvals.demo import WG_MEMBERS, evidence_pdf
from approvals.models import CongressVote, PublicNotice, WorkingGroupRecord
from approvals.services.congress_documents import KINDS
from approvals.workdays import local_date
from tests import flow
from tests.ui.forms_support import ORIGIN, page_for
from tests.ui.reviewing import high_risk_plan


def vote_page(chromium, browser, api, world, complete_content, width: int = 1366):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), plan["id"])
    page = page_for(chromium, browser("union"))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{ORIGIN}/plans/{plan['id']}/vote")
    return plan, page


def fill_vote(page, **changes: str) -> None:
    """A passing, consistent vote of 120 representatives (企业民主管理规定; domain.md §5), with `changes`."""
    values = {"held_on": local_date(utcnow()).isoformat(), "total_members": "120", "present": "96", "yes": "75",
              "no": "15", "abstain": "6", "ballots_issued": "96", "ballots_returned": "96", "ballots_valid": "96",
              "chair": "王建国", "scrutineers": "李秀兰、赵志刚"} | changes  # fmt: skip
    for name, value in values.items():
        page.fill(f"#{name}", value)
    page.check("input[name=secret_ballot][value=yes]")
    for kind, label in KINDS.items():
        page.set_input_files(f"#{kind}", files=[{"name": f"{label}.pdf", "mimeType": "application/pdf",
                                                 "buffer": evidence_pdf(label)}])  # fmt: skip


def classes(locator) -> str:
    return locator.get_attribute("class") or ""


def test_the_live_check_never_shows_passed_for_a_vote_the_server_refuses(
    browser, api, world, complete_content, chromium
):
    """yes + no + abstain ≤ present (rules/congress.vote_problems): 80 votes from 79 present pass no vote,
    though 80 yes are more than half of 120; the form says what the server says, and the server agrees."""
    plan, page = vote_page(chromium, browser, api, world, complete_content)
    result, problems = page.get_by_test_id("result-status"), page.get_by_test_id("vote-problems")
    fill_vote(page, present="80", yes="80", no="1", abstain="0", ballots_issued="80", ballots_returned="80",
              ballots_valid="81")  # fmt: skip
    assert "alert-success" not in classes(result)
    assert "表决通过" not in result.inner_text()
    assert "系统不会录入" in result.inner_text()
    assert "赞成、反对、弃权合计（81）不得多于到会人数（80）。" in problems.inner_text()

    # every other rule of the server, each in the server's words
    page.fill("#held_on", (local_date(utcnow()) + timedelta(days=1)).isoformat())
    assert "不得晚于今天" in problems.inner_text()
    page.fill("#held_on", local_date(utcnow()).isoformat())
    page.fill("#total_members", "2000")  # more than the 1,200 workers on roll
    assert "全体职工代表人数（2000）不得多于企业在册职工人数（1200）。" in problems.inner_text()
    page.fill("#total_members", "120")
    page.fill("#present", "130")
    assert "到会人数（130）不得多于全体职工代表人数（120）。" in problems.inner_text()
    quorum = page.get_by_test_id("quorum-status")  # no green quorum for more present than members
    assert "alert-success" not in classes(quorum)
    assert "达到法定人数" not in quorum.inner_text()
    page.fill("#present", "80")
    page.fill("#scrutineers", "李秀兰、李秀兰")
    assert "监票人（计票人）重复填写：李秀兰。" in problems.inner_text()
    page.fill("#scrutineers", "李秀兰、赵志刚")
    page.fill("#yes", "7.5")
    assert "请填写整数" in problems.inner_text()
    page.fill("#yes", "80")
    page.check("input[value=general_assembly]")
    assert "不得以职工大会代替" in problems.inner_text()
    assert "alert-success" not in classes(result)
    page.check("input[value=workers_congress]")

    # the page does not offer it: the button waits, naming the broken rule (static/js/blocked.js)
    assert page.locator("form[data-vote] button[type=submit]").is_disabled()
    assert "赞成、反对、弃权合计（81）不得多于到会人数（80）。" in problems.inner_text()
    assert "见上方" in page.get_by_test_id("vote-submit-blocked").inner_text()
    # sent anyway, confirmed (as without the script), the server refuses it in the same words
    with page.expect_navigation():
        page.evaluate("""() => { const form = document.querySelector("form[data-vote]");
                                 form.querySelector("input[name=confirmed]").checked = true; form.submit(); }""")
    assert "赞成、反对、弃权合计（81）不得多于到会人数（80）" in page.get_by_test_id("error-yes").inner_text()
    assert db.session.query(CongressVote).filter_by(plan_id=plan["id"]).count() == 0

    # consistent numbers: green, and only then
    page.fill("#no", "0")
    page.fill("#ballots_valid", "80")
    assert page.get_by_test_id("vote-problems").is_hidden()
    assert "表决通过" in result.inner_text()
    assert "alert-success" in classes(result)
    page.fill("#chair", "")  # the server needs the chair too: no longer green, and the form says what is missing
    assert "alert-success" not in classes(result)
    assert "会议主持人" in page.get_by_test_id("vote-problems").inner_text()


def test_recording_a_vote_asks_first_then_the_page_states_the_result(browser, api, world, complete_content, chromium):
    plan, page = vote_page(chromium, browser, api, world, complete_content)
    assert page.get_by_test_id("confirm-box").is_hidden()  # the dialog asks instead of the box
    fill_vote(page)
    page.click("form[data-vote] button[type=submit]")
    dialog = page.get_by_test_id("confirm-dialog")
    assert dialog.is_visible()
    assert "不能修改或撤回" in dialog.inner_text()
    assert "方案进入人社部门审核" in dialog.inner_text()
    dialog.get_by_role("button", name="取消").click()
    assert dialog.is_hidden()
    assert db.session.query(CongressVote).filter_by(plan_id=plan["id"]).count() == 0  # nothing sent

    page.click("form[data-vote] button[type=submit]")
    with page.expect_navigation():
        dialog.get_by_role("button", name="确定").click()
    assert db.session.query(CongressVote).filter_by(plan_id=plan["id"]).count() == 1
    stated = page.get_by_test_id("no-vote-open").inner_text()
    assert "已录入表决结果：表决通过" in stated
    assert "全体 120 人，到会 96 人，赞成 75 票" in stated
    assert "方案当前状态：人社部门审核" in stated
    assert "方案提交职工代表大会审议后方可录入" not in page.content()

    # the history table keeps each cell on one line at phone width
    page.set_viewport_size({"width": 390, "height": 844})
    row = page.get_by_test_id("votes").locator("tbody tr").first
    line = page.get_by_test_id("votes").locator("tbody td").first.bounding_box()["height"]
    for cell in row.locator("td").all()[:5]:
        assert cell.bounding_box()["height"] <= line + 1


def test_a_review_decision_asks_first_naming_what_the_decision_does(browser, api, world, complete_content, chromium):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    plan = flow.submit(api("clerk"), plan["id"])["plan"]
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    page = page_for(chromium, browser("reviewer"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/review")
    page.check("input[name=decision][value=return]")
    page.fill("#reasons", "请补充安置资金到位凭证。")
    page.get_by_role("button", name="提交审核结论").click()
    dialog = page.get_by_test_id("confirm-dialog")
    assert "退回修改" in dialog.inner_text()
    assert "退回企业修改" in dialog.inner_text()
    dialog.get_by_role("button", name="取消").click()
    assert flow.plan(api("reviewer"), plan["id"])["status"] == "review"


def test_the_working_groups_decision_asks_first_naming_what_it_does(browser, api, world, complete_content, chromium):
    """The group's decision cannot be undone (issue 12 §6; 冀人社发〔2018〕38号 §六): the dialog names what the
    chosen decision does; 取消 sends nothing, 确定 records it. Forming the group without deciding asks nothing."""
    plan = high_risk_plan(api, world, complete_content)
    page = page_for(chromium, browser("wg"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/working-group")
    assert page.get_by_test_id("confirm-box").is_hidden()  # the dialog asks instead of the box
    for i, member in enumerate(WG_MEMBERS):
        page.fill(f"input[name='members-{i}-name']", member["name"])
        page.fill(f"input[name='members-{i}-organisation']", member["organisation"])
    page.fill("#contact_point", "企业人力资源部")
    page.fill("#findings", "资金缺口未落实。")
    page.check("input[name=decision][value=cleared]")
    page.get_by_role("button", name="组建工作组").click()
    dialog = page.get_by_test_id("confirm-dialog")
    assert dialog.is_visible()
    assert "同意公布实施" in dialog.inner_text()
    assert "方案转企业公布" in dialog.inner_text()
    dialog.get_by_role("button", name="取消").click()
    assert dialog.is_hidden()
    assert db.session.scalars(select(WorkingGroupRecord)).all() == []  # nothing sent

    page.check("input[name=decision][value=revise]")
    page.get_by_role("button", name="组建工作组").click()
    assert "退回企业起草修改" in dialog.inner_text()
    assert "同意公布实施" not in dialog.inner_text()
    with page.expect_navigation():
        dialog.get_by_role("button", name="确定").click()
    assert db.session.scalars(select(WorkingGroupRecord.decision)).one() == "revise"
    assert flow.plan(api("province"), plan["id"])["status"] == "drafting"


def test_forming_the_group_without_a_decision_asks_nothing(browser, api, world, complete_content, chromium):
    plan = high_risk_plan(api, world, complete_content)
    page = page_for(chromium, browser("wg"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/working-group")
    for i, member in enumerate(WG_MEMBERS):
        page.fill(f"input[name='members-{i}-name']", member["name"])
        page.fill(f"input[name='members-{i}-organisation']", member["organisation"])
    page.fill("#contact_point", "企业人力资源部")
    with page.expect_navigation():
        page.get_by_role("button", name="组建工作组").click()
    assert page.get_by_test_id("confirm-dialog").count() == 0
    assert db.session.scalars(select(WorkingGroupRecord.decision)).one() is None


def test_without_the_confirmation_the_server_refuses_the_step(browser, api, world, complete_content):
    """The box is what the server requires: a form sent without it (no script, or a forged request)
    publishes nothing."""
    plan = flow.create(api("clerk"), complete_content(world.steel))
    plan = flow.submit(api("clerk"), plan["id"])["plan"]
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    flow.review(api("reviewer"), plan["id"], "approve")
    clerk = browser("clerk")
    clerk.get(f"/plans/{plan['id']}/publication")
    refused = clerk.post(f"/plans/{plan['id']}/publication")
    assert refused.status_code == 422
    assert "请勾选确认后再提交" in refused.get_data(as_text=True)
    assert db.session.get(PublicNotice, plan["id"]) is None
    assert clerk.post(f"/plans/{plan['id']}/publication", {"confirmed": "yes"}).status_code == 302
    assert db.session.get(PublicNotice, plan["id"]) is not None


def test_a_refused_objection_shows_its_error_where_the_person_is_looking(
    browser, api, world, complete_content, chromium
):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    plan = flow.submit(api("clerk"), plan["id"])["plan"]
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    flow.review(api("reviewer"), plan["id"], "approve")
    flow.publish(api("clerk"), plan["id"])
    token = db.session.get(PublicNotice, plan["id"]).token
    page = page_for(chromium, browser(None))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{ORIGIN}/public/{token}")
    page.fill("#name", "王某")
    page.fill("#id_number", "130283198003150020")  # a wrong check character
    page.fill("#phone", "13812345678")
    page.fill("#text", "名单有误。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交异议").click()
    error = page.get_by_test_id("refusal")
    page.wait_for_function("document.activeElement.id === 'objection-error'", timeout=5000)
    assert "公民身份号码" in error.inner_text()
    top = page.evaluate("document.getElementById('objection-error').getBoundingClientRect().top")
    assert 0 <= top <= 844 - 100  # in view, not left at the top of the page
    assert page.locator("#text").input_value() == "名单有误。"  # nothing lost


def watch(page) -> None:
    """Note in the tab's session storage (it outlives the page) what the upload form shows meanwhile."""
    page.evaluate("""() => {
        const bar = document.querySelector('#upload-status progress');
        const button = document.querySelector('[data-testid=upload-button]');
        const text = document.getElementById('upload-status-text');
        const note = (what) => sessionStorage.setItem('seen', (sessionStorage.getItem('seen') || '') + what + '|');
        new MutationObserver(() => note('bar=' + bar.getAttribute('value'))).observe(bar, {attributes: true});
        new MutationObserver(() => note('disabled=' + button.disabled)).observe(button, {attributes: true});
        new MutationObserver(() => note('status=' + text.textContent)).observe(text, {childList: true}); }""")


def seen(page) -> set[str]:
    return set((page.evaluate("sessionStorage.getItem('seen')") or "").split("|"))


def test_the_upload_button_is_disabled_while_the_file_is_checked_with_progress_for_a_large_file(
    app, browser, api, world, chromium, tmp_path
):
    from approvals.demo import sample_content
    from tests.ui.test_enterprise_roster_upload import csv_file, worker

    app.config["UPLOAD_STASH_DIR"] = tmp_path / "uploads"
    plan = flow.create(api("clerk"), sample_content(world.steel))
    page = page_for(chromium, browser("clerk"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/roster/upload")
    button, status = page.get_by_test_id("upload-button"), page.get_by_test_id("upload-status")
    assert status.is_hidden()

    # a small file: sent by the browser, the button disabled until the report answers
    page.set_input_files("#file", files=[{"name": "职工名单.csv", "mimeType": "text/csv",
                                          "buffer": csv_file([worker(1), worker(2)])}])  # fmt: skip
    watch(page)
    with page.expect_navigation():
        button.click()
    assert "检查报告" in page.content()
    assert {"disabled=true", "status=正在逐行检查名单，请稍候；大文件可能需要一两分钟。"} <= seen(page)

    # a large file (2 MB that is no workbook): sent with a progress bar, the refusal shown as the page
    page.goto(f"{ORIGIN}/plans/{plan['id']}/roster/upload")
    page.set_input_files("#file", files=[{"name": "职工名单.xlsx", "mimeType": "application/octet-stream",
                                          "buffer": b"PK\x03\x04" + b"0" * (2 * 1024 * 1024)}])  # fmt: skip
    page.evaluate("sessionStorage.clear()")
    watch(page)
    page.get_by_test_id("upload-button").click()
    page.get_by_test_id("error-file").wait_for()  # the server's refusal, beside the file field, as the page
    assert {"disabled=true", "bar=0"} <= seen(page)  # disabled while sent and checked; the bar from 0 %
    assert page.get_by_test_id("upload-button").is_enabled()  # the answer: the form again, usable
