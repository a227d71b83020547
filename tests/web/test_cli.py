"""The command line: enterprises, users, demo data."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.web.plan_content import path_label
from approvals.demo import AGREEMENT_TERMS, RETURN_ANSWERS, make_uscc
from approvals.models import Enterprise, Plan, ReturnReason, Role, User
from approvals.services.revisions import compare_revisions


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_enterprise_with_an_invalid_credit_code_is_refused(app, world):
    code = make_uscc("130283", 777)
    broken = code[:-1] + ("0" if code[-1] != "0" else "1")
    result = run(app, "enterprises", "create", "--name", "某钢铁", "--uscc", broken, "--industry", "steel",
                 "--region", "130283", "--headcount", "500")  # fmt: skip
    assert result.exit_code != 0
    assert "统一社会信用代码" in result.output
    assert db.session.scalar(select(Enterprise).where(Enterprise.name == "某钢铁")) is None


def test_enterprise_and_users_are_created(app, world):
    code = make_uscc("130283", 778)
    result = run(app, "enterprises", "create", "--name", "新钢铁", "--uscc", code, "--industry", "steel",
                 "--region", "130283", "--headcount", "90", "--zombie")  # fmt: skip
    assert result.exit_code == 0, result.output
    firm = db.session.scalars(select(Enterprise).where(Enterprise.uscc == code)).one()
    assert firm.zombie
    assert firm.headcount == 90
    result = run(app, "users", "create", "--username", "li", "--password", "Li-pass-2026", "--role", "enterprise",
                 "--enterprise", code)  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.username == "li")).one()
    assert user.roles == {Role.ENTERPRISE}
    refused = run(app, "users", "grant", "--username", "li", "--role", "union", "--enterprise", code)
    assert refused.exit_code != 0
    assert "工会代表" in refused.output
    allowed = run(app, "users", "grant", "--username", "li", "--role", "bureau", "--region", "130200")
    assert allowed.exit_code == 0, allowed.output


def test_user_role_needs_its_reach(app, world):
    result = run(app, "users", "create", "--username", "wang", "--password", "Bureau-pass-2026", "--role", "bureau")
    assert result.exit_code != 0
    assert "地区" in result.output
    assert db.session.scalars(select(User).where(User.username == "wang")).first() is None


def test_unknown_region_is_refused(app, world):
    result = run(app, "enterprises", "create", "--name", "x", "--uscc", make_uscc("130283", 779),
                 "--industry", "steel", "--region", "999999", "--headcount", "10")  # fmt: skip
    assert result.exit_code != 0
    assert "999999" in result.output


def test_demo_load_populates_every_step_once(app):
    result = run(app, "demo", "load")
    assert result.exit_code == 0, result.output
    statuses = sorted(db.session.scalars(select(Plan.status)))
    assert statuses == sorted(["drafting", "congress", "review", "drafting", "publication", "published",
                               "working_group", "review", "executing"])  # fmt: skip
    assert db.session.scalar(select(Plan.risk_level).where(Plan.status == "working_group")) == "high"
    # one plan back at the review after a return, each of its two reasons answered with its second revision
    answered = db.session.scalars(select(ReturnReason).where(ReturnReason.revision_id.is_not(None))).all()
    assert [r.answer for r in answered] == list(RETURN_ANSWERS)
    again = run(app, "demo", "load")
    assert again.exit_code == 0
    assert len(db.session.scalars(select(Plan.id)).all()) == 9
    assert run(app, "audit", "verify").exit_code == 0


def test_the_demo_plan_back_at_the_review_changed_what_its_answers_say(app):
    """Plan 8 answers each return reason (the internal-retirement agreements, a clear scan of the second
    source's approval): its resubmitted revision holds those changes, so the reviewer's diff shows them."""
    assert run(app, "demo", "load").exit_code == 0
    answered = db.session.scalars(select(ReturnReason).where(ReturnReason.revision_id.is_not(None))).first()
    plan = db.session.get(Plan, answered.plan_id)
    reviewer = db.session.scalars(select(User).where(User.username == "reviewer")).one()
    diff = compare_revisions(db.session, reviewer, plan, plan.revision_number - 1, plan.revision_number)
    changed = {c["path"]: c for c in diff["content"]}
    assert AGREEMENT_TERMS in changed["internal_retirement.terms"]["after"]
    assert AGREEMENT_TERMS not in changed["internal_retirement.terms"]["before"]
    files = [p for p in changed if p.startswith("funding.sources[2].attachments")]
    assert files, sorted(changed)
    assert any("清晰扫描件" in str(changed[p]["after"]) for p in files)
    assert not any(p.startswith("funding.sources[1]") for p in changed)  # the first source is as it was
    with app.test_request_context():  # the diff says each changed field in words, never a key such as "filename"
        labels = [path_label(p) for p in files]
    assert "资金保障 › 资金来源第2项 › 证明材料文件第1项 › 文件名" in labels
    assert not any(re.search(r"[a-z]{3,}", label) for label in labels), labels
