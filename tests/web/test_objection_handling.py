"""Handling a worker's objection (domain.md §8, Public notice): 受理 → 核实 → 答复 → 办结 by the
plan's enterprise, each step in the trail and told to the bureau; the bureau reopens a closed one;
the worker follows it with a receipt code and the last four characters of the ID; and execution
waits for the notice's window and for every objection to be closed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from approvals.actor import public
from approvals.errors import Conflict, Invalid, NotAllowed, NotFound
from approvals.models import AuditEvent, Objection, ObjectionStep
from approvals.rules import receipt
from approvals.services.objections import ObjectionInput, look_up, raise_objection, take_step
from approvals.services.public_notice import notice_of
from approvals.services.publication import start_execution
from notifications.models import Notification
from tests.stages import OBJECTOR_ID, end_notice_window, plan_at

CODE = re.compile(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}")


@pytest.fixture
def raised(session, engine, world):
    """The steel firm's published plan with one objection."""
    plan = plan_at(session, engine, world, "published", firm="steel")
    notice = notice_of(session, plan)
    given = ObjectionInput(name="王某", id_number=OBJECTOR_ID, phone="13812345678", text="本人安置渠道有误。")
    objection = raise_objection(session, actor=public("198.51.100.7"), notice=notice, given=given)
    session.commit()
    return plan, objection


def step(session, world, plan, objection, key, text="", who="clerk"):
    return take_step(session, actor=world.actor(who), plan=plan, objection_id=objection.id, step=key, text=text)


def actions(session, plan) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan.id).order_by(AuditEvent.id)))


def told(session, kind: str = "objection_step") -> list[tuple[str, str]]:
    rows = session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id))
    return [(n.user.username, n.payload["step"]) for n in rows]


def test_the_enterprise_accepts_verifies_replies_and_closes_each_step_in_the_trail_and_told_to_the_bureau(
    session, world, raised
):
    plan, objection = raised
    statuses = []
    for key, text in (("accept", ""), ("verify", "经核对社保缴费记录，属实。"), ("reply", "已将您的安置渠道更正为转岗培训。"),
                      ("close", "")):  # fmt: skip
        statuses.append(step(session, world, plan, objection, key, text).status)
    session.commit()
    assert statuses == ["accepted", "verified", "replied", "closed"]
    assert objection.reply == "已将您的安置渠道更正为转岗培训。"
    assert objection.replied_at is not None
    stored = session.scalars(select(ObjectionStep).where(ObjectionStep.objection_id == objection.id)).all()
    assert [(s.step, s.text, s.user.username) for s in stored] == [
        ("accept", "", "clerk"), ("verify", "经核对社保缴费记录，属实。", "clerk"),
        ("reply", "已将您的安置渠道更正为转岗培训。", "clerk"), ("close", "", "clerk"),
    ]  # fmt: skip
    assert actions(session, plan)[-4:] == ["objection.accept", "objection.verify", "objection.reply", "objection.close"]
    # The bureau that oversees it (the city's and the province's reviewers) hears of each step.
    heard = told(session)
    assert {who for who, _ in heard} == {"reviewer", "province"}
    assert [s for who, s in heard if who == "reviewer"] == ["accept", "verify", "reply", "close"]


@pytest.mark.parametrize(("key", "status"), [("verify", "待受理"), ("reply", "待受理"), ("close", "待受理")])
def test_a_step_out_of_order_is_refused_naming_where_the_objection_stands(session, world, raised, key, status):
    plan, objection = raised
    with pytest.raises(Conflict) as refused:
        step(session, world, plan, objection, key, "内容")
    assert refused.value.status == 409
    assert f"该异议当前为“{status}”" in refused.value.message
    session.rollback()
    assert session.get(Objection, objection.id).status == "received"
    assert not session.scalars(select(ObjectionStep)).all()


def test_a_step_taken_twice_is_refused(session, world, raised):
    plan, objection = raised
    step(session, world, plan, objection, "accept")
    with pytest.raises(Conflict, match="不能受理：受理须在“待受理”时办理"):
        step(session, world, plan, objection, "accept")


@pytest.mark.parametrize(("key", "field"), [("verify", "核实情况"), ("reply", "答复内容")])
def test_findings_and_the_reply_cannot_be_blank(session, world, raised, key, field):
    plan, objection = raised
    step(session, world, plan, objection, "accept")
    if key == "reply":
        step(session, world, plan, objection, "verify", "属实。")
    with pytest.raises(Invalid) as refused:
        step(session, world, plan, objection, key, "   ")
    assert refused.value.details == [{"field": "text", "rule": "required", "message": f"{field}未填写。"}]


def test_a_reply_longer_than_the_limit_is_refused_by_name(session, world, raised):
    plan, objection = raised
    step(session, world, plan, objection, "accept")
    step(session, world, plan, objection, "verify", "属实。")
    with pytest.raises(Invalid) as refused:
        step(session, world, plan, objection, "reply", "答" * 2001)
    assert refused.value.details[0]["rule"] == "max_length"
    assert "答复内容不得超过2000个字（现为2001个字）" in refused.value.message


@pytest.mark.parametrize("who", ["union", "reviewer", "clerk_small", "supervisor"])
def test_only_the_plans_enterprise_takes_the_steps(session, world, raised, who):
    plan, objection = raised
    with pytest.raises(NotAllowed, match="须由本方案的企业经办人"):
        step(session, world, plan, objection, "accept", who=who)


def test_the_bureau_reopens_a_closed_objection_back_to_verification_and_the_enterprise_is_told(session, world, raised):
    plan, objection = raised
    for key, text in (("accept", ""), ("verify", "属实。"), ("reply", "已更正。"), ("close", "")):
        step(session, world, plan, objection, key, text)
    with pytest.raises(NotAllowed, match="须由本方案的人社部门审核人办理"):
        step(session, world, plan, objection, "reopen", "答复未说明更正依据。", who="clerk")
    with pytest.raises(Invalid, match="重新办理的理由未填写"):
        step(session, world, plan, objection, "reopen", "", who="reviewer")
    step(session, world, plan, objection, "reopen", "答复未说明更正依据。", who="reviewer")
    session.commit()
    assert objection.status == "accepted"  # back to 核实
    assert actions(session, plan)[-1] == "objection.reopen"
    assert ("clerk", "reopen") in told(session)
    assert "objection.reopen" in [
        e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.actor_role == "bureau"))
    ]
    step(session, world, plan, objection, "verify", "补充核实：有劳动合同为证。")
    assert objection.status == "verified"


def test_an_open_objection_cannot_be_reopened(session, world, raised):
    plan, objection = raised
    with pytest.raises(Conflict, match="不能重新办理"):
        step(session, world, plan, objection, "reopen", "理由", who="reviewer")


def test_an_objection_of_another_plan_is_not_found(session, engine, world, raised):
    _, objection = raised
    other = plan_at(session, engine, world, "published", firm="steel", seed=2)
    with pytest.raises(NotFound):
        step(session, world, other, objection, "accept")


# --- the receipt code ----------------------------------------------------------------------------------


def test_each_objection_gets_its_own_random_readable_receipt_code(session, world, raised):
    plan, first = raised
    notice = notice_of(session, plan)
    given = ObjectionInput(name="李某", id_number=OBJECTOR_ID, phone="13812345678", text="名单有误。")
    second = raise_objection(session, actor=public("198.51.100.8"), notice=notice, given=given)
    assert CODE.fullmatch(first.receipt_code)
    assert CODE.fullmatch(second.receipt_code)
    assert first.receipt_code != second.receipt_code
    assert str(first.id) not in (first.receipt_code, receipt.shown(first.receipt_code))
    assert re.fullmatch(r"\w{4}-\w{4}-\w{4}", receipt.shown(first.receipt_code))


def test_the_worker_looks_it_up_with_the_code_and_the_last_four_characters_of_the_id(session, world, raised):
    plan, objection = raised
    typed = receipt.shown(objection.receipt_code).lower().replace("-", " ")
    found = look_up(session, typed, OBJECTOR_ID[-4:].lower())
    assert (found.receipt, found.status, found.reply) == (receipt.shown(objection.receipt_code), "received", None)
    assert found.plan_title == plan.title
    for key, text in (("accept", ""), ("verify", "属实。"), ("reply", "已更正为转岗培训。")):
        step(session, world, plan, objection, key, text)
    found = look_up(session, objection.receipt_code, OBJECTOR_ID[-4:])
    assert (found.status, found.reply) == ("replied", "已更正为转岗培训。")


def test_a_wrong_tail_and_a_wrong_code_get_the_same_answer(session, raised):
    _, objection = raised
    tail = OBJECTOR_ID[-4:]
    wrong_tail = tail[:3] + ("0" if tail[3] != "0" else "1")
    other_code = ("2" if objection.receipt_code[0] != "2" else "3") + objection.receipt_code[1:]
    answers = []
    for code, given_tail in ((objection.receipt_code, wrong_tail), (other_code, tail), ("", tail),
                             (objection.receipt_code, ""), ("not a code", tail)):  # fmt: skip
        with pytest.raises(NotFound) as missing:
            look_up(session, code, given_tail)
        answers.append((missing.value.code, missing.value.message))
    assert set(answers) == {("receipt_not_found", "未查到该异议：请核对受理码和身份证号码后4位。")}


# --- execution waits for the notice (the gate's last two conditions) -------------------------------------


def test_execution_waits_for_the_window_then_for_every_objection_to_be_closed(session, world, raised):
    plan, objection = raised
    clerk = world.actor("clerk")
    unmet = start_execution(session, actor=clerk, plan=plan)
    assert [c.key for c in unmet] == ["notice_window_over", "objections_closed"]
    assert unmet[0].reason.startswith("公示期至")
    assert unmet[1].reason == f"尚有1件异议未办结：受理码{receipt.shown(objection.receipt_code)}。"
    end_notice_window(session, plan)
    assert [c.key for c in start_execution(session, actor=clerk, plan=plan)] == ["objections_closed"]
    for key, text in (("accept", ""), ("verify", "属实。"), ("reply", "已更正。"), ("close", "")):
        step(session, world, plan, objection, key, text)
    assert start_execution(session, actor=clerk, plan=plan) == []
    assert plan.status == "executing"


def test_with_the_setting_off_execution_starts_within_the_window_once_objections_are_closed(session, world, raised):
    plan, objection = raised
    clerk = world.actor("clerk")
    assert [c.key for c in start_execution(session, actor=clerk, plan=plan, waits_for_notice=False)] == [
        "objections_closed"
    ]
    for key, text in (("accept", ""), ("verify", "属实。"), ("reply", "已更正。"), ("close", "")):
        step(session, world, plan, objection, key, text)
    assert start_execution(session, actor=clerk, plan=plan) != []  # the statutory default still waits
    assert start_execution(session, actor=clerk, plan=plan, waits_for_notice=False) == []
    assert plan.status == "executing"
