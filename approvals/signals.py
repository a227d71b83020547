"""Signals the core sends inside the transaction; notifications/ listens (never the reverse).

`plan_event` — sender: the Plan; kwargs: session, kind, roles (who should hear of it: every
active user whose grant of one of those roles reaches the plan), payload (small JSON).

The kinds, and who hears of each:
- task_ready — a task waits for a role: the lane of the task (payload: task, task_title, due_at).
- plan_returned — back to the enterprise with reasons (bureau return, working-group revise).
- vote_recorded — the congress result, to the enterprise (payload: result).
- deadline_near — REMIND_WORKING_DAYS before a task's deadline, to the task's lane.
- review_overdue — the review deadline passed: escalated to the supervisor, the bureau is told.
- vote_overdue — the congress vote deadline passed: escalated to the supervisor, the union and the
  enterprise are told.
- plan_published — to the union, the bureau and the supervisor.
- objection_received — a worker's objection (异议) on the public notice: enterprise and bureau.
- objection_step — a step of handling an objection: the enterprise's 受理/核实/答复/办结 to the bureau
  that oversees it, the bureau's 重新办理 to the enterprise (payload: objection_id, step, status).
- supervisor_reminder — a supervisor's 催办, to the lanes of the plan's open tasks.
- working_group_involved — a firm known to be high-risk: its plan's draft is open to the working group
  covering its region (payload: group, signs), to that group.
- working_group_advised — the group's advice on the draft (payload: advice), to the enterprise.
- execution_service_recorded — the enterprise recorded a service, a post, a household or a support for a
  leaving worker of a plan in execution (payload: action, worker), to the bureau that follows who is short.
- roster_recomputed — an administrator entered the wage figures the draft's roster waited for and its
  severance was recomputed (payload: city, year, workers, severance_missing), to the enterprise.

- execution_late — a social-insurance or file transfer (劳动合同法 Art 50) or the unemployment list (失业保险条例
  Art 16) recorded after its period (payload: row, name, late), to the bureau.
- execution_corrected — an entered part of a worker's execution record was corrected or withdrawn (payload:
  row, name, part, withdrawn), to the bureau that follows the ledger.
- execution_due — a worker's transfer or unemployment list is due within REMIND_WORKING_DAYS working days
  (payload: row, name, items), to the enterprise; execution_overdue — past its period and not done, to the
  enterprise, the bureau and the supervisor (approvals/execution/reminders.py).
- services_due — leaving workers are still short of the services minimum (冀人社发〔2018〕38号 §四) within
  REMIND_WORKING_DAYS working days of the services due date (payload: due_on, workers [row, name,
  job_recommendations_short, other_services_short; the first NAMED_WORKERS], count, job_recommendations,
  other_services, source), to the enterprise; services_overdue — the due date passed with workers short
  (payload: the same and days), to the enterprise, the bureau and the supervisor.
- plan_amendment_started — the enterprise took a published plan back to drafting for an amendment (payload:
  amendment, from_revision), to the union (a new vote follows), the bureau (a new review) and the supervisor.
- plan_closed — the plan was carried out (实施完毕) with nothing open (payload: workers), to the union, the
  bureau and the supervisor.

`task_closed` — sender: the Plan; kwargs: session, task (the BPMN id of a human task just completed or
withdrawn). What was said about that task (task_ready, deadline_near, the overdue escalations) is done.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace

from approvals.models import Plan, Role

_signals = Namespace()

plan_event = _signals.signal("plan-event")
task_closed = _signals.signal("task-closed")

KINDS = (
    "task_ready",
    "plan_returned",
    "vote_recorded",
    "deadline_near",
    "review_overdue",
    "vote_overdue",
    "plan_published",
    "objection_received",
    "objection_step",
    "supervisor_reminder",
    "working_group_involved",
    "working_group_advised",
    "roster_recomputed",
    "execution_service_recorded",
    "execution_late",
    "execution_corrected",
    "execution_due",
    "execution_overdue",
    "services_due",
    "services_overdue",
    "plan_closed",
    "plan_amendment_started",
)
OBJECTION_RECEIVED = "objection_received"
OBJECTION_RECIPIENTS = (Role.ENTERPRISE, Role.BUREAU)


def objection_received(plan: Plan, *, session: Any, objection_id: int, received_at: str, on_roster: bool) -> None:
    """Tell the enterprise and the bureau that a worker raised an objection on the public notice.

    The caller records the objection (and its audit event) in the same transaction; the message
    carries no content of the objection, only where to find it.
    """
    plan_event.send(plan, session=session, kind=OBJECTION_RECEIVED, roles=list(OBJECTION_RECIPIENTS),
                    payload={"objection_id": objection_id, "received_at": received_at, "on_roster": on_roster})  # fmt: skip


def objection_step_taken(plan: Plan, *, session: Any, objection_id: int, step: str, status: str,
                         to_bureau: bool) -> None:  # fmt: skip
    """Tell the other side of an objection's handling that a step was taken: the bureau of the
    enterprise's steps, the enterprise of the bureau's reopening. No content of the objection."""
    plan_event.send(plan, session=session, kind="objection_step", roles=[Role.BUREAU if to_bureau else Role.ENTERPRISE],
                    payload={"objection_id": objection_id, "step": step, "status": status})  # fmt: skip


def execution_service_recorded(plan: Plan, *, session: Any, action: str, worker: str) -> None:
    """Tell the bureau that the enterprise recorded one of the services for leaving workers (冀人社发〔2018〕38号
    §四): the action and the worker's name, no personal data."""
    plan_event.send(
        plan,
        session=session,
        kind="execution_service_recorded",
        roles=[Role.BUREAU],
        payload={"action": action, "worker": worker},
    )
