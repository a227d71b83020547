"""The union's pages: votes to record on the home page, and the congress vote form."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from typing import Any

import lxml.html
import pytest
import time_machine

from app.extensions import db
from approvals.db import utcnow
from approvals.demo import evidence_pdf
from approvals.models import CongressVote
from approvals.rules.congress import PASSING_SHARE, QUORUM_SHARE
from approvals.services.congress_documents import KINDS
from approvals.workdays import local_date
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import actions, block, field_value, rules

CST = timezone(timedelta(hours=8))
VOTE = {"body_type": "workers_congress", "held_on": local_date(utcnow()).isoformat(), "total_members": "120", "present": "100",
        "yes": "80", "no": "15", "abstain": "5"}  # fmt: skip


@pytest.fixture
def at_congress(api, world, complete_content) -> dict[str, Any]:
    plan = flow.create(api("clerk"), complete_content(world.steel))
    return flow.submit(api("clerk"), plan["id"])["plan"]


def session_files() -> dict[str, Any]:
    """The three session documents as the form's file inputs send them."""
    return {kind: (io.BytesIO(evidence_pdf(label)), f"{label}.pdf") for kind, label in KINDS.items()}


def vote(client, plan_id: int, *, documents: bool = True, **changes: Any):
    """The form sent with the counts (VOTE, then `changes`), ballots consistent with them unless given,
    the method, chair and scrutineers, and (with `documents`) the three PDFs."""
    page = client.get(f"/plans/{plan_id}/vote").get_data(as_text=True)
    data = VOTE | {"plan_revision_hash": field_value(page, "plan_revision_hash") or ""} | changes
    cast = str(sum(int(data[key]) for key in ("yes", "no", "abstain") if str(data[key]).isdigit()))
    data = {"ballots_issued": data["present"], "ballots_returned": cast, "ballots_valid": cast, "secret_ballot": "yes",
            "chair": "王建国", "scrutineers": "李秀兰、赵志刚", "confirmed": "yes"} | data  # fmt: skip
    return client.post(f"/plans/{plan_id}/vote", data | (session_files() if documents else {}))


def recorded(plan_id: int) -> int:
    return db.session.query(CongressVote).filter_by(plan_id=plan_id).count()


def test_the_union_home_lists_the_vote_to_record_and_then_the_recorded_vote(browser, at_congress):
    union = browser("union")
    home = union.get("/").get_data(as_text=True)
    assert at_congress["title"] in block(home, "votes-to-record")
    assert f"/plans/{at_congress['id']}/vote" in home
    vote(union, at_congress["id"])
    after = union.get("/").get_data(as_text=True)
    assert "目前没有需要录入的表决" in block(after, "nothing-to-record")
    past = block(after, "recorded-votes")
    assert at_congress["title"] in past
    assert "表决通过" in past
    assert "120/100" in past
    assert "80/15/5" in past
    assert "union-votes" not in browser("clerk").get("/").get_data(as_text=True)


def test_a_passing_vote_is_recorded_and_the_plan_goes_to_review(browser, at_congress):
    union = browser("union")
    response = vote(union, at_congress["id"])
    assert response.status_code == 302
    page = union.get(response.headers["Location"]).get_data(as_text=True)
    assert "已录入表决结果：表决通过" in page
    assert "表决通过" in block(page, "votes")
    plan = reload(at_congress["id"])
    assert plan.status == "review"
    assert plan.passed_hash == at_congress["content_hash"]
    assert actions(at_congress["id"])[-1] == "congress.vote_recorded"
    assert "没有待录入的表决" in block(page, "no-vote-open")


def test_a_vote_without_quorum_is_recorded_as_invalid_and_the_session_must_be_held_again(browser, at_congress):
    union = browser("union")
    response = vote(union, at_congress["id"], present="70", yes="70", no="0", abstain="0")
    assert "会议无效" in union.get(response.headers["Location"]).get_data(as_text=True)
    assert reload(at_congress["id"]).status == "congress"
    assert recorded(at_congress["id"]) == 1


def test_inconsistent_numbers_are_refused_with_the_field_named_and_the_input_kept(browser, at_congress):
    union = browser("union")
    response = vote(union, at_congress["id"], present="130")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    beside = block(page, "error-present")
    assert "到会人数（130）不得多于全体职工代表人数（120）" in beside
    assert "present_not_above_total" in rules(page, "error-present")  # marked, not shown
    assert "present_not_above_total" not in beside
    assert field_value(page, "present") == "130"
    assert field_value(page, "yes") == "80"
    assert recorded(at_congress["id"]) == 0
    assert reload(at_congress["id"]).status == "congress"


def test_the_refusal_reads_in_english_for_an_english_reader(browser, at_congress):
    union = browser("union")
    union.get("/lang/en")
    response = vote(union, at_congress["id"], present="130")
    assert response.status_code == 422
    beside = block(response.get_data(as_text=True), "error-present")
    assert "Those present (130) may not exceed all workers' representatives (120)." in beside
    assert "到会" not in beside
    assert "present_not_above_total" not in beside


def test_a_general_assembly_is_refused_for_an_enterprise_of_a_thousand(browser, at_congress):
    response = vote(browser("union"), at_congress["id"], body_type="general_assembly")
    assert response.status_code == 422
    beside = block(response.get_data(as_text=True), "error-body_type")
    assert "须召开职工代表大会" in beside
    assert rules(response.get_data(as_text=True), "error-body_type") == ["congress_required"]
    assert recorded(at_congress["id"]) == 0


def test_a_missing_or_non_numeric_count_is_refused_before_the_service(browser, at_congress):
    response = vote(browser("union"), at_congress["id"], yes="", abstain="五")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请填写" in block(page, "error-yes")
    assert rules(page, "error-yes") == ["required"]
    assert rules(page, "error-abstain") == ["integer"]
    assert "required" not in block(page, "error-yes")
    assert field_value(page, "abstain") == "五"
    assert recorded(at_congress["id"]) == 0


def test_a_vote_on_a_revision_that_is_no_longer_current_is_refused(browser, at_congress):
    response = vote(browser("union"), at_congress["id"], plan_revision_hash="0" * 64)
    assert response.status_code == 409
    assert "不是当前版本" in block(response.get_data(as_text=True), "problems")
    assert recorded(at_congress["id"]) == 0


def test_the_form_carries_the_rules_shares_for_the_live_check(browser, at_congress):
    page = browser("union").get(f"/plans/{at_congress['id']}/vote").get_data(as_text=True)
    assert f'data-quorum-num="{QUORUM_SHARE.numerator}" data-quorum-den="{QUORUM_SHARE.denominator}"' in page
    assert f'data-passing-num="{PASSING_SHARE.numerator}" data-passing-den="{PASSING_SHARE.denominator}"' in page
    assert 'src="/static/js/vote.js"' in page
    assert field_value(page, "plan_revision_hash") == at_congress["content_hash"]


def test_a_clerk_may_not_record_a_vote(browser, at_congress):
    clerk = browser("clerk")
    assert clerk.get(f"/plans/{at_congress['id']}/vote").status_code == 403
    clerk.get("/")
    response = clerk.post(
        f"/plans/{at_congress['id']}/vote",
        VOTE | {"plan_revision_hash": at_congress["content_hash"], "confirmed": "yes"},
    )
    assert response.status_code == 403
    assert "录入职工代表大会表决结果须由本方案的工会代表办理" in response.get_data(as_text=True)
    assert recorded(at_congress["id"]) == 0
    assert browser("union_small").get(f"/plans/{at_congress['id']}/vote").status_code == 404


def test_a_vote_without_the_csrf_token_is_refused(browser, at_congress):
    union = browser("union")
    data = VOTE | {"plan_revision_hash": at_congress["content_hash"], "confirmed": "yes"}
    assert union.post(f"/plans/{at_congress['id']}/vote", data, csrf=False).status_code == 400
    assert recorded(at_congress["id"]) == 0


def test_the_vote_deadline_and_the_latest_day_for_the_materials_are_shown(api, browser, world, complete_content):
    with time_machine.travel(datetime(2026, 2, 10, 10, 0, tzinfo=CST), tick=False):
        plan = flow.submit(api("clerk"), flow.create(api("clerk"), complete_content(world.steel))["id"])["plan"]

    def seen_on(*day: int) -> tuple[str, str]:
        """The deadline on the vote form and on the union's home page, that day at 09:00 CST."""
        with time_machine.travel(datetime(*day, 9, 0, tzinfo=CST), tick=False):
            union = browser("union")
            form = block(union.get(f"/plans/{plan['id']}/vote").get_data(as_text=True), "vote-deadline")
            return form, block(union.get("/").get_data(as_text=True), "vote-due")

    # The day the plan reached the congress is not counted (民法典 Art 201): all 15 are left, not 16.
    form, home = seen_on(2026, 2, 10)
    assert "2026-03-09，还剩 15 个工作日" in form
    assert "剩 15 个工作日" in home
    # 15 working days from 2月10日 end on 3月9日; on Monday 3月2日, 2 … 6 and 9 remain; the plan must
    # reach the representatives 7 days before a session held by then: by 3月2日.
    form, home = seen_on(2026, 3, 2)
    assert "2026-03-09，还剩 6 个工作日" in form
    assert "最迟于2026-03-02送达" in form
    assert "2026-03-09" in home
    assert "剩 6 个工作日" in home
    assert "在期限内召开会议已来不及" in seen_on(2026, 3, 4)[0]
    overdue, home = seen_on(2026, 3, 10)
    assert "表决已超期" in overdue
    assert "2026-03-09" in overdue
    assert "已超期" in home


# --- the congress record checks (企业民主管理规定; domain.md §5 and §8) -----------------------------


@pytest.fixture
def small_at_congress(api, world, complete_content) -> dict[str, Any]:
    plan = flow.create(api("clerk_small"), complete_content(world.small), title="沙河玻璃职工安置方案")
    return flow.submit(api("clerk_small"), plan["id"])["plan"]


def test_a_session_dated_tomorrow_is_refused_beside_the_date_in_chinese_and_english(browser, at_congress):
    """domain.md §8 Congress: the meeting date is not in the future (today in China)."""
    tomorrow = (local_date(utcnow()) + timedelta(days=1)).isoformat()
    union = browser("union")
    response = vote(union, at_congress["id"], held_on=tomorrow)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    beside = block(page, "error-held_on")
    assert f"会议日期（{tomorrow}）不得晚于今天" in beside
    assert rules(page, "error-held_on") == ["not_in_future"]
    assert field_value(page, "held_on") == tomorrow
    assert f'max="{local_date(utcnow()).isoformat()}"' in page
    union.get("/lang/en")
    english = block(vote(union, at_congress["id"], held_on=tomorrow).get_data(as_text=True), "error-held_on")
    assert f"The meeting date ({tomorrow}) may not be after today" in english
    assert recorded(at_congress["id"]) == 0


def test_a_session_before_the_submission_is_refused_beside_the_date(browser, at_congress):
    """劳动合同法 Art 4 ¶2; domain.md §8: the congress deliberates the revision put to it, so not before
    the day it was submitted."""
    response = vote(browser("union"), at_congress["id"], held_on="2018-07-26")
    assert response.status_code == 422
    beside = block(response.get_data(as_text=True), "error-held_on")
    assert "不得早于本版方案提交之日" in beside
    assert rules(response.get_data(as_text=True), "error-held_on") == ["not_before_submission"]


def test_an_assembly_of_fewer_than_all_workers_is_refused_beside_the_members(browser, small_at_congress):
    """企业民主管理规定 Art 3: a 职工大会 is all the workers (60 at 沙河玻璃), in Chinese and English."""
    union = browser("union_small")
    assembly = {"body_type": "general_assembly", "total_members": "50", "present": "40", "yes": "30", "no": "5",
                "abstain": "5"}  # fmt: skip
    response = vote(union, small_at_congress["id"], **assembly)
    assert response.status_code == 422
    beside = block(response.get_data(as_text=True), "error-total_members")
    assert "全体职工人数（50）须等于企业在册职工人数（60）" in beside
    assert rules(response.get_data(as_text=True), "error-total_members") == ["assembly_all_workers"]
    union.get("/lang/en")
    english = block(vote(union, small_at_congress["id"], **assembly).get_data(as_text=True), "error-total_members")
    assert "its members (50) must equal the enterprise's workers on roll (60)" in english
    assert recorded(small_at_congress["id"]) == 0


def test_an_undersized_congress_asks_for_the_explanation_and_shows_it_once_given(browser, small_at_congress):
    """企业民主管理规定 (domain-research.md §A.3; 上海市职工代表大会条例 Art 21): fewer than 30 representatives
    needs a written explanation beside its field; given, it is kept and shown on the plan page."""
    union = browser("union_small")
    small = {"total_members": "20", "present": "18", "yes": "15", "no": "2", "abstain": "1"}
    response = vote(union, small_at_congress["id"], **small)
    assert response.status_code == 422
    beside = block(response.get_data(as_text=True), "error-explanation")
    assert "职工代表（20人）少于30人" in beside
    assert 'data-rule="explanation_required"' in response.get_data(as_text=True)
    assert "explanation_required" not in beside  # the rule's key is marked, never shown
    union.get("/lang/en")
    english = block(vote(union, small_at_congress["id"], **small).get_data(as_text=True), "error-explanation")
    assert "a written explanation is required" in english
    union.get("/lang/zh_CN")
    reason = "<b>本企业职工60人</b>，经与工会协商选举代表20人。"
    assert vote(union, small_at_congress["id"], explanation=reason, **small).status_code == 302
    assert db.session.query(CongressVote).filter_by(plan_id=small_at_congress["id"]).one().explanation == reason
    page = union.get(f"/plans/{small_at_congress['id']}?tab=timeline").get_data(as_text=True)
    shown = " ".join(lxml.html.fromstring(page).xpath("//*[@data-part='explanation']")[0].text_content().split())
    assert "<b>本企业职工60人</b>" in shown  # shown as typed: the markup is text, not a tag
    assert "&lt;b&gt;本企业职工60人&lt;/b&gt;" in page  # escaped, never marked safe


def test_the_form_carries_the_membership_rules_for_the_live_check(browser, small_at_congress):
    page = browser("union_small").get(f"/plans/{small_at_congress['id']}/vote").get_data(as_text=True)
    assert 'data-headcount="60" data-assembly-allowed="yes" data-min-representatives="30"' in page
    assert 'data-min-share-num="1" data-min-share-den="20"' in page


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh_CN", {"no": "请填写“反对”。", "ballots_valid": "请填写“有效票”。",
                "minutes": "请上传会议记录（PDF）", "resolution": "请上传会议决议（PDF）", "attendance": "请上传签到表"}),
     ("en", {"no": 'Fill in "Against".', "ballots_valid": 'Fill in "Valid ballots".',
             "minutes": "Upload the Minutes (PDF)", "resolution": "Upload the Resolution (PDF)",
             "attendance": "Upload the Attendance sheet"})],
)  # fmt: skip
def test_each_missing_entry_names_its_field_in_the_readers_language(browser, at_congress, lang, said):
    union = browser("union")
    union.get(f"/lang/{lang}")
    page = vote(union, at_congress["id"], documents=False, no="", ballots_valid="").get_data(as_text=True)
    for name, message in said.items():
        assert message in block(page, f"error-{name}"), name
    errors = [
        " ".join(e.text_content().split())
        for e in lxml.html.fromstring(page).xpath("//*[@class='invalid-feedback d-block']")
    ]
    assert "This field is required." not in " ".join(errors)
    assert len(set(errors)) == len(errors)  # no two fields say the same words
    assert recorded(at_congress["id"]) == 0
