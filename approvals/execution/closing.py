"""Closing a plan (实施完毕): only when nobody is left behind (domain.md §8 Execution; 冀人社发〔2018〕38号 §四).

The conditions are a list of checks (CLOSING_CHECKS), each naming every worker (row, name) and item still
open, as the execution gate names each unmet condition. A further condition is one more entry: a
ClosingCheck whose `collect` returns the open items it finds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from approvals.execution.ledger import Ledger
from approvals.execution_services.households import households
from approvals.execution_services.services import service_shortfalls
from approvals.i18n import N_, Listing, Text
from approvals.models import Plan


@dataclass(frozen=True)
class Blocker:
    """One item that keeps the plan from closing: the worker's row and name, the item and why."""

    check: str  # the ClosingCheck's key
    row: int | None
    name: str
    item: str  # the item's label (a label marked with N_)
    message: Text
    overdue: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"check": self.check, "row": self.row, "name": self.name, "item": self.item,
                "message": str(self.message), "overdue": self.overdue}  # fmt: skip


@dataclass(frozen=True)
class ClosingFacts:
    session: Session
    plan: Plan
    ledger: Ledger
    today: date


@dataclass(frozen=True)
class ClosingCheck:
    key: str
    label: str
    collect: Callable[[ClosingFacts], list[Blocker]]


def _ledger_items(
    keys: frozenset[str], check: str, only_overdue: bool = False
) -> Callable[[ClosingFacts], list[Blocker]]:
    def collect(facts: ClosingFacts) -> list[Blocker]:
        return [Blocker(check, row.row, row.worker.name, item.label, item.message, item.overdue)
                for row in facts.ledger.rows for item in row.open
                if item.key in keys and (item.overdue or not only_overdue)]  # fmt: skip

    return collect


def _services(facts: ClosingFacts) -> list[Blocker]:
    """Each leaving worker short of 3 job recommendations and 1 other service (冀人社发〔2018〕38号 §四)."""
    blockers = []
    for short in service_shortfalls(facts.session, facts.plan.id, on=facts.today):
        jobs, other = short.job_recommendations_short, short.other_services_short
        if jobs and other:
            why = Text(
                N_("岗位推荐还差%(jobs)s次，职业指导、就业服务或职业培训还差%(other)s次"), jobs=jobs, other=other
            )
        elif jobs:
            why = Text(N_("岗位推荐还差%(n)s次"), n=jobs)
        else:
            why = Text(N_("职业指导、就业服务或职业培训还差%(n)s次"), n=other)
        overdue = max((facts.today - short.due).days, 0) if short.overdue else 0
        blockers.append(Blocker("services", short.row, short.name, SERVICES_ITEM, why, overdue))
    return blockers


def _households(facts: ClosingFacts) -> list[Blocker]:
    """A zero-employment household: every member of working age without work (通知 §四 "确保不出现零就业家庭")."""
    return [Blocker("households", None, "", HOUSEHOLD_ITEM,
                    Text(N_("%(names)s一户家庭成员均无工作，须至少一人上岗（优先安排公益性岗位）"),
                         names=Listing((m.name for m in household.members), N_("、"))))
            for household in households(facts.session, facts.plan, facts.today) if household.zero_employment]  # fmt: skip


SERVICES_ITEM = N_("就业服务记录")
HOUSEHOLD_ITEM = N_("零就业家庭")
PAYMENTS = frozenset({"agreement", "termination", "certificate", "severance", "arrears"})
TRANSFERS = frozenset({"insurance_transferred_on", "file_transferred_on", "unemployment_listed_on"})

# Every condition of closing, in order; a further condition is one more ClosingCheck.
CLOSING_CHECKS: list[ClosingCheck] = [
    ClosingCheck("outcomes", N_("每名职工均有安置去向"), _ledger_items(frozenset({"outcome"}), "outcomes")),
    ClosingCheck("payments", N_("协议、解除证明、经济补偿和拖欠款项均已登记"), _ledger_items(PAYMENTS, "payments")),
    ClosingCheck("transfers", N_("社会保险、档案转移和失业人员名单均已办理"), _ledger_items(TRANSFERS, "transfers")),
    ClosingCheck("services", N_("每名分流职工均已获得3次岗位推荐和1次职业指导、就业服务或职业培训"), _services),
    ClosingCheck("households", N_("没有零就业家庭"), _households),
]


def closing_blockers(facts: ClosingFacts, checks: list[ClosingCheck] | None = None) -> list[Blocker]:
    """Everything that keeps the plan from closing, check by check, worker by worker."""
    return [blocker for check in (CLOSING_CHECKS if checks is None else checks) for blocker in check.collect(facts)]


def refusal_message(blockers: list[Blocker], named: int = 20) -> Text:
    """The refusal in one text: each worker and item still open (the first `named`), and the count."""
    lines = [Text(N_("第%(row)s行（%(name)s）：%(item)s——%(why)s"), row=b.row, name=b.name, item=Text(b.item), why=b.message)
             if b.row is not None else Text(N_("%(item)s——%(why)s"), item=Text(b.item), why=b.message)
             for b in blockers[:named]]  # fmt: skip
    if len(blockers) > named:
        return Text(N_("尚有%(count)s项未办结，不能实施完毕：%(items)s等。"), count=len(blockers), items=Listing(lines))
    return Text(N_("尚有%(count)s项未办结，不能实施完毕：%(items)s。"), count=len(blockers), items=Listing(lines))
