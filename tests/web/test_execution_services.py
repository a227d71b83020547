"""The services for leaving workers of a plan in execution (冀人社发〔2018〕38号 §四), through the core
services: who is short of the minimum, employment-difficulty persons, zero-employment households and
self-employment support; each change audited and told to the bureau, nothing recorded by anyone else."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from app.web.audit_summary import summary_text
from approvals.errors import Conflict, Invalid, NotAllowed, NotFound
from approvals.execution.records import record_part
from approvals.execution_services import service_shortfalls
from approvals.execution_services.common import today
from approvals.execution_services.difficulty import (
    confirm_difficulty,
    file_difficulty,
    proposals,
    record_assistance,
)
from approvals.execution_services.households import (
    add_member,
    households,
    proposed_couples,
    record_household,
    record_post,
)
from approvals.execution_services.rules import age_on
from approvals.execution_services.self_employment import record_support
from approvals.execution_services.services import record_service, service_status
from approvals.models import AuditEvent, HouseholdMember, Plan, RosterWorker
from approvals.services.parameters import set_parameter_value
from notifications.models import Notification
from tests.execution_support import steel_in_execution
from tests.stages import plan_at

LEAVING_ROWS = (5, 6, 7, 11, 12, 13, 17, 18, 19)  # sample_roster: self-employment, public welfare, termination


@pytest.fixture
def plan(session, engine, world) -> Plan:
    """The steel firm's plan in execution (20 workers, 9 of them leaving the enterprise)."""
    return steel_in_execution(session, engine, world)


def workers(session, plan) -> list[RosterWorker]:
    return list(session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id)))


def at_row(session, plan, row: int) -> RosterWorker:
    return workers(session, plan)[row - 2]


def serve(session, world, plan, worker, kind="job_recommendation", day=None, who="clerk"):
    return record_service(session, actor=world.actor(who), plan=plan, id_number=worker.id_number, kind=kind,
                          provided_on=day or today(), provider="迁安市公共就业服务中心", result="已面试，待录用通知")  # fmt: skip


def actions(session, plan) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan.id).order_by(AuditEvent.id)))


def test_every_leaving_worker_is_short_until_served_and_the_shortfall_names_row_name_and_amounts(session, world, plan):
    short = service_shortfalls(session, plan.id)
    assert [s.row for s in short] == list(LEAVING_ROWS)
    assert {(s.job_recommendations_short, s.other_services_short) for s in short} == {(3, 1)}
    worker = at_row(session, plan, 5)
    for _ in range(2):
        serve(session, world, plan, worker)
    session.commit()
    first = service_shortfalls(session, plan.id)[0]
    assert (first.row, first.name, first.job_recommendations_short, first.other_services_short) == (
        5,
        worker.name,
        1,
        1,
    )
    serve(session, world, plan, worker)
    serve(session, world, plan, worker, kind="career_guidance")
    session.commit()
    assert 5 not in [s.row for s in service_shortfalls(session, plan.id)]
    assert len(service_status(session, plan)) == len(LEAVING_ROWS)


def test_the_shortfall_is_overdue_after_the_period_set_when_execution_started(session, world, plan):
    """The period is a dated setting (service_period_months, 12 months by default) read on the start day."""
    started = plan.execution_started_at.date()
    (first, *_) = service_shortfalls(session, plan.id)
    assert first.due.year == started.year + 1
    assert not first.overdue
    assert service_shortfalls(session, plan.id, on=first.due + timedelta(days=1))[0].overdue
    set_parameter_value(session, actor=world.actor("admin"), key="service_period_months",
                        effective_from=started - timedelta(days=1), value="3", basis="河北省人社厅通知（测试）")  # fmt: skip
    session.commit()
    assert service_shortfalls(session, plan.id)[0].due < first.due


def test_a_worker_who_keeps_the_relation_is_owed_no_service_and_the_refusal_names_the_row(session, world, plan):
    retiring = at_row(session, plan, 2)  # internal retirement: the labour relation is kept
    with pytest.raises(Invalid) as refused:
        serve(session, world, plan, retiring)
    assert refused.value.code == "not_leaving"
    assert "第2行" in refused.value.message
    assert retiring.name in refused.value.message
    assert "企业内部退养" in refused.value.message


def test_a_service_needs_a_known_kind_a_date_since_publication_a_provider_and_a_result(session, world, plan):
    worker = at_row(session, plan, 5)
    with pytest.raises(Invalid) as refused:
        record_service(session, actor=world.actor("clerk"), plan=plan, id_number=worker.id_number, kind="lunch",
                       provided_on=today() + timedelta(days=1), provider=" ", result="")  # fmt: skip
    fields = {(d["field"], d["rule"]) for d in refused.value.details}
    assert fields == {("kind", "choice"), ("provided_on", "not_future"), ("provider", "required"),
                      ("result", "required")}  # fmt: skip
    with pytest.raises(Invalid) as early:
        serve(session, world, plan, worker, day=plan.published_at.date() - timedelta(days=1))
    assert early.value.details[0]["rule"] == "after_publication"


def test_only_the_enterprise_records_and_only_in_execution(session, engine, world, plan):
    worker = at_row(session, plan, 5)
    for who in ("reviewer", "union", "supervisor"):
        with pytest.raises(NotAllowed):
            serve(session, world, plan, worker, who=who)
    published = plan_at(session, engine, world, "published", firm="steel", seed=3)
    with pytest.raises(Conflict) as refused:
        serve(session, world, published, workers(session, published)[3])
    assert refused.value.code == "execution_not_started"
    with pytest.raises(NotFound):
        record_service(session, actor=world.actor("clerk"), plan=plan, id_number="130283199001011234",
                       kind="job_recommendation", provided_on=today(), provider="x", result="y")  # fmt: skip


def test_each_change_is_in_the_plans_trail_with_its_summary_and_told_to_the_bureau(session, world, plan):
    worker = at_row(session, plan, 5)
    serve(session, world, plan, worker)
    session.commit()
    event = session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id)
                            .order_by(AuditEvent.id.desc())).first()  # fmt: skip
    assert event.action == "execution_service.service_recorded"
    assert event.summary["name"] == worker.name
    assert worker.id_number not in str(event.summary)
    told = session.scalars(select(Notification).where(Notification.kind == "execution_service_recorded")).all()
    assert {n.user.username for n in told} == {"reviewer", "province"}
    assert told[0].payload["worker"] == worker.name
    with current_app.test_request_context(), force_locale("zh_CN"):  # said in a request's language
        text = summary_text(event.action, event.summary)
    assert "岗位推荐" in text
    assert "迁安市公共就业服务中心" in text


def _person_meeting_age(session, plan) -> tuple[RosterWorker, RosterWorker | None]:
    """A leaving worker of “4050” age and one who is not (None when all are)."""
    day = today()
    leaving = [at_row(session, plan, row) for row in LEAVING_ROWS]
    old = [w for w in leaving if age_on(w.birth_date, day) >= (40 if w.sex == "F" else 50)]
    young = [w for w in leaving if w not in old]
    return (old or leaving)[0], (young[0] if young else None)


def test_difficulty_persons_are_proposed_confirmed_filed_and_assisted_one_to_one(session, world, plan):
    old, young = _person_meeting_age(session, plan)
    proposed = proposals(session, plan, [old] + ([young] if young else []))
    if age_on(old.birth_date, today()) >= (40 if old.sex == "F" else 50):
        assert "age" in proposed[old.id_number]
    if young is not None:
        assert "age" not in proposed[young.id_number]
        with pytest.raises(Invalid) as refused:
            confirm_difficulty(session, actor=world.actor("clerk"), plan=plan, id_number=young.id_number,
                               criteria=["age"], note="")  # fmt: skip
        assert refused.value.details[0]["rule"] == "age"
        assert young.name in refused.value.message
    clerk = world.actor("clerk")
    with pytest.raises(Invalid) as no_note:
        confirm_difficulty(session, actor=clerk, plan=plan, id_number=old.id_number, criteria=["long_term_unemployed"],
                           note="")  # fmt: skip
    assert no_note.value.details[0]["field"] == "note"
    with pytest.raises(Conflict):  # filed only once confirmed
        file_difficulty(session, actor=clerk, plan=plan, id_number=old.id_number, filed_on=today(), file_number="1")
    confirm_difficulty(session, actor=clerk, plan=plan, id_number=old.id_number, criteria=["long_term_unemployed"],
                       note="失业登记已满一年（迁安市就业服务中心证明）")  # fmt: skip
    with pytest.raises(Conflict):  # assistance only once filed
        record_assistance(session, actor=clerk, plan=plan, id_number=old.id_number, provided_on=today(),
                          helper="张科长", content="上门了解求职意向", result="推荐两个岗位")  # fmt: skip
    file_difficulty(
        session, actor=clerk, plan=plan, id_number=old.id_number, filed_on=today(), file_number="QA-2026-001"
    )
    record_assistance(session, actor=clerk, plan=plan, id_number=old.id_number, provided_on=today(), helper="张科长",
                      content="上门了解求职意向", result="推荐两个岗位")  # fmt: skip
    session.commit()
    assert actions(session, plan)[-3:] == ["execution_service.difficulty_confirmed", "execution_service.difficulty_filed",
                                           "execution_service.assistance_recorded"]  # fmt: skip


def test_a_zero_employment_household_is_flagged_until_a_member_holds_a_post(session, world, plan):
    clerk = world.actor("clerk")
    a, b = at_row(session, plan, 7), at_row(session, plan, 13)  # both terminated, so both leave
    a.spouse_id_number = b.id_number  # the roster names the spouse
    session.flush()
    assert [(x.id_number, y.id_number) for x, y in proposed_couples(session, plan)] == [(a.id_number, b.id_number)]
    household = record_household(
        session, actor=clerk, plan=plan, members=[(a.id_number, "head"), (b.id_number, "spouse")]
    )
    assert proposed_couples(session, plan) == []
    add_member(
        session,
        actor=clerk,
        plan=plan,
        household_id=household.id,
        name="王小某",
        relation="child",
        sex="M",
        birth_date=date(2012, 5, 1),
        employed=False,
    )  # 14: not of working age
    (view,) = households(session, plan)
    assert view.zero_employment
    # the zero-employment family is now a criterion the data show, and may be confirmed
    assert "zero_employment_family" in proposals(session, plan, [a])[a.id_number]
    with pytest.raises(Invalid) as refused:
        record_household(session, actor=clerk, plan=plan, members=[(a.id_number, "head")])
    assert refused.value.details[0]["rule"] == "one_household"
    assert "第7行" in refused.value.message
    child = session.scalars(select(HouseholdMember).where(HouseholdMember.household_id == household.id,
                                                          HouseholdMember.id_number.is_(None))).one()  # fmt: skip
    with pytest.raises(Invalid) as no_period:
        record_post(session, actor=clerk, plan=plan, member_id=child.id, kind="public_welfare", employer="迁安市城管局",
                    post="保洁", starts_on=today(), ends_on=None)  # fmt: skip
    assert no_period.value.details[0]["rule"] == "period"
    # a worker's post is the placement outcome of the execution record, its one source: not recorded here
    spouse = session.scalars(select(HouseholdMember).where(HouseholdMember.household_id == household.id,
                                                           HouseholdMember.id_number == b.id_number)).one()  # fmt: skip
    with pytest.raises(Invalid) as a_worker:
        record_post(session, actor=clerk, plan=plan, member_id=spouse.id, kind="public_welfare", employer="迁安市城管局",
                    post="保洁", starts_on=today(), ends_on=today() + timedelta(days=365))  # fmt: skip
    assert a_worker.value.details[0]["rule"] == "outcome_in_record"
    assert "第13行" in a_worker.value.message
    assert "实施记录" in a_worker.value.message
    assert "execution_service.post_recorded" not in actions(session, plan)
    record_part(session, actor=clerk, plan=plan, worker_id=b.id, part="outcome",
                values={"outcome_kind": "public_welfare", "post": "保洁", "employer": "迁安市城管局",
                        "started_on": today().isoformat(), "ends_on": (today() + timedelta(days=3 * 365)).isoformat()})  # fmt: skip
    session.commit()
    (view,) = households(session, plan)
    assert not view.zero_employment
    assert next(m for m in view.members if m.id_number == b.id_number).outcome_kind == "public_welfare"
    assert households(session, plan, today() + timedelta(days=4 * 365))[0].zero_employment  # the post's period over


def test_a_family_member_who_is_no_worker_ends_zero_employment_with_a_post(session, world, plan):
    clerk = world.actor("clerk")
    a = at_row(session, plan, 7)  # terminated: leaves
    household = record_household(session, actor=clerk, plan=plan, members=[(a.id_number, "head")])
    member = add_member(session, actor=clerk, plan=plan, household_id=household.id, name="孙某梅", relation="spouse",
                        sex="F", birth_date=date(1985, 3, 12), employed=False)  # fmt: skip
    assert households(session, plan)[0].zero_employment
    record_post(session, actor=clerk, plan=plan, member_id=member.id, kind="public_welfare", employer="迁安市城管局",
                post="保洁", starts_on=today(), ends_on=today() + timedelta(days=365))  # fmt: skip
    session.commit()
    (view,) = households(session, plan)
    assert not view.zero_employment
    assert [p.post for m in view.members for p in m.posts] == ["保洁"]
    assert "execution_service.post_recorded" in actions(session, plan)


def test_a_guaranteed_loan_above_the_cap_in_force_is_refused_naming_the_worker_and_the_amounts(session, world, plan):
    clerk = world.actor("clerk")
    worker = at_row(session, plan, 5)  # self-employment
    with pytest.raises(Invalid) as refused:
        record_support(session, actor=clerk, plan=plan, id_number=worker.id_number, kind="guaranteed_loan",
                       granted_on=today(), provider="迁安农商银行", amount="300000.01", reference="")  # fmt: skip
    assert refused.value.details[0]["rule"] == "loan_cap"
    assert worker.name in refused.value.message
    assert "第5行" in refused.value.message
    assert "300000.01" in refused.value.message
    assert "300000" in refused.value.message
    loan = record_support(session, actor=clerk, plan=plan, id_number=worker.id_number, kind="guaranteed_loan",
                          granted_on=today(), provider="迁安农商银行", amount="300000", reference="QA-LOAN-1")  # fmt: skip
    assert loan.amount == Decimal(300000)
    assert loan.details["cap"] == "300000"
    set_parameter_value(session, actor=world.actor("admin"), key="startup_loan_cap",
                        effective_from=plan.published_at.date(), value="200000", basis="河北省财政厅通知（测试）")  # fmt: skip
    with pytest.raises(Invalid):
        record_support(session, actor=clerk, plan=plan, id_number=worker.id_number, kind="guaranteed_loan",
                       granted_on=today(), provider="迁安农商银行", amount="250000", reference="")  # fmt: skip
    with pytest.raises(Invalid) as no_amount:
        record_support(session, actor=clerk, plan=plan, id_number=worker.id_number, kind="training_subsidy",
                       granted_on=today(), provider="迁安市创业培训中心", amount="", reference="")  # fmt: skip
    assert no_amount.value.details[0]["field"] == "amount"
    record_support(session, actor=clerk, plan=plan, id_number=worker.id_number, kind="incubator", granted_on=today(),
                   provider="迁安市创业孵化基地", amount=None, reference="")  # fmt: skip
    session.commit()
    assert actions(session, plan).count("execution_service.support_recorded") == 2


def test_the_lists_select_in_sql_the_workers_the_rule_says_leave(session, plan):
    """rules.leaving_condition (SQL) and rules.leaves_enterprise (Python) say the same of every worker."""
    from approvals.execution_services.rules import leaves_enterprise
    from approvals.execution_services.services import leaving_workers

    everyone = workers(session, plan)
    everyone[0].reached_retirement = True  # at retirement age: leaves no more, whatever the channel
    everyone[3].reached_retirement = True
    everyone[4].in_scope = False
    session.flush()
    expected = [w.id_number for w in everyone if leaves_enterprise(w.channel, w.in_scope, w.reached_retirement)]
    assert [w.id_number for w in leaving_workers(session, plan.id)] == expected
    assert [w.row for w in leaving_workers(session, plan.id)][:2] == [7, 11]


def test_every_services_event_reads_in_words_in_both_languages(session, world, plan):
    """Each execution_service.* event of the trail is said with labels, amounts with two decimals, the worker
    by name and masked ID number: never a key or a code of the program."""

    clerk = world.actor("clerk")
    a, b = at_row(session, plan, 5), at_row(session, plan, 7)
    serve(session, world, plan, a)
    confirm_difficulty(session, actor=clerk, plan=plan, id_number=a.id_number, criteria=["other"], note="单亲家庭")
    file_difficulty(session, actor=clerk, plan=plan, id_number=a.id_number, filed_on=today(), file_number="QA-9")
    record_assistance(session, actor=clerk, plan=plan, id_number=a.id_number, provided_on=today(), helper="张科长",
                      content="走访", result="推荐岗位")  # fmt: skip
    household = record_household(session, actor=clerk, plan=plan, members=[(b.id_number, "head")])
    member = add_member(session, actor=clerk, plan=plan, household_id=household.id, name="王小某", relation="spouse",
                        sex="F", birth_date=date(1985, 1, 1), employed=False)  # fmt: skip
    record_post(session, actor=clerk, plan=plan, member_id=member.id, kind="public_welfare", employer="社区",
                post="保洁", starts_on=today(), ends_on=today() + timedelta(days=365))  # fmt: skip
    record_support(session, actor=clerk, plan=plan, id_number=a.id_number, kind="guaranteed_loan", granted_on=today(),
                   provider="迁安农商银行", amount="150000", reference="QA-L")  # fmt: skip
    session.commit()
    events = session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id,
                                                      AuditEvent.action.like("execution_service.%"))).all()  # fmt: skip
    assert len({e.action for e in events}) == 8
    with current_app.test_request_context(), force_locale("zh_CN"):
        said = {e.action: summary_text(e.action, e.summary) for e in events}
        with force_locale("en"):
            english = {e.action: summary_text(e.action, e.summary) for e in events}
    assert "150,000.00" in said["execution_service.support_recorded"]
    assert "创业担保贷款" in said["execution_service.support_recorded"]
    assert "Guaranteed start-up loan" in english["execution_service.support_recorded"]
    assert "公益性岗位" in said["execution_service.post_recorded"]
    assert "王小某" in said["execution_service.post_recorded"]
    assert "省定范围的其他情形" in said["execution_service.difficulty_confirmed"]
    for text in [*said.values(), *english.values()]:
        assert "execution_service" not in text
        assert "_" not in text  # no code (job_recommendation, public_welfare …)
