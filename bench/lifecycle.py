"""Lifecycle benchmark: N plans through the whole approval process, per transition.

Run from the repository root:
  .venv/bin/python bench/lifecycle.py [--plans N | --quick] [--skip-http] [--sync full|normal]

Variants, run INTERLEAVED in rounds (a batch of plans per variant, order rotated every round) so
that drifts in machine speed hit all of them alike:

  service  the use cases (approvals.services) on a fresh session per transition: load the user,
           lock the plan, call the use case, commit; SQLite file database in a temp dir
  http     the JSON API over a real socket: gunicorn (1 worker, gthread, keep-alive) in a child
           process on 127.0.0.1, one keep-alive http.client connection, bearer tokens obtained
           before timing; the server reports SQL statements and in-app time in response headers
  floor    raw SpiffWorkflow persisted in stdlib sqlite3 (one table id -> JSON, stock serializer
           with the spec embedded): select, deserialize, complete, serialize, update, commit
  adapter  (extra, for attribution) the app's WorkflowEngine (instance-only state, restricted
           script engine) persisted in stdlib sqlite3 with a ready-task column; no ORM/services
  inmem    raw SpiffWorkflow in memory: parsed once, task.data.update + task.run +
           do_engine_steps, no serialization

Paths: 1 plan in 5 is high-risk (zombie enterprise -> joint working group), 1 in 10 is returned
once by the reviewer (resubmitted unchanged, so the vote is skipped); the rest go straight through.
Transition types: create, submit, vote, review, working_group (form + findings in one call, as
the API does it), publish.

SQL statements are counted per transition with a before_cursor_execute listener on the app's
engine (BEGIN/COMMIT are not cursor statements and are not counted). Besides wall time, the CPU
time of each transition is recorded (process CPU; for http the server thread's CPU inside the app),
which is far less sensitive to other load on the machine and shows what the fsync costs.

Email is on (MAIL_HOST set, every user with an address), as an installation with a mail server runs:
each notification then also writes its outbox row in the transition's transaction, and those statements
are counted. Nothing is sent: the worker delivers, and none runs here.

Ratios, all measured in the same run: against the floor (raw SpiffWorkflow in plain SQLite) and against
the adapter (the app's own engine in plain SQLite: the like-for-like baseline, same state and pragmas), as
ratios of medians and paired per round. The congress documents are uploaded untimed before the vote in
both the service and the HTTP variants.

Rows per plan (every table with the plan's id, the email outbox through its notification) are counted
after the run: every plan of a script must leave the same rows, the run's last plan as its first (rows
that grow with the plans already in the database would show), the API's plans as the use cases', and each
return of the long-lived plan must add as many rows as the one before.

The last line printed is one JSON object with the figures, the targets and `ok`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import _common as c
from SpiffWorkflow.version import __version__ as spiff_version
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app import create_app
from app.extensions import db, get_engine
from approvals.actor import SYSTEM, Actor
from approvals.db import utcnow
from approvals.demo import (
    WG_MEMBERS,
    attach_congress_documents,
    ballots_for,
    counts_passing,
    evidence_pdf,
    fund_fully,
    make_uscc,
    roster_csv,
    sample_content,
    sample_roster,
    seed_wage_parameters,
    verify_roster,
)
from approvals.execution.deadlines import check_cycle
from approvals.models import Enterprise, HumanTask, Plan, Region, Role, User, WorkflowInstance
from approvals.regions import HEBEI_REGIONS
from approvals.services import accounts
from approvals.services import plans as plan_service
from approvals.services.congress import record_congress_vote
from approvals.services.evidence import add_evidence
from approvals.services.publication import publish_plan
from approvals.services.return_reasons import open_reasons
from approvals.services.review import review_plan
from approvals.services.roster import import_roster
from approvals.services.submission import submit_plan
from approvals.services.working_group import record_working_group
from approvals.workdays import local_date

PASSWORD = "Bench#2026-pw"  # noqa: S105 (a throw-away database)
HELD_ON = local_date(utcnow())  # the session is held after the submission, not before it
CONGRESS_THRESHOLD = 100
# The raw variants' timers (the services compute them in working days).
DEADLINES = {"review_deadline": "P20D", "vote_deadline": "P15D"}
RETURN_REASONS = "内部退养人员协议未附，请补充后重新提交。"
ANSWER = "已补充内部退养人员协议。"  # the clerk's answer to the return's reason at resubmission
CONTACT = "企业人力资源部"
FINDINGS = "已核实安置渠道和资金来源，方案可行。"
WORKERS = 20  # roster size of each plan (approvals.demo.sample_content)

TYPES = ("create", "submit", "vote", "review", "working_group", "publish")
SCRIPTS = {
    "normal": ("create", "submit", "vote", "review", "publish"),
    "returned": ("create", "submit", "vote", "review_return", "submit", "review", "publish"),
    "high": ("create", "submit", "vote", "review", "working_group", "publish"),
}
TYPE_OF = {"review_return": "review"}

TARGETS = {  # name: (limit, comparison)
    "service_median_ms": (10.0, "<"),
    "http_median_ms": (15.0, "<"),
    "service_over_floor": (5.0, "<="),
    "http_over_floor": (5.0, "<="),
    "sql_per_transition_max": (15, "<="),
    "returned20_load_save_ms": (5.0, "<"),
    # rows per plan: every plan of a script leaves the same rows, the run's last as its first (no growth with the
    # plans already there), the API as the use cases, and each return of the long-lived plan as many as the last
    "rows_per_plan_spread": (0, "<="),
    "rows_http_vs_service": (0, "<="),
    "rows_per_return_spread": (0, "<="),
}
PEER = "spiff-arena: 38 ms/transition (service), 52 ms (HTTP), 57-66 SQL statements per completion"


cpu_ns = time.process_time_ns


def kind_of(i: int) -> str:
    if i % 5 == 4:
        return "high"
    if i % 10 == 2:
        return "returned"
    return "normal"


# -- results ------------------------------------------------------------------------------------


@dataclass
class Sample:
    variant: str
    type: str
    ms: float
    round: int
    cpu_ms: float | None = None
    sql: int | None = None
    server_ms: float | None = None


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    # the statements of the transition with the most statements, per (variant, type)
    worst_sql: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    round: int = -1

    def recorder(self, variant: str) -> Callable[..., None]:
        def rec(step: str, ns: int, *, cpu_ns: int | None = None, labels: list[str] | None = None,
                server_ns: int | None = None) -> None:  # fmt: skip
            kind = TYPE_OF.get(step, step)
            self.samples.append(Sample(variant, kind, ns / 1e6, self.round,
                                       None if cpu_ns is None else cpu_ns / 1e6,
                                       None if labels is None else len(labels),
                                       None if server_ns is None else server_ns / 1e6))  # fmt: skip
            if labels is not None:
                key = (variant, kind)
                if key not in self.worst_sql or len(labels) > len(self.worst_sql[key]):
                    self.worst_sql[key] = labels

        return rec

    def ms(self, variant: str, kind: str | None = None, round_: int | None = None) -> list[float]:
        return [s.ms for s in self.samples if s.variant == variant and (kind is None or s.type == kind)
                and (round_ is None or s.round == round_)]  # fmt: skip

    def cpu(self, variant: str, kind: str | None = None) -> list[float]:
        return [s.cpu_ms for s in self.samples
                if s.variant == variant and s.cpu_ms is not None and (kind is None or s.type == kind)]  # fmt: skip

    def sql(self, variant: str, kind: str | None = None) -> list[int]:
        return [s.sql for s in self.samples
                if s.variant == variant and s.sql is not None and (kind is None or s.type == kind)]  # fmt: skip

    def server_ms(self, variant: str, kind: str | None = None) -> list[float]:
        return [s.server_ms for s in self.samples
                if s.variant == variant and s.server_ms is not None and (kind is None or s.type == kind)]  # fmt: skip


def _noop(*_args: Any, **_kwargs: Any) -> None:
    pass


# -- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    firms: dict[str, int]  # "steel" | "zombie" -> enterprise id
    users: dict[str, int]  # username -> user id
    contents: dict[str, Callable[[int], dict[str, Any]]]
    rosters: dict[str, Callable[[int], bytes]]


def build_world() -> World:
    """Regions, a steel-like enterprise, a zombie coal firm, a provincial working group and one
    user per role. Users are created directly: password hashing happens once, here."""
    session = db.session
    for code, name, level, parent in HEBEI_REGIONS:
        session.add(Region(code=code, name=name, level=level, parent_code=parent))
    session.flush()
    seed_wage_parameters(session)
    steel = accounts.create_enterprise(session, actor=SYSTEM, name="冀东示范钢铁有限公司",
                                       uscc=make_uscc("130283", 700001), industry="steel",
                                       region_code="130283", headcount=1200,
                                       parent_group="河北示范钢铁集团有限公司")  # fmt: skip
    zombie = accounts.create_enterprise(session, actor=SYSTEM, name="冀南示范煤业有限公司",
                                        uscc=make_uscc("130406", 700002), industry="coal",
                                        region_code="130406", headcount=860, zombie=True,
                                        parent_group="冀中示范能源集团有限公司")  # fmt: skip
    group = accounts.create_working_group(session, actor=SYSTEM, name="河北省联合工作组", region_code="130000")
    password_hash = generate_password_hash(PASSWORD)

    def user(username: str, role: Role, **reach: Any) -> int:
        u = User(username=username, display_name=username, password_hash=password_hash,
                 email=f"{username}@bench.invalid")  # every notification of theirs is mailed too  # fmt: skip
        session.add(u)
        session.flush()
        accounts.grant_role(session, actor=SYSTEM, user=u, role=role, **reach)
        return u.id

    users = {
        "clerk": user("clerk", Role.ENTERPRISE, enterprise=steel),
        "union": user("union", Role.UNION, enterprise=steel),
        "clerk_z": user("clerk_z", Role.ENTERPRISE, enterprise=zombie),
        "union_z": user("union_z", Role.UNION, enterprise=zombie),
        "reviewer": user("reviewer", Role.BUREAU, region_code="130000"),
        "wg": user("wg", Role.WORKING_GROUP, working_group=group),
    }
    firms = {"steel": steel.id, "zombie": zombie.id}
    session.commit()
    # sample_content only reads plain columns: keep detached copies to build contents untimed
    snapshots = {k: Enterprise(**{col: getattr(e, col) for col in
                                  ("id", "name", "uscc", "industry", "region_code", "headcount", "zombie",
                                   "parent_group")})
                 for k, e in (("steel", steel), ("zombie", zombie))}  # fmt: skip
    db.session.remove()
    contents = {k: (lambda seed, e=e: sample_content(e, workers=WORKERS, seed=seed)) for k, e in snapshots.items()}
    rosters = {
        k: (lambda seed, e=e: roster_csv(sample_roster(e, workers=WORKERS, seed=seed))) for k, e in snapshots.items()
    }
    return World(firms, users, contents, rosters)


def prepare(world: World, plan_id: int, kind: str, seed: int) -> str:
    """Untimed, between 'create' and 'submit': import the plan's roster and fund it, as a clerk does
    before submitting (the import has its own benchmark, bench/roster_import.py). Returns the new hash."""
    firm = "zombie" if kind == "high" else "steel"
    user = db.session.get(User, world.users[people(kind)[0]])
    assert user is not None
    actor = Actor(user, "127.0.0.1")
    plan = db.session.get(Plan, plan_id)
    assert plan is not None
    report = import_roster(db.session, actor=actor, plan=plan, data=world.rosters[firm](seed), filename="roster.csv",
                           dry_run=False)  # fmt: skip
    assert report.committed, report.errors[:3]
    funding = fund_fully(plan.content["funding"])
    plan_service.update_plan(db.session, actor=actor, plan=plan, sections={"funding": funding})
    for number, source in enumerate(funding["sources"], start=1):  # a source counts as secured with its evidence
        add_evidence(db.session, actor=actor, plan=plan, source_number=number, data=evidence_pdf(source["evidence"]),
                     filename=f"{source['evidence']}.pdf")  # fmt: skip
    db.session.commit()
    content_hash = plan.content_hash
    db.session.remove()
    return content_hash


def upload_session_documents(world: World, plan_id: int, kind: str) -> None:
    """Untimed, before 'vote': the union uploads the session's minutes, resolution and attendance sheet
    (their upload is not part of recording the vote)."""
    user = db.session.get(User, world.users[people(kind)[1]])
    plan = db.session.get(Plan, plan_id)
    assert user is not None
    assert plan is not None
    attach_congress_documents(db.session, Actor(user, "127.0.0.1"), plan)
    db.session.commit()
    db.session.remove()


def verify_before_approval(world: World, plan_id: int) -> None:
    """Untimed, before an approval: the bureau's own roster verification, which approval needs (domain.md §8;
    recording it is a use case of its own, not part of the review)."""
    user = db.session.get(User, world.users["reviewer"])
    plan = db.session.get(Plan, plan_id)
    assert user is not None
    assert plan is not None
    verify_roster(db.session, Actor(user, "127.0.0.1"), plan)
    db.session.commit()
    db.session.remove()


def people(kind: str) -> tuple[str, str]:
    return ("clerk_z", "union_z") if kind == "high" else ("clerk", "union")


# -- what each step sends to the engine (baselines) ---------------------------------------------


def risk_inputs(kind: str) -> dict[str, Any]:
    """What review_plan sends for our sample plans (approvals.services.review.risk_inputs)."""
    headcount = 860 if kind == "high" else 1200
    return {"zombie": kind == "high", "open_disputes": 0, "arrears_amount": 0.0, "workers_to_place": WORKERS,
            "share_to_place": WORKERS / headcount, "approval_ratio": 100 / 120, "funding_gap": 0.0,
            "mass_layoff": False}  # fmt: skip


def engine_calls(step: str, i: int, kind: str, ctx: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The (user task, data) completions one transition makes, as the services make them."""
    content_hash = f"hash-{i}"
    if step == "submit":
        return [("draft_plan", {"plan_complete": True, "content_hash": content_hash, **DEADLINES,
                                "passed_hash": content_hash if ctx.get("voted") else ""})]  # fmt: skip
    if step == "vote":
        ctx["voted"] = True
        return [("congress_vote", {"vote_result": "passed", **DEADLINES})]
    if step == "review":
        return [("bureau_review", {"review_decision": "approve", **risk_inputs(kind)})]
    if step == "review_return":
        return [("bureau_review", {"review_decision": "return"})]
    if step == "working_group":
        return [("form_working_group", {"wg_members": len(WG_MEMBERS), "contact_point": CONTACT}),
                ("record_findings", {"wg_decision": "cleared", "wg_findings": FINDINGS})]  # fmt: skip
    if step == "publish":
        return [("publish_plan", check_cycle(utcnow()))]
    raise ValueError(step)


def seed(i: int) -> dict[str, Any]:
    return {"plan_id": i, "passed_hash": ""}


# After publication every variant's process waits at the execution stage (workflows/placement_plan.bpmn).
EXECUTION = {"carry_out_plan"}


# -- variants -----------------------------------------------------------------------------------


class InMemory:
    name = "inmem"

    def __init__(self, raw: c.RawSpiff) -> None:
        self.raw = raw

    def run(self, i: int, kind: str, rec: Callable[..., None]) -> None:
        ctx: dict[str, Any] = {}
        wf = None
        for step in SCRIPTS[kind]:
            c0, t0 = cpu_ns(), c.now_ns()
            if step == "create":
                wf = self.raw.start(seed(i))
            else:
                for bpmn_id, data in engine_calls(step, i, kind, ctx):
                    self.raw.complete(wf, bpmn_id, data)
            rec(step, c.now_ns() - t0, cpu_ns=cpu_ns() - c0)
        assert wf is not None
        assert c.RawSpiff.waiting_at(wf) == EXECUTION, c.RawSpiff.waiting_at(wf)


class Floor:
    """Raw SpiffWorkflow, stock serializer (spec embedded), stdlib sqlite3, commit per transition."""

    name = "floor"

    def __init__(self, raw: c.RawSpiff, path: Path) -> None:
        self.raw = raw
        self.con = c.open_floor_db(path)

    def run(self, i: int, kind: str, rec: Callable[..., None]) -> None:
        ctx: dict[str, Any] = {}
        con, raw, row = self.con, self.raw, 0
        for step in SCRIPTS[kind]:
            c0, t0 = cpu_ns(), c.now_ns()
            if step == "create":
                wf = raw.start(seed(i))
                row = con.execute("INSERT INTO wf (json) VALUES (?)", (raw.dump(wf),)).lastrowid or 0
                con.commit()
            else:
                (blob,) = con.execute("SELECT json FROM wf WHERE id = ?", (row,)).fetchone()
                wf = raw.load(blob)
                for bpmn_id, data in engine_calls(step, i, kind, ctx):
                    raw.complete(wf, bpmn_id, data)
                con.execute("UPDATE wf SET json = ? WHERE id = ?", (raw.dump(wf), row))
                con.commit()
            rec(step, c.now_ns() - t0, cpu_ns=cpu_ns() - c0)
        assert c.RawSpiff.waiting_at(wf) == EXECUTION, c.RawSpiff.waiting_at(wf)


class Adapter:
    """The app's WorkflowEngine (restore/complete/serialize exactly as the services call it) with
    stdlib sqlite3 instead of SQLAlchemy and the services: isolates the ORM + service cost."""

    name = "adapter"

    def __init__(self, engine: Any, path: Path) -> None:
        self.engine = engine
        self.con = c.open_floor_db(path, "state TEXT NOT NULL, ready TEXT NOT NULL")

    def run(self, i: int, kind: str, rec: Callable[..., None]) -> None:
        ctx: dict[str, Any] = {}
        con, engine, row = self.con, self.engine, 0
        version = engine.current_version
        for step in SCRIPTS[kind]:
            c0, t0 = cpu_ns(), c.now_ns()
            if step == "create":
                result = engine.start(seed(i))
                ready = json.dumps({t.bpmn_id: t.uuid for t in result.ready})
                row = con.execute("INSERT INTO wf (state, ready) VALUES (?, ?)", (result.state, ready)).lastrowid or 0
                con.commit()
            else:
                state, ready = con.execute("SELECT state, ready FROM wf WHERE id = ?", (row,)).fetchone()
                ready_tasks = json.loads(ready)
                for bpmn_id, data in engine_calls(step, i, kind, ctx):
                    result = engine.complete(version, state, ready_tasks[bpmn_id], data)
                    state, ready_tasks = result.state, {t.bpmn_id: t.uuid for t in result.ready}
                con.execute("UPDATE wf SET state = ?, ready = ? WHERE id = ?", (state, json.dumps(ready_tasks), row))
                con.commit()
            rec(step, c.now_ns() - t0, cpu_ns=cpu_ns() - c0)
        assert {t.bpmn_id for t in result.ready} == EXECUTION, result.ready


class Service:
    """The use cases, one fresh session per transition, as a request would use them."""

    name = "service"

    def __init__(self, world: World, counter: c.SqlCounter) -> None:
        self.world = world
        self.counter = counter
        self.engine = get_engine()
        self.plan_ids: list[int] = []

    def _actor(self, username: str) -> tuple[User, Actor]:
        user = db.session.get(User, self.world.users[username])
        assert user is not None
        return user, Actor(user, "127.0.0.1")

    def _locked(self, user: User, plan_id: int) -> Plan:
        return plan_service.get_plan(db.session, user, plan_id, for_update=True)

    def step(self, step: str, kind: str, ctx: dict[str, Any]) -> None:
        session, engine = db.session, self.engine
        clerk, union = people(kind)
        if step == "create":
            _, actor = self._actor(clerk)
            plan = plan_service.create_plan(session, engine, actor=actor, title=ctx["title"],
                                            content=ctx.pop("content"))  # fmt: skip
            ctx["plan_id"] = plan.id
        elif step == "update":
            user, actor = self._actor(clerk)
            plan = self._locked(user, ctx["plan_id"])
            plan_service.update_plan(session, actor=actor, plan=plan, title=ctx["title"])
        elif step == "submit":
            user, actor = self._actor(clerk)
            plan = self._locked(user, ctx["plan_id"])
            answers = {r.id: ANSWER for r in open_reasons(session, plan)}  # after a return: each reason answered
            result = submit_plan(session, engine, actor=actor, plan=plan, answers=answers)
            assert result.accepted, result.missing
        elif step == "vote":
            user, actor = self._actor(union)
            plan = self._locked(user, ctx["plan_id"])
            # the session's documents were uploaded untimed before (upload_session_documents), as for the API
            counts = counts_passing(plan.enterprise)
            record_congress_vote(session, engine, actor=actor, plan=plan, counts=counts, record=ballots_for(counts),
                                 held_on=HELD_ON, plan_hash=plan.content_hash,
                                 congress_threshold=CONGRESS_THRESHOLD)  # fmt: skip
        elif step in ("review", "review_return"):
            user, actor = self._actor("reviewer")
            returned = step == "review_return"
            plan = self._locked(user, ctx["plan_id"])
            review_plan(session, engine, actor=actor, plan=plan,
                        decision="return" if returned else "approve",
                        reasons=RETURN_REASONS if returned else "")  # fmt: skip
        elif step == "working_group":
            user, actor = self._actor("wg")
            record_working_group(session, engine, actor=actor, plan=self._locked(user, ctx["plan_id"]),
                                 members=[dict(m) for m in WG_MEMBERS], contact_point=CONTACT,
                                 findings=FINDINGS, decision="cleared")  # fmt: skip
        elif step == "publish":
            user, actor = self._actor(clerk)
            publish_plan(session, engine, actor=actor, plan=self._locked(user, ctx["plan_id"]))
        else:
            raise ValueError(step)

    def timed(self, step: str, kind: str, ctx: dict[str, Any], rec: Callable[..., None]) -> None:
        if step == "vote":  # untimed, like the API variant: uploading the minutes is not recording the vote
            upload_session_documents(self.world, ctx["plan_id"], kind)
        self.counter.reset()
        c0, t0 = cpu_ns(), c.now_ns()
        try:
            self.step(step, kind, ctx)
            db.session.commit()
        finally:
            db.session.remove()
        elapsed, cpu = c.now_ns() - t0, cpu_ns() - c0
        rec(step, elapsed, cpu_ns=cpu, labels=[c.label(s) for s in self.counter.take()])

    def run(self, i: int, kind: str, rec: Callable[..., None]) -> None:
        firm = "zombie" if kind == "high" else "steel"
        ctx: dict[str, Any] = {"title": f"职工安置方案（服务层第{i}号）", "content": self.world.contents[firm](i)}
        for step in SCRIPTS[kind]:
            if step == "review":
                verify_before_approval(self.world, ctx["plan_id"])
            self.timed(step, kind, ctx, rec)
            if step == "create":
                prepare(self.world, ctx["plan_id"], kind, i)
        self.plan_ids.append(ctx["plan_id"])


class Http:
    """The JSON API over a real socket (keep-alive); SQL counted in the server, sent back in headers."""

    name = "http"

    def __init__(self, client: c.HttpClient, tokens: dict[str, str], world: World) -> None:
        self.client = client
        self.tokens = tokens
        self.world = world
        self.published = 0
        self.plan_ids: list[int] = []

    def call(self, step: str, token: str, path: str, body: Any, expect: int, rec: Callable[..., None]) -> Any:
        reply = self.client.call("POST", "/api/v1" + path, token, None if body is None else c.dumps(body))
        if reply.status != expect:
            raise RuntimeError(f"{step}: HTTP {reply.status}, expected {expect}: {reply.body[:500]!r}")
        rec(step, reply.ns, cpu_ns=reply.app_cpu_ns, labels=reply.sql, server_ns=reply.app_ns)
        return json.loads(reply.body)

    def run(self, i: int, kind: str, rec: Callable[..., None]) -> None:
        firm = "zombie" if kind == "high" else "steel"
        clerk, union = (self.tokens[u] for u in people(kind))
        plan_id, content_hash = 0, ""
        reasons: list[int] = []  # the open reasons of a return, answered at the next submission
        for step in SCRIPTS[kind]:
            if step == "create":
                body = {"title": f"职工安置方案（接口第{i}号）", "content": self.world.contents[firm](i)}
                out = self.call(step, clerk, "/plans", body, 201, rec)
                plan_id = out["id"]
                content_hash = prepare(self.world, plan_id, kind, i)
            elif step == "submit":
                answers = [{"reason_id": n, "answer": ANSWER} for n in reasons]
                out = self.call(step, clerk, f"/plans/{plan_id}/submit", {"answers": answers} if answers else None, 200,
                                rec)  # fmt: skip
                assert out["accepted"]
            elif step == "vote":
                counts = counts_passing(SimpleNamespace(headcount=860 if kind == "high" else 1200))  # type: ignore[arg-type]
                ballots = ballots_for(counts)
                upload_session_documents(self.world, plan_id, kind)
                body = {"body_type": counts.body_type, "held_on": HELD_ON.isoformat(),
                        "total_members": counts.total_members, "present": counts.present, "yes": counts.yes,
                        "no": counts.no, "abstain": counts.abstain, "plan_revision_hash": content_hash,
                        "ballots_issued": ballots.ballots_issued, "ballots_returned": ballots.ballots_returned,
                        "ballots_valid": ballots.ballots_valid, "secret_ballot": ballots.secret_ballot,
                        "chair": ballots.chair, "scrutineers": list(ballots.scrutineers)}  # fmt: skip
                self.call(step, union, f"/plans/{plan_id}/congress-votes", body, 201, rec)
            elif step in ("review", "review_return"):
                returned = step == "review_return"
                if not returned:
                    verify_before_approval(self.world, plan_id)
                body = {"decision": "return" if returned else "approve", "reasons": RETURN_REASONS if returned else ""}
                out = self.call(step, self.tokens["reviewer"], f"/plans/{plan_id}/review", body, 201, rec)
                reasons = [r["id"] for r in out["open_reasons"]]
                if not returned:
                    assert out["status"] == ("working_group" if kind == "high" else "publication"), out["status"]
            elif step == "working_group":
                body = {"members": WG_MEMBERS, "contact_point": CONTACT, "findings": FINDINGS, "decision": "cleared"}
                self.call(step, self.tokens["wg"], f"/plans/{plan_id}/working-group", body, 201, rec)
            elif step == "publish":
                out = self.call(step, clerk, f"/plans/{plan_id}/publish", None, 200, rec)
                assert out["status"] == "published", out["status"]
                self.published += 1
        self.plan_ids.append(plan_id)


def git_head() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=c.ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=c.ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes" if dirty else "")


def app_config(uri: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": "bench-secret",
        "AUDIT_KEY": "bench-audit",
        "TESTING": False,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SQLALCHEMY_ECHO": False,
        "SQLALCHEMY_RECORD_QUERIES": False,
        "CONGRESS_HEADCOUNT_THRESHOLD": CONGRESS_THRESHOLD,
        # Email on, as an installation with a mail server runs: every notification then also writes an outbox
        # row (notifications/__init__.py), in the transition's transaction. Nothing is sent from a request (the
        # worker delivers, and no worker runs here), so the port is never connected to.
        "MAIL_HOST": "127.0.0.1",
        "MAIL_PORT": 9,
    }


def serve(port: int, uri: str) -> int:
    """The child process: the app behind gunicorn, with the SQL/time probe around it."""
    app = create_app(app_config(uri))
    with app.app_context():
        engine = db.engine
    app.wsgi_app = c.Probe(app.wsgi_app, engine)  # type: ignore[method-assign]
    c.serve_gunicorn(app, port)
    return 0


def start_server(uri: str, sync: str) -> tuple[subprocess.Popen[bytes], int]:
    port = c.free_port()
    command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(port), "--db", uri, "--sync", sync]
    proc = subprocess.Popen(command)
    try:
        c.wait_for_port(port)
    except OSError:
        proc.terminate()
        raise
    return proc, port


# -- rows per plan ------------------------------------------------------------------------------


def rows_per_plan(plan_ids: list[int]) -> dict[int, dict[str, int]]:
    """Rows of every table that belongs to a plan (a plan_id column; the email outbox through its
    notification), per plan."""
    from sqlalchemy import func

    from notifications.models import EmailOutbox, Notification

    out: dict[int, dict[str, int]] = {p: {} for p in plan_ids}
    for table in db.metadata.sorted_tables:
        if "plan_id" not in table.c:
            continue
        query = (select(table.c.plan_id, func.count()).where(table.c.plan_id.in_(plan_ids))
                 .group_by(table.c.plan_id))  # fmt: skip
        for plan_id, n in db.session.execute(query):
            out[plan_id][table.name] = n
    outbox = (select(Notification.plan_id, func.count()).join(EmailOutbox, EmailOutbox.notification_id == Notification.id)
              .where(Notification.plan_id.in_(plan_ids)).group_by(Notification.plan_id))  # fmt: skip
    for plan_id, n in db.session.execute(outbox):
        out[plan_id][EmailOutbox.__tablename__] = n
    return out


def row_growth(service_ids: list[int], http_ids: list[int]) -> dict[str, Any]:
    """Rows per plan by kind: every plan of a kind (the same script) must leave the same rows, the first
    plan of the run as the last (rows that grow with the plans already there, e.g. a notice to every plan's
    users, would show), and the API the same as the use cases."""
    rows = rows_per_plan([*service_ids, *http_ids])
    by_kind: dict[str, Any] = {}
    spread = 0
    http_gap = 0
    for kind in SCRIPTS:
        mine = [rows[p] for i, p in enumerate(service_ids) if kind_of(i) == kind]
        theirs = [rows[p] for i, p in enumerate(http_ids) if kind_of(i) == kind]
        if not mine:
            continue
        totals = [sum(r.values()) for r in mine]
        spread = max(spread, max(totals) - min(totals))
        tables = sorted({t for r in mine + theirs for t in r})
        by_kind[kind] = {
            "plans": len(mine),
            "rows_min": min(totals),
            "rows_max": max(totals),
            "first": {t: mine[0].get(t, 0) for t in tables},
            "last": {t: mine[-1].get(t, 0) for t in tables},
        }
        if theirs:
            http_totals = [sum(r.values()) for r in theirs]
            by_kind[kind]["http_rows_min"], by_kind[kind]["http_rows_max"] = min(http_totals), max(http_totals)
            http_gap = max(http_gap, max(abs(a - b) for a in http_totals for b in (min(totals), max(totals))))
            by_kind[kind]["http_differs"] = {t: (mine[0].get(t, 0), theirs[0].get(t, 0)) for t in tables
                                             if mine[0].get(t, 0) != theirs[0].get(t, 0)}  # fmt: skip
    return {"by_kind": by_kind, "spread": spread, "http_gap": http_gap if http_ids else None}


# -- a plan returned 20 times -------------------------------------------------------------------


def returned_many(service: Service, rounds: int, extra_rounds: int) -> dict[str, Any]:
    """Drive one plan through `rounds` x (edit -> submit -> vote -> review return), then time the
    engine's load + save of its state, engine.complete on it, and further full transitions."""
    engine = service.engine
    ctx: dict[str, Any] = {"title": "职工安置方案（反复退回）", "content": service.world.contents["steel"](10_000)}
    service.timed("create", "normal", ctx, _noop)
    prepare(service.world, ctx["plan_id"], "normal", 10_000)
    totals = []  # the plan's rows after each return: each return must add as many as the one before
    for r in range(rounds):
        if r:
            ctx["title"] = f"职工安置方案（反复退回，第{r}次修订）"
            service.timed("update", "normal", ctx, _noop)
        for step in ("submit", "vote", "review_return"):
            service.timed(step, "normal", ctx, _noop)
        totals.append(sum(rows_per_plan([ctx["plan_id"]])[ctx["plan_id"]].values()))
        db.session.remove()
    per_round = [b - a for a, b in zip(totals[1:], totals[2:], strict=False)]  # rounds 2.. (edit, submit, vote, return)
    ctx["title"] = f"职工安置方案（反复退回，第{rounds}次修订）"
    service.timed("update", "normal", ctx, _noop)

    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == ctx["plan_id"])).one()
    task = db.session.scalars(select(HumanTask).where(HumanTask.plan_id == ctx["plan_id"],
                                                      HumanTask.completed_at.is_(None))).one()  # fmt: skip
    state, version, task_uuid = instance.state, instance.process_version, task.task_uuid
    plan = db.session.get(Plan, ctx["plan_id"])
    assert plan is not None
    assert task.bpmn_id == "draft_plan"
    submit_data = {"plan_complete": True, "content_hash": plan.content_hash, "passed_hash": "", **DEADLINES}
    db.session.remove()

    load, save, both, both_cpu, complete = [], [], [], [], []
    for _ in range(60):
        c0, t0 = cpu_ns(), c.now_ns()
        wf = engine._restore(version, state)
        t1 = c.now_ns()
        engine._serializer.serialize_json(wf)
        t2, c2 = c.now_ns(), cpu_ns()
        load.append((t1 - t0) / 1e6)
        save.append((t2 - t1) / 1e6)
        both.append((t2 - t0) / 1e6)
        both_cpu.append((c2 - c0) / 1e6)
    for _ in range(30):
        t0 = c.now_ns()
        engine.complete(version, state, task_uuid, submit_data)
        complete.append((c.now_ns() - t0) / 1e6)
    wf = engine._restore(version, state)

    after = Results(round=0)
    rec = after.recorder("service")
    for r in range(extra_rounds):
        if r:
            ctx["title"] = f"职工安置方案（反复退回，第{rounds + r}次修订）"
            service.timed("update", "normal", ctx, _noop)
        for step in ("submit", "vote", "review_return"):
            service.timed(step, "normal", ctx, rec)
    return {
        "rounds": rounds,
        "json_bytes": len(state.encode()),
        "tasks": len(wf.tasks) + sum(len(sp.tasks) for sp in wf.subprocesses.values()),
        "load_ms": c.median(load),
        "save_ms": c.median(save),
        "load_save_ms": c.median(both),
        "load_save_p95_ms": c.quantile(both, 0.95),
        "load_save_cpu_ms": c.median(both_cpu),
        "engine_complete_ms": c.median(complete),
        "transition_ms": c.median(after.ms("service")),
        "transition_cpu_ms": c.median(after.cpu("service")),
        "transition_by_type_ms": {k: c.median(after.ms("service", k)) for k in ("submit", "vote", "review")},
        "transition_sql_max": max(after.sql("service"), default=0),
        "rows_per_return": per_round,
        "rows_per_return_spread": max(per_round) - min(per_round) if per_round else 0,
    }


def fresh_load_save(service: Service) -> dict[str, Any]:
    """The same load + save for a plan waiting at its first review (no returns), for contrast."""
    ctx: dict[str, Any] = {"title": "职工安置方案（对照）", "content": service.world.contents["steel"](10_001)}
    for step in ("create", "submit", "vote"):
        service.timed(step, "normal", ctx, _noop)
        if step == "create":
            prepare(service.world, ctx["plan_id"], "normal", 10_001)
    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == ctx["plan_id"])).one()
    state, version = instance.state, instance.process_version
    db.session.remove()
    both = []
    for _ in range(60):
        t0 = c.now_ns()
        service.engine._serializer.serialize_json(service.engine._restore(version, state))
        both.append((c.now_ns() - t0) / 1e6)
    return {"json_bytes": len(state.encode()), "load_save_ms": c.median(both)}


# -- reporting ----------------------------------------------------------------------------------


def paired_ratio(results: Results, ours: str, base: str, rounds: int) -> float:
    """Median over rounds of (median ours in the round / median baseline in the round)."""
    ratios = []
    for r in range(rounds):
        a, b = results.ms(ours, round_=r), results.ms(base, round_=r)
        if a and b:
            ratios.append(c.median(a) / c.median(b))
    return c.median(ratios)


def report(results: Results, variants: list[str], rounds: int, args: argparse.Namespace, many: dict[str, Any],
           fresh: dict[str, Any], fsync_ms: float, connects: int, growth: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    has_http = "http" in variants
    rows = [*TYPES, None]
    print()
    print("wall time per transition, ms (ratios are of medians; SQL = statements per transition, median/max)")
    header = (f"{'transition':<14}{'n':>4} | {'service':>7} {'p95':>6} | {'http':>6} {'p95':>6} {'(app)':>6} | "
              f"{'floor':>6} {'adapter':>7} {'inmem':>6} | {'svc/flr':>7} {'http/flr':>8} {'svc/adp':>7} "
              f"{'http/adp':>8} {'svc/mem':>7} | {'SQL svc':>7} {'SQL http':>8}")  # fmt: skip
    print(header)
    print("-" * len(header))
    per_type: dict[str, Any] = {}
    for kind in rows:
        name = kind or "overall"
        svc, http = results.ms("service", kind), results.ms("http", kind)
        sql_s, sql_h = results.sql("service", kind), results.sql("http", kind)
        row: dict[str, Any] = {
            "n": len(svc),
            "service_median_ms": c.median(svc),
            "service_p95_ms": c.quantile(svc, 0.95),
            "http_median_ms": c.median(http) if has_http else None,
            "http_p95_ms": c.quantile(http, 0.95) if has_http else None,
            "http_app_median_ms": c.median(results.server_ms("http", kind)) if has_http else None,
            "floor_median_ms": c.median(results.ms("floor", kind)),
            "adapter_median_ms": c.median(results.ms("adapter", kind)),
            "inmemory_median_ms": c.median(results.ms("inmem", kind)),
            "service_cpu_ms": c.median(results.cpu("service", kind)),
            "http_app_cpu_ms": c.median(results.cpu("http", kind)) if has_http else None,
            "floor_cpu_ms": c.median(results.cpu("floor", kind)),
            "adapter_cpu_ms": c.median(results.cpu("adapter", kind)),
            "inmemory_cpu_ms": c.median(results.cpu("inmem", kind)),
            "sql_service_median": c.median(sql_s),
            "sql_service_max": max(sql_s, default=0),
            "sql_http_median": c.median(sql_h) if has_http else None,
            "sql_http_max": max(sql_h, default=0) if has_http else None,
        }
        row["service_over_floor"] = c.ratio(row["service_median_ms"], row["floor_median_ms"])
        row["service_over_inmemory"] = c.ratio(row["service_median_ms"], row["inmemory_median_ms"])
        row["http_over_floor"] = c.ratio(row["http_median_ms"], row["floor_median_ms"]) if has_http else None
        row["http_over_inmemory"] = c.ratio(row["http_median_ms"], row["inmemory_median_ms"]) if has_http else None
        # like for like: the app's own engine persisted in plain SQLite (same state format, same file pragmas)
        row["service_over_adapter"] = c.ratio(row["service_median_ms"], row["adapter_median_ms"])
        row["http_over_adapter"] = c.ratio(row["http_median_ms"], row["adapter_median_ms"]) if has_http else None
        per_type[name] = row
        sql_s_txt = f"{c.fmt(row['sql_service_median'], 0)}/{row['sql_service_max']}"
        sql_h_txt = f"{c.fmt(row['sql_http_median'], 0)}/{row['sql_http_max']}" if has_http else "-"
        print(f"{name:<14}{row['n']:>4} | {c.fmt(row['service_median_ms']):>7} {c.fmt(row['service_p95_ms']):>6} | "
              f"{c.fmt(row['http_median_ms']):>6} {c.fmt(row['http_p95_ms']):>6} {c.fmt(row['http_app_median_ms']):>6} | "
              f"{c.fmt(row['floor_median_ms']):>6} {c.fmt(row['adapter_median_ms']):>7} "
              f"{c.fmt(row['inmemory_median_ms'], 3):>6} | {c.fmt(row['service_over_floor'], 1):>7} "
              f"{c.fmt(row['http_over_floor'], 1):>8} {c.fmt(row['service_over_adapter'], 1):>7} "
              f"{c.fmt(row['http_over_adapter'], 1):>8} {c.fmt(row['service_over_inmemory'], 0):>7} | "
              f"{sql_s_txt:>7} {sql_h_txt:>8}")  # fmt: skip
    overall = per_type["overall"]
    paired_s = paired_ratio(results, "service", "floor", rounds)
    paired_h = paired_ratio(results, "http", "floor", rounds) if has_http else None
    paired_sa = paired_ratio(results, "service", "adapter", rounds)
    paired_ha = paired_ratio(results, "http", "adapter", rounds) if has_http else None
    print(f"(app) = time inside the Flask app, reported by the server; the rest of 'http' is gunicorn + socket + "
          f"client. adapter = the app's own WorkflowEngine persisted in plain SQLite (no ORM, no services).\n"
          f"Paired per-round ratios (median over rounds): service/floor {c.fmt(paired_s)}, "
          f"http/floor {c.fmt(paired_h)}, service/adapter {c.fmt(paired_sa)}, http/adapter {c.fmt(paired_ha)}. "
          f"HTTP connections opened: {connects}.")  # fmt: skip

    print()
    print(f"CPU time per transition, ms (median; wall minus CPU is the commit's fsync, {c.fmt(fsync_ms)} ms per "
          f"commit on this disk, plus time waiting for a CPU when the machine is busy)")  # fmt: skip
    print(f"{'transition':<14} | {'service':>7} {'http app':>8} {'floor':>6} {'adapter':>7} {'inmem':>6} | "
          f"{'svc/flr':>7} {'svc/adp':>7} {'svc/mem':>7}")  # fmt: skip
    for kind in rows:
        row = per_type[kind or "overall"]
        print(f"{kind or 'overall':<14} | {c.fmt(row['service_cpu_ms']):>7} {c.fmt(row['http_app_cpu_ms']):>8} "
              f"{c.fmt(row['floor_cpu_ms']):>6} {c.fmt(row['adapter_cpu_ms']):>7} {c.fmt(row['inmemory_cpu_ms'], 3):>6} | "
              f"{c.fmt(c.ratio(row['service_cpu_ms'], row['floor_cpu_ms']), 1):>7} "
              f"{c.fmt(c.ratio(row['service_cpu_ms'], row['adapter_cpu_ms']), 1):>7} "
              f"{c.fmt(c.ratio(row['service_cpu_ms'], row['inmemory_cpu_ms']), 0):>7}")  # fmt: skip

    est_service = overall["service_cpu_ms"] + fsync_ms
    est_floor = overall["floor_cpu_ms"] + fsync_ms
    transport = c.median([s.ms - s.server_ms for s in results.samples if s.variant == "http" and s.server_ms])
    print(f"rough wall time on an idle machine (CPU + one commit): service {c.fmt(est_service)} ms, floor "
          f"{c.fmt(est_floor)} ms, http app {c.fmt((overall['http_app_cpu_ms'] or 0) + fsync_ms) if has_http else '-'} ms "
          f"+ gunicorn/socket/client {c.fmt(transport) if has_http else '-'} ms (median, measured)")  # fmt: skip

    print()
    print("SQL statements of the transition with the most statements, per type (execution order):")
    for variant in ("service", "http") if has_http else ("service",):
        for kind in TYPES:
            labels = results.worst_sql.get((variant, kind))
            if labels is not None:
                print(f"  {variant:<7} {kind:<13} {len(labels):>2}: {c.compress(labels)}")

    print()
    print(f"plan returned {many['rounds']} times (edit -> submit -> vote -> review return, x{many['rounds']}):")
    print(f"  state JSON {many['json_bytes'] / 1024:.1f} KiB, {many['tasks']} tasks; "
          f"load {c.fmt(many['load_ms'])} ms + save {c.fmt(many['save_ms'])} ms = "
          f"load+save {c.fmt(many['load_save_ms'])} ms (p95 {c.fmt(many['load_save_p95_ms'])}, "
          f"CPU {c.fmt(many['load_save_cpu_ms'])}); engine.complete (load+run+save) {c.fmt(many['engine_complete_ms'])} ms")  # fmt: skip
    by_type = ", ".join(f"{k} {c.fmt(v)}" for k, v in many["transition_by_type_ms"].items())
    print(f"  full service transitions on it afterwards: median {c.fmt(many['transition_ms'])} ms "
          f"(CPU {c.fmt(many['transition_cpu_ms'])}; {by_type}); max SQL {many['transition_sql_max']}")  # fmt: skip
    print(f"  for contrast, a plan at its first review: state {fresh['json_bytes'] / 1024:.1f} KiB, "
          f"load+save {c.fmt(fresh['load_save_ms'])} ms")  # fmt: skip
    print(f"  rows each return adds (edit, submit, vote, return; rounds 2..{many['rounds']}): "
          f"{sorted(set(many['rows_per_return']))}")  # fmt: skip

    print()
    print("rows per plan (tables with the plan's id; the email outbox through its notification), service variant:")
    for kind, row in growth["by_kind"].items():
        http_txt = f"; http {row['http_rows_min']}..{row['http_rows_max']}" if "http_rows_min" in row else ""
        print(f"  {kind:<9} {row['plans']:>3} plans: {row['rows_min']}..{row['rows_max']} rows{http_txt}; "
              f"last plan: {', '.join(f'{t} {n}' for t, n in row['last'].items() if n)}")  # fmt: skip
        if row.get("http_differs"):
            print(f"            service vs http (first plans): {row['http_differs']}")

    sql_max = max(overall["sql_service_max"], overall["sql_http_max"] or 0)
    sql_median = max(overall["sql_service_median"], overall["sql_http_median"] or 0)
    figures: dict[str, Any] = {
        "service_median_ms": overall["service_median_ms"],
        "http_median_ms": overall["http_median_ms"],
        "service_p95_ms": overall["service_p95_ms"],
        "http_p95_ms": overall["http_p95_ms"],
        "http_app_median_ms": overall["http_app_median_ms"],
        "floor_median_ms": overall["floor_median_ms"],
        "adapter_median_ms": overall["adapter_median_ms"],
        "inmemory_median_ms": overall["inmemory_median_ms"],
        "service_over_floor": overall["service_over_floor"],
        "http_over_floor": overall["http_over_floor"],
        "service_over_floor_paired": paired_s,
        "http_over_floor_paired": paired_h,
        "service_over_inmemory": overall["service_over_inmemory"],
        "http_over_inmemory": overall["http_over_inmemory"],
        "service_cpu_ms": overall["service_cpu_ms"],
        "http_app_cpu_ms": overall["http_app_cpu_ms"],
        "floor_cpu_ms": overall["floor_cpu_ms"],
        "adapter_cpu_ms": overall["adapter_cpu_ms"],
        "inmemory_cpu_ms": overall["inmemory_cpu_ms"],
        "commit_fsync_ms": fsync_ms,
        "idle_estimate_service_ms": est_service,
        "idle_estimate_floor_ms": est_floor,
        "http_transport_median_ms": transport if has_http else None,
        "sql_per_transition_max": sql_max,
        "sql_per_transition_median": sql_median,
        "sql_service_max": overall["sql_service_max"],
        "sql_service_median": overall["sql_service_median"],
        "sql_http_max": overall["sql_http_max"],
        "sql_http_median": overall["sql_http_median"],
        "returned20_load_save_ms": many["load_save_ms"],
        "returned20_load_save_cpu_ms": many["load_save_cpu_ms"],
        "returned20_json_bytes": many["json_bytes"],
        "returned20_tasks": many["tasks"],
        "returned20_engine_complete_ms": many["engine_complete_ms"],
        "returned20_transition_ms": many["transition_ms"],
        "service_over_adapter": overall["service_over_adapter"],
        "http_over_adapter": overall["http_over_adapter"],
        "service_over_adapter_paired": paired_sa,
        "http_over_adapter_paired": paired_ha,
        "rows_per_plan_spread": growth["spread"],
        "rows_http_vs_service": growth["http_gap"],
        "rows_per_return_spread": many["rows_per_return_spread"],
    }
    targets: dict[str, Any] = {}
    print()
    print("targets:")
    for name, (limit, op) in TARGETS.items():
        value = figures[name]
        if value is None:
            targets[name] = {"limit": f"{op} {limit}", "value": None, "ok": None}
            print(f"  {name:<26} {op:>2} {limit:<5} skipped")
            continue
        ok = value < limit if op == "<" else value <= limit
        targets[name] = {"limit": f"{op} {limit}", "value": round(value, 3), "ok": ok}
        print(f"  {name:<26} {op:>2} {limit:<5} {c.fmt(value):>8}  {'ok' if ok else 'MISSED'}")
    print(f"  peer for context: {PEER}")
    verdict = all(t["ok"] for t in targets.values() if t["ok"] is not None)
    print(f"  all targets met: {verdict}")

    out = {k: c.clean(v) for k, v in figures.items()}
    out["per_transition"] = {k: {kk: c.clean(vv) for kk, vv in v.items()} for k, v in per_type.items()}
    out["plans"] = args.plans
    out["synchronous"] = args.sync
    out["rounds"] = rounds
    out["batch"] = args.batch
    out["transitions_service"] = overall["n"]
    out["rows_per_plan"] = growth["by_kind"]
    out["email"] = True
    out["targets"] = targets
    out["ok"] = verdict
    return out


# -- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=200, help="plans per variant (default 200)")
    parser.add_argument("--quick", action="store_true", help="20 plans per variant")
    parser.add_argument("--skip-http", action="store_true", help="leave out the HTTP variant")
    parser.add_argument("--batch", type=int, default=0, help="plans per variant per round (default plans/20, >= 5)")
    parser.add_argument("--returned-rounds", type=int, default=20, help="returns of the long-lived plan")
    parser.add_argument("--sync", choices=("full", "normal"), default="full",
                        help="PRAGMA synchronous for every SQLite file, ours and the baselines alike: full (SQLite's "
                             "default, what the app runs with: one fsync per commit) or normal (no fsync per "
                             "commit in WAL mode; shows the figures without this machine's disk)")  # fmt: skip
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)  # internal: the server process
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    c.set_synchronous(args.sync)
    if args.serve:
        return serve(args.serve, args.db)
    if args.quick:
        args.plans = 20
    args.batch = args.batch or max(5, args.plans // 20)
    rounds = -(-args.plans // args.batch)

    tmp = tempfile.TemporaryDirectory(prefix="lifecycle-bench-")
    tmpdir = Path(tmp.name)
    uri = f"sqlite:///{tmpdir / 'app.sqlite'}"
    app = create_app(app_config(uri))
    ctx = app.app_context()
    ctx.push()
    db.create_all()
    counter = c.SqlCounter(db.engine)
    world = build_world()
    engine = get_engine()
    raw = c.RawSpiff(app.config["WORKFLOWS_DIR"])
    fsync_before = c.commit_latency_ms(tmpdir)

    service = Service(world, counter)
    drivers: list[Any] = [InMemory(raw), Floor(raw, tmpdir / "floor.sqlite"), Adapter(engine, tmpdir / "adapter.sqlite"),
                          service]  # fmt: skip
    proc = http = None
    try:
        if not args.skip_http:
            proc, port = start_server(uri, args.sync)
            client = c.HttpClient(port)
            tokens = {}
            for username in world.users:  # the password checks happen here, once per user, untimed
                reply = client.call(
                    "POST", "/api/v1/tokens", None, c.dumps({"username": username, "password": PASSWORD})
                )
                assert reply.status == 201, reply.body
                tokens[username] = json.loads(reply.body)["token"]
            http = Http(client, tokens, world)
            drivers.append(http)
        names = [d.name for d in drivers]

        counts = {k: sum(kind_of(i) == k for i in range(args.plans)) for k in SCRIPTS}
        print(f"lifecycle benchmark: {args.plans} plans per variant ({counts['normal']} normal, "
              f"{counts['returned']} returned once, {counts['high']} high-risk via the working group)")  # fmt: skip
        print(f"code {git_head()}; python {platform.python_version()}, SpiffWorkflow {spiff_version}, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")  # fmt: skip
        print(f"SQLite files (WAL, synchronous={args.sync.upper()}) in {tmpdir}; one committed INSERT takes "
              f"{c.fmt(fsync_before)} ms here (fsync)")  # fmt: skip
        print(f"variants {', '.join(names)}; {rounds} rounds x {args.batch} plans per variant, order rotated "
              f"each round; warm-up: 3 plans per variant")  # fmt: skip

        # warm-up: every path once per variant, untimed (statement caches, pydantic, imports)
        for driver in drivers:
            for i in (0, 2, 4):
                driver.run(i, kind_of(i), _noop)
        service.plan_ids.clear()
        if http is not None:
            http.plan_ids.clear()

        results = Results()
        for r in range(rounds):
            results.round = r
            order = drivers[r % len(drivers) :] + drivers[: r % len(drivers)]
            indices = range(r * args.batch, min(args.plans, (r + 1) * args.batch))
            for driver in order:
                rec = results.recorder(driver.name)
                for i in indices:
                    driver.run(i, kind_of(i), rec)
            sys.stderr.write(f"\rround {r + 1}/{rounds}")
            sys.stderr.flush()
        sys.stderr.write("\n")

        # sanity: every plan of the timed runs is published
        statuses = db.session.scalars(select(Plan.status).where(Plan.id.in_(service.plan_ids))).all()
        assert len(statuses) == args.plans, len(statuses)
        assert set(statuses) == {"published"}, set(statuses)
        assert http is None or http.published == args.plans + 3, http.published
        growth = row_growth(service.plan_ids, http.plan_ids if http else [])
        db.session.remove()

        many = returned_many(service, args.returned_rounds, extra_rounds=5)
        fresh = fresh_load_save(service)
        fsync = (fsync_before + c.commit_latency_ms(tmpdir)) / 2
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        out = report(results, names, rounds, args, many, fresh, fsync, http.client.connects if http else 0, growth)
    finally:
        if http is not None:
            http.client.close()
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        db.engine.dispose()
        ctx.pop()
        tmp.cleanup()
    print(json.dumps(out, ensure_ascii=False))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
