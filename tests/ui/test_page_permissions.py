"""The permission matrix of the web pages: every route of the URL map × role × own/other, exact outcomes.

For each role, one user who reaches the staged plans (tests/stages.py: the zombie coal firm's plans, one
at every stage) and one of the same role who does not (another enterprise, another region, another
working group), plus the administrator and an anonymous visitor. Every route is requested with GET and,
where it takes POST, with an empty POST (a valid CSRF token, no fields) at the stage where its action is
due; a route that takes an object id (an evidence file, a worker, a document kind, a notification…) is
also asked, by the user who is allowed, for another plan's or user's object ("foreign").

Outcomes: OK — a GET answers 200; an allowed POST is not refused for permission: anything below 500
but 400 (CSRF), 401, 403, 404 and 405, and a redirect not to the login page (an empty form fails
validation with 422, a button with nothing to do flashes and redirects, an action out of turn is 409);
403 — a visible plan but the wrong role; 404 — a plan or object the user may not see (its existence is
not revealed); LOGIN — a redirect to the login page (anonymous); another number — exactly that status
(405: the method is not taken). A POST that is refused must change nothing: no row added or removed in
any table, no plan's version moved, no notification marked read, no account switched. Whatever a role
without personal-data rights gets must show no roster ID number in full (approvals/privacy.py), and
nothing the "other" user gets (home page, lists, the audit trail) may name the staged plans' firm. One
test per role builds its own plans (about a second) and reports every mismatch at once in a table of
route, method, URL, relation, expected and got.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db, get_engine
from app.web.plans import TABS
from approvals.demo import make_uscc
from approvals.models import Plan, RoleGrant, RosterWorker, ServiceRecord, User
from approvals.services import api_tokens
from notifications.models import Notification
from tests import stages
from tests.conftest import World
from tests.ui.conftest import Browser

OK, LOGIN = "ok", "login"
Outcome = str | int
Access = dict[str, tuple[Outcome, Outcome]]
ROLES = ("enterprise", "union", "bureau", "working_group", "supervisor", "admin", "anonymous")
# Who sees the workers' ID numbers in full (approvals/privacy.py): on a page any other role may open,
# every ID number of the rosters must be masked.
SEES_PERSONAL_DATA = {"enterprise", "union", "bureau"}
# The firm of the staged plans: whatever the "other" user of a role gets (lists, home pages, the trail)
# must not name it.
UNSEEN = "峰峰煤业"
# The lists searched for that firm by its USCC and filtered to its industry: the "other" user finds nothing.
SEARCHES = (f"?q={make_uscc('130406', 3)}&status=all", "?industry=coal&status=all")

# Who plays each role: a user who reaches the zombie firm's plans (峰峰, 邯郸; the provincial working
# group once the review has assigned it) and one of the same role who does not. The administrator
# reaches everything and an anonymous visitor nothing: they have no "other".
PLAYERS: dict[str, tuple[str | None, str | None]] = {
    "enterprise": ("clerk_zombie", "clerk"),
    "union": ("union_zombie", "union"),
    "bureau": ("reviewer_other", "reviewer"),  # 邯郸 covers 峰峰; 唐山 does not
    "working_group": ("wg", "wg_other"),
    "supervisor": ("supervisor", "supervisor_other"),  # the province; 邢台
    "admin": ("admin", None),
    "anonymous": (None, None),
}


def access(enterprise: Any, union: Any, bureau: Any, working_group: Any, supervisor: Any, admin: Outcome,
           anonymous: Outcome) -> Access:  # fmt: skip
    """One row of outcomes: (own, other) for the first five roles, one outcome for the last two."""
    pairs = {"enterprise": enterprise, "union": union, "bureau": bureau, "working_group": working_group,
             "supervisor": supervisor}  # fmt: skip
    return {**pairs, "admin": (admin, admin), "anonymous": (anonymous, anonymous)}


# Who may do what, as (own, other) per role. The staged firm is a zombie enterprise, known to be high-risk
# before any review (approvals/rules/risk.py): its working group reaches its plans from drafting on
# (冀人社发〔2018〕38号 §六), so at every stage the group sees them and is refused only for the wrong role.
# fmt: off
#                              enterprise      union           bureau          group           supervisor      admin  anonymous
PUBLIC                = access((OK, OK),       (OK, OK),       (OK, OK),       (OK, OK),       (OK, OK),       OK,    OK)
REDIRECTS             = access((302, 302),     (302, 302),     (302, 302),     (302, 302),     (302, 302),     302,   302)
ANY_USER              = access((OK, OK),       (OK, OK),       (OK, OK),       (OK, OK),       (OK, OK),       OK,    LOGIN)
OWN_ONLY              = access((OK, 404),      (OK, 404),      (OK, 404),      (OK, 404),      (OK, 404),      OK,    LOGIN)
ENTERPRISE_STAFF      = access((OK, OK),       (403, 403),     (403, 403),     (403, 403),     (403, 403),     403,   LOGIN)
PLAN_LIST_READERS     = access((OK, OK),       (OK, OK),       (403, 403),     (403, 403),     (OK, OK),       403,   LOGIN)
AUDIT_READERS         = access((403, 403),     (403, 403),     (403, 403),     (403, 403),     (OK, OK),       OK,    LOGIN)
ADMIN_ONLY            = access((403, 403),     (403, 403),     (403, 403),     (403, 403),     (403, 403),     OK,    LOGIN)
VIEWERS               = access((OK, 404),      (OK, 404),      (OK, 404),      (OK, 404),      (OK, 404),      OK,    LOGIN)
PERSONAL_DATA         = access((OK, 404),      (OK, 404),      (OK, 404),      (403, 404),     (403, 404),     403,   LOGIN)
PERSONAL_HIDDEN       = access((OK, 404),      (OK, 404),      (OK, 404),      (404, 404),     (404, 404),     404,   LOGIN)
ENTERPRISE            = access((OK, 404),      (403, 404),     (403, 404),     (403, 404),     (403, 404),     403,   LOGIN)
ENTERPRISE_WORKER     = access((OK, 404),      (403, 404),     (403, 404),     (404, 404),     (404, 404),     404,   LOGIN)
UNION                 = access((403, 404),     (OK, 404),      (403, 404),     (403, 404),     (403, 404),     403,   LOGIN)
BUREAU                = access((403, 404),     (403, 404),     (OK, 404),      (403, 404),     (403, 404),     403,   LOGIN)
NOTHING_FOUND         = access((404, 404),     (404, 404),     (404, 404),     (404, 404),     (404, 404),     404,   404)
OBJECTION_HANDLERS    = access((OK, 404),      (403, 404),     (OK, 404),      (403, 404),     (403, 404),     403,   LOGIN)
GROUP                 = access((403, 404),     (403, 404),     (403, 404),     (OK, 404),      (403, 404),     403,   LOGIN)
SUPERVISOR            = access((403, 404),     (403, 404),     (403, 404),     (403, 404),     (OK, 404),      403,   LOGIN)
NOT_TAKEN             = access((405, 405),     (405, 405),     (405, 405),     (405, 405),     (405, 405),     405,   405)
LOGS_OUT              = access((LOGIN, LOGIN), (LOGIN, LOGIN), (LOGIN, LOGIN), (LOGIN, LOGIN), (LOGIN, LOGIN), LOGIN, LOGIN)
# fmt: on


@dataclass(frozen=True)
class Route:
    stage: str | None  # the stage of the plan the route is asked about (tests/stages.py), None: no plan
    get: Access  # NOT_TAKEN for a POST-only route
    post: Access | None = None  # None: the route takes no POST (it is not sent)
    foreign: Outcome = 404  # what the allowed own user gets for another plan's or user's object
    queries: tuple[str, ...] = ()  # more GETs of the same route, with these query strings


# Every web route, by endpoint. To add one: a line `"web.<endpoint>": Route(stage, GET access, POST access)`
# with the stage its action is due at (None when it concerns no plan) and one of the access rows above (or
# a new row, aligned with them); a new URL argument also needs a value in `arguments` below.
EXPECTED: dict[str, Route] = {
    "web.login": Route(None, PUBLIC, PUBLIC),
    "web.set_language": Route(None, REDIRECTS),  # back where the visitor was, in the language chosen
    "web.public_notice": Route(None, PUBLIC),
    "web.public_objection": Route(None, NOT_TAKEN, PUBLIC),
    "web.objection_status": Route(None, PUBLIC, NOTHING_FOUND),  # an empty lookup finds nothing
    "web.logout": Route(None, NOT_TAKEN, LOGS_OUT),  # sent last: it ends the session
    "web.home": Route(None, ANY_USER, queries=SEARCHES),  # the bureau's queue
    "web.plan_list": Route(None, PLAN_LIST_READERS, queries=SEARCHES),
    "web.tasks": Route(None, ANY_USER),
    "web.account_settings": Route(None, ANY_USER, ANY_USER),
    "web.account_password": Route(None, ANY_USER, ANY_USER),
    "web.account_token_revoke": Route(None, NOT_TAKEN, OWN_ONLY),
    "web.account_tokens_revoke_all": Route(None, NOT_TAKEN, ANY_USER),
    "web.roster_template_xlsx": Route(None, ANY_USER),
    "web.notifications": Route(None, ANY_USER),
    "web.read_notification": Route(None, NOT_TAKEN, OWN_ONLY),
    "web.read_all_notifications": Route(None, NOT_TAKEN, ANY_USER),
    "web.new_plan": Route(None, ENTERPRISE_STAFF, ENTERPRISE_STAFF),
    "web.audit_trail": Route(None, AUDIT_READERS),
    "web.audit_export": Route(None, AUDIT_READERS),
    "web.audit_verify": Route(None, AUDIT_READERS),
    "web.audit_checkpoints_export": Route(None, ADMIN_ONLY),
    "web.admin_users": Route(None, ADMIN_ONLY),
    "web.admin_user_new": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.admin_user": Route(None, ADMIN_ONLY),
    "web.admin_user_grant": Route(None, NOT_TAKEN, ADMIN_ONLY),
    "web.admin_user_revoke": Route(None, NOT_TAKEN, ADMIN_ONLY),
    "web.admin_user_active": Route(None, NOT_TAKEN, ADMIN_ONLY),
    "web.admin_user_password": Route(None, NOT_TAKEN, ADMIN_ONLY),
    "web.admin_enterprises": Route(None, ADMIN_ONLY),
    "web.admin_enterprise_new": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.admin_enterprise_edit": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.admin_regions": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.admin_working_groups": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.admin_parameters": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.admin_legal_parameters": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.admin_wage_tiers": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.admin_holidays": Route(None, ADMIN_ONLY, ADMIN_ONLY),
    "web.plan": Route("published", VIEWERS, queries=tuple(f"?tab={tab}" for tab in TABS)),
    "web.plan_process": Route("published", VIEWERS),
    "web.plan_objections": Route("published", VIEWERS),
    "web.objection_step": Route("published", NOT_TAKEN, OBJECTION_HANDLERS),  # the step comes in the form
    "web.plan_documents": Route("published", VIEWERS),
    "web.plan_document_pdf": Route("published", VIEWERS),
    "web.plan_case_file": Route("published", PERSONAL_DATA),
    "web.roster_export_xlsx": Route("published", PERSONAL_DATA),
    "web.download_evidence": Route("published", VIEWERS),
    "web.download_congress_document": Route("published", VIEWERS),
    "web.roster_worker": Route("published", PERSONAL_HIDDEN, ENTERPRISE_WORKER),
    "web.draft_plan": Route("drafting", ENTERPRISE, ENTERPRISE),
    "web.roster_upload": Route("drafting", ENTERPRISE, ENTERPRISE),
    "web.roster_commit": Route("drafting", NOT_TAKEN, ENTERPRISE),
    "web.roster_discard": Route("drafting", NOT_TAKEN, ENTERPRISE),
    "web.upload_evidence": Route("drafting", NOT_TAKEN, ENTERPRISE),
    "web.delete_evidence": Route("drafting", NOT_TAKEN, ENTERPRISE, foreign=302),  # flashes "不存在"
    "web.submit_draft": Route("drafting", NOT_TAKEN, ENTERPRISE),
    "web.resubmit": Route("drafting", ENTERPRISE, ENTERPRISE),
    "web.congress_vote": Route("congress", UNION, UNION),
    "web.review": Route("review", BUREAU, BUREAU),
    "web.verifications": Route("published", VIEWERS, BUREAU),
    "web.confirm_worker_filing": Route("review", NOT_TAKEN, BUREAU, foreign=422),  # not on this plan's roster
    "web.working_group_advice": Route("drafting", GROUP, GROUP),
    "web.remind_plan": Route("review", SUPERVISOR, SUPERVISOR),
    "web.working_group": Route("working_group", GROUP, GROUP),
    "web.publication": Route("publication", ENTERPRISE, ENTERPRISE),
    "web.start_plan_execution": Route("published", NOT_TAKEN, ENTERPRISE),
    # the services for leaving workers (冀人社发〔2018〕38号 §四): every reader follows who is short, one worker's
    # ledger is personal data, the enterprise records
    "web.execution_services": Route("executing", VIEWERS, queries=("?short=1",)),
    "web.execution_services_worker": Route("executing", PERSONAL_DATA),
    "web.record_for_worker": Route("executing", NOT_TAKEN, ENTERPRISE),  # an empty form: 422
    "web.execution_households": Route("executing", VIEWERS),
    "web.record_household_form": Route("executing", NOT_TAKEN, ENTERPRISE),  # no member named: 422
    "web.execution_ledger": Route("executing", VIEWERS, queries=("?show=overdue", "?show=open&page=2")),
    "web.close_execution": Route("executing", NOT_TAKEN, ENTERPRISE),
    "web.amend_plan": Route("executing", NOT_TAKEN, ENTERPRISE),  # no confirmation or reason: 422
    "web.execution_worker": Route("executing", PERSONAL_HIDDEN, ENTERPRISE_WORKER),
    # correcting or withdrawing an entered part or a service record: the enterprise (an empty form: 409 for
    # a part not entered, 422 without a reason)
    "web.execution_correct": Route("executing", NOT_TAKEN, ENTERPRISE),
    "web.execution_withdraw": Route("executing", NOT_TAKEN, ENTERPRISE),
    "web.correct_service_record": Route("executing", NOT_TAKEN, ENTERPRISE),
    "web.execution_upload": Route("executing", NOT_TAKEN, ENTERPRISE),
    "web.execution_template_xlsx": Route(None, ANY_USER),
}
NOT_WEB = ("static",)  # files, no permission: the stylesheet and scripts of the login page


def web_rules(app: Flask) -> dict[str, set[str]]:
    """Every route of the web (not the API, not the static files): endpoint -> its methods."""
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") or rule.endpoint in NOT_WEB:
            continue
        found.setdefault(rule.endpoint, set()).update(rule.methods or set())
    return found


def test_every_web_route_has_an_entry_and_every_entry_a_route(app):
    routes = web_rules(app)
    assert not sorted(set(routes) - set(EXPECTED)), "web routes without an entry in EXPECTED"
    assert not sorted(set(EXPECTED) - set(routes)), "entries in EXPECTED without a route"
    for endpoint, route in EXPECTED.items():
        takes_get, takes_post = "GET" in routes[endpoint], "POST" in routes[endpoint]
        assert (route.get is not NOT_TAKEN) == takes_get, f"{endpoint}: GET is {'' if takes_get else 'not '}taken"
        assert (route.post is not None) == takes_post, f"{endpoint}: POST is {'' if takes_post else 'not '}taken"


# --------------------------------------------------------------------------------------------
# The requests
# --------------------------------------------------------------------------------------------


@dataclass
class Setting:
    """What the URLs are built from: the staged plans and the ids of a few objects."""

    staged: stages.Staged
    world: World
    notifications: dict[str, int]  # username -> one of their notifications
    tokens: dict[str, int]  # username -> one of their API tokens


def arguments(setting: Setting, route: Route, role: str, foreign: bool) -> dict[str, Callable[[], Any]]:
    """A value for each URL argument (computed only for the arguments a route has): the object of the
    route's plan or of the role's user, or (`foreign`) another plan's or user's, or an unknown one."""
    staged, users = setting.staged, setting.world.users
    plan_id = staged.plans[route.stage] if route.stage else 0
    own_user = PLAYERS[role][0] or "admin"
    someone_else = "union" if own_user != "union" else "clerk"
    return {
        "plan_id": lambda: plan_id,
        "evidence_id": lambda: staged.evidence[staged.foreign if foreign else plan_id],
        "id_number": lambda: staged.workers[staged.foreign if foreign else plan_id],
        # another plan's: the one waiting for review has a vote with its documents too
        "document_id": lambda: staged.congress_documents[staged.plans["review"] if foreign else plan_id],
        "kind": lambda: "no-such-document" if foreign else "congress-vote",
        "process_id": lambda: "no_such_process" if foreign else "placement_plan",
        "token": lambda: "0" * 32 if foreign else staged.token,
        "notification_id": lambda: setting.notifications[someone_else if foreign else own_user],
        "token_id": lambda: setting.tokens[someone_else if foreign else own_user],
        "number": lambda: 1,  # a funding source of the plan
        "worker_id": lambda: db.session.scalar(
            select(func.min(RosterWorker.id)).where(
                RosterWorker.plan_id == (staged.foreign if foreign else plan_id), RosterWorker.in_scope
            )
        ),
        "objection_id": lambda: staged.objection,  # on the published plan
        "user_id": lambda: users["clerk"].id,
        "grant_id": lambda: users["union" if foreign else "clerk"].grants[0].id,
        "enterprise_id": lambda: setting.world.steel.id,
        "active": lambda: 1,
        "fmt": lambda: "csv",
        "code": lambda: "zh_CN",
        "what": lambda: "service",  # a form of a worker's services page
        "part": lambda: "agreement",  # a part of a worker's execution record
        "action": lambda: "withdraw",
        # the service recorded on the plan in execution (the test records it), or an unknown one
        "record_id": lambda: (
            db.session.scalar(
                select(func.min(ServiceRecord.id)).where(
                    ServiceRecord.plan_id == (staged.foreign if foreign else plan_id)
                )
            )
            or 0
        ),  # fmt: skip
    }


FOREIGN_ARGUMENTS = {
    "record_id",
    "evidence_id",
    "worker_id",
    "document_id",
    "id_number",
    "kind",
    "process_id",
    "token",
    "notification_id",
    "token_id",
    "grant_id",
}


def url_for_route(app: Flask, endpoint: str, values: dict[str, Callable[[], Any]]) -> str:
    rule = next(r for r in app.url_map.iter_rules(endpoint))
    missing = sorted(rule.arguments - set(values))
    assert not missing, f"{endpoint}: no value for the URL argument(s) {missing}: add them to `arguments`"
    return app.url_map.bind("localhost").build(endpoint, {name: values[name]() for name in rule.arguments})


# The stored renderings of documents and the worker's queue of them: a download (a GET) may render and keep
# one, which is no change of any record.
RENDERINGS = {"stored_document", "document_job"}


def snapshot() -> tuple[Any, ...]:
    """Everything a refused request must leave alone: every table's row count, every plan's version and
    status, which notifications are read, which accounts are active and what they were granted."""
    session = db.session
    session.expire_all()
    counts = tuple(
        session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
        if t.name not in RENDERINGS
    )
    plans = tuple(session.execute(select(Plan.id, Plan.version, Plan.status).order_by(Plan.id)).tuples())
    read = session.scalar(select(func.count()).select_from(Notification).where(Notification.read_at.is_not(None)))
    accounts = tuple(session.execute(select(User.id, User.active).order_by(User.id)).tuples())
    grants = tuple(session.scalars(select(RoleGrant.id).order_by(RoleGrant.id)))
    session.rollback()
    return counts, plans, read, accounts, grants


def got(response: Any) -> str:
    """The status as the table shows it, with where a redirect leads."""
    if response.status_code in (301, 302, 303):
        return f"{response.status_code}→{urlsplit(response.location).path}"
    return str(response.status_code)


def matches(expected: Outcome, method: str, response: Any) -> bool:
    status, shown = response.status_code, got(response)
    if expected == LOGIN:
        return shown.endswith("→/login")
    if expected != OK:
        return status == expected and not shown.endswith("→/login")
    if shown.endswith("→/login"):
        return False
    if method == "GET":
        return status == 200
    return status < 500 and status not in (400, 401, 403, 404, 405)


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    relation: str  # own, other or foreign
    expected: Outcome
    url: str
    public: bool  # a page for anyone (the public notice): it names the plan to whoever has its link

    @property
    def url_id(self) -> str:
        """The worker's ID number the URL itself names (the requester knows it already)."""
        return self.url.rsplit("/", 1)[-1].split("?")[0]


def cases(app: Flask, setting: Setting, role: str) -> list[Case]:
    """Every request of the role: GETs first, then the POSTs that must be refused, then the allowed ones
    (which may change what later requests see), logging out last."""
    found: list[Case] = []
    for endpoint, route in EXPECTED.items():
        for method, table in (("GET", route.get), ("POST", route.post)):
            if table is None:
                continue
            own, other = table[role]
            relations = [("own", own)] + ([("other", other)] if PLAYERS[role][1] else [])
            rule = next(app.url_map.iter_rules(endpoint))
            if own == OK and rule.arguments & FOREIGN_ARGUMENTS:
                relations.append(("foreign", route.foreign))
            for relation, expected in relations:
                values = arguments(setting, route, role, foreign=relation == "foreign")
                url = url_for_route(app, endpoint, values)
                for query in ("", *(route.queries if method == "GET" else ())):
                    found.append(Case(endpoint, method, relation, expected, url + query, table is PUBLIC))

    def order(case: Case) -> tuple[bool, int]:
        return (case.endpoint == "web.logout", 0 if case.method == "GET" else 1 if case.expected != OK else 2)

    return sorted(found, key=order)


def full_id_numbers(body: bytes, id_numbers: set[str]) -> list[str]:
    """The roster ID numbers a response shows in full (PDFs and spreadsheets are compressed: not read)."""
    text = body.decode("utf-8", "replace")
    return sorted(number for number in id_numbers if number in text)


def notification_of_everyone(world: World) -> dict[str, int]:
    """One unread notification for each user of the world, of no plan (the administrator hears of none)."""
    rows = {name: Notification(user_id=user.id, role=user.grants[0].role, plan_id=None, kind="plan_published",
                               payload={"title": "通知", "enterprise": "系统"})
            for name, user in world.users.items()}  # fmt: skip
    db.session.add_all(rows.values())
    db.session.commit()
    return {name: row.id for name, row in rows.items()}


def token_of_everyone(world: World) -> dict[str, int]:
    """One live API token for each user of the world."""
    for user in world.users.values():
        api_tokens.issue_token(db.session, user)
    db.session.commit()
    return {name: api_tokens.live_tokens(db.session, user)[0].id for name, user in world.users.items()}


def a_service_recorded(staged: stages.Staged) -> None:
    """One service for a worker of the plan in execution: what its correction and withdrawal are asked about."""
    plan_id = staged.plans["executing"]
    db.session.add(ServiceRecord(plan_id=plan_id, id_number=staged.workers[plan_id], kind="job_recommendation",
                                 provided_on=date.today(), provider="公共就业服务中心", result="已推荐",
                                 recorded_by_id=db.session.get(Plan, plan_id).submitted_by_id))  # fmt: skip
    db.session.commit()


@pytest.mark.parametrize("role", ROLES)
def test_every_web_route_answers_each_role_as_the_table_says(app, world, browser, role):
    staged = stages.build(db.session, get_engine(), world)
    a_service_recorded(staged)
    setting = Setting(staged, world, notification_of_everyone(world), token_of_everyone(world))
    own_name, other_name = PLAYERS[role]
    clients = {"own": browser(own_name), "other": browser(other_name), "foreign": None}
    clients["foreign"] = clients["own"]
    id_numbers = set(db.session.scalars(select(RosterWorker.id_number)))
    mismatches: list[tuple[str, ...]] = []
    baseline = snapshot()
    for case in cases(app, setting, role):
        client: Browser = clients[case.relation]
        response = client.get(case.url) if case.method == "GET" else client.post(case.url, {})
        body = response.get_data()  # a streamed download (the audit trail's CSV) runs to its end, then closes
        response.close()
        if not matches(case.expected, case.method, response):
            mismatches.append((case.endpoint, case.method, case.url, case.relation, str(case.expected), got(response)))
        elif role not in SEES_PERSONAL_DATA and (shown := full_id_numbers(body, id_numbers - {case.url_id})):
            mismatches.append((case.endpoint, case.method, case.url, case.relation, "IDs masked", f"shows {shown[0]}"))
        elif case.relation == "other" and not case.public and UNSEEN.encode() in body:
            mismatches.append((case.endpoint, case.method, case.url, case.relation, "not named", f"names {UNSEEN}"))
        if case.method == "POST":
            after = snapshot()
            if case.expected != OK and after != baseline:
                mismatches.append((case.endpoint, case.method, case.url, case.relation, "unchanged", "changed"))
            baseline = after
    table = "\n".join(f"{e:<28} {m:<4} {u:<58} {r:<7} expected {x:<9} got {g}" for e, m, u, r, x, g in mismatches)
    assert not mismatches, f"{len(mismatches)} answer(s) differ for {role}:\n{table}"
