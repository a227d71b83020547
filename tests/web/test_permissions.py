"""The permission matrix of the JSON API: every endpoint × role × own/other reach, exact statuses.

Statuses (README, approvals/policy.py): 401 without a valid token; 404 for a plan the user may not
see (its existence is not revealed); 403 for a visible plan but the wrong role (the role check comes
before the turn check, so every refusal is tried at the stage where the action is due); 409 for the
right role at the wrong stage.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.api.registry import ENDPOINTS
from app.documents.render import Renderer
from app.extensions import db, get_engine
from approvals import audit
from approvals.actor import SYSTEM, public
from approvals.db import utcnow
from approvals.demo import WG_MEMBERS, evidence_pdf, sample_content, sample_roster
from approvals.errors import NotAllowed
from approvals.execution.workbook import ledger_template
from approvals.execution_services.common import today as china_today
from approvals.models import (
    ApiToken,
    CongressDocument,
    Objection,
    Plan,
    PublicNotice,
    Role,
    RosterVerification,
    RosterWorker,
)
from approvals.rules.congress import VoteCounts
from approvals.rules.resident_id import check_character, mask_id
from approvals.services import accounts
from approvals.services.objections import ObjectionInput, raise_objection
from notifications.models import Notification
from tests import flow, snapshots, stages
from tests.conftest import PASSWORD, Api, add_user, reload

# --------------------------------------------------------------------------------------------
# Who is who (tests/conftest.py `world`)
# --------------------------------------------------------------------------------------------

USERS = (
    "clerk", "union", "clerk_small", "union_small", "clerk_zombie", "union_zombie",
    "reviewer", "province", "reviewer_other", "wg", "wg_other", "supervisor", "supervisor_other", "admin",
)  # fmt: skip
KIND = {
    "clerk": "enterprise", "clerk_small": "enterprise", "clerk_zombie": "enterprise",
    "union": "union", "union_small": "union", "union_zombie": "union",
    "reviewer": "bureau", "province": "bureau", "reviewer_other": "bureau",
    "wg": "working_group", "wg_other": "working_group",
    "supervisor": "supervisor", "supervisor_other": "supervisor", "admin": "admin",
}  # fmt: skip
# How a user relates to a plan, for readable test ids: (label when they see it, label when not).
RELATION = {
    "enterprise": ("own", "other"),
    "union": ("own", "other"),
    "bureau": ("in_region", "out_of_region"),
    "supervisor": ("in_region", "out_of_region"),
    "working_group": ("assigned", "unassigned"),
    "admin": ("all", "all"),
}
# Who may see a plan of each firm: the firm's own staff, bureaus and supervisors whose region
# covers it (130000 covers all; 130200 covers 迁安 130283; 130400 covers 峰峰 130406; 130500 covers
# 沙河 130582), and the administrator. The working group sees the zombie firm's plans from drafting on: the
# firm is known to be high-risk before any review (approvals/rules/risk.py; 冀人社发〔2018〕38号 §六), and the
# other firms' never (normal risk).
VISIBLE_TO = {
    "steel": {"clerk", "union", "reviewer", "province", "supervisor", "admin"},
    "small": {"clerk_small", "union_small", "province", "supervisor", "supervisor_other", "admin"},
    "zombie": {"clerk_zombie", "union_zombie", "province", "reviewer_other", "supervisor", "admin"},
}

# Who drives each firm's plan forward in the helpers below: clerk, union, reviewer.
STAFF = {
    "steel": ("clerk", "union", "reviewer"),
    "small": ("clerk_small", "union_small", "province"),
    "zombie": ("clerk_zombie", "union_zombie", "province"),
}
# The small firm (60 workers) holds a 职工大会 of all its workers; the others a 职工代表大会.
VOTES = {
    "steel": {"body_type": "workers_congress", "total": 120, "present": 100, "yes": 80, "no": 15, "abstain": 5},
    "small": {"body_type": "general_assembly", "total": 60, "present": 50, "yes": 40, "no": 6, "abstain": 4},
    "zombie": {"body_type": "workers_congress", "total": 120, "present": 100, "yes": 80, "no": 15, "abstain": 5},
}

# Every endpoint of the API, by the name the tests use for it.
ROUTES = {
    "token": ("POST", "/tokens"),
    "my_tokens": ("GET", "/tokens"),
    "revoke_token": ("DELETE", "/tokens/<int:token_id>"),
    "revoke_tokens": ("DELETE", "/tokens"),
    "change_password": ("POST", "/account/password"),
    "openapi": ("GET", "/openapi.json"),
    "list": ("GET", "/plans"),
    "create": ("POST", "/plans"),
    "get": ("GET", "/plans/<int:plan_id>"),
    "patch": ("PATCH", "/plans/<int:plan_id>"),
    "submit": ("POST", "/plans/<int:plan_id>/submit"),
    "vote": ("POST", "/plans/<int:plan_id>/congress-votes"),
    "review": ("POST", "/plans/<int:plan_id>/review"),
    "working_group": ("POST", "/plans/<int:plan_id>/working-group"),
    "publish": ("POST", "/plans/<int:plan_id>/publish"),
    "execution": ("POST", "/plans/<int:plan_id>/execution"),
    "tasks": ("GET", "/tasks"),
    "audit": ("GET", "/plans/<int:plan_id>/audit"),
    "verify": ("GET", "/audit/verify"),
    "template": ("GET", "/roster-template"),
    "roster_put": ("PUT", "/plans/<int:plan_id>/roster"),
    "roster_get": ("GET", "/plans/<int:plan_id>/roster"),
    "roster_export": ("GET", "/plans/<int:plan_id>/roster/export"),
    "revisions": ("GET", "/plans/<int:plan_id>/revisions"),
    "verify_roster": ("POST", "/plans/<int:plan_id>/verifications"),
    "verifications": ("GET", "/plans/<int:plan_id>/verifications"),
    "revision_diff": ("GET", "/plans/<int:plan_id>/revisions/<int:before>/diff/<int:after>"),
    "objections": ("GET", "/plans/<int:plan_id>/objections"),
    "objection_step": ("POST", "/plans/<int:plan_id>/objections/<int:objection_id>/steps"),
    "remind": ("POST", "/plans/<int:plan_id>/reminders"),
    "notifications": ("GET", "/notifications"),
    "unread_count": ("GET", "/notifications/unread-count"),
    "read_one": ("POST", "/notifications/<int:notification_id>/read"),
    "read_all": ("POST", "/notifications/read-all"),
    "evidence_upload": ("POST", "/plans/<int:plan_id>/funding/sources/<int:source_number>/evidence"),
    "evidence_list": ("GET", "/plans/<int:plan_id>/funding/evidence"),
    "evidence_get": ("GET", "/plans/<int:plan_id>/funding/evidence/<int:evidence_id>"),
    "evidence_delete": ("DELETE", "/plans/<int:plan_id>/funding/evidence/<int:evidence_id>"),
    "worker_get": ("GET", "/plans/<int:plan_id>/roster/<id_number>"),
    "worker_patch": ("PATCH", "/plans/<int:plan_id>/roster/<id_number>"),
    "document": ("GET", "/plans/<int:plan_id>/documents/<kind>.pdf"),
    "congress_votes": ("GET", "/plans/<int:plan_id>/congress-votes"),
    "reviews": ("GET", "/plans/<int:plan_id>/reviews"),
    "review_checklist": ("GET", "/plans/<int:plan_id>/review-checklist"),
    "working_group_records": ("GET", "/plans/<int:plan_id>/working-group-records"),
    "case_file": ("GET", "/plans/<int:plan_id>/case-file.zip"),
    "congress_document_upload": ("POST", "/plans/<int:plan_id>/congress-votes/documents/<kind>"),
    "congress_document_get": ("GET", "/plans/<int:plan_id>/congress-documents/<int:document_id>"),
    # the services for leaving workers of a plan in execution (tests/web/test_execution_services_api.py)
    "svc_list": ("GET", "/plans/<int:plan_id>/execution-services"),
    "svc_worker": ("GET", "/plans/<int:plan_id>/execution-services/workers/<id_number>"),
    "svc_service": ("POST", "/plans/<int:plan_id>/execution-services/workers/<id_number>/services"),
    "svc_difficulty": ("POST", "/plans/<int:plan_id>/execution-services/workers/<id_number>/difficulty"),
    "svc_filing": ("POST", "/plans/<int:plan_id>/execution-services/workers/<id_number>/difficulty/filing"),
    "svc_assistance": ("POST", "/plans/<int:plan_id>/execution-services/workers/<id_number>/assistance"),
    "svc_support": ("POST", "/plans/<int:plan_id>/execution-services/workers/<id_number>/self-employment"),
    "households": ("GET", "/plans/<int:plan_id>/households"),
    "household_create": ("POST", "/plans/<int:plan_id>/households"),
    "household_member": ("POST", "/plans/<int:plan_id>/households/<int:household_id>/members"),
    "member_post": ("POST", "/plans/<int:plan_id>/households/<int:household_id>/members/<int:member_id>/posts"),
    "execution_ledger": ("GET", "/plans/<int:plan_id>/execution/ledger"),
    "execution_record": ("GET", "/plans/<int:plan_id>/execution/workers/<int:worker_id>"),
    "execution_part": ("PUT", "/plans/<int:plan_id>/execution/workers/<int:worker_id>/<part>"),
    "execution_correct": ("POST", "/plans/<int:plan_id>/execution/workers/<int:worker_id>/<part>/correction"),
    "execution_withdraw": ("POST", "/plans/<int:plan_id>/execution/workers/<int:worker_id>/<part>/withdrawal"),
    "svc_correct": ("POST", "/plans/<int:plan_id>/execution-services/records/<what>/<int:record_id>/correction"),
    "svc_withdraw": ("POST", "/plans/<int:plan_id>/execution-services/records/<what>/<int:record_id>/withdrawal"),
    "execution_close": ("POST", "/plans/<int:plan_id>/execution/close"),
    "execution_amend": ("POST", "/plans/<int:plan_id>/execution/amend"),
    "execution_template": ("GET", "/execution-template"),
    "execution_bulk": ("PUT", "/plans/<int:plan_id>/execution/ledger"),
}
PUBLIC = ("token", "openapi")
ROSTER_CSV = "公民身份号码,姓名,入企时间,安置渠道\n".encode()
EVIDENCE_PDF = evidence_pdf("补充资金证明")
AUTHENTICATED = tuple(name for name in ROUTES if name not in PUBLIC)
PLAN_SCOPED = tuple(name for name, (_, rule) in ROUTES.items() if "<int:plan_id>" in rule)
WITH_BODY = (
    "create",
    "patch",
    "vote",
    "review",
    "working_group",
    "remind",
    "worker_patch",
    "change_password",
    "objection_step",
    "svc_service",
    "svc_difficulty",
    "svc_support",
    "household_create",
    "execution_part",
    "execution_amend",
)  # token has a body but no auth
SUCCESS = {"create": 201, "patch": 200, "submit": 200, "vote": 201, "review": 201, "working_group": 201,
           "publish": 200, "execution": 201, "get": 200, "audit": 200, "roster_put": 200, "roster_get": 200,
           "roster_export": 200, "remind": 201, "evidence_upload": 201, "evidence_delete": 200, "worker_patch": 200,
           "congress_document_upload": 201}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="module")
def _each_document_laid_out_once() -> Iterator[None]:
    """Every user here downloads the same documents of the same plan: WeasyPrint lays each distinct page
    out once for this module. What is checked here is who gets a document (each request still builds its
    page); tests/web/test_documents.py and test_document_rendering.py check what the documents hold."""
    laid_out: dict[str, bytes] = {}
    pdf = Renderer.pdf

    def once(self: Renderer, html: str, fetcher: Any = None, **options: Any) -> bytes:
        if fetcher is not None or options:
            return pdf(self, html, fetcher, **options)
        if html not in laid_out:
            laid_out[html] = pdf(self, html)
        return laid_out[html]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Renderer, "pdf", once)
        yield


def visible_to(firm: str, stage: str) -> set[str]:
    seen = set(VISIBLE_TO[firm])
    if firm == "zombie":
        seen.add("wg")
    return seen


def relation(user: str, firm: str, stage: str) -> str:
    seen, unseen = RELATION[KIND[user]]
    return seen if user in visible_to(firm, stage) else unseen


def built(world: Any, firm: str, stage: str, title: str | None = None, window_over: bool = False) -> int:
    """The id of a plan of `firm` driven by the core services to `stage` (tests/stages.py; the staff of STAFF
    act, with the votes of VOTES), its public notice over if `window_over`, committed; built once per test
    process, then copied (tests/snapshots.py)."""

    def build() -> int:
        _clerk_name, _union_name, reviewer_name = STAFF[firm]
        v = VOTES[firm]
        counts = VoteCounts(v["body_type"], v["total"], v["present"], v["yes"], v["no"], v["abstain"])
        enterprise = getattr(world, firm)
        plan = stages.plan_at(db.session, get_engine(), world, stage, firm=firm, reviewer=reviewer_name,
                              counts=counts, title=title or f"{enterprise.name}职工安置方案")  # fmt: skip
        if window_over:
            stages.end_notice_window(db.session, plan)
        return plan.id

    return snapshots.cached(db.session, ("plan", firm, stage, title, window_over), build)


def shown(api: Any, firm: str, stage: str, plan_id: int) -> dict[str, Any]:
    """The plan as the API shows its clerk, checked to wait at `stage`."""
    body = flow.plan(api(STAFF[firm][0]), plan_id)
    assert body["status"] == stage, f"{firm} never reaches {stage}"
    return body


def plan_at(
    api: Any, world: Any, firm: str, stage: str, title: str | None = None, window_over: bool = False
) -> dict[str, Any]:
    """built(), as the API shows it."""
    return shown(api, firm, stage, built(world, firm, stage, title, window_over))


def complete(enterprise: Any) -> dict[str, Any]:
    """A complete plan with its roster rows, for tests/flow.create."""
    return {**sample_content(enterprise), "roster": sample_roster(enterprise)}


def vote_body(firm: str, content_hash: str) -> dict[str, Any]:
    """The vote of VOTES[firm] (the plans at the congress stage have their session documents uploaded)."""
    v = VOTES[firm]
    return flow.vote_body(content_hash, total=v["total"], present=v["present"], yes=v["yes"], no=v["no"],
                          abstain=v["abstain"], body_type=v["body_type"])  # fmt: skip


def call(client: Api, name: str, world: Any, plan: dict[str, Any] | None = None, firm: str = "steel") -> Any:
    """One request to the endpoint `name`, with a body that passes validation."""
    pid = plan["id"] if plan else 1
    content_hash = plan["content_hash"] if plan else "0" * 64
    bodies: dict[str, Any] = {
        "token": {"username": "union", "password": PASSWORD},  # not the clerk, whose header is broken
        "create": {"title": "新的安置方案", "enterprise_id": world.steel.id, "content": {}},
        "patch": {"title": "职工安置方案（修订）"},
        "vote": vote_body(firm, content_hash),
        "review": {"decision": "approve", "reasons": ""},
        "verify_roster": {"method": "site_visit", "sample": "全部", "result": "属实", "workers_checked": ["x"]},
        "remind": {"message": "请加快办理。"},
        "objection_step": {"step": "accept", "text": ""},
        "worker_patch": {"remarks": "电话抽查已核实"},
        "execution_part": {"agreement_kind": "transfer", "agreement_signed_on": "2026-12-01"},
        "execution_amend": {"reason": "职工名单更正"},
        "execution_correct": {
            "reason": "日期录入错误",
            "values": {"agreement_kind": "transfer", "agreement_signed_on": "2026-12-01"},
        },
        "execution_withdraw": {"reason": "重复登记"},
        "svc_correct": {"reason": "录入错误", "values": {"provider": "另一中心"}},
        "svc_withdraw": {"reason": "重复记录"},
        "change_password": {"current_password": PASSWORD, "new_password": "Tangshan#Steel7"},
        **service_bodies(plan, firm, world),
        "working_group": {
            "members": WG_MEMBERS,
            "contact_point": "企业人力资源部",
            "findings": "已核实安置渠道和资金来源。",
            "decision": "cleared",
        },
    }
    method, rule = ROUTES[name]
    url = rule.replace("<int:plan_id>", str(pid)).replace("<int:before>", "1").replace("<int:after>", "1")
    url = url.replace("<int:notification_id>", "1").replace("<int:token_id>", "1")
    url = url.replace("<int:source_number>", "1").replace("<int:evidence_id>", str(evidence_id(plan)))
    # a worker who leaves the enterprise (self-employment) for the services, else one who transfers
    url = url.replace("<id_number>", sample_roster(getattr(world, firm))[3 if name.startswith("svc_") else 1][0])
    url = url.replace("<int:household_id>", "1").replace("<int:member_id>", "1")
    url = url.replace("<int:document_id>", str(congress_document_id(pid)))
    url = url.replace("<kind>", "minutes" if name == "congress_document_upload" else "congress-vote")
    url = url.replace("<int:objection_id>", str(objection_id(plan)))
    url = url.replace("<int:worker_id>", str(worker_id(plan))).replace("<part>", "agreement")
    url = url.replace("<what>", "service").replace("<int:record_id>", "1")
    kwargs: dict[str, Any] = {"json": bodies[name]} if name in bodies else {}
    if name == "roster_put":
        url += "?dry_run=1"
        kwargs = {"data": {"file": (io.BytesIO(ROSTER_CSV), "roster.csv")}, "content_type": "multipart/form-data"}
    if name == "execution_bulk":
        url += "?dry_run=1"
        kwargs = {
            "data": {"file": (io.BytesIO(ledger_template()), "ledger.xlsx")},
            "content_type": "multipart/form-data",
        }
    if name == "evidence_upload":
        kwargs = {"data": {"file": (io.BytesIO(EVIDENCE_PDF), "补充证明.pdf")}, "content_type": "multipart/form-data"}
    if name == "congress_document_upload":
        kwargs = {"data": {"file": (io.BytesIO(EVIDENCE_PDF), "会议记录.pdf")}, "content_type": "multipart/form-data"}
    return getattr(client, method.lower())(url, **kwargs)


def service_bodies(plan: dict[str, Any] | None, firm: str, world: Any) -> dict[str, Any]:
    """Bodies that pass validation for the services endpoints, dated today (in China)."""
    day = china_today().isoformat()
    leaving = sample_roster(getattr(world, firm))[3][0]
    post = {"kind": "employment", "employer": "迁安市某物流公司", "post": "仓储管理员", "starts_on": day}
    return {
        "svc_service": {
            "kind": "job_recommendation",
            "provided_on": day,
            "provider": "公共就业服务中心",
            "result": "已推荐",
        },
        "svc_difficulty": {"criteria": ["long_term_unemployed"], "note": "失业登记已满一年"},
        "svc_filing": {"filed_on": day, "file_number": "QA-001"},
        "svc_assistance": {"provided_on": day, "helper": "张科长", "content": "上门走访", "result": "推荐岗位"},
        "svc_support": {"kind": "incubator", "granted_on": day, "provider": "创业孵化基地"},
        "household_create": {"members": [{"id_number": leaving, "relation": "head"}]},
        "household_member": {
            "name": "王小某",
            "relation": "child",
            "sex": "M",
            "birth_date": "2000-01-01",
            "employed": False,
        },
        "member_post": post,
    }


def objection_id(plan: dict[str, Any] | None) -> int:
    """The plan's first objection (1 when there is none)."""
    found = db.session.scalar(select(func.min(Objection.id)).where(Objection.plan_id == plan["id"])) if plan else None
    return found or 1


def worker_id(plan: dict[str, Any] | None) -> int:
    """The plan's first worker kept on a changed contract (1 when there is none)."""
    found = db.session.scalar(select(func.min(RosterWorker.id)).where(
        RosterWorker.plan_id == plan["id"], RosterWorker.channel == "transformation")) if plan else None  # fmt: skip
    return found or 1


def congress_document_id(plan_id: int) -> int:
    """The first session document of the plan's votes (1 when there is none)."""
    return db.session.scalar(select(func.min(CongressDocument.id)).where(CongressDocument.plan_id == plan_id)) or 1


def evidence_id(plan: dict[str, Any] | None) -> int:
    """The first evidence file of the plan's first funding source (1 when there is none)."""
    sources = ((plan or {}).get("content") or {}).get("funding", {}).get("sources") or [{}]
    return (sources[0].get("attachments") or [{"id": 1}])[0]["id"]


def version_of(plan_id: int) -> tuple[int, str]:
    plan = reload(plan_id)
    return plan.version, plan.status


def firm_of(world: Any) -> dict[int, str]:
    return {world.steel.id: "steel", world.small.id: "small", world.zombie.id: "zombie"}


# --------------------------------------------------------------------------------------------
# The endpoint list itself
# --------------------------------------------------------------------------------------------


def test_the_matrix_covers_every_registered_endpoint():
    registered = {(ep.method, ep.rule.removeprefix("/api/v1")) for ep in ENDPOINTS}
    assert registered == set(ROUTES.values())
    public = {(ep.method, ep.rule.removeprefix("/api/v1")) for ep in ENDPOINTS if not ep.auth}
    assert public == {ROUTES[name] for name in PUBLIC}


# --------------------------------------------------------------------------------------------
# 401: no token or a bad token
# --------------------------------------------------------------------------------------------

CREDENTIALS = ("missing", "garbage", "wrong_scheme", "expired", "inactive_user")


def client_with(api: Any, world: Any, credential: str) -> Api:
    """A client for user `clerk` whose Authorization header is broken in the way named."""
    client = api(None)
    if credential == "missing":
        return client
    if credential == "garbage":
        client.headers = {"Authorization": "Bearer not-a-token"}
        return client
    user = world.users["clerk"]
    raw = accounts.issue_token(db.session, user)
    db.session.flush()
    if credential == "wrong_scheme":
        client.headers = {"Authorization": f"Basic {raw}"}
    else:
        client.headers = {"Authorization": f"Bearer {raw}"}
        if credential == "expired":
            for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
                token.expires_at = utcnow() - timedelta(minutes=1)
        else:
            user.active = False
    db.session.commit()
    return client


def collect(failures: list[str], case: str, check: Callable[[], None]) -> None:
    """Run one case's assertions; a failure is kept under the case's name so that one test reports them all."""
    try:
        check()
    except AssertionError as exc:
        failures.append(f"{case}: {exc}")


@pytest.mark.parametrize("credential", CREDENTIALS)
def test_without_a_valid_token_every_endpoint_is_401(api, world, credential):
    plan = plan_at(api, world, "steel", "drafting")  # a real plan the clerk could act on
    client = client_with(api, world, credential)
    failures: list[str] = []
    for name in AUTHENTICATED:

        def check(name: str = name) -> None:
            response = call(client, name, world, plan)
            assert response.status_code == 401, response.json
            assert response.json["error"] == "unauthorized"
            assert version_of(plan["id"]) == (plan["version"], "drafting")

        collect(failures, f"{name}-{credential}", check)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("credential", CREDENTIALS)
@pytest.mark.parametrize(("name", "status"), [("token", 201), ("openapi", 200)])
def test_tokens_and_openapi_need_no_token(api, world, name, status, credential):
    response = call(client_with(api, world, credential), name, world)
    assert response.status_code == status, response.json


def test_authentication_comes_before_body_validation(api, world):
    plan = plan_at(api, world, "steel", "drafting")
    anonymous = api(None)
    statuses = {}
    for name in WITH_BODY:
        method, rule = ROUTES[name]
        url = rule.replace("<int:plan_id>", str(plan["id"])).replace("<int:objection_id>", "1")
        url = url.replace("<int:worker_id>", "1").replace("<part>", "agreement")
        statuses[name] = anonymous.open(url, method=method).status_code
    assert statuses == dict.fromkeys(WITH_BODY, 401)


@pytest.mark.parametrize(
    ("username", "password"),
    [("clerk", "wrong-password"), ("nobody", PASSWORD)],
    ids=["wrong_password", "unknown_user"],
)
def test_a_token_needs_the_right_password(api, world, username, password):
    response = api(None).post("/tokens", json={"username": username, "password": password})
    assert response.status_code == 401
    assert response.json["error"] == "bad_credentials"
    assert "token" not in response.json


def test_a_token_from_post_tokens_opens_the_api(api, world):
    issued = api(None).post("/tokens", json={"username": "clerk", "password": PASSWORD})
    assert issued.status_code == 201
    assert api(None).get("/plans").status_code == 401
    assert Api(api(None).client, issued.json["token"]).get("/plans").status_code == 200


# --------------------------------------------------------------------------------------------
# Reading a plan: 200 or 404
# --------------------------------------------------------------------------------------------

READ_PLANS = (("steel", "drafting"), ("small", "drafting"), ("zombie", "working_group"))


# Who sees the workers' personal data (approvals/privacy.py): one worker's record and the roster export
# are refused (403) to the others who see the plan.
PERSONAL_DATA_KINDS = {"enterprise", "union", "bureau"}
PERSONAL_READS = ("worker_get", "roster_export")


DECISION_READS = ("congress_votes", "reviews", "working_group_records")
READS = ("get", "audit", "objections", "evidence_list", "evidence_get", *DECISION_READS, *PERSONAL_READS)


# What each decision list holds at the stages of READ_PLANS: a drafted plan none; the zombie plan at
# the working group its passed vote and the bureau's approval, the group not yet having recorded.
DECIDED = {
    "congress_votes": {"drafting": [], "working_group": [("passed", "workers_congress")]},
    "reviews": {"drafting": [], "working_group": [("approve", "同意")]},
    "working_group_records": {"drafting": [], "working_group": []},
}


def decisions(name: str, items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    if name == "congress_votes":
        return [(v["outcome"], v["body_type"]) for v in items]
    if name == "reviews":
        return [(r["decision"], r["decision_label"]) for r in items]
    return [(r["decision"], r["contact_point"]) for r in items]


def read_status(name: str, firm: str, stage: str, user: str) -> int:
    status = 200 if user in visible_to(firm, stage) else 404
    if status == 200 and name in PERSONAL_READS and KIND[user] not in PERSONAL_DATA_KINDS:
        status = 403
    return status


@pytest.mark.parametrize("user", USERS)
def test_reading_a_plan(api, world, user):
    """Every read endpoint on each plan of READ_PLANS, as one user: 200, 403 or 404 as read_status says."""
    ids = {(firm, stage): built(world, firm, stage) for firm, stage in READ_PLANS}
    plans = {(firm, stage): shown(api, firm, stage, plan_id) for (firm, stage), plan_id in ids.items()}
    client = api(user)
    failures: list[str] = []
    for name in READS:
        for (firm, stage), plan in plans.items():
            status = read_status(name, firm, stage, user)

            def check(name: str = name, firm: str = firm, plan: dict[str, Any] = plan, status: int = status,
                      stage: str = stage) -> None:  # fmt: skip
                response = call(client, name, world, plan, firm)
                assert response.status_code == status, response.json
                if status == 404:
                    assert response.json["error"] == "plan_not_found"
                elif status == 403:
                    assert response.json["error"] == "personal_data"
                elif name == "roster_export":
                    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                elif name == "get":
                    assert response.json["id"] == plan["id"]
                elif name == "objections":
                    assert (response.json["items"], response.json["notice"]) == ([], None)  # not published yet
                elif name == "evidence_list":
                    assert [e["source_number"] for e in response.json["items"]] == [1, 2]
                elif name == "evidence_get":
                    assert response.data.startswith(b"%PDF")
                elif name == "worker_get":
                    assert response.json["id_number"] == sample_roster(getattr(world, firm))[1][0]
                elif name in DECISION_READS:
                    assert decisions(name, response.json["items"]) == DECIDED[name][stage]
                else:
                    assert response.json["items"][0]["action"] == "plan.created"

            collect(failures, f"{name}-{firm}_{stage}-{user}-{relation(user, firm, stage)}-{status}", check)
    assert not failures, "\n".join(failures)


# The objector's ID and phone in full: the addressees of the objection and the administrator.
UNMASKED = {"enterprise", "bureau", "admin"}
OBJECTOR_ID = "13028319800315002" + check_character("13028319800315002")


def objection_params() -> list[Any]:
    params = []
    for firm in ("steel", "zombie"):
        for user in USERS:
            seen = user in visible_to(firm, "published")
            status, view = (200, "full" if KIND[user] in UNMASKED else "masked") if seen else (404, "none")
            params.append(pytest.param(firm, user, status, view,
                                       id=f"objections-{firm}_published-{user}-{relation(user, firm, 'published')}-{status}-{view}"))  # fmt: skip
    return params


@pytest.mark.parametrize(("firm", "user", "status", "view"), objection_params())
def test_reading_the_objections_of_a_published_plan(api, world, firm, user, status, view):
    plan = plan_at(api, world, firm, "published")
    notice = db.session.get(PublicNotice, plan["id"])
    given = ObjectionInput(
        name="王某", id_number=OBJECTOR_ID, phone="13812345678", text=f"本人{OBJECTOR_ID}不在名单中。"
    )
    raise_objection(db.session, actor=public("198.51.100.1"), notice=notice, given=given)
    db.session.commit()
    response = call(api(user), "objections", world, plan, firm)
    assert response.status_code == status, response.json
    if status == 404:
        assert response.json["error"] == "plan_not_found"
        return
    body = response.json
    assert body["total"] == 1
    assert body["notice"]["open"] is True
    assert body["notice"]["url"].endswith(f"/public/{notice.token}")
    item = body["items"][0]
    assert (item["name"], item["on_roster"], body["masked"]) == ("王某", False, view == "masked")
    if view == "full":
        assert (item["id_number"], item["phone"]) == (OBJECTOR_ID, "13812345678")
        assert item["text"] == f"本人{OBJECTOR_ID}不在名单中。"
    else:
        masked = OBJECTOR_ID[:6] + "********" + OBJECTOR_ID[-4:]
        assert (item["id_number"], item["phone"]) == (masked, "138****5678")
        assert item["text"] == f"本人{masked}不在名单中。"


KINDS = ("published-plan", "congress-vote", "review-opinion", "working-group")


def document_status(name: str, user: str) -> int:
    if user not in visible_to("zombie", "published"):
        return 404
    return 403 if name == "case_file" and KIND[user] not in PERSONAL_DATA_KINDS else 200


@pytest.mark.parametrize(
    ("name", "user", "status"),
    [pytest.param(name, user, document_status(name, user),
                  id=f"{name}-zombie_published-{user}-{relation(user, 'zombie', 'published')}")
     for name in ("document", "case_file") for user in USERS],
)  # fmt: skip
def test_reading_documents_and_the_case_file(api, world, name, user, status):
    """Whoever sees the plan may download each of its documents; the case file, which holds the
    rosters in full, only those who see personal data (403 for the others); outsiders get 404."""
    plan = plan_at(api, world, "zombie", "published")
    client = api(user)
    urls = ([f"/plans/{plan['id']}/documents/{kind}.pdf" for kind in KINDS] if name == "document"
            else [f"/plans/{plan['id']}/case-file.zip"])  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == status, (url, response.json)
        if status == 404:
            assert response.json["error"] == "plan_not_found"
        elif status == 403:
            assert response.json["error"] == "personal_data"
        else:
            assert response.mimetype == ("application/pdf" if name == "document" else "application/zip")
    assert version_of(plan["id"]) == (plan["version"], "published")  # reading changes nothing


@pytest.mark.parametrize("name", PLAN_SCOPED)
def test_an_invisible_plan_looks_exactly_like_a_missing_one(api, world, name):
    plan = plan_at(api, world, "steel", "drafting")
    outsider = api("clerk_small")
    hidden = call(outsider, name, world, plan)
    missing = call(outsider, name, world, {"id": plan["id"] + 1000, "content_hash": plan["content_hash"]})
    assert (hidden.status_code, hidden.json) == (missing.status_code, missing.json)
    assert hidden.status_code == 404
    assert call(api("admin"), name, world, {"id": plan["id"] + 1000, "content_hash": "x"}).status_code == 404


# --------------------------------------------------------------------------------------------
# Acting on a plan at the stage where the action is due: 2xx for the right role, 403 / 404 else
# --------------------------------------------------------------------------------------------

ACTIONS = (
    ("patch", "steel", "drafting", {"clerk"}),
    ("evidence_upload", "steel", "drafting", {"clerk"}),
    ("worker_patch", "steel", "drafting", {"clerk"}),
    ("evidence_delete", "small", "drafting", {"clerk_small"}),
    ("submit", "steel", "drafting", {"clerk"}),
    ("submit", "small", "drafting", {"clerk_small"}),
    ("vote", "steel", "congress", {"union"}),
    ("vote", "small", "congress", {"union_small"}),
    ("congress_document_upload", "steel", "congress", {"union"}),
    ("review", "steel", "review", {"reviewer", "province"}),
    ("review", "zombie", "review", {"province", "reviewer_other"}),  # not yet assigned to the group
    ("working_group", "zombie", "working_group", {"wg"}),
    ("publish", "steel", "publication", {"clerk"}),
    ("publish", "zombie", "publication", {"clerk_zombie"}),
    ("execution", "steel", "published", {"clerk"}),
    ("execution", "zombie", "published", {"clerk_zombie"}),
    ("remind", "steel", "review", {"supervisor"}),  # the 催办: supervisors whose region covers the plan
    ("remind", "small", "congress", {"supervisor", "supervisor_other"}),
    ("remind", "zombie", "working_group", {"supervisor"}),
)


@pytest.mark.parametrize(("name", "firm", "stage", "allowed"),
                         [pytest.param(*action, id=f"{action[0]}-{action[1]}_{action[2]}") for action in ACTIONS])  # fmt: skip
def test_acting_on_a_plan(api, world, name, firm, stage, allowed):
    """Everyone else is refused first (403 if they see the plan, else 404) and nothing changes; then each
    allowed user succeeds on a plan of their own at that stage."""
    assert allowed <= visible_to(firm, stage)
    window_over = name == "execution"  # execution waits for the public notice's window
    plan = plan_at(api, world, firm, stage, window_over=window_over)
    failures: list[str] = []
    for user in USERS:
        if user in allowed:
            continue
        status = 403 if user in visible_to(firm, stage) else 404

        def refused(user: str = user, status: int = status) -> None:
            response = call(api(user), name, world, plan, firm)
            assert response.status_code == status, response.json
            assert response.json["error"] == {403: "role_required", 404: "plan_not_found"}[status]
            assert version_of(plan["id"]) == (plan["version"], stage)  # nothing changed

        collect(failures, f"{name}-{firm}_{stage}-{user}-{relation(user, firm, stage)}-{status}", refused)
    for n, user in enumerate(sorted(allowed)):
        fresh = (
            plan if n == 0 else plan_at(api, world, firm, stage, window_over=window_over)
        )  # the first allowed user moved the other on

        def done(user: str = user, fresh: dict[str, Any] = fresh) -> None:
            if name == "review":  # approval needs the bureau's own roster verification (domain.md §8)
                flow.verify(api(user), fresh["id"])
                fresh = flow.plan(api(user), fresh["id"])
            trail = audit.head_of(db.session, audit.plan_chain(fresh["id"]))[0]
            response = call(api(user), name, world, fresh, firm)
            assert response.status_code == SUCCESS[name], response.json
            # The 催办 and a session document are recorded in the trail; the plan, and so its version, is unchanged.
            if name in ("remind", "congress_document_upload"):
                # (the staged plan's minutes are already uploaded: replacing them is two events)
                events = 2 if name == "congress_document_upload" else 1
                assert audit.head_of(db.session, audit.plan_chain(fresh["id"]))[0] == trail + events
                assert version_of(fresh["id"]) == (fresh["version"], stage)
            else:
                assert version_of(fresh["id"]) != (fresh["version"], stage)

        collect(failures, f"{name}-{firm}_{stage}-{user}-{relation(user, firm, stage)}-{SUCCESS[name]}", done)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("user", "status"),
    [pytest.param(u, 201 if u == "clerk" else 403, id=f"create-steel-{u}-{relation(u, 'steel', 'drafting')}-{201 if u == 'clerk' else 403}")
     for u in USERS],
)  # fmt: skip
def test_creating_a_plan_for_the_steel_firm(api, world, user, status):
    response = call(api(user), "create", world)
    assert response.status_code == status, response.json
    count = db.session.scalar(select(func.count()).select_from(Plan))
    if status == 201:
        assert response.json["enterprise"]["id"] == world.steel.id
        assert count == 1
    else:
        assert response.json["error"] == "role_required"
        assert count == 0


# --------------------------------------------------------------------------------------------
# Right role, wrong stage: 409
# --------------------------------------------------------------------------------------------

OUT_OF_TURN = (
    ("patch", "steel", "congress", "clerk", "not_drafting"),
    ("patch", "zombie", "working_group", "clerk_zombie", "not_drafting"),
    ("evidence_upload", "steel", "congress", "clerk", "not_drafting"),
    ("worker_patch", "zombie", "working_group", "clerk_zombie", "not_drafting"),
    ("evidence_delete", "steel", "published", "clerk", "not_drafting"),
    ("submit", "steel", "congress", "clerk", "out_of_turn"),
    ("submit", "steel", "published", "clerk", "out_of_turn"),
    ("vote", "steel", "drafting", "union", "out_of_turn"),
    ("vote", "steel", "review", "union", "out_of_turn"),
    ("congress_document_upload", "steel", "drafting", "union", "out_of_turn"),
    ("congress_document_upload", "steel", "review", "union", "out_of_turn"),
    ("review", "steel", "drafting", "reviewer", "out_of_turn"),
    ("review", "steel", "congress", "province", "out_of_turn"),
    ("review", "zombie", "working_group", "reviewer_other", "out_of_turn"),
    ("working_group", "zombie", "publication", "wg", "out_of_turn"),
    ("working_group", "zombie", "published", "wg", "out_of_turn"),
    ("publish", "steel", "review", "clerk", "out_of_turn"),
    ("publish", "zombie", "working_group", "clerk_zombie", "out_of_turn"),
    ("publish", "steel", "published", "clerk", "out_of_turn"),
    ("execution", "steel", "executing", "clerk", "already_executing"),
    # (a plan with nothing to remind of is one carried out: tests/ui/test_supervisor_reminder.py)
    ("execution_part", "steel", "published", "clerk", "not_executing"),
    ("execution_close", "steel", "published", "clerk", "not_executing"),
)


@pytest.mark.parametrize(
    ("name", "firm", "stage", "user", "error"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}_{case[2]}-{case[3]}-409") for case in OUT_OF_TURN],
)
def test_right_role_at_the_wrong_stage_is_409(api, world, name, firm, stage, user, error):
    plan = plan_at(api, world, firm, stage)
    response = call(api(user), name, world, plan, firm)
    assert response.status_code == 409, response.json
    assert response.json["error"] == error
    if error in ("out_of_turn", "not_drafting"):
        assert response.json["details"]["status"] == stage
    assert version_of(plan["id"]) == (plan["version"], stage)


@pytest.mark.parametrize(
    ("firm", "stage", "unmet"),
    [
        ("steel", "drafting", ["congress_passed", "bureau_approved", "published", "notice_window_over"]),
        ("steel", "review", ["bureau_approved", "published", "notice_window_over"]),
        ("steel", "publication", ["published", "notice_window_over"]),
        ("zombie", "working_group", ["working_group_cleared", "published", "notice_window_over"]),
    ],
    ids=lambda v: "+".join(v) if isinstance(v, list) else v,
)
def test_execution_of_an_unpublished_plan_is_409_naming_every_unmet_precondition(api, world, firm, stage, unmet):
    plan = plan_at(api, world, firm, stage)
    clerk = api(STAFF[firm][0])
    response = call(clerk, "execution", world, plan, firm)
    assert response.status_code == 409, response.json
    assert response.json["error"] == "execution_refused"
    assert [c["key"] for c in response.json["details"]["unmet"]] == unmet
    assert not any(c["met"] for c in response.json["details"]["unmet"])
    after = flow.plan(clerk, plan["id"])
    assert (after["status"], after["execution_started_at"]) == (stage, None)


def test_no_role_bypasses_the_execution_gate_not_even_admin(api, world):
    plan = plan_at(api, world, "steel", "published", window_over=True)
    response = call(api("admin"), "execution", world, plan)
    assert response.status_code == 403
    assert response.json["error"] == "role_required"
    assert response.json["details"] == {"role": "enterprise"}
    assert reload(plan["id"]).execution_started_at is None
    assert call(api("clerk"), "execution", world, plan).status_code == 201  # only the enterprise may


# --------------------------------------------------------------------------------------------
# Lists: GET /plans, GET /tasks, GET /audit/verify
# --------------------------------------------------------------------------------------------

ALL = {"steel", "small", "zombie"}
LISTED = {
    "clerk": {"steel"},
    "union": {"steel"},
    "clerk_small": {"small"},
    "union_small": {"small"},
    "clerk_zombie": {"zombie"},
    "union_zombie": {"zombie"},
    "reviewer": {"steel"},
    "province": ALL,
    "reviewer_other": {"zombie"},
    "wg": {"zombie"},  # assigned after the review found it high-risk
    "wg_other": set(),  # its region covers 沙河, but nothing is assigned to it
    "supervisor": ALL,
    "supervisor_other": {"small"},
    "admin": ALL,
}


@pytest.mark.parametrize(("user", "expected"), [pytest.param(u, LISTED[u], id=f"{u}-{len(LISTED[u])}") for u in USERS])
def test_plan_list_holds_only_visible_plans(api, world, user, expected):
    for firm, stage in READ_PLANS:
        shown(api, firm, stage, built(world, firm, stage))
    response = api(user).get("/plans")
    assert response.status_code == 200
    firms = firm_of(world)
    assert response.json["total"] == len(expected)
    assert {firms[item["enterprise"]["id"]] for item in response.json["items"]} == expected


# Four plans: steel at the congress, steel (a second one) at review, small at drafting, zombie at the group.
TASKS = {
    "clerk": set(),
    "union": {("steel_congress", "congress_vote")},
    "clerk_small": {("small_drafting", "draft_plan")},
    "union_small": set(),
    "clerk_zombie": set(),
    "union_zombie": set(),
    "reviewer": {("steel_review", "bureau_review")},
    "province": {("steel_review", "bureau_review")},
    "reviewer_other": set(),
    "wg": {("zombie_working_group", "form_working_group")},
    "wg_other": set(),
    "supervisor": set(),
    "supervisor_other": set(),
    "admin": set(),
}


@pytest.mark.parametrize(("user", "expected"), [pytest.param(u, TASKS[u], id=f"{u}-{len(TASKS[u])}") for u in USERS])
def test_task_list_holds_only_tasks_in_the_users_lanes_within_reach(api, world, user, expected):
    wanted = [
        ("steel_congress", "steel", "congress"),
        ("steel_review", "steel", "review"),
        ("small_drafting", "small", "drafting"),
        ("zombie_working_group", "zombie", "working_group"),
    ]
    ids = {key: (firm, stage, built(world, firm, stage, title=f"{key}方案")) for key, firm, stage in wanted}
    plans = {shown(api, firm, stage, plan_id)["id"]: key for key, (firm, stage, plan_id) in ids.items()}
    response = api(user).get("/tasks")
    assert response.status_code == 200
    assert {(plans[t["plan_id"]], t["task"]) for t in response.json["items"]} == expected
    assert len(response.json["items"]) == len(expected)


@pytest.mark.parametrize(
    ("user", "status"),
    [pytest.param(u, 200 if KIND[u] in ("supervisor", "admin") else 403, id=u) for u in USERS],
)
def test_only_supervisors_and_admin_may_verify_the_audit_chain(api, world, user, status):
    plan_at(api, world, "steel", "congress")
    response = api(user).get("/audit/verify")
    assert response.status_code == status, response.json
    if status == 200:
        assert response.json["ok"] is True
        # A city supervisor verifies their region only: 邢台's has no plan, and no administration chain.
        assert (response.json["checked"] > 0) is (user != "supervisor_other")
    else:
        assert response.json["error"] == "role_required"


@pytest.mark.parametrize(
    ("firm", "stage", "status"),
    [
        ("zombie", "drafting", 200),  # known high-risk: the group helps draw up the plan (§六)
        ("zombie", "congress", 200),
        ("zombie", "review", 200),
        ("zombie", "working_group", 200),
        ("zombie", "published", 200),
        ("steel", "drafting", 404),  # normal risk: never assigned
        ("steel", "published", 404),
    ],
    ids=lambda v: str(v),
)
def test_working_group_sees_a_known_high_risk_plan_from_drafting_and_no_other(api, world, firm, stage, status):
    plan = plan_at(api, world, firm, stage)
    wg, wg_other = api("wg"), api("wg_other")
    assert wg.get(f"/plans/{plan['id']}").status_code == status
    assert wg.get("/plans").json["total"] == (1 if status == 200 else 0)
    assert wg_other.get(f"/plans/{plan['id']}").status_code == 404  # the zombie firm is not in 邢台's group


# --------------------------------------------------------------------------------------------
# Separation of duties
# --------------------------------------------------------------------------------------------


def test_the_submitter_may_not_review_the_plan_even_with_a_bureau_grant(api, world):
    dual = add_user("dual", Role.ENTERPRISE, enterprise=world.steel)
    accounts.grant_role(db.session, actor=SYSTEM, user=dual, role=Role.BUREAU, region_code="130200")
    db.session.commit()
    world.users["dual"] = dual
    plan = flow.create(api("dual"), complete(world.steel))
    flow.submit(api("dual"), plan["id"])
    plan = flow.vote(api("union"), plan["id"], plan["content_hash"])
    assert plan["status"] == "review"
    assert ("bureau_review", "bureau") in {(t["task"], t["lane"]) for t in plan["open_tasks"]}
    response = call(api("dual"), "review", world, plan)
    assert response.status_code == 403, response.json
    assert response.json["error"] == "separation_of_duties"
    assert version_of(plan["id"]) == (plan["version"], "review")
    flow.verify(api("reviewer"), plan["id"])  # approval needs the bureau's own roster verification
    assert call(api("reviewer"), "review", world, plan).status_code == 201  # another reviewer may


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.UNION])
def test_staff_or_union_of_the_enterprise_may_not_review_its_plan(api, world, role):
    insider = add_user("insider", role, enterprise=world.steel)
    accounts.grant_role(db.session, actor=SYSTEM, user=insider, role=Role.BUREAU, region_code="130200")
    db.session.commit()
    world.users["insider"] = insider
    plan = flow.create(api("clerk"), complete(world.steel))
    flow.submit(api("clerk"), plan["id"])
    plan = flow.vote(api("union"), plan["id"], plan["content_hash"])
    response = call(api("insider"), "review", world, plan)
    assert response.status_code == 403, response.json
    assert response.json["error"] == "separation_of_duties"
    assert "本企业" in response.json["message"]


@pytest.mark.parametrize(
    ("role", "firm", "status"),
    [(Role.ENTERPRISE, "zombie", 403), (Role.UNION, "zombie", 403), (Role.ENTERPRISE, "steel", 201)],
    ids=["enterprise_of_the_zombie_firm", "union_of_the_zombie_firm", "enterprise_of_another_firm"],
)
def test_a_group_member_from_the_enterprise_under_review_may_not_act_for_the_group(api, world, role, firm, status):
    insider = add_user("insider", Role.WORKING_GROUP, working_group=world.group)
    accounts.grant_role(db.session, actor=SYSTEM, user=insider, role=role, enterprise=getattr(world, firm))
    db.session.commit()
    world.users["insider"] = insider
    plan = plan_at(api, world, "zombie", "working_group")
    response = call(api("insider"), "working_group", world, plan, "zombie")
    assert response.status_code == status, response.json
    if status == 403:
        assert response.json["error"] == "separation_of_duties"
        assert version_of(plan["id"]) == (plan["version"], "working_group")


@pytest.mark.parametrize(
    ("first", "second"),
    [(Role.ENTERPRISE, Role.UNION), (Role.UNION, Role.ENTERPRISE)],
    ids=["enterprise_then_union", "union_then_enterprise"],
)
def test_one_person_may_not_be_clerk_and_union_of_one_enterprise(world, first, second):
    person = add_user("person", first, enterprise=world.steel)
    with pytest.raises(NotAllowed) as refused:
        accounts.grant_role(db.session, actor=SYSTEM, user=person, role=second, enterprise=world.steel)
    assert refused.value.code == "separation_of_duties"
    assert [g.role for g in person.grants] == [first]
    # The same pair for two different enterprises is allowed.
    accounts.grant_role(db.session, actor=SYSTEM, user=person, role=second, enterprise=world.small)
    assert sorted(g.role for g in person.grants) == sorted([first, second])


# --------------------------------------------------------------------------------------------
# The notification centre: every user has one, and sees only their own
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", USERS)
def test_every_user_reads_only_their_own_notifications(api, world, user):
    plan_at(api, world, "steel", "review")  # notices for the union, the clerk and the two bureaus
    client, me = api(user), world.users[user].id
    mine = db.session.scalars(select(Notification.id).where(Notification.user_id == me)).all()
    # those about a task already done (the union's vote) were marked then (notifications.connect)
    waiting = db.session.scalars(select(Notification.id).where(Notification.user_id == me,
                                                               Notification.read_at.is_(None))).all()  # fmt: skip
    listed = client.get("/notifications")
    assert listed.status_code == 200
    assert sorted(i["id"] for i in listed.json["items"]) == sorted(mine)
    assert client.get("/notifications/unread-count").json == {"unread": len(waiting)}
    other = db.session.scalars(select(Notification.id).where(Notification.user_id != me,
                                                             Notification.read_at.is_(None))).first()  # fmt: skip
    refused = client.post(f"/notifications/{other}/read")
    assert (refused.status_code, refused.json["error"]) == (404, "notification_not_found")
    assert client.post("/notifications/read-all").json == {"marked": len(waiting), "unread": 0}
    db.session.expire_all()
    assert db.session.get(Notification, other).read_at is None


# --------------------------------------------------------------------------------------------
# The bureau's roster verifications: the workers checked, as the privacy rule shows them
# --------------------------------------------------------------------------------------------


def test_verification_records_mask_the_workers_for_those_without_personal_data(api, world):
    staged = stages.build(db.session, get_engine(), world)  # the published plan's last verification: build's own
    plan_id = staged.plans["published"]
    checked = sorted(db.session.scalars(select(RosterVerification.workers_checked)
                                        .where(RosterVerification.plan_id == plan_id)
                                        .order_by(RosterVerification.id.desc()).limit(1)).one())  # fmt: skip
    assert len(checked) == 2
    masked = [mask_id(number) for number in checked]
    failures: list[str] = []
    for user in USERS:

        def check(user: str = user) -> None:
            response = api(user).get(f"/plans/{plan_id}/verifications")
            if user not in visible_to("zombie", "published"):
                assert (response.status_code, response.json["error"]) == (404, "plan_not_found")
                return
            assert response.status_code == 200, response.json
            record = response.json["items"][-1]  # oldest first; the first is the one approval needed
            shown = checked if KIND[user] in PERSONAL_DATA_KINDS else masked
            assert (record["workers_checked"], record["result"]) == (shown, f"{shown[0]}等属实")

        collect(failures, f"verifications-zombie_published-{user}-{relation(user, 'zombie', 'published')}", check)
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------------------------
# Handling an objection: the plan's enterprise takes the steps, its bureau reopens (domain.md §8)
# --------------------------------------------------------------------------------------------


def objection_on(plan: dict[str, Any]) -> int:
    notice = db.session.get(PublicNotice, plan["id"])
    given = ObjectionInput(name="王某", id_number=OBJECTOR_ID, phone="13812345678", text="本人不在名单中。")
    objection = raise_objection(db.session, actor=public("198.51.100.1"), notice=notice, given=given)
    db.session.commit()
    return objection.id


HANDLES = {"clerk_zombie": 201}  # the bureau only reopens (403 for 受理), the others see it at most


@pytest.mark.parametrize("user", USERS)
def test_handling_an_objection_of_the_zombie_firm(api, world, user):
    plan = plan_at(api, world, "zombie", "published")
    objection_on(plan)
    response = call(api(user), "objection_step", world, plan, "zombie")
    seen = user in visible_to("zombie", "published")
    expected = HANDLES.get(user, 403 if seen else 404)
    assert response.status_code == expected, response.json
    error = {201: None, 409: "objection_out_of_order", 403: "role_required", 404: "plan_not_found"}[expected]
    if error:
        assert response.json["error"] == error
    else:
        assert (response.json["status"], response.json["steps"][0]["step"]) == ("accepted", "accept")
    stored = db.session.scalars(select(Objection)).one()
    db.session.refresh(stored)
    assert stored.status == ("accepted" if expected == 201 else "received")
