"""Employment-difficulty persons (就业困难人员) among the leaving workers: proposed from the roster and the
households, confirmed by the enterprise, filed (建档立卡) and given one-to-one assistance (冀人社发〔2018〕38号
§四 "对就业困难人员建档立卡，提供“一对一”的就业援助"; 就业促进法 Art 52: the province sets who they are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.actor import Actor
from approvals.errors import Conflict
from approvals.execution_services.common import (
    check_day,
    check_text,
    leaving_worker,
    record_event,
    refuse_if,
    require_recorder,
    today,
)
from approvals.execution_services.households import zero_employment_workers
from approvals.execution_services.rules import (
    AGE,
    DIFFICULTY_CRITERIA,
    NEEDS_NOTE,
    ZERO_EMPLOYMENT_FAMILY,
    age_on,
    meets_age,
    proposed_criteria,
)
from approvals.i18n import N_, Listing, Text
from approvals.models import AssistanceRecord, DifficultyPerson, Plan, RosterWorker
from approvals.rules.text_limits import NAME, PARAGRAPH
from approvals.services.parameters import parameters_in_force


@dataclass(frozen=True)
class AgeRule:
    """The age criterion in force on a day (settings difficulty_age_women / difficulty_age_men)."""

    women: int
    men: int


def age_rule(session: Session, day: date) -> AgeRule:
    values = parameters_in_force(session, day)
    return AgeRule(int(values["difficulty_age_women"]), int(values["difficulty_age_men"]))


def proposals(
    session: Session, plan: Plan, workers: list[RosterWorker], day: date | None = None
) -> dict[str, list[str]]:
    """For each of `workers`, the criteria the data show (the user confirms them)."""
    day = day or today()
    rule = age_rule(session, day)
    zero = zero_employment_workers(session, plan, day)
    return {w.id_number: proposed_criteria(sex=w.sex, birth=w.birth_date,
                                           disability_card=str((w.data or {}).get("disability_card") or ""),
                                           zero_employment=w.id_number in zero, day=day, women=rule.women,
                                           men=rule.men) for w in workers}  # fmt: skip


def difficulty_of(session: Session, plan: Plan, id_number: str) -> DifficultyPerson | None:
    return session.scalars(select(DifficultyPerson).where(DifficultyPerson.plan_id == plan.id,
                                                          DifficultyPerson.id_number == id_number)).first()  # fmt: skip


def confirm_difficulty(session: Session, *, actor: Actor, plan: Plan, id_number: str, criteria: list[str],
                       note: str) -> DifficultyPerson:  # fmt: skip
    """Confirm a leaving worker as an employment-difficulty person on `criteria`. A criterion the data can
    decide (age, zero-employment household) must hold; one only the enterprise knows needs a note."""
    require_recorder(actor, plan, N_("认定就业困难人员"))
    worker = leaving_worker(session, plan, id_number)
    row = worker.roster_row
    problems: list[dict[str, object]] = []
    criteria = list(dict.fromkeys(c for c in criteria if c))
    note = check_text(problems, "note", N_("认定说明"), note, PARAGRAPH, required=bool(NEEDS_NOTE & set(criteria)))
    if not criteria:
        problems.append({"field": "criteria", "rule": "required", "message": Text(N_("请至少选择一项认定条件。"))})
    unknown = [c for c in criteria if c not in DIFFICULTY_CRITERIA]
    if unknown:
        problems.append({"field": "criteria", "rule": "choice",
                         "message": Text(N_("认定条件须为以下之一：%(accepted)s。"),
                                         accepted=Listing([Text(v) for v in DIFFICULTY_CRITERIA.values()], N_("、")))})  # fmt: skip
    day = today()
    rule = age_rule(session, day)
    if AGE in criteria and not meets_age(worker.sex, worker.birth_date, day, rule.women, rule.men):
        needed = rule.women if worker.sex == "F" else rule.men
        problems.append({"field": "criteria", "rule": "age",
                         "message": Text(N_("第%(row)s行 %(name)s今年%(age)s周岁，未达到就业困难人员的认定年龄（%(needed)s周岁）。"),
                                         row=row, name=worker.name, age=age_on(worker.birth_date, day), needed=needed)})  # fmt: skip
    if ZERO_EMPLOYMENT_FAMILY in criteria and worker.id_number not in zero_employment_workers(session, plan, day):
        problems.append({"field": "criteria", "rule": "zero_employment_family",
                         "message": Text(N_("第%(row)s行 %(name)s所在家庭未登记为零就业家庭（须先登记家庭及其成员）。"),
                                         row=row, name=worker.name)})  # fmt: skip
    if difficulty_of(session, plan, worker.id_number) is not None:
        raise Conflict(
            "already_confirmed", Text(N_("第%(row)s行 %(name)s已认定为就业困难人员。"), row=row, name=worker.name)
        )
    refuse_if(problems, "invalid_difficulty")
    user = actor.person
    person = DifficultyPerson(plan_id=plan.id, id_number=worker.id_number, criteria=criteria, note=note,
                              confirmed_by_id=user.id)  # fmt: skip
    session.add(person)
    session.flush()
    record_event(session, actor=actor, plan=plan, action="execution_service.difficulty_confirmed", worker=worker,
                 summary={"criteria": criteria, "note": note})  # fmt: skip
    return person


def _confirmed(session: Session, plan: Plan, worker: RosterWorker) -> DifficultyPerson:
    person = difficulty_of(session, plan, worker.id_number)
    if person is None:
        raise Conflict("not_confirmed", Text(N_("第%(row)s行 %(name)s尚未认定为就业困难人员，请先认定。"),
                                             row=worker.roster_row, name=worker.name))  # fmt: skip
    return person


def file_difficulty(session: Session, *, actor: Actor, plan: Plan, id_number: str, filed_on: date | None,
                    file_number: str) -> DifficultyPerson:  # fmt: skip
    """Record the filing (建档立卡) of a confirmed employment-difficulty person: its date and file number."""
    require_recorder(actor, plan, N_("就业困难人员建档立卡"))
    worker = leaving_worker(session, plan, id_number)
    person = _confirmed(session, plan, worker)
    if person.filed_on is not None:
        raise Conflict("already_filed", Text(N_("%(name)s已于%(day)s建档立卡（档案编号%(number)s）。"), name=worker.name,
                                             day=person.filed_on.isoformat(), number=person.file_number or ""))  # fmt: skip
    problems: list[dict[str, object]] = []
    check_day(problems, "filed_on", N_("建档日期"), filed_on, plan)
    file_number = check_text(problems, "file_number", N_("档案编号"), file_number, 100)
    refuse_if(problems, "invalid_filing")
    user = actor.person
    assert filed_on is not None
    person.filed_on, person.file_number, person.filed_by_id = filed_on, file_number, user.id
    session.flush()
    record_event(session, actor=actor, plan=plan, action="execution_service.difficulty_filed", worker=worker,
                 summary={"filed_on": filed_on.isoformat(), "file_number": file_number})  # fmt: skip
    return person


def check_assistance(plan: Plan, *, provided_on: date | None, helper: str, content: str,
                     result: str) -> dict[str, Any]:  # fmt: skip
    """One-to-one assistance's values checked (422 naming each bad field)."""
    problems: list[dict[str, object]] = []
    check_day(problems, "provided_on", N_("援助日期"), provided_on, plan)
    helper = check_text(problems, "helper", N_("援助责任人"), helper, NAME)
    content = check_text(problems, "content", N_("援助内容"), content, PARAGRAPH)
    result = check_text(problems, "result", N_("援助结果"), result, PARAGRAPH)
    refuse_if(problems, "invalid_assistance")
    return {"provided_on": provided_on, "helper": helper, "content": content, "result": result}


def record_assistance(session: Session, *, actor: Actor, plan: Plan, id_number: str, provided_on: date | None,
                      helper: str, content: str, result: str) -> AssistanceRecord:  # fmt: skip
    """Record one-to-one assistance given to a filed employment-difficulty person."""
    require_recorder(actor, plan, N_("记录“一对一”就业援助"))
    worker = leaving_worker(session, plan, id_number)
    person = _confirmed(session, plan, worker)
    if person.filed_on is None:
        raise Conflict("not_filed", Text(N_("第%(row)s行 %(name)s尚未建档立卡，“一对一”援助在建档后记录。"),
                                         row=worker.roster_row, name=worker.name))  # fmt: skip
    values = check_assistance(plan, provided_on=provided_on, helper=helper, content=content, result=result)
    user = actor.person
    assert provided_on is not None
    record = AssistanceRecord(plan_id=plan.id, id_number=worker.id_number, recorded_by_id=user.id, **values)
    session.add(record)
    session.flush()
    record_event(session, actor=actor, plan=plan, action="execution_service.assistance_recorded", worker=worker,
                 summary={"provided_on": provided_on.isoformat(), "helper": values["helper"],
                          "content": values["content"], "result": values["result"]})  # fmt: skip
    return record


def assistance_of(session: Session, plan: Plan, id_number: str) -> list[AssistanceRecord]:
    return list(session.scalars(select(AssistanceRecord).where(AssistanceRecord.plan_id == plan.id,
                                                               AssistanceRecord.id_number == id_number)
                                .order_by(AssistanceRecord.provided_on, AssistanceRecord.id)))  # fmt: skip
