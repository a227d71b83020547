"""A plan from draft to execution on the command line, with the same rules and trail."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.demo import WG_MEMBERS, evidence_pdf, fund_fully, roster_csv, verify_roster
from approvals.models import AuditEvent, CongressDocument, CongressVote, Plan, ReturnReason
from approvals.workdays import local_date
from tests import flow, stages


def run(app, *args):
    return app.test_cli_runner().invoke(args=["plans", *map(str, args)])


def session_record(tmp_path, present: int, cast: int) -> tuple[object, ...]:
    """The ballots (one per member present, the unmarked ones not returned), method, chair, scrutineers and
    the three PDFs of a session, as `plans vote` options."""
    files: list[object] = []
    for kind in ("minutes", "resolution", "attendance"):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(evidence_pdf(kind))
        files += [f"--{kind}", path]
    return ("--ballots-issued", present, "--ballots-returned", cast, "--ballots-valid", cast, "--chair", "王建国",
            "--scrutineer", "李秀兰", "--scrutineer", "赵志刚", *files)  # fmt: skip


def test_high_risk_plan_on_the_command_line(app, world, complete_content, tmp_path):
    sample = complete_content(world.zombie)
    rows = sample.pop("roster")
    content = tmp_path / "plan.json"
    content.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    created = run(app, "create", "--as", "clerk_zombie", "--title", "峰峰煤业方案", "--content", content)
    assert created.exit_code == 0, created.output
    plan = db.session.scalars(select(Plan)).one()
    roster = tmp_path / "职工名单.csv"
    roster.write_bytes(roster_csv(rows))
    imported = run(app, "import-roster", plan.id, "--as", "clerk_zombie", "--file", roster)
    assert imported.exit_code == 0, imported.output
    assert "新增20" in imported.output
    funding = tmp_path / "funding.json"
    funding.write_text(json.dumps({"funding": fund_fully(plan.content["funding"])}), encoding="utf-8")
    assert run(app, "update", plan.id, "--as", "clerk_zombie", "--content", funding).exit_code == 0
    for number in (1, 2):
        evidence = tmp_path / f"批复{number}.pdf"
        evidence.write_bytes(evidence_pdf(f"资金批复第{number}号"))
        attached = run(app, "attach-evidence", plan.id, "--as", "clerk_zombie", "--source", number, "--file", evidence)
        assert attached.exit_code == 0, attached.output
        assert f"已上传第{number}项资金来源的证明材料" in attached.output
    wrong = tmp_path / "批复.pdf"
    wrong.write_bytes(b"just text")
    refused_file = run(app, "attach-evidence", plan.id, "--as", "clerk_zombie", "--source", 1, "--file", wrong)
    assert refused_file.exit_code == 1
    assert "证明材料只接受" in refused_file.output
    refused = run(app, "execute", plan.id, "--as", "clerk_zombie")
    assert refused.exit_code == 1
    assert "不得实施" in refused.output
    assert "尚未公布" in refused.output
    assert run(app, "submit", plan.id, "--as", "clerk_zombie").exit_code == 0
    wrong_role = run(app, "vote", plan.id, "--as", "clerk_zombie", "--held-on", local_date(utcnow()).isoformat(), "--total", 120,
                     "--present", 100, "--yes", 80, "--no", 10, "--abstain", 10, "--plan-hash", plan.content_hash,
                     *session_record(tmp_path, 100, 100))  # fmt: skip
    assert wrong_role.exit_code == 1
    assert "工会代表" in wrong_role.output
    voted = run(app, "vote", plan.id, "--as", "union_zombie", "--held-on", local_date(utcnow()).isoformat(), "--total", 120,
                "--present", 100, "--yes", 80, "--no", 10, "--abstain", 10, "--plan-hash", plan.content_hash,
                *session_record(tmp_path, 100, 100))  # fmt: skip
    assert voted.exit_code == 0, voted.output
    assert "表决通过" in voted.output
    assert [d.kind for d in db.session.scalars(select(CongressDocument).order_by(CongressDocument.id))] == [
        "minutes", "resolution", "attendance"]  # fmt: skip
    unverified = run(app, "review", plan.id, "--as", "province", "--decision", "approve")
    assert unverified.exit_code == 1  # approval needs the bureau's own roster verification (domain.md §8)
    assert "尚未记录名单核查" in unverified.output
    verify_roster(db.session, Actor(world.users["province"], "cli"), db.session.get(Plan, plan.id))  # no CLI command
    db.session.commit()
    reviewed = run(app, "review", plan.id, "--as", "province", "--decision", "approve")
    assert reviewed.exit_code == 0, reviewed.output
    assert "风险 high" in reviewed.output
    members = tmp_path / "members.json"
    members.write_text(json.dumps(WG_MEMBERS, ensure_ascii=False), encoding="utf-8")
    cleared = run(app, "working-group", plan.id, "--as", "wg", "--members", members, "--contact-point", "人力资源部",
                  "--findings", "同意", "--decision", "cleared")  # fmt: skip
    assert cleared.exit_code == 0, cleared.output
    assert run(app, "publish", plan.id, "--as", "clerk_zombie").exit_code == 0
    waiting = run(app, "execute", plan.id, "--as", "clerk_zombie")
    assert waiting.exit_code == 1  # execution waits for the public notice's window (通知 §五; the setting's default)
    assert "公示期已满" in waiting.output
    stages.end_notice_window(db.session, db.session.get(Plan, plan.id))
    db.session.commit()
    started = run(app, "execute", plan.id, "--as", "clerk_zombie")
    assert started.exit_code == 0, started.output
    addresses = set(db.session.scalars(select(AuditEvent.remote_addr).where(AuditEvent.plan_id == plan.id)))
    assert addresses == {"cli"}


def test_incomplete_submission_lists_what_is_missing(app, world):
    assert run(app, "create", "--as", "clerk", "--title", "空白方案").exit_code == 0
    plan = db.session.scalars(select(Plan)).one()
    result = run(app, "submit", plan.id, "--as", "clerk")
    assert result.exit_code == 1
    assert "职工实名制台账：尚未导入职工名单" in result.output


def test_another_enterprise_plan_is_not_found(app, world):
    assert run(app, "create", "--as", "clerk", "--title", "钢铁方案").exit_code == 0
    plan = db.session.scalars(select(Plan)).one()
    result = run(app, "show", plan.id, "--as", "clerk_small")
    assert result.exit_code == 1
    assert "不存在" in result.output


def test_an_undersized_congress_on_the_command_line_needs_its_explanation(app, api, world, complete_content, tmp_path):
    """企业民主管理规定 (domain-research.md §A.3; 上海市职工代表大会条例 Art 21): fewer than 30 representatives
    needs a written explanation, given with --explanation and kept with the vote."""
    plan = flow.create(api("clerk_small"), complete_content(world.small), title="沙河玻璃职工安置方案")
    plan = flow.submit(api("clerk_small"), plan["id"])["plan"]
    args = ("vote", plan["id"], "--as", "union_small", "--held-on", local_date(utcnow()).isoformat(), "--total", 20,
            "--present", 18, "--yes", 15, "--no", 2, "--abstain", 1, "--plan-hash", plan["content_hash"],
            *session_record(tmp_path, 18, 18))  # fmt: skip
    refused = run(app, *args)
    assert refused.exit_code == 1
    assert "须书面说明原因" in refused.output
    voted = run(app, *args, "--explanation", "职工60人，经与工会协商选举代表20人。")
    assert voted.exit_code == 0, voted.output
    assert db.session.scalars(select(CongressVote.explanation)).one() == "职工60人，经与工会协商选举代表20人。"


def test_a_returned_plan_is_resubmitted_with_an_answer_to_each_reason(app, api, world):
    plan = stages.plan_at(db.session, get_engine(), world, "review")
    db.session.commit()
    flow.review(api("province"), plan.id, "return", ["请补充内退协议。", "请更正资金来源。"])
    shown = run(app, "show", plan.id, "--as", "clerk_zombie")
    reasons = db.session.scalars(select(ReturnReason).order_by(ReturnReason.id)).all()
    assert f"待答复的退回理由 编号{reasons[1].id}（人社部门退回第2条）：请更正资金来源。" in shown.output
    refused = run(app, "submit", plan.id, "--as", "clerk_zombie", "--answer", f"{reasons[0].id}=已补充。")
    assert refused.exit_code == 1
    assert "第2条退回理由“请更正资金来源。”尚未答复" in refused.output
    done = run(app, "submit", plan.id, "--as", "clerk_zombie", "--answer", f"{reasons[0].id}=已补充。",
               "--answer", f"{reasons[1].id}=已更正。")  # fmt: skip
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert [r.answer for r in db.session.scalars(select(ReturnReason).order_by(ReturnReason.id))] == [
        "已补充。",
        "已更正。",
    ]
