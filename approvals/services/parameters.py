"""The legal parameters as reference data: the set in force on a day, the minimum-wage tier of a county,
and the administrator's audited changes (issue 11 §6; definitions in approvals/rules/parameters.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit
from approvals.actor import Actor
from approvals.errors import Invalid
from approvals.i18n import N_, Listing, Text
from approvals.models import ParameterValue, Region, RegionWageTier, Role, User
from approvals.rules.parameters import (
    PARAMETERS,
    SEED,
    UNASSIGNED_TIER,
    WAGE_TIERS,
    ParameterSet,
    WageRegion,
    in_force,
    parse_value,
    stored_text,
)

EARLIEST = date(1978, 1, 1)  # no parameter of these rules is older (国发〔1978〕104号)
LATEST = date(2100, 12, 31)


def _invalid(field: str, rule: str, message: Text) -> Invalid:
    return Invalid(f"invalid_{field}", message, [{"field": field, "rule": rule, "message": message}])


def parameters_in_force(session: Session, day: date) -> ParameterSet:
    """Every parameter's value in force on `day`: the dated value with the latest effective_from on or
    before it (the later entry on the same date), else the statutory default."""
    rows = session.execute(select(ParameterValue.key, ParameterValue.effective_from, ParameterValue.value,
                                  ParameterValue.basis)
                           .where(ParameterValue.effective_from <= day).order_by(ParameterValue.id))  # fmt: skip
    return in_force(day, [tuple(row) for row in rows])


def wage_region(session: Session, region_code: str, day: date) -> WageRegion:
    """The county's minimum-wage tier on `day`; the first (highest) tier when none is assigned."""
    region = session.get(Region, region_code)
    row = session.scalars(
        select(RegionWageTier)
        .where(RegionWageTier.region_code == region_code, RegionWageTier.effective_from <= day)
        .order_by(RegionWageTier.effective_from.desc(), RegionWageTier.id.desc())
        .limit(1)
    ).first()
    name = region.name if region is not None else region_code
    if row is None:
        return WageRegion(region_code, name, UNASSIGNED_TIER, False, None)
    return WageRegion(region_code, name, row.tier, True, row.effective_from)


def wage_tiers_on(session: Session, day: date) -> dict[str, tuple[int, date]]:
    """Every assigned region's tier on `day` and since when: region code → (tier, effective_from)."""
    rows = session.execute(select(RegionWageTier.region_code, RegionWageTier.tier, RegionWageTier.effective_from)
                           .where(RegionWageTier.effective_from <= day)
                           .order_by(RegionWageTier.effective_from, RegionWageTier.id))  # fmt: skip
    return {code: (tier, start) for code, tier, start in rows}  # the last row of each region wins


def _region_json(region: WageRegion) -> dict[str, Any]:
    return {"code": region.region_code, "name": region.region_name, "tier": region.tier, "assigned": region.assigned,
            "effective_from": region.effective_from.isoformat() if region.effective_from else None}  # fmt: skip


def _region_of(data: dict[str, Any]) -> WageRegion:
    start = data.get("effective_from")
    return WageRegion(str(data.get("code", "")), str(data.get("name", "")), int(data.get("tier", UNASSIGNED_TIER)),
                      bool(data.get("assigned")), date.fromisoformat(start) if start else None)  # fmt: skip


def snapshot(parameters: ParameterSet, region: WageRegion, others: list[WageRegion] | None = None) -> dict[str, Any]:
    """What a plan keeps of the parameters its figures were computed with (Plan.parameters_used): the set,
    the enterprise's county, and the other counties the roster's workers work in."""
    return {**parameters.as_json(), "wage_region": _region_json(region),
            "work_regions": [_region_json(r) for r in others or ()]}  # fmt: skip


def from_snapshot(data: dict[str, Any]) -> tuple[ParameterSet, WageRegion]:
    """The set and the enterprise's wage region a plan kept."""
    return ParameterSet.from_json(data), _region_of(data.get("wage_region") or {})


def work_regions_of(data: dict[str, Any] | None) -> list[WageRegion]:
    """The workers' own counties a plan kept (those other than the enterprise's)."""
    return [_region_of(item) for item in (data or {}).get("work_regions", [])]


def _check_date(effective_from: date) -> None:
    if not (EARLIEST <= effective_from <= LATEST):
        raise _invalid("effective_from", "date_range",
                       Text(N_("生效日期须在%(earliest)s至%(latest)s之间（收到：%(day)s）。"), earliest=EARLIEST.isoformat(),
                            latest=LATEST.isoformat(), day=effective_from.isoformat()))  # fmt: skip


def _check_basis(basis: str) -> str:
    basis = basis.strip()
    if not basis:
        raise _invalid("basis", "required", Text(N_("请填写设定依据（文件名称和文号）。")))
    if len(basis) > 200:
        raise _invalid("basis", "max_length", Text(N_("设定依据不超过200个字符。")))
    return basis


def set_parameter_value(
    session: Session, *, actor: Actor, key: str, effective_from: date, value: str, basis: str
) -> ParameterValue:
    """A new dated value of a parameter, audited; earlier values are kept (a correction is a later entry)."""
    if key not in PARAMETERS:
        raise _invalid("key", "known_parameter", Text(N_("参数“%(key)s”不存在。"), key=key))
    _check_date(effective_from)
    try:
        typed = parse_value(key, value)
    except ValueError as exc:
        raise _invalid(
            "value",
            "parameter_value",
            Text(N_("%(label)s：%(problem)s"), label=Text(PARAMETERS[key].label), problem=exc.args[0]),
        ) from None
    basis = _check_basis(basis)
    before = parameters_in_force(session, effective_from).values[key]
    row = ParameterValue(key=key, effective_from=effective_from, value=stored_text(key, typed), basis=basis,
                         set_by_id=actor.user.id if actor.user else None)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="parameter.set",
                 summary={"key": key, "effective_from": effective_from.isoformat(), "value": row.value,
                          "basis": basis, "before": None if before.is_default else stored_text(key, before.value)})  # fmt: skip
    return row


def set_wage_tier(
    session: Session, *, actor: Actor, region_code: str, effective_from: date, tier: int, basis: str
) -> RegionWageTier:
    """A county's minimum-wage tier from a date on, audited."""
    region = session.get(Region, region_code)
    if region is None or region.level not in ("county", "city"):
        raise _invalid(
            "region", "known_county", Text(N_("“%(code)s”不是已登记的县（市、区）或设区市代码。"), code=region_code)
        )
    if tier not in WAGE_TIERS:
        raise _invalid(
            "tier",
            "known_tier",
            Text(
                N_("最低工资类别须为%(tiers)s之一。"), tiers=Listing([Text(t) for t in WAGE_TIERS.values()], N_("、"))
            ),
        )
    _check_date(effective_from)
    basis = _check_basis(basis)
    before = wage_region(session, region_code, effective_from)
    row = RegionWageTier(region_code=region_code, effective_from=effective_from, tier=tier, basis=basis,
                         set_by_id=actor.user.id if actor.user else None)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="wage_tier.set",
                 summary={"region": region_code, "effective_from": effective_from.isoformat(), "tier": tier,
                          "basis": basis, "before": before.tier if before.assigned else None})  # fmt: skip
    return row


def seed_parameters(session: Session, *, actor: Actor) -> int:
    """Enter the shipped Hebei values (rules.parameters.SEED) not yet entered; one audit event. Idempotent."""
    have = set(session.execute(select(ParameterValue.key, ParameterValue.effective_from, ParameterValue.value)))
    added = [seed for seed in SEED if (seed.key, seed.effective_from, seed.value) not in have]
    for seed in added:
        session.add(ParameterValue(key=seed.key, effective_from=seed.effective_from, value=seed.value,
                                   basis=seed.basis, set_by_id=None))  # fmt: skip
    session.flush()
    if added:
        audit.record(session, actor=actor, role=Role.ADMIN, action="parameters.seeded",
                     summary={"values": [[s.key, s.effective_from.isoformat(), s.value] for s in added]})  # fmt: skip
    return len(added)


@dataclass(frozen=True)
class HistoryRow:
    effective_from: date
    value: Any
    basis: str
    set_by: str  # the administrator's display name; "" when seeded by the system
    set_at: datetime
    current: bool  # the value in force today


@dataclass(frozen=True)
class ParameterHistory:
    key: str
    label: str
    source: str  # of the statutory default
    default: Any
    rows: list[HistoryRow]


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())  # type: ignore[arg-type]


def parameter_histories(session: Session, today: date) -> list[ParameterHistory]:
    """Each parameter, in definition order, with every value entered, newest effective date first."""
    rows = list(session.scalars(select(ParameterValue).order_by(ParameterValue.effective_from.desc(),
                                                                ParameterValue.id.desc())))  # fmt: skip
    names = _names(session, {r.set_by_id for r in rows if r.set_by_id})
    current = parameters_in_force(session, today)
    out = []
    for key, parameter in PARAMETERS.items():
        mine = [r for r in rows if r.key == key]
        now = current.values[key]
        out.append(ParameterHistory(key, parameter.label, parameter.source, parameter.default, [
            HistoryRow(r.effective_from, parse_value(key, r.value), r.basis, names.get(r.set_by_id or 0, ""),
                       r.set_at, now.effective_from == r.effective_from and now.basis == r.basis
                       and stored_text(key, now.value) == r.value)
            for r in mine]))  # fmt: skip
    return out


@dataclass(frozen=True)
class TierRow:
    region_code: str
    region_name: str
    effective_from: date
    tier: int
    basis: str
    set_by: str
    set_at: datetime


def wage_tier_history(session: Session) -> list[TierRow]:
    """Every county tier assignment entered, by region, newest first."""
    rows = session.execute(select(RegionWageTier, Region.name).join(Region, Region.code == RegionWageTier.region_code)
                           .order_by(RegionWageTier.region_code, RegionWageTier.effective_from.desc(),
                                     RegionWageTier.id.desc())).all()  # fmt: skip
    names = _names(session, {r.set_by_id for r, _ in rows if r.set_by_id})
    return [TierRow(r.region_code, name, r.effective_from, r.tier, r.basis, names.get(r.set_by_id or 0, ""), r.set_at)
            for r, name in rows]  # fmt: skip


def minimum_wage_of(parameters: ParameterSet, region: WageRegion) -> Decimal | None:
    """The minimum wage that floors severance in the region on the set's day (实施条例第二十七条)."""
    return parameters.minimum_wage(region.tier)


@dataclass(frozen=True)
class PlanParameters:
    """The parameters a plan states: those its roster was computed with (kept), else those in force on its
    reference date now (a plan without a roster yet)."""

    day: date
    kept: bool
    parameters: ParameterSet
    region: WageRegion
    others: list[WageRegion]  # the workers' own counties, other than the enterprise's


def plan_parameters(session: Session, plan: Any, reference: date) -> PlanParameters:
    """What the plan page and the plan document state (`reference`: the plan's reference date)."""
    if plan.parameters_used:
        parameters, region = from_snapshot(plan.parameters_used)
        return PlanParameters(parameters.day, True, parameters, region, work_regions_of(plan.parameters_used))
    return PlanParameters(reference, False, parameters_in_force(session, reference),
                          wage_region(session, plan.enterprise.region_code, reference), [])  # fmt: skip
