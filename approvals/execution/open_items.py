"""What is still open in one worker's execution record, and what is overdue (domain.md §6, §8).

Every worker of the published roster in scope needs the agreement of their channel, their wage and
social-insurance arrears settled and a placement outcome. A worker whose relation ends (rules/roster.py
ENDS_LABOUR_RELATION) also needs the end and its certificate (劳动合同法 Art 50 ¶1, 实施条例 Art 24),
severance paid at least as due at the end (劳动合同法 Arts 46, 47, 50 ¶2), the social-insurance and file
transfer within 15 days (Art 50 ¶1) and the unemployment list filed within 7 days (失业保险条例 Art 16).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from approvals.execution.deadlines import PERIODS, days_overdue, last_day
from approvals.execution.items import AGREEMENT_BY_CHANNEL, AGREEMENT_KINDS, OUTCOME_FIELDS, OUTCOMES_BY_CHANNEL, leaves
from approvals.i18n import N_, Text

ITEM_LABELS = {
    "agreement": N_("协议"),
    "termination": N_("解除劳动关系"),
    "certificate": N_("解除（终止）劳动合同证明"),
    "severance": N_("经济补偿"),
    "arrears": N_("拖欠工资和社会保险费"),
    "insurance_transferred_on": N_("社会保险关系转移"),
    "file_transferred_on": N_("档案转移"),
    "unemployment_listed_on": N_("失业人员名单报送"),
    "outcome": N_("安置去向"),
}


@dataclass(frozen=True)
class OpenItem:
    """One thing a worker's record still lacks: its key (ITEM_LABELS), why, and days overdue (0: not)."""

    key: str
    message: Text
    overdue: int = 0

    @property
    def label(self) -> str:
        return ITEM_LABELS[self.key]


def open_items(channel: str | None, record: Any | None, today: date) -> list[OpenItem]:
    """What the record (an ExecutionRecord, or None before anything is entered) still lacks on `today`."""
    items: list[OpenItem] = []
    get = (lambda name: getattr(record, name)) if record is not None else (lambda name: None)
    wanted = AGREEMENT_BY_CHANNEL.get(channel or "")
    if get("agreement_signed_on") is None:
        items.append(OpenItem("agreement", Text(N_("尚未签订%(kind)s"), kind=Text(AGREEMENT_KINDS[wanted]))
                              if wanted else Text(N_("尚未签订协议"))))  # fmt: skip
    if leaves(channel):
        items += _ending(record, get, today)
    amount, settled = get("arrears_amount"), get("arrears_settled_on")
    if amount is None or (amount > 0 and settled is None):
        items.append(OpenItem("arrears", Text(N_("尚未登记拖欠工资和社会保险费的清偿情况"))))
    if not _outcome_complete(channel, get("outcome_kind"), get("outcome") or {}):
        items.append(OpenItem("outcome", Text(N_("尚未登记安置去向"))))
    return items


def _ending(record: Any, get: Any, today: date) -> list[OpenItem]:
    ended = get("terminated_on")
    if ended is None:
        return [OpenItem("termination", Text(N_("尚未登记劳动关系解除（终止）日期")))]
    items = []
    if get("certificate_issued_on") is None:
        items.append(OpenItem("certificate", Text(N_("尚未出具解除（终止）劳动合同证明（劳动合同法第五十条）"))))
    due, paid = get("severance_due"), get("severance_paid")
    if paid is None and due != 0:
        items.append(OpenItem("severance", Text(N_("尚未登记经济补偿支付"))))
    elif due is None:
        items.append(OpenItem("severance", Text(N_("应付经济补偿尚无法按解除日计算（缺少当年工资参数），待核算"))))
    elif paid is not None and paid < due:
        items.append(OpenItem("severance", Text(N_("实付%(paid)s元，低于应付%(due)s元"), paid=paid, due=due)))
    for period in PERIODS:
        done = get(period.key)
        late = days_overdue(ended, period.days, done, today)
        if done is None:
            end = last_day(ended, period.days)
            message = (Text(N_("%(what)s已逾期%(days)s天（应于%(end)s前办理，%(source)s）"), what=Text(period.label),
                            days=late, end=end.isoformat(), source=Text(period.source)) if late
                       else Text(N_("%(what)s尚未办理（应于%(end)s前办理，%(source)s）"), what=Text(period.label),
                                 end=end.isoformat(), source=Text(period.source)))  # fmt: skip
            items.append(OpenItem(period.key, message, late))
    return items


def late_steps(record: Any | None) -> dict[str, int]:
    """The steps done after their last day, with the days late: kept on the record, not open any more."""
    if record is None or record.terminated_on is None:
        return {}
    found = {}
    for period in PERIODS:
        done = getattr(record, period.key)
        if done is not None and (late := days_overdue(record.terminated_on, period.days, done, done)):
            found[period.key] = late
    return found


def _outcome_complete(channel: str | None, kind: str | None, facts: dict[str, Any]) -> bool:
    if kind is None or kind not in OUTCOMES_BY_CHANNEL.get(channel or "", ()):
        return False
    return all(facts.get(name) not in (None, "") for name in OUTCOME_FIELDS[kind])
