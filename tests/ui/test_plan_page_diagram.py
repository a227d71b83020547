"""The plan page's process diagram: the BPMN file of the plan's own process version, the task
waiting now and the path taken, and the working-group process once the plan has entered it."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.models import ProcessVersion, WorkflowInstance
from tests import flow
from tests.ui.test_plan_page import pane, text


def diagram_marks(page: str) -> dict[str, dict[str, list[str]]]:
    """Process id -> the marks the page hands to bpmn-js."""
    found = re.findall(r'data-process="([^"]+)".*?data-marks=\'([^\']+)\'', pane(page, "diagram"), re.S)
    return {process: json.loads(unescape(marks)) for process, marks in found}


@pytest.fixture
def steel(api, world, complete_content):  # type: ignore[no-untyped-def]
    return flow.create(api("clerk"), complete_content(world.steel))


def test_the_route_serves_the_bpmn_of_each_process_of_the_plan(browser, steel):
    clerk = browser("clerk")
    main = clerk.get(f"/plans/{steel['id']}/process/placement_plan.bpmn")
    assert main.status_code == 200
    assert main.mimetype == "application/xml"
    body = main.get_data(as_text=True)
    assert '<bpmn:process id="placement_plan"' in body
    assert "bpmndi:BPMNDiagram" in body
    group = clerk.get(f"/plans/{steel['id']}/process/working_group.bpmn")
    assert '<bpmn:process id="working_group"' in group.get_data(as_text=True)
    assert '<bpmn:lane id="lane_union" name="工会代表">' in body  # lanes named for readers, not by role key
    english = browser("clerk")
    english.get("/lang/en")
    served = english.get(f"/plans/{steel['id']}/process/placement_plan.bpmn?lang=en").get_data(as_text=True)
    assert '<bpmn:lane id="lane_union" name="Union representative">' in served
    # Every other label in the reader's language too: tasks, gateways, events, flows, the pool.
    for label in ("Review overdue", "Plan complete?", "Not high risk", "Worker placement plan approval"):
        assert f'name="{label}"' in served
    assert not re.search(r'name="[^"]*[\u4e00-\u9fff]', served)
    assert 'name="审核超期"' in body  # the Chinese page keeps the file's names
    assert 'name="方案是否完整"' in body
    missing = clerk.get(f"/plans/{steel['id']}/process/risk_decision.bpmn")
    assert missing.status_code == 404
    assert "流程“risk_decision”不存在。" in text_of(missing)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def test_the_page_marks_the_task_waiting_now_and_the_way_there(api, browser, steel):
    flow.submit(api("clerk"), steel["id"])
    page = text(browser("union").get(f"/plans/{steel['id']}?tab=diagram"))
    marks = diagram_marks(page)
    assert list(marks) == ["placement_plan"]  # no working group for this plan
    assert marks["placement_plan"]["current"] == ["congress_vote"]
    assert {"draft_plan", "flow_submit_draft", "completeness_gateway", "flow_vote_needed", "flow_to_vote"} <= set(
        marks["placement_plan"]["taken"]
    )
    assert f'data-src="/plans/{steel["id"]}/process/placement_plan.bpmn?lang=zh_CN"' in pane(page, "diagram")
    assert "职工安置方案审批流程" in pane(page, "diagram")
    english = browser("union")
    english.get("/lang/en")
    shown = pane(text(english.get(f"/plans/{steel['id']}?tab=diagram")), "diagram")
    assert "Worker placement plan approval process" in shown  # the process named in the reader's language
    assert "职工安置方案审批流程" not in shown


def test_after_approval_of_a_high_risk_plan_the_working_group_process_is_drawn_too(api, browser, world,
                                                                                   complete_content):  # fmt: skip
    plan = flow.create(api("clerk_zombie"), complete_content(world.zombie))
    flow.submit(api("clerk_zombie"), plan["id"])
    flow.vote(api("union_zombie"), plan["id"], plan["content_hash"])
    flow.review(api("province"), plan["id"], "approve")
    page = text(browser("wg").get(f"/plans/{plan['id']}?tab=diagram"))
    marks = diagram_marks(page)
    assert list(marks) == ["placement_plan", "working_group"]
    assert marks["placement_plan"]["current"] == ["working_group_intervention"]
    assert "flow_high_risk" in marks["placement_plan"]["taken"]
    assert marks["working_group"]["current"] == ["form_working_group"]
    assert "联合工作组介入流程" in pane(page, "diagram")


def test_a_plan_on_an_older_process_version_is_drawn_from_that_version(browser, steel):
    engine = get_engine()
    old = engine.current_sources["placement_plan.bpmn"].replace('name="人社部门审核"', 'name="人社部门审核（旧版）"')
    db.session.add(ProcessVersion(hash="f" * 64, process_id="placement_plan", spec_json=engine.current_spec_json,
                                  sources={**engine.current_sources, "placement_plan.bpmn": old}))  # fmt: skip
    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == steel["id"])).one()
    instance.process_version = "f" * 64
    db.session.commit()
    served = browser("clerk").get(f"/plans/{steel['id']}/process/placement_plan.bpmn").get_data(as_text=True)
    assert "人社部门审核（旧版）" in served


def test_without_the_files_of_its_version_the_page_says_so_and_still_shows(browser, steel):
    db.session.add(ProcessVersion(hash="e" * 64, process_id="placement_plan", spec_json="{}", sources=None))
    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == steel["id"])).one()
    instance.process_version = "e" * 64
    db.session.commit()
    page = text(browser("clerk").get(f"/plans/{steel['id']}?tab=diagram"))
    assert "该方案所用流程版本的流程图文件未保存，无法显示流程图。" in pane(page, "diagram")
    assert browser("clerk").get(f"/plans/{steel['id']}/process/placement_plan.bpmn").status_code == 404


def test_new_process_versions_keep_their_files(api, world, steel):
    stored = db.session.get(ProcessVersion, get_engine().current_version)
    assert stored is not None
    assert stored.sources == get_engine().current_sources
    assert set(stored.sources) == {"placement_plan.bpmn", "working_group.bpmn", "risk.dmn"}
