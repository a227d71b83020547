"""The zombie flag (拟出清的僵尸企业, 冀人社发〔2018〕38号 §六) is the enterprise register's: the administrator keeps
it, every page and document reads it from there, the clerk's form shows it read-only with its source, and a
value sent with the plan (form or API) that contradicts the register is refused naming the field
(approvals/rules/register.py)."""

from __future__ import annotations

from html import unescape

import pytest

from app.extensions import db
from approvals.demo import sample_content
from approvals.models import PlanRevision, PublicNotice
from tests import flow, pdf
from tests.conftest import reload
from tests.ui.forms_support import version
from tests.web.test_permissions import plan_at

PROFILE = {"title": "峰峰煤业职工安置方案", "ownership": "国有控股", "parent_group": "冀中能源"}


@pytest.fixture
def zombie_draft(api, world):
    return flow.create(api("clerk_zombie"), sample_content(world.zombie), title="峰峰煤业职工安置方案")


def test_the_draft_shows_the_registered_flag_read_only_with_its_source(browser, zombie_draft):
    page = browser("clerk_zombie").get(f"/plans/{zombie_draft['id']}/draft?section=profile").get_data(as_text=True)
    shown = unescape(page.split('data-testid="register-zombie"', 1)[1].split("</dd>", 1)[0])
    assert ">是<" in shown
    assert "取自企业登记信息（由系统管理员维护），不在方案中填报" in shown
    assert 'name="zombie"' not in page  # nothing the clerk could untick


def test_saving_the_profile_leaves_the_flag_to_the_register(browser, api, zombie_draft):
    """The issue's case: saving the profile without the box stored "否" for a registered zombie firm."""
    clerk = browser("clerk_zombie")
    clerk.get(f"/plans/{zombie_draft['id']}/draft?section=profile")
    response = clerk.post(f"/plans/{zombie_draft['id']}/draft?section=profile",
                          {"version": version(zombie_draft["id"]), **PROFILE})  # fmt: skip
    assert response.status_code == 302
    assert "zombie" not in reload(zombie_draft["id"]).content["profile"]
    body = flow.plan(api("clerk_zombie"), zombie_draft["id"])
    assert body["enterprise"]["zombie"] is True
    assert any(c["key"] == "working_group_cleared" and not c["met"] for c in body["gate"])  # still high-risk


def test_a_flag_typed_into_the_form_against_the_register_is_refused_beside_it(browser, zombie_draft):
    clerk = browser("clerk_zombie")
    clerk.get(f"/plans/{zombie_draft['id']}/draft?section=profile")
    before = reload(zombie_draft["id"]).content_hash
    response = clerk.post(f"/plans/{zombie_draft['id']}/draft?section=profile",
                          {"version": version(zombie_draft["id"]), **PROFILE, "ownership": "民营", "zombie": "n"})  # fmt: skip
    assert response.status_code == 422
    page = unescape(response.get_data(as_text=True))
    error = page.split('data-testid="error-zombie"', 1)[1].split("</div>", 1)[0]
    assert "“拟出清的僵尸企业”以企业登记信息（由系统管理员维护）为准，登记为“是”，方案中不能填报为“否”" in error
    assert 'value="民营"' in page  # what the clerk typed is kept
    assert reload(zombie_draft["id"]).content_hash == before


@pytest.mark.parametrize(
    ("clerk", "firm", "sent", "registered"),
    [("clerk_zombie", "zombie", False, "是"), ("clerk", "steel", True, "否"), ("clerk", "steel", "否", "否")],
)
def test_the_api_refuses_a_flag_against_the_register_naming_the_field(api, world, clerk, firm, sent, registered):
    enterprise = getattr(world, firm)
    plan = flow.create(api(clerk), sample_content(enterprise), title=f"{enterprise.name}职工安置方案")
    profile = {**plan["content"]["profile"], "zombie": sent}
    response = api(clerk).patch(f"/plans/{plan['id']}", json={"content": {"profile": profile}})
    assert response.status_code == 422
    assert response.json["error"] == "register_fact"
    [detail] = response.json["details"]
    assert (detail["field"], detail["rule"]) == ("profile.zombie", "register_fact")
    assert f"登记为“{registered}”" in detail["message"]
    assert reload(plan["id"]).content_hash == plan["content_hash"]
    created = api(clerk).post("/plans", json={"title": "又一方案", "content": {"profile": profile}})
    assert (created.status_code, created.json["details"][0]["field"]) == (422, "profile.zombie")


def test_the_api_accepts_a_flag_that_agrees_and_keeps_the_register_its_source(api, world):
    plan = flow.create(api("clerk_zombie"), sample_content(world.zombie), title="峰峰煤业职工安置方案")
    profile = {**plan["content"]["profile"], "ownership": "国有独资", "zombie": True}
    response = api("clerk_zombie").patch(f"/plans/{plan['id']}", json={"content": {"profile": profile}})
    assert response.status_code == 200
    assert response.json["content"]["profile"]["ownership"] == "国有独资"
    assert "zombie" not in response.json["content"]["profile"]


def test_the_published_text_the_notice_and_the_plan_page_state_the_register(api, browser, world):
    """A published plan whose stored profile holds "否" (saved before the flag was the register's alone) of a
    registered zombie firm: each place the plan is read says "是"."""
    plan = plan_at(api, world, "zombie", "published")
    stored = [*db.session.query(PlanRevision).filter_by(plan_id=plan["id"]), reload(plan["id"])]
    for row in stored:
        row.content = {**row.content, "profile": {**row.content["profile"], "zombie": False}}
    db.session.commit()
    response = api("clerk_zombie").get(f"/plans/{plan['id']}/documents/published-plan.pdf")
    assert response.status_code == 200
    text = pdf.flat(response.data, layout=False)
    assert "拟出清的僵尸企业：是" in text
    assert "拟出清的僵尸企业：否" not in text
    token = db.session.get(PublicNotice, plan["id"]).token
    notice = unescape(browser(None).get(f"/public/{token}").get_data(as_text=True))
    assert "拟出清的僵尸企业</dt>" in notice
    assert ">是</span>" in notice.split("拟出清的僵尸企业</dt>", 1)[1].split("</dd>", 1)[0]
    page = unescape(browser("clerk_zombie").get(f"/plans/{plan['id']}?tab=content").get_data(as_text=True))
    row = page.split('data-field="profile.zombie">', 1)[1].split("</dd>", 1)[0]
    assert row.startswith("是")
    assert "（取自企业登记信息）" in row
