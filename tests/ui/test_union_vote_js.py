"""static/js/vote.js in a real browser (Debian's Chromium through Playwright): quorum and result
change as the numbers are typed. The browser's requests are answered by the Flask test client, so
no server runs and the test database is the one the fixtures filled."""

from __future__ import annotations

from approvals.db import utcnow
from approvals.demo import evidence_pdf
from approvals.services.congress_documents import KINDS
from approvals.workdays import local_date
from tests import flow
from tests.ui.forms_support import ORIGIN, page_for


def test_quorum_and_result_follow_the_numbers_as_they_are_typed(browser, api, world, complete_content, chromium):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), plan["id"])
    page = page_for(chromium, browser("union"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/vote")
    quorum, result = page.get_by_test_id("quorum-status"), page.get_by_test_id("result-status")
    assert "请填写应到人数和到会人数" in quorum.inner_text()

    page.fill("#total_members", "120")
    page.fill("#present", "79")  # 79 < 2/3 of 120
    assert "未达到法定人数" in quorum.inner_text()
    assert "至少 80 人" in quorum.inner_text()
    assert "会议无效" in result.inner_text()
    assert "alert-danger" in (quorum.get_attribute("class") or "")

    page.fill("#present", "80")
    assert "达到法定人数" in quorum.inner_text()
    page.fill("#yes", "60")  # 60 is half of 120, not more
    assert "未获通过" in result.inner_text()
    assert "至少须 61 票" in result.inner_text()
    page.fill("#yes", "61")
    assert "表决通过" in result.inner_text()
    # not green yet: the server needs the rest of the record first (the ballots, chair, documents…)
    assert "alert-info" in (result.get_attribute("class") or "")
    page.fill("#no", "10")
    page.fill("#abstain", "9")
    assert "合计 80 票" in page.locator("#cast-status").inner_text()

    page.check("input[value=general_assembly]")
    assert page.locator("#members-label").inner_text() == "全体职工人数"
    assert page.get_by_test_id("members-hint").inner_text() == ""  # 1,200 workers: the body type is the problem

    # The ballots follow rules/congress.ballot_problems as they are typed; an open vote is void.
    ballots = page.get_by_test_id("ballot-status")
    page.fill("#ballots_issued", "81")  # more than the 80 present
    page.fill("#ballots_returned", "80")
    page.fill("#ballots_valid", "79")  # not the 80 votes counted
    assert "不得多于到会人数（80人）" in ballots.inner_text()
    assert "须等于有效票（79张）" in ballots.inner_text()
    page.fill("#ballots_issued", "80")
    page.fill("#ballots_valid", "80")
    assert "票数相符" in ballots.inner_text()
    page.check("input[name=secret_ballot][value=no]")
    assert "本次表决无效" in result.inner_text()
    page.check("input[name=secret_ballot][value=yes]")
    # a 职工大会 for 1,200 workers is refused by the server: no result is foretold, green or not
    assert "系统不会录入" in result.inner_text()
    assert "表决通过" not in result.inner_text()
    page.fill("#chair", "王建国")
    page.fill("#scrutineers", "李秀兰、赵志刚")
    for kind, label in KINDS.items():
        page.set_input_files(f"#{kind}", files=[{"name": f"{label}.pdf", "mimeType": "application/pdf",
                                                 "buffer": evidence_pdf(label)}])  # fmt: skip

    # The server decides: the assembly is refused for an enterprise of 1,200 workers.
    page.fill("#held_on", local_date(utcnow()).isoformat())
    # The live check says it (rules/congress.vote_problems): the vote is not offered, the reason beside the
    # button, and no confirmation is asked for it (the server's own refusal: tests/ui/test_union_vote.py).
    assert "须召开职工代表大会" in page.get_by_test_id("vote-problems").inner_text()
    assert page.locator("form[data-vote] button[type=submit]").is_disabled()
    # the reason beside the button is short: the list stands just above it
    assert page.get_by_test_id("vote-submit-blocked").inner_text() == "尚有1项未填或不符合规则，见上方。"
    page.check("input[value=workers_congress]")
    assert page.locator("form[data-vote] button[type=submit]").is_enabled()
    assert page.get_by_test_id("vote-submit-blocked").is_hidden()
    confirm_and_send(page)
    assert "已录入表决结果：表决通过" in page.content()


def confirm_and_send(page) -> None:
    """Send the vote: the dialog asks first (static/js/confirm.js), and 确定 sends it."""
    page.click("form[data-vote] button[type=submit]")
    with page.expect_navigation():
        page.get_by_test_id("confirm-dialog").get_by_role("button", name="确定").click()


def test_the_membership_rules_show_as_the_numbers_are_typed(browser, api, world, complete_content, chromium):
    """The live check follows rules/congress.vote_problems: a 职工大会 is every worker (企业民主管理规定
    Art 3), a 职工代表大会 under 30 or under 5 % of the workers needs a written explanation (§A.3)."""
    plan = flow.create(api("clerk_small"), complete_content(world.small), title="沙河玻璃职工安置方案")
    flow.submit(api("clerk_small"), plan["id"])
    page = page_for(chromium, browser("union_small"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/vote")
    hint = page.get_by_test_id("members-hint")
    page.check("input[value=general_assembly]")
    page.fill("#total_members", "50")
    assert "须等于企业在册职工人数（60）" in hint.inner_text()
    page.fill("#total_members", "60")
    assert hint.inner_text() == ""
    page.check("input[value=workers_congress]")
    page.fill("#total_members", "29")
    assert "少于 30 人" in hint.inner_text()
    assert "须在下方书面说明原因" in hint.inner_text()
    page.fill("#total_members", "30")
    assert hint.inner_text() == ""


def test_the_english_live_check_counts_rules_in_plural_forms_and_lists_items_with_commas(
    browser, api, world, complete_content, chromium
):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), plan["id"])
    union = browser("union")
    union.get("/lang/en")
    page = page_for(chromium, union)
    page.goto(f"{ORIGIN}/plans/{plan['id']}/vote")
    problems = page.get_by_test_id("vote-problems")
    page.fill("#total_members", "120")
    assert problems.inner_text().startswith("Still to fill in or upload before recording:")
    listed = problems.locator("li").inner_text()
    assert "、" not in listed
    assert "Minutes, Resolution" in listed  # the catalogue's separator between the items
    page.fill("#present", "80")
    page.fill("#yes", "70")
    page.fill("#no", "20")
    page.fill("#abstain", "0")  # 90 votes from 80 present: one rule broken
    assert problems.inner_text().startswith("As entered, the system will refuse the vote (1 rule broken):")
    page.fill("#held_on", "2999-01-01")  # and a session in the future: two
    assert problems.inner_text().startswith("As entered, the system will refuse the vote (2 rules broken):")


def test_the_buttons_reason_is_short_and_counted_as_the_list_above_it_names_each_item(
    browser, api, world, complete_content, chromium
):
    """The problems are listed just above the button (vote-problems): beside the button only how many, with
    English plural forms, not the list again."""
    plan = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), plan["id"])
    union = browser("union")
    union.get("/lang/en")
    page = page_for(chromium, union)
    page.goto(f"{ORIGIN}/plans/{plan['id']}/vote")
    reason, problems = page.get_by_test_id("vote-submit-blocked"), page.get_by_test_id("vote-problems")
    assert page.get_by_test_id("vote-submit").is_disabled()
    assert reason.inner_text().endswith(" items are missing or break a rule: see above.")
    missing = int(reason.inner_text().split()[0])
    assert missing > 1
    assert len(problems.inner_text().split(", ")) == missing  # each item named once, above
    page.fill("#total_members", "120")
    page.fill("#present", "80")
    page.fill("#yes", "61")
    page.fill("#no", "10")
    page.fill("#abstain", "19")  # 90 votes cast by 80 present
    assert reason.inner_text() == "1 item is missing or breaks a rule: see above."  # the one rule broken, listed
    assert "(80)" in problems.inner_text()
    assert "(80)" not in reason.inner_text()
