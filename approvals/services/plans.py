"""Creating, reading and editing plans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.engine import WorkflowEngine
from approvals.errors import Conflict, Invalid, NotAllowed, NotFound
from approvals.i18n import N_, Listing, Text
from approvals.models import Enterprise, Plan, Role, User
from approvals.process import Status
from approvals.rules.content import SECTIONS, as_dict, content_hash
from approvals.rules.number_limits import check_numbers
from approvals.rules.register import REGISTER_FLAGS, register_conflicts, without_register_flags
from approvals.rules.text_limits import FIELDS, check_content
from approvals.services.drafting_group import involve_working_group
from approvals.services.evidence import with_attachments
from approvals.services.workflow import start_process


def get_plan(session: Session, user: User, plan_id: int, *, for_update: bool = False) -> Plan:
    """The plan if the user may see it, else 404 (its existence is not revealed)."""
    query = select(Plan).where(Plan.id == plan_id)
    if for_update:
        query = query.with_for_update(of=Plan)
    return policy.require_view(user, session.scalars(query).first())


def profile_of(enterprise: Enterprise) -> dict[str, Any]:
    """A new plan's profile section from the register (the zombie flag stays there: rules/register.py)."""
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "industry": enterprise.industry,
        "region_code": enterprise.region_code,
        "parent_group": enterprise.parent_group or "",
        "ownership": "",
    }


def register_flags(enterprise: Enterprise) -> dict[str, bool]:
    """The register's flags of the firm (拟出清的僵尸企业), which every reader of a plan takes from here."""
    return {key: bool(getattr(enterprise, key)) for key in REGISTER_FLAGS}


def create_plan(
    session: Session,
    engine: WorkflowEngine,
    *,
    actor: Actor,
    title: str,
    content: dict[str, Any] | None = None,
    enterprise_id: int | None = None,
) -> Plan:
    """Open a new plan in drafting for the actor's enterprise."""
    user = actor.person
    grants = user.grants_for(Role.ENTERPRISE)
    if enterprise_id is None and len(grants) == 1:
        enterprise_id = grants[0].enterprise_id
    if not any(g.enterprise_id == enterprise_id for g in grants):
        raise NotAllowed("role_required", Text(N_("只有本企业的企业经办人可以起草安置方案。")))
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound("enterprise_not_found", Text(N_("企业不存在。")))
    title = _check_title(title)
    body = {"profile": profile_of(enterprise)}
    body.update(_against_register(enterprise, _check_sections(content or {})))
    if "funding" in body:  # no file is stored yet: no source carries attachments
        body["funding"] = with_attachments(session, None, body["funding"])
    plan = Plan(
        enterprise=enterprise,
        enterprise_id=enterprise.id,
        title=title,
        content=body,
        content_hash=content_hash(title, body),
        status=Status.DRAFTING,
    )
    session.add(plan)
    session.flush()
    start_process(session, engine, plan, {"plan_id": plan.id, "passed_hash": ""})
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="plan.created", plan=plan,
                 summary={"title": title, "content_hash": plan.content_hash})  # fmt: skip
    involve_working_group(session, actor=actor, role=Role.ENTERPRISE, plan=plan)
    return plan


def update_plan(
    session: Session,
    *,
    actor: Actor,
    plan: Plan,
    title: str | None = None,
    sections: dict[str, Any] | None = None,
    expected_version: int | None = None,
    source_origins: Sequence[int | None] | None = None,
) -> Plan:
    """Replace sections of a plan in drafting; any change yields a new content hash.

    `source_origins` (with a funding section): the stored number of each source, None for a new one, so
    that evidence files follow their source (services/evidence.with_attachments)."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("修改方案"))
    if plan.status != Status.DRAFTING:
        raise Conflict("not_drafting", Text(N_("只有起草阶段的方案可以修改。")), {"status": plan.status})
    if expected_version is not None and expected_version != plan.version:
        raise Conflict("stale_version", Text(N_("方案已被他人修改，请刷新后再改。")),
                       {"expected": expected_version, "current": plan.version})  # fmt: skip
    changed = sorted((sections or {}).keys())
    new_content = dict(plan.content)
    new_content.update(_against_register(plan.enterprise, _check_sections(sections or {})))
    if "funding" in (sections or {}):  # each source keeps the files stored for it
        new_content["funding"] = with_attachments(session, plan, new_content["funding"], source_origins)
    new_title = _check_title(title) if title is not None else plan.title
    new_hash = content_hash(new_title, new_content, plan.roster_digest)
    if new_hash == plan.content_hash:
        return plan
    old_hash = plan.content_hash
    plan.title, plan.content, plan.content_hash = new_title, new_content, new_hash
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="plan.updated", plan=plan,
                 summary={"sections": changed + (["title"] if title is not None else []),
                          "from_hash": old_hash, "to_hash": new_hash})  # fmt: skip
    involve_working_group(session, actor=actor, role=Role.ENTERPRISE, plan=plan)
    return plan


def _check_title(title: str) -> str:
    title = (title or "").strip()
    limit = FIELDS["title"]
    if not title or len(title) > limit:
        message = Text(N_("方案名称须为1至%(limit)s个字符。"), limit=limit)
        raise Invalid("invalid_title", message, [{"field": "title", "rule": f"length_1_{limit}", "message": message}])
    return title


def _against_register(enterprise: Enterprise, sections: dict[str, Any]) -> dict[str, Any]:
    """The sections with the profile's register flags checked and taken out: a flag stated otherwise than
    the register is refused naming the field (rules/register.py), never silently dropped."""
    if "profile" not in sections:
        return sections
    profile = as_dict(sections["profile"])
    errors = register_conflicts(profile, register_flags(enterprise))
    if errors:
        raise Invalid("register_fact", errors[0]["message"], errors)
    return {**sections, "profile": without_register_flags(profile)}


def _check_sections(sections: dict[str, Any]) -> dict[str, Any]:
    if "roster" in sections:
        message = Text(N_("职工名单须通过导入文件提交（PUT /plans/{id}/roster），不能作为方案内容修改。"))
        raise Invalid("roster_is_a_file", message, [{"field": "roster", "rule": "import_file", "message": message}])
    unknown = [k for k in sections if k not in SECTIONS]
    if unknown:
        # the parts are named as they were sent (the caller's own words, not translated)
        raise Invalid("unknown_section", Text(N_("未知的方案部分：%(parts)s。"), parts=Listing(unknown, N_("、"))),
                      [{"field": k, "rule": "known_section", "message": Text(N_("未知的方案部分：%(parts)s。"), parts=k)}
                       for k in unknown])  # fmt: skip
    wrong = [k for k, v in sections.items() if not isinstance(v, list if k == "roster" else dict)]
    if wrong:
        raise Invalid("invalid_section", Text(N_("方案部分的格式不正确。")),
                      [{"field": k, "rule": "list" if k == "roster" else "object",
                        "message": Text(N_("“%(section)s”格式不正确。"), section=Text(SECTIONS[k]))}
                       for k in wrong])  # fmt: skip
    check_content(sections)
    check_numbers(sections)
    return sections
