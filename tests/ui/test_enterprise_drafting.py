"""The clerk's drafting pages: new plan, one form per section, submission."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import format_decimal

from app.extensions import db
from approvals.demo import sample_content
from approvals.models import Plan
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import actions, block, rules, version

WORKFORCE = {"on_roll": "1200", "in_scope": "20", "excluded": "0", "exclusion_reasons": ""}


@pytest.fixture
def draft(api, world) -> dict[str, Any]:
    """A plan in drafting with the sample content (no roster yet)."""
    return flow.create(api("clerk"), sample_content(world.steel))


def save(client, plan_id: int, section: str, data: dict[str, str], **kw: Any):
    return client.post(f"/plans/{plan_id}/draft?section={section}", {"version": version(plan_id), **data}, **kw)


def test_new_plan_form_creates_a_draft_and_opens_its_first_section(browser, world):
    clerk = browser("clerk")
    page = clerk.get("/plans/new").get_data(as_text=True)
    assert "迁安钢铁化解过剩产能职工安置方案" in page  # the title is suggested
    response = clerk.post("/plans/new", {"title": "迁安钢铁2018年职工安置方案", "enterprise_id": str(world.steel.id)})
    assert response.status_code == 302
    plan_id = int(response.headers["Location"].split("/")[2])
    assert response.headers["Location"] == f"/plans/{plan_id}/draft"
    assert reload(plan_id).title == "迁安钢铁2018年职工安置方案"
    assert actions(plan_id) == ["plan.created"]
    assert "已创建方案" in clerk.get(response.headers["Location"]).get_data(as_text=True)


def test_new_plan_without_a_title_is_refused_and_nothing_is_created(browser, world):
    clerk = browser("clerk")
    clerk.get("/plans/new")
    response = clerk.post("/plans/new", {"title": "", "enterprise_id": str(world.steel.id)})
    assert response.status_code == 422
    assert "请填写方案名称。" in response.get_data(as_text=True)
    assert db.session.query(Plan).count() == 0


def test_saving_a_section_changes_the_plan_in_one_audited_step(browser, draft):
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft?section=workforce")
    response = save(clerk, draft["id"], "workforce", WORKFORCE | {"on_roll": "1300"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{draft['id']}/draft?section=workforce"
    plan = reload(draft["id"])
    assert plan.content["workforce"]["on_roll"] == 1300
    assert plan.content_hash != draft["content_hash"]
    assert actions(draft["id"]) == ["plan.created", "plan.updated"]
    assert "已保存“职工基本情况”" in clerk.get(response.headers["Location"]).get_data(as_text=True)


def test_saving_a_section_again_unchanged_is_no_change(browser, draft):
    """The stored 0 and 104000 typed back as "0" and "104000" are the same amounts: no new hash, no event."""
    clerk = browser("clerk")
    funding = draft["content"]["funding"]["required"]
    data = {f"required-{key}": str(funding[key]) for key in ("arrears", "social_insurance", "training", "other")}
    assert (funding["arrears"], data["required-arrears"]) == (0, "0")  # stored as a number, typed as text
    clerk.get(f"/plans/{draft['id']}/draft?section=funding")
    assert save(clerk, draft["id"], "funding", data).status_code == 302
    assert reload(draft["id"]).content_hash == draft["content_hash"]
    assert actions(draft["id"]) == ["plan.created"]


def test_a_value_that_is_not_a_number_is_refused_beside_its_field_and_the_input_is_kept(browser, draft):
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft?section=workforce")
    response = save(
        clerk, draft["id"], "workforce", WORKFORCE | {"on_roll": "一千二", "exclusion_reasons": "已退休三人"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请填写整数" in block(page, "error-on_roll")
    assert rules(page, "error-on_roll") == ["integer"]  # the rule is marked, said in words
    assert 'value="一千二"' in page
    assert "已退休三人" in page  # the other fields keep what was typed too
    assert "本部分未保存" in page
    assert reload(draft["id"]).content == draft["content"]
    assert actions(draft["id"]) == ["plan.created"]


def test_an_amount_with_three_decimals_in_a_funding_row_is_refused_on_that_row(browser, draft):
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft?section=funding")
    response = save(clerk, draft["id"], "funding", {"sources-0-source": "enterprise_own", "sources-0-amount": "12.345",
                                                    "sources-0-evidence": "董事会决议"})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert rules(page, "error-sources-0-amount") == ["amount"]
    assert 'value="12.345"' in page
    assert 'value="董事会决议"' in page


def test_funding_rows_are_saved_blank_rows_dropped_and_the_rosters_costs_kept(browser, api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    computed = plan["content"]["funding"]["required"]["severance"]
    clerk = browser("clerk")
    clerk.get(f"/plans/{plan['id']}/draft?section=funding")
    # The two stored sources (origins 1 and 2, as the page numbers them) and a blank row added between them.
    rows = {"sources-0-origin": "1", "sources-0-source": "enterprise_own", "sources-0-amount": "100000",
            "sources-0-evidence": "董事会决议〔2018〕12号",
            "sources-3-origin": "", "sources-3-source": "", "sources-3-amount": "", "sources-3-evidence": "",
            "sources-5-origin": "2", "sources-5-source": "special_award", "sources-5-amount": "2,000.50",
            "sources-5-evidence": "冀财资〔2018〕45号"}  # fmt: skip
    assert save(clerk, plan["id"], "funding", rows).status_code == 302
    funding = reload(plan["id"]).content["funding"]
    typed = [{k: v for k, v in source.items() if k != "attachments"} for source in funding["sources"]]
    assert typed == [
        {"source": "enterprise_own", "amount": "100000", "evidence": "董事会决议〔2018〕12号"},
        {"source": "special_award", "amount": "2000.50", "evidence": "冀财资〔2018〕45号"},
    ]
    assert (
        funding["sources"][0]["attachments"][0]["filename"] == "董事会决议〔2018〕12号.pdf"
    )  # files stay with their source
    assert funding["required"]["severance"] == computed  # not a field of the form: kept as the roster computed it


def test_completeness_findings_are_shown_beside_their_fields_with_the_rule(browser, api, world):
    content = sample_content(world.steel) | {"workforce": {"on_roll": 10, "in_scope": 20, "excluded": 0}}
    plan = flow.create(api("clerk"), content)
    page = browser("clerk").get(f"/plans/{plan['id']}/draft?section=workforce").get_data(as_text=True)
    beside = block(page, "finding-in_scope")
    assert "需安置职工数（20）不得多于在册职工数（10）" in beside
    assert rules(page, "finding-in_scope") == ["not_above_on_roll"]
    assert "not_above_on_roll" not in beside
    assert "全部待补充事项" in page


def test_a_title_the_service_refuses_is_shown_beside_the_title(browser, draft):
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft?section=profile")
    response = save(
        clerk, draft["id"], "profile", {"title": "   ", "ownership": "国有独资", "parent_group": "示范集团"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "方案名称须为1至200个字符" in block(page, "error-title")
    assert rules(page, "error-title") == ["length_1_200"]
    assert 'value="国有独资"' in page
    assert reload(draft["id"]).title == draft["title"]


def test_a_concurrent_change_is_refused_and_the_input_kept_then_saving_again_applies_it(browser, api, draft):
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft?section=workforce")
    seen = version(draft["id"])
    api("clerk").patch(f"/plans/{draft['id']}", json={"title": "他人修改后的名称"})
    response = clerk.post(
        f"/plans/{draft['id']}/draft?section=workforce", {"version": seen, **WORKFORCE, "on_roll": "1400"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "方案已被他人修改" in page
    assert 'value="1400"' in page
    assert reload(draft["id"]).content["workforce"]["on_roll"] == 1200
    current = version(draft["id"])
    assert f'value="{current}"' in page  # the form now carries the version it was shown against
    again = clerk.post(
        f"/plans/{draft['id']}/draft?section=workforce", {"version": current, **WORKFORCE, "on_roll": "1400"}
    )
    assert again.status_code == 302
    assert reload(draft["id"]).content["workforce"]["on_roll"] == 1400


def test_a_reminder_and_a_refused_execution_meanwhile_do_not_stale_the_open_form(browser, api, draft):
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft?section=workforce")
    seen = version(draft["id"])
    assert (
        api("supervisor").post(f"/plans/{draft['id']}/reminders", json={"message": "请尽快完善。"}).status_code == 201
    )
    assert api("clerk").post(f"/plans/{draft['id']}/execution").status_code == 409
    response = clerk.post(
        f"/plans/{draft['id']}/draft?section=workforce", {"version": seen, **WORKFORCE, "on_roll": "1400"}
    )
    assert response.status_code == 302
    assert reload(draft["id"]).content["workforce"]["on_roll"] == 1400


def test_submitting_an_incomplete_plan_returns_it_with_every_missing_item(browser, draft):
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft")
    response = clerk.post(f"/plans/{draft['id']}/submit")
    assert response.status_code == 302
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "方案不完整，未能提交" in page
    missing = block(page, "missing")
    assert "职工实名制台账：尚未导入职工名单。" in missing
    assert "资金保障：至少填写一项资金来源。" in missing
    plan = reload(draft["id"])
    assert plan.status == "drafting"
    assert actions(draft["id"])[-1] == "plan.returned_incomplete"


def test_submitting_a_complete_plan_sends_it_to_the_congress(browser, api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan['id']}/draft").get_data(as_text=True)
    assert "各部分已齐全" in page
    response = clerk.post(f"/plans/{plan['id']}/submit")
    assert response.headers["Location"] == f"/plans/{plan['id']}"
    assert "等待工会录入职工代表大会表决结果" in clerk.get(response.headers["Location"]).get_data(as_text=True)
    after = reload(plan["id"])
    assert (after.status, after.revision_number) == ("congress", 1)
    assert actions(plan["id"])[-1] == "plan.submitted"
    read_only = clerk.get(f"/plans/{plan['id']}/draft").get_data(as_text=True)
    assert "不能修改" in block(read_only, "read-only")
    assert save(clerk, plan["id"], "workforce", WORKFORCE).status_code == 409


def test_a_union_representative_may_not_open_or_save_the_draft(browser, draft):
    union = browser("union")
    assert union.get(f"/plans/{draft['id']}/draft").status_code == 403
    union.get("/")
    response = save(union, draft["id"], "workforce", WORKFORCE | {"on_roll": "9"})
    assert response.status_code == 403
    assert "起草方案须由本方案的企业经办人办理" in response.get_data(as_text=True)
    assert reload(draft["id"]).content["workforce"]["on_roll"] == 1200
    assert union.post(f"/plans/{draft['id']}/submit").status_code == 403


def test_another_enterprises_clerk_does_not_see_the_draft(browser, draft):
    other = browser("clerk_small")
    assert other.get(f"/plans/{draft['id']}/draft").status_code == 404
    other.get("/")
    assert save(other, draft["id"], "workforce", WORKFORCE).status_code == 404


def test_a_section_save_without_the_csrf_token_is_refused_and_changes_nothing(browser, draft):
    clerk = browser("clerk")
    response = save(clerk, draft["id"], "workforce", WORKFORCE | {"on_roll": "9"}, csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert reload(draft["id"]).content["workforce"]["on_roll"] == 1200


def test_every_section_has_a_form_and_an_unknown_one_does_not_exist(browser, draft):
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{draft['id']}/draft").get_data(as_text=True)
    sections = block(page, "sections")
    for label in (
        "企业基本情况",
        "化解过剩产能任务",
        "安置渠道",
        "资金保障",
        "实施步骤与时间安排",
        "听取职工意见情况",
        "职工实名制台账",
    ):
        assert label in sections
    for section in ("decapacity", "channels", "labour_relations", "timetable", "opinions"):
        assert clerk.get(f"/plans/{draft['id']}/draft?section={section}").status_code == 200
    assert clerk.get(f"/plans/{draft['id']}/draft?section=roster").status_code == 404


def test_the_severance_section_counts_every_worker_leaving_the_enterprise(browser, api, world, complete_content):
    """劳动合同法 Art 46, 47: the demo roster's 3 terminated, 3 self-employed and 3 public-welfare workers all end
    their labour relation (冀人社发〔2018〕38号 §四), and the severance the section shows is theirs."""
    plan = flow.create(api("clerk"), complete_content(world.steel))
    total = reload(plan["id"]).content["funding"]["required"]["severance"]
    page = browser("clerk").get(f"/plans/{plan['id']}/draft?section=severance").get_data(as_text=True)
    assert "职工名单中与本企业解除劳动关系 9 人" in page
    assert f"经济补偿合计 {format_decimal(Decimal(total), locale='zh_CN')} 元" in page
