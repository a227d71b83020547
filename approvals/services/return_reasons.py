"""The reasons a plan was sent back to drafting and the clerk's answer to each.

A bureau return (`review_plan`) and a working group's 退回修改 (`record_working_group`) write their reasons
here, one row each; the clerk answers every open reason when resubmitting (`submit_plan`), and the answers
go with the revision they were submitted with. The drafting page, the home page, the task list and the plan
page show the open reasons; the review page shows the previous round's reasons with their answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.errors import Invalid
from approvals.i18n import N_, Text
from approvals.models import BureauReview, Plan, PlanRevision, ReturnReason, WorkingGroupRecord
from approvals.process import Status
from approvals.rules.text_limits import FIELDS, too_long

SOURCE_LABELS = {"bureau": N_("人社部门退回"), "working_group": N_("联合工作组退回修改")}
UNANSWERED = N_("第%(number)s条退回理由“%(reason)s”尚未答复，请逐条说明修改情况后重新提交。")
NOT_OPEN = N_("答复所对应的退回理由（编号%(id)s）不存在或已经答复。")
ANSWER_LABEL = N_("对第%(number)s条退回理由的答复")
EXCERPT = 40  # characters of a reason quoted in a message


def reason_items(reasons: str | Sequence[str]) -> list[str]:
    """The reasons of a return, one item each: a text is one reason, a list one per non-blank entry."""
    items = [reasons] if isinstance(reasons, str) else list(reasons)
    return [item.strip() for item in items if item and item.strip()]


def composed(items: Sequence[str]) -> str:
    """The reasons as one text (the review record, its document, the notification): numbered when several."""
    if len(items) < 2:
        return "".join(items)
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))


def record_reasons(
    session: Session, plan: Plan, items: Sequence[str], *, review: BureauReview | None = None,
    record: WorkingGroupRecord | None = None,
) -> list[ReturnReason]:  # fmt: skip
    """Write the reasons of a return; the clerk must answer each before resubmitting."""
    session.flush()  # the review's or record's id
    rows = [ReturnReason(plan_id=plan.id, review_id=review.id if review else None,
                         working_group_record_id=record.id if record else None, number=n, text=text)
            for n, text in enumerate(items, start=1)]  # fmt: skip
    session.add_all(rows)
    return rows


def source_of(reason: ReturnReason) -> str:
    return "bureau" if reason.review_id is not None else "working_group"


def open_reasons(session: Session, plan: Plan) -> list[ReturnReason]:
    """The reasons of the plan not yet answered by a submitted revision, in the order given. Only a plan
    in drafting has any (leaving drafting is a submission, which answers them all): no query otherwise."""
    if plan.status != Status.DRAFTING:
        return []
    return open_reasons_of(session, [plan.id]).get(plan.id, [])


def open_reasons_of(session: Session, plan_ids: Iterable[int]) -> dict[int, list[ReturnReason]]:
    """Open reasons by plan, for a list of plans in one query."""
    ids = list(plan_ids)
    found: dict[int, list[ReturnReason]] = {}
    if not ids:
        return found
    rows = session.scalars(select(ReturnReason).where(ReturnReason.plan_id.in_(ids), ReturnReason.revision_id.is_(None))
                           .order_by(ReturnReason.id))  # fmt: skip
    for row in rows:
        found.setdefault(row.plan_id, []).append(row)
    return found


def answered_in(session: Session, plan: Plan, revision_number: int) -> list[ReturnReason]:
    """The reasons answered with the plan's revision `revision_number` (the round before it), in order."""
    return list(session.scalars(
        select(ReturnReason).join(PlanRevision, ReturnReason.revision_id == PlanRevision.id)
        .where(PlanRevision.plan_id == plan.id, PlanRevision.number == revision_number).order_by(ReturnReason.id)
    ))  # fmt: skip


def reasons_of_returns(session: Session, plan: Plan) -> dict[tuple[str, int], list[ReturnReason]]:
    """Every reason of the plan by its return (("bureau", review id) or ("working_group", record id))."""
    found: dict[tuple[str, int], list[ReturnReason]] = {}
    for row in session.scalars(select(ReturnReason).where(ReturnReason.plan_id == plan.id).order_by(ReturnReason.id)):
        key = row.review_id if row.review_id is not None else row.working_group_record_id
        found.setdefault((source_of(row), int(key or 0)), []).append(row)
    return found


def revision_numbers(session: Session, reasons: Iterable[ReturnReason]) -> dict[int, int]:
    """The number of the revision that answered each reason, by revision id."""
    ids = {r.revision_id for r in reasons if r.revision_id is not None}
    if not ids:
        return {}
    return dict(
        session.execute(select(PlanRevision.id, PlanRevision.number).where(PlanRevision.id.in_(ids))).tuples().all()
    )


def excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1] + "…"


@dataclass(frozen=True)
class Answered:
    reason: ReturnReason
    answer: str


def check_answers(reasons: Sequence[ReturnReason], answers: Mapping[int, str]) -> list[Answered]:
    """Each open reason with its answer (given now, else the one kept from a refused submission); a 422
    naming every reason left unanswered, an answer to no open reason, or an answer too long."""
    by_id = {r.id: r for r in reasons}
    problems: list[dict[str, Any]] = []
    for reason_id in answers:
        if reason_id not in by_id:
            message = Text(NOT_OPEN, id=reason_id)
            problems.append({"field": "answers", "rule": "open_reason", "reason_id": reason_id, "message": message})
    out = []
    for reason in reasons:
        answer = (answers.get(reason.id, reason.answer or "")).strip()
        label = Text(ANSWER_LABEL, number=reason.number)
        if not answer:
            message = Text(UNANSWERED, number=reason.number, reason=excerpt(reason.text))
            problems.append({"field": "answers", "rule": "answer_required", "reason_id": reason.id,
                             "reason": reason.text, "message": message})  # fmt: skip
        elif len(answer) > FIELDS["answer"]:
            problems.append({**too_long("answers", label, answer, FIELDS["answer"]), "reason_id": reason.id})
        out.append(Answered(reason, answer))
    if problems:
        raise Invalid("reasons_unanswered" if problems[0]["rule"] == "answer_required" else "invalid_answers",
                      problems[0]["message"], problems)  # fmt: skip
    return out


def keep_answers(reasons: Sequence[ReturnReason], answers: Mapping[int, str]) -> None:
    """A submission refused as incomplete keeps what the clerk answered, for the next one."""
    for reason in reasons:
        if (answers.get(reason.id) or "").strip():
            reason.answer = answers[reason.id].strip()


def file_answers(answered: Sequence[Answered], revision: PlanRevision) -> list[dict[str, Any]]:
    """Bind each answer to the submitted revision; what the audit event records of them."""
    for item in answered:
        item.reason.answer, item.reason.revision_id = item.answer, revision.id
    return [{"source": source_of(a.reason), "number": a.reason.number, "reason": a.reason.text, "answer": a.answer}
            for a in answered]  # fmt: skip
