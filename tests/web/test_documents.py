"""The official documents over the API: what each says (read back with pdftotext), masked IDs, tables
that stay inside the page, numbering of votes and reviews, and the 409 of a document not yet made."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.documents.facts import local
from app.extensions import db
from approvals.db import utcnow
from approvals.demo import WG_MEMBERS, fund_fully, sample_content, sample_roster
from approvals.models import BureauReview
from approvals.rules.resident_id import mask_id
from approvals.workdays import local_date
from tests import flow, pdf
from tests.conftest import reload
from tests.web.test_permissions import plan_at

MM = 72 / 25.4


def held_on() -> str:
    """The session date the flows record (today in China), as the documents write it."""
    day = local_date(utcnow())
    return f"{day.year}年{day.month}月{day.day}日"


def get_pdf(client, plan_id: int, kind: str, **query):
    response = client.get(f"/plans/{plan_id}/documents/{kind}.pdf", query_string=query)
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    return response


def test_the_published_plan_states_the_plan_its_decisions_and_the_masked_roster(api, world):
    plan = plan_at(api, world, "steel", "published")
    response = get_pdf(api("supervisor"), plan["id"], "published-plan")
    assert response.headers["Content-Disposition"].startswith(
        f"attachment; filename=plan-{plan['id']}-published-plan.pdf;"
    )
    text = pdf.flat(response.data)
    published = local(reload(plan["id"]).published_at)
    year = published.year
    for expected in (
        "迁安钢铁",  # the issuing body, in the masthead
        f"迁安钢铁职工安置〔{year}〕1号",  # the enterprise's first published plan of the year (tests/web/test_document_numbers.py)
        "迁安钢铁职工安置方案（公布文本）",
        "一、企业基本情况", "统一社会信用代码：" + world.steel.uscc, "所在地区：河北省唐山市迁安市",
        "四、安置渠道", "表1安置渠道及人数", "企业内部退养", "依法解除劳动合同",
        "十、资金保障", "表2所需资金", "表3资金来源", "董事会决议〔2018〕12号", "资金保障到位",
        "十五、听取职工意见情况", "召开职工座谈会、设立意见箱",
        # issue 11 §6: the parameters in force on the reference date, the county's minimum wage among them
        "十六、本方案适用参数（截至参考日期2018-07-31）", "月最低工资标准（迁安市，一类）：1,650.00元/月（自2016-07-01起",
        "十七、职工代表大会审议情况",
        f"{held_on()}，迁安钢铁召开职工代表大会", "全体职工代表120人，到会100人；赞成80人，反对15人，弃权5人",
        "十八、审核情况", "唐山市人力资源和社会保障局审核同意本方案",
        "附件：需安置职工名单（20人）", "需安置职工名单", "公民身份号码已作脱敏处理",
    ):  # fmt: skip
        assert expected in text, expected
    assert pdf.page_numbers(response.data) == list(range(1, len(pdf.pages(response.data)) + 1))
    assert f"迁安钢铁{published.year}年{published.month}月{published.day}日" in text  # signature and 成文日期
    for number, name, *_ in sample_roster(world.steel):
        assert mask_id(number) in text
        assert number not in text  # no full ID anywhere
        assert name in text


def test_an_id_typed_into_the_text_is_masked_and_a_long_value_wraps_inside_its_table(api, world):
    content = {**sample_content(world.steel), "roster": sample_roster(world.steel)}
    someone = sample_roster(world.steel)[0][0]
    content["protected_groups"] = {"handling": f"残疾职工（公民身份号码{someone}）安排转岗。"}
    body = flow.create(api("clerk"), content)
    long_evidence = "冀财资" + "〔2018〕第0045号附件" * 12 + "A" * 60
    funding = fund_fully(body["content"]["funding"])
    funding["sources"][0]["evidence"] = long_evidence
    clerk = api("clerk")
    assert clerk.patch(f"/plans/{body['id']}", json={"content": {"funding": funding}}).status_code == 200
    body = flow.submit(clerk, body["id"])["plan"]
    flow.vote(api("union"), body["id"], body["content_hash"])
    flow.review(api("reviewer"), body["id"], "approve")
    flow.publish(clerk, body["id"])
    data = get_pdf(clerk, body["id"], "published-plan").data
    text = pdf.flat(data)
    assert someone not in text
    assert f"残疾职工（公民身份号码{mask_id(someone)}）安排转岗。" in text
    amount = f"{Decimal(funding['sources'][0]['amount']):,.2f}"  # printed beside the wrapped cell
    assert long_evidence in pdf.flat(data, layout=False).replace(amount, "")  # wrapped in its cell, not cut
    for page in pdf.pages(data):  # the type area ends 26 mm (even pages 28 mm) before the right edge
        assert max(x1 for _, x1, _ in page.words) <= page.width - 26 * MM + 1


def test_the_vote_record_gives_counts_thresholds_result_and_the_revision_voted_on(api, world):
    plan = plan_at(api, world, "steel", "review")
    text = pdf.flat(get_pdf(api("clerk"), plan["id"], "congress-vote").data)
    for expected in (
        "迁安钢铁职工代表大会表决结果记录", "本方案第1次表决", "表决事项《迁安钢铁职工安置方案》",
        "第1版，内容哈希（SHA-256）", plan["content_hash"],
        f"召开日期{held_on()}", "全体职工代表人数120人", "到会人数100人（占83.3%），缺席20人",
        "不少于全体职工代表的三分之二，即80人；已达到", "赞成80人（占全体职工代表66.7%）", "反对15人", "弃权5人",
        "超过全体职工代表的半数，即不少于61人", "表决结果表决通过", "录入人union（工会代表）",
        "会议主持人（签字）", "监票人（签字）",
    ):  # fmt: skip
        assert expected in text, expected


def test_the_vote_record_gives_the_explanation_of_an_undersized_congress(api, world):
    """企业民主管理规定 (domain-research.md §A.3): the written explanation of a congress of fewer than 30
    representatives is on the vote record; an ID number typed into it is masked, as in every document."""
    body = flow.create(api("clerk_small"), {**sample_content(world.small), "roster": sample_roster(world.small)},
                       title="沙河玻璃职工安置方案")  # fmt: skip
    body = flow.submit(api("clerk_small"), body["id"])["plan"]
    worker_id = sample_roster(world.small)[1][0]
    flow.vote(api("union_small"), body["id"], body["content_hash"], total=20, present=18, yes=15, no=2, abstain=1,
              explanation=f"职工60人，经与工会协商选举代表20人（含{worker_id}）。")  # fmt: skip
    text = pdf.flat(get_pdf(api("union_small"), body["id"], "congress-vote").data, layout=False)
    assert "代表人数说明" in text
    assert "经与工会协商选举代表20人" in text
    assert mask_id(worker_id) in text
    assert worker_id not in text


def test_a_session_without_quorum_is_recorded_as_invalid(api, world):
    body = flow.create(api("clerk"), {**sample_content(world.steel), "roster": sample_roster(world.steel)})
    body = flow.submit(api("clerk"), body["id"])["plan"]
    flow.vote(api("union"), body["id"], body["content_hash"], present=70, yes=60, no=5, abstain=5)
    data = get_pdf(api("union"), body["id"], "congress-vote").data
    text = pdf.flat(data)
    assert "即80人；未达到，会议无效" in pdf.flat(data, layout=False)
    assert "表决结果到会人数不足三分之二，会议无效" in text


def test_review_opinions_are_numbered_and_each_keeps_its_revision_decision_and_reasons(api, world):
    plan = plan_at(api, world, "steel", "review")
    reviewer, clerk = api("reviewer"), api("clerk")
    flow.review(reviewer, plan["id"], "return", reasons="内部退养人员协议未附，请补充后重新提交。")
    assert clerk.patch(f"/plans/{plan['id']}", json={"title": "迁安钢铁职工安置方案（修订）"}).status_code == 200
    (reason,) = flow.plan(clerk, plan["id"])["open_reasons"]
    body = flow.submit(clerk, plan["id"], answers={reason["id"]: "已补充内部退养人员协议（附件3）。"})["plan"]
    flow.vote(api("union"), plan["id"], body["content_hash"])
    flow.review(reviewer, plan["id"], "approve", reasons="请做好政策解释工作。")
    second = get_pdf(clerk, plan["id"], "review-opinion").data
    latest = pdf.flat(second)
    earlier = pdf.flat(get_pdf(clerk, plan["id"], "review-opinion", n=1).data)
    assert "唐山市人力资源和社会保障局" in latest  # the reviewer's bureau (region 130200)
    assert "审核意见书" in latest
    assert "迁安钢铁：" in latest
    assert "《迁安钢铁职工安置方案（修订）》（第2版）收悉" in latest
    assert "同意该方案，请按程序公布实施" in latest
    assert "审核意见：请做好政策解释工作。" in latest
    # the reasons the reviewed revision answered, with the answers (return_reason)
    assert "前次退回的理由及企业答复：企业随第2版逐条答复如下。" in latest
    assert (
        "1.内部退养人员协议未附，请补充后重新提交。（人社部门退回）企业答复：已补充内部退养人员协议（附件3）。"
        in latest
    )
    assert "审核结论同意" in latest
    assert "审核人reviewer" in latest
    assert f"{held_on()}职工代表大会表决通过（赞成80人，占全体职工代表66.7%）" in pdf.flat(second, layout=False)
    assert "资金保障所需" in latest
    assert "资金保障到位" in latest
    assert "《迁安钢铁职工安置方案》（第1版）收悉" in earlier  # the title of the revision it reviewed
    assert "退回修改，请按审核意见修改完善后重新报送" in earlier
    assert "退回理由：请逐条修改，并在重新报送时逐条答复。1.内部退养人员协议未附，请补充后重新提交。" in earlier
    assert "审核结论退回修改" in earlier
    numbers = [f"人社审〔{local(r.reviewed_at).year}〕{n}号" for n, r in enumerate(_reviews(plan["id"]), start=1)]
    assert numbers[0] in earlier
    assert numbers[1] in latest


def _reviews(plan_id: int) -> list[BureauReview]:
    return list(
        db.session.scalars(select(BureauReview).where(BureauReview.plan_id == plan_id).order_by(BureauReview.id))
    )


def test_the_working_group_record_lists_members_contact_point_findings_and_decision(api, world):
    plan = plan_at(api, world, "zombie", "publication")
    text = pdf.flat(get_pdf(api("wg"), plan["id"], "working-group").data)
    for expected in ("省联合工作组工作记录", "峰峰煤业属于高风险企业", "联系点企业人力资源部",
                     "工作组意见：已核实安置渠道和资金来源。", "结论：同意公布实施", "记录人：wg", "工作组成员（签字）"):  # fmt: skip
        assert expected in text, expected
    for member in WG_MEMBERS:
        assert member["name"] + member["department"] + member["organisation"] in text


@pytest.mark.parametrize(
    ("firm", "stage", "kind", "message"),
    [
        ("steel", "drafting", "congress-vote", "方案尚未经职工代表大会（职工大会）表决，还没有表决结果记录。"),
        ("steel", "congress", "review-opinion", "方案尚未经人社部门审核，还没有审核意见书。"),
        ("steel", "publication", "published-plan", "方案尚未公布，还没有公布文本。"),
        (
            "steel",
            "published",
            "working-group",
            "本方案未交联合工作组办理（仅高风险企业的方案由联合工作组介入），没有联合工作组工作记录。",
        ),
        ("zombie", "working_group", "working-group", "联合工作组尚未组建，还没有工作记录。"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isascii() else None,
)
def test_a_document_not_yet_made_is_409_saying_what_is_missing(api, world, firm, stage, kind, message):
    plan = plan_at(api, world, firm, stage)
    response = api("admin").get(f"/plans/{plan['id']}/documents/{kind}.pdf")
    assert response.status_code == 409, response.json
    assert response.json == {"error": "document_not_ready", "message": message, "details": {"status": stage}}


def test_unknown_kinds_and_numbers_are_404_and_a_bad_number_422(api, world):
    plan = plan_at(api, world, "steel", "review")
    client = api("clerk")
    unknown = client.get(f"/plans/{plan['id']}/documents/minutes.pdf")
    assert unknown.status_code == 404
    assert unknown.json["error"] == "document_not_found"
    assert "没有“minutes”这种文书" in unknown.json["message"]
    assert "审核意见书（review-opinion）" in unknown.json["message"]
    beyond = client.get(f"/plans/{plan['id']}/documents/congress-vote.pdf?n=2")
    assert beyond.status_code == 404
    assert beyond.json["message"] == "本方案共有1份职工代表大会表决结果记录，没有第2份。"
    for bad in ("0", "x", "-1", "²"):
        invalid = client.get(f"/plans/{plan['id']}/documents/congress-vote.pdf?n={bad}")
        assert invalid.status_code == 422
        assert invalid.json["details"][0]["field"] == "n"
