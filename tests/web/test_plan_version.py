"""A plan's version counts its content and state only: an event recorded in the trail (a refused
execution, a supervisor's reminder, a public objection) stales no editor."""

from __future__ import annotations

from app.extensions import db
from approvals import audit
from approvals.actor import public
from approvals.models import PublicNotice
from approvals.rules.resident_id import check_character
from approvals.services.objections import ObjectionInput, raise_objection
from tests import flow
from tests.conftest import reload


def _draft(api, world, complete_content) -> tuple[object, dict]:
    clerk = api("clerk")
    return clerk, flow.create(clerk, complete_content(world.steel))


def _edit(clerk, plan: dict, title: str):  # type: ignore[no-untyped-def]
    return clerk.patch(f"/plans/{plan['id']}", json={"title": title, "version": plan["version"]})


def test_a_refused_execution_does_not_stale_the_clerk_s_edit(api, world, complete_content):
    clerk, plan = _draft(api, world, complete_content)
    assert clerk.post(f"/plans/{plan['id']}/execution").status_code == 409
    assert clerk.get(f"/plans/{plan['id']}").json["version"] == plan["version"]
    response = _edit(clerk, plan, "执行被拒后的修改")
    assert response.status_code == 200, response.json


def test_a_supervisor_s_reminder_does_not_stale_the_clerk_s_edit(api, world, complete_content):
    clerk, plan = _draft(api, world, complete_content)
    reminded = api("supervisor").post(f"/plans/{plan['id']}/reminders", json={"message": "请尽快完善方案。"})
    assert reminded.status_code == 201, reminded.json
    response = clerk.patch(f"/plans/{plan['id']}", headers={"If-Match": str(plan["version"])},
                           json={"title": "催办后的修改"})  # fmt: skip
    assert response.status_code == 200, response.json


def test_a_public_objection_does_not_change_the_plan_s_version(api, world, complete_content):
    clerk, plan = _draft(api, world, complete_content)
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    flow.review(api("reviewer"), plan["id"], "approve")
    flow.publish(clerk, plan["id"])
    before = reload(plan["id"]).version
    head = audit.head_of(db.session, audit.plan_chain(plan["id"]))
    number = "13028319800315002"
    raise_objection(db.session, actor=public("203.0.113.9"), notice=db.session.get(PublicNotice, plan["id"]),
                    given=ObjectionInput("王某", number + check_character(number), "13812345678", "名单有误。"))  # fmt: skip
    db.session.commit()
    assert audit.head_of(db.session, audit.plan_chain(plan["id"]))[0] == head[0] + 1  # recorded in the trail
    assert reload(plan["id"]).version == before


def test_a_real_concurrent_edit_still_stales_after_a_recorded_event(api, world, complete_content):
    clerk, plan = _draft(api, world, complete_content)
    assert clerk.post(f"/plans/{plan['id']}/execution").status_code == 409
    assert _edit(clerk, plan, "第一次修改").status_code == 200
    stale = _edit(clerk, plan, "基于旧版本的修改")
    assert stale.status_code == 409
    assert stale.json["error"] == "stale_version"
