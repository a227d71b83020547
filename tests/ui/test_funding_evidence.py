"""Funding evidence on the drafting page: each source's files listed with download and delete, an upload
per source checked by the service (real type, size), the funding rule shown, and saving the rows keeps
every file with its source."""

from __future__ import annotations

import hashlib
from typing import Any

import lxml.html
import pytest
from sqlalchemy import func, select

from app.extensions import db
from approvals.demo import evidence_pdf
from approvals.models import FundingEvidence
from approvals.services.evidence import MAX_BYTES
from tests import flow
from tests.approvals.hostile import deflate_of_zeros, lying_zip
from tests.conftest import reload
from tests.ui.conftest import Browser
from tests.ui.forms_support import ORIGIN, actions, block, page_for, rules, text, version

PDF = evidence_pdf("冀财资〔2018〕46号")


@pytest.fixture
def plan(api, world, complete_content) -> dict[str, Any]:
    """A complete plan in drafting: two funding sources, one PDF each (tests/flow.create)."""
    return flow.create(api("clerk"), complete_content(world.steel))


def funding_page(client: Browser, plan_id: int) -> str:
    response = client.get(f"/plans/{plan_id}/draft?section=funding")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def upload(client: Browser, plan_id: int, number: int, data: bytes, filename: str, *, csrf: bool = True):
    """The upload form of source `number` as a browser sends it (multipart, encoded here so that a
    large body is not spooled by the test client to a file it never closes)."""
    boundary = "web-evidence-5c2e"
    fields = [(f"source{number}-csrf_token", client.token)] if csrf else []
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                    for name, value in fields)  # fmt: skip
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="source{number}-file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.client.post(f"/plans/{plan_id}/funding/sources/{number}/evidence", data=body,
                              content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip


def files(plan_id: int) -> list[tuple[int, str]]:
    db.session.expire_all()
    return [(e.source_number, e.filename) for e in db.session.scalars(
        select(FundingEvidence).where(FundingEvidence.plan_id == plan_id).order_by(FundingEvidence.id))]  # fmt: skip


def attached(plan_id: int) -> list[list[str]]:
    """The file names each source of the stored content lists, in order."""
    return [[a["filename"] for a in s.get("attachments", [])] for s in reload(plan_id).content["funding"]["sources"]]


def rows(*sources: tuple[str, str, str, str]) -> dict[str, str]:
    """Funding rows as the page posts them: (origin, source, amount, document) each."""
    data: dict[str, str] = {}
    for i, (origin, source, amount, document) in enumerate(sources):
        data |= {f"sources-{i}-origin": origin, f"sources-{i}-source": source, f"sources-{i}-amount": amount,
                 f"sources-{i}-evidence": document}  # fmt: skip
    return data


def test_each_source_lists_its_files_with_type_size_hash_uploader_and_a_download(browser, plan):
    clerk = browser("clerk")
    page = funding_page(clerk, plan["id"])
    stored = db.session.scalars(select(FundingEvidence).where(FundingEvidence.plan_id == plan["id"])
                                .order_by(FundingEvidence.source_number)).all()  # fmt: skip
    first = block(page, "source-1")
    assert "第1项：企业自有资金" in first
    assert "董事会决议〔2018〕12号.pdf" in block(page, "files-1")
    assert "PDF" in block(page, "files-1")
    assert stored[0].sha256[:12] in block(page, "files-1")
    assert "clerk" in block(page, "files-1")  # the uploader (the test users' display name is their username)
    assert "已有证明材料，计入已落实资金" in block(page, "source-status-1")
    assert "已上传 1 份" in block(page, "row-files-2")  # the row of the form says so too
    download = clerk.get(f"/plans/{plan['id']}/funding/evidence/{stored[1].id}")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert hashlib.sha256(download.data).hexdigest() == stored[1].sha256
    assert "filename*=UTF-8''" in download.headers["Content-Disposition"]
    # Whoever sees the plan may read its evidence; another enterprise's clerk does not see it.
    assert browser("reviewer").get(f"/plans/{plan['id']}/funding/evidence/{stored[1].id}").status_code == 200
    assert browser("clerk_small").get(f"/plans/{plan['id']}/funding/evidence/{stored[1].id}").status_code == 404


def test_uploading_a_file_attaches_it_to_its_source_in_one_audited_step(browser, plan):
    clerk = browser("clerk")
    funding_page(clerk, plan["id"])
    before = reload(plan["id"]).content_hash
    response = upload(clerk, plan["id"], 2, PDF, "拨款文件.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("section=funding#evidence")
    assert files(plan["id"])[-1] == (2, "拨款文件.pdf")
    assert attached(plan["id"]) == [["董事会决议〔2018〕12号.pdf"], ["冀财资〔2018〕45号.pdf", "拨款文件.pdf"]]
    assert reload(plan["id"]).content_hash != before
    assert actions(plan["id"])[-1] == "funding.evidence_added"
    page = funding_page(clerk, plan["id"])
    assert "已为第2项资金来源上传证明材料“拨款文件.pdf”" in page
    assert "拨款文件.pdf" in block(page, "files-2")


@pytest.mark.parametrize(
    ("data", "name", "rule", "said"),
    [
        (b"just some text, not a scan", "扫描件.pdf", "file_type", "实际上是无法识别的文件"),
        (b"PK\x03\x04 broken", "报表.xlsx", "corrupt", "不完整或已损坏"),
        (b"", "空文件.pdf", "empty_file", "是空的（0 字节）"),
        (b"%PDF-1.4\n" + b"0" * MAX_BYTES, "过大.pdf", "too_large", "超过证明材料的上限 10 MB"),
    ],
    ids=["not_a_pdf", "broken_office_file", "empty", "over_10_mb"],
)
def test_a_file_the_service_refuses_is_shown_beside_its_source_and_nothing_changes(
    browser, plan, data, name, rule, said
):
    clerk = browser("clerk")
    funding_page(clerk, plan["id"])
    before, events = reload(plan["id"]).content_hash, actions(plan["id"])
    response = upload(clerk, plan["id"], 2, data, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    beside = block(page, "source-2")
    assert said in beside
    assert rule in rules(page, "source-2")  # the rule is marked, said in words
    assert rule not in beside
    assert said not in block(page, "source-1")
    assert len(files(plan["id"])) == 2
    assert reload(plan["id"]).content_hash == before
    assert actions(plan["id"]) == events
    assert 'value="董事会决议〔2018〕12号"' in page  # the rest of the section is shown as stored


@pytest.mark.parametrize(
    ("lang", "data", "name", "said"),
    [
        ("zh", b"just some text", "fake.pdf", "文件“fake.pdf”实际上是无法识别的文件（文本或其他格式），证明材料只接受PDF、JPEG 或 PNG "
                                              "图片、Excel 工作簿（.xlsx）、Word 文档（.docx）。请另存或扫描为这些格式后重新上传。"),
        ("en", b"just some text", "fake.pdf", "The file \"fake.pdf\" is in fact: unrecognised file (text or another format). "
                                              "Funding evidence is accepted only as PDF, JPEG or PNG image, Excel workbook "
                                              "(.xlsx) or Word document (.docx). Save or scan it in one of these formats and "
                                              "upload it again."),
        ("en", b"GIF89a....", "photo.png", "The file \"photo.png\" is in fact: GIF image. Funding evidence is accepted only"),
        ("en", b"PK\x03\x04 broken", "report.xlsx", "The file \"report.xlsx\" is incomplete or damaged and cannot be "
                                                      "opened as an Office document; save it again and upload it."),
        ("en", lying_zip([("word/document.xml", deflate_of_zeros(64 << 20), 4096, 0)]), "resolution.docx",
         "The file \"resolution.docx\" was refused: the member word/document.xml inflates to more than its declared "
         "size of 4 KB; it may be a maliciously crafted archive. Save it again and upload it."),
        ("en", b"", "empty.pdf", "The file \"empty.pdf\" is empty (0 bytes); check it and upload it again."),
        ("en", b"%PDF-1.4\n" + b"0" * MAX_BYTES, "big.pdf", "The file \"big.pdf\" is 10.0 MB, over the 10 MB limit for "
                                                             "funding evidence. Compress the images or upload it as "
                                                             "several files."),
    ],
    ids=["zh_not_a_file_type", "en_not_a_file_type", "en_gif", "en_broken_office_file", "en_lying_zip", "en_empty",
         "en_over_10_mb"],
)  # fmt: skip
def test_a_refused_upload_is_said_in_the_interface_language(browser, plan, lang, data, name, said):
    clerk = browser("clerk")
    clerk.get(f"/lang/{lang}")
    funding_page(clerk, plan["id"])
    response = upload(clerk, plan["id"], 2, data, name)
    assert response.status_code == 422
    beside = block(response.get_data(as_text=True), "source-2")
    assert said in beside
    if lang == "en":
        assert "文件“" not in beside
        assert "重新上传" not in beside


def test_the_bytes_decide_the_type_not_the_name(browser, plan):
    clerk = browser("clerk")
    funding_page(clerk, plan["id"])
    assert upload(clerk, plan["id"], 1, PDF, "扫描件.txt").status_code == 302
    kind = db.session.scalars(select(FundingEvidence.kind).order_by(FundingEvidence.id.desc())).first()
    assert kind == "pdf"


def test_an_upload_without_a_file_asks_for_one(browser, plan):
    clerk = browser("clerk")
    funding_page(clerk, plan["id"])
    response = clerk.post(f"/plans/{plan['id']}/funding/sources/1/evidence", {})
    assert response.status_code == 422
    assert "请选择要上传的证明材料文件" in block(response.get_data(as_text=True), "source-1")
    assert len(files(plan["id"])) == 2


def test_deleting_a_file_leaves_the_source_unevidenced_and_the_page_says_it_does_not_count(browser, plan):
    clerk = browser("clerk")
    page = funding_page(clerk, plan["id"])
    evidence = db.session.scalars(select(FundingEvidence).where(FundingEvidence.plan_id == plan["id"],
                                                                FundingEvidence.source_number == 2)).one()  # fmt: skip
    assert f'data-testid="delete-{evidence.id}"' in page
    response = clerk.post(f"/plans/{plan['id']}/funding/evidence/{evidence.id}/delete")
    assert response.status_code == 302
    assert files(plan["id"]) == [(1, "董事会决议〔2018〕12号.pdf")]
    assert actions(plan["id"])[-1] == "funding.evidence_removed"
    page = funding_page(clerk, plan["id"])
    assert "已删除第2项资金来源的证明材料“冀财资〔2018〕45号.pdf”" in page
    assert "未上传证明材料，不计入已落实资金" in block(page, "source-status-2")
    assert "尚未上传证明材料" in block(page, "source-2")
    assert "第 2 项来源缺少证明材料，其 446,286 元不计入已落实资金" in block(page, "funding-status")
    assert "未上传，不计入" in block(page, "row-files-2")
    # Deleting it again (another tab) is told, not an error page.
    again = clerk.post(f"/plans/{plan['id']}/funding/evidence/{evidence.id}/delete")
    assert again.status_code == 302
    assert "该方案没有这份证明材料" in funding_page(clerk, plan["id"])


def test_a_union_representative_may_neither_upload_nor_delete_evidence(browser, plan):
    union = browser("union")
    union.get("/")
    events = actions(plan["id"])
    response = upload(union, plan["id"], 1, PDF, "工会上传.pdf")
    assert response.status_code == 403
    assert "上传资金证明材料须由本方案的企业经办人办理" in response.get_data(as_text=True)
    evidence_id = db.session.scalars(select(FundingEvidence.id).where(FundingEvidence.plan_id == plan["id"])).first()
    assert union.post(f"/plans/{plan['id']}/funding/evidence/{evidence_id}/delete").status_code == 403
    assert len(files(plan["id"])) == 2
    assert actions(plan["id"]) == events


def test_an_upload_without_the_csrf_token_is_refused(browser, plan):
    clerk = browser("clerk")
    funding_page(clerk, plan["id"])
    response = upload(clerk, plan["id"], 1, PDF, "无令牌.pdf", csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert len(files(plan["id"])) == 2


def test_a_submitted_plan_shows_its_files_without_upload_or_delete(browser, api, plan):
    flow.submit(api("clerk"), plan["id"])
    clerk = browser("clerk")
    page = funding_page(clerk, plan["id"])
    assert "董事会决议〔2018〕12号.pdf" in block(page, "files-1")
    assert 'data-testid="upload-1"' not in page
    assert 'data-testid="delete-' not in page
    response = upload(clerk, plan["id"], 1, PDF, "提交后.pdf")
    assert response.status_code == 409
    assert "只有起草阶段的方案可以修改资金证明材料" in block(response.get_data(as_text=True), "source-1")
    assert len(files(plan["id"])) == 2


# --- saving the rows keeps each source's files ------------------------------------------------------


def test_removing_a_row_before_a_source_with_files_keeps_them_with_their_source(browser, api, plan):
    clerk = browser("clerk")
    # A third source, then the first one's file goes so that the first row may go too.
    stored = reload(plan["id"]).content["funding"]
    first, second = stored["sources"]
    clerk.get(f"/plans/{plan['id']}/draft?section=funding")
    assert clerk.post(f"/plans/{plan['id']}/draft?section=funding", {"version": version(plan["id"]), **rows(
        ("1", first["source"], first["amount"], first["evidence"]),
        ("2", second["source"], second["amount"], second["evidence"]),
        ("", "local_finance", "1000", "冀财社〔2018〕7号"))}).status_code == 302  # fmt: skip
    assert upload(clerk, plan["id"], 3, PDF, "地方财政.pdf").status_code == 302
    evidence = db.session.scalars(select(FundingEvidence.id).where(FundingEvidence.plan_id == plan["id"],
                                                                   FundingEvidence.source_number == 1)).one()  # fmt: skip
    assert clerk.post(f"/plans/{plan['id']}/funding/evidence/{evidence}/delete").status_code == 302
    funding_page(clerk, plan["id"])
    # The clerk removes the first row: the two others move up, each with its file.
    response = clerk.post(f"/plans/{plan['id']}/draft?section=funding", {"version": version(plan["id"]), **rows(
        ("2", second["source"], second["amount"], second["evidence"]),
        ("3", "local_finance", "1000", "冀财社〔2018〕7号"))})  # fmt: skip
    assert response.status_code == 302
    assert [s["source"] for s in reload(plan["id"]).content["funding"]["sources"]] == ["special_award", "local_finance"]
    assert attached(plan["id"]) == [["冀财资〔2018〕45号.pdf"], ["地方财政.pdf"]]
    assert files(plan["id"]) == [(1, "冀财资〔2018〕45号.pdf"), (2, "地方财政.pdf")]
    page = funding_page(clerk, plan["id"])
    assert "冀财资〔2018〕45号.pdf" in block(page, "files-1")
    assert "地方财政.pdf" in block(page, "files-2")


def test_removing_a_row_that_holds_files_is_refused_with_the_services_message_and_the_input_kept(browser, plan):
    clerk = browser("clerk")
    funding_page(clerk, plan["id"])
    before = reload(plan["id"]).content
    second = before["funding"]["sources"][1]
    response = clerk.post(f"/plans/{plan['id']}/draft?section=funding", {"version": version(plan["id"]), **rows(
        ("2", second["source"], "999999", second["evidence"]))})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "第1项资金来源已上传证明材料，不能删除该来源" in block(page, "problems")
    assert "evidence_attached" in rules(page, "problems")
    assert 'value="999999"' in page  # what the clerk typed is still there
    assert reload(plan["id"]).content == before
    assert files(plan["id"]) == [(1, "董事会决议〔2018〕12号.pdf"), (2, "冀财资〔2018〕45号.pdf")]


def test_the_refusal_to_remove_a_source_with_files_is_said_in_english_on_english_pages(browser, plan):
    clerk = browser("clerk")
    clerk.get("/lang/en")
    funding_page(clerk, plan["id"])
    second = reload(plan["id"]).content["funding"]["sources"][1]
    response = clerk.post(f"/plans/{plan['id']}/draft?section=funding", {"version": version(plan["id"]), **rows(
        ("2", second["source"], second["amount"], second["evidence"]))})  # fmt: skip
    assert response.status_code == 422
    problems = block(response.get_data(as_text=True), "problems")
    assert "Funding source 1 has uploaded evidence and cannot be removed" in problems
    assert "不能删除该来源" not in problems


def test_blanking_a_row_that_holds_files_is_refused_too(browser, plan):
    clerk = browser("clerk")
    funding_page(clerk, plan["id"])
    first = reload(plan["id"]).content["funding"]["sources"][0]
    response = clerk.post(f"/plans/{plan['id']}/draft?section=funding", {"version": version(plan["id"]), **rows(
        ("1", first["source"], first["amount"], first["evidence"]), ("2", "", "", ""))})  # fmt: skip
    assert response.status_code == 422
    assert "第2项资金来源已上传证明材料" in text(response.get_data(as_text=True))
    assert len(reload(plan["id"]).content["funding"]["sources"]) == 2


def test_in_chromium_removing_the_first_row_keeps_the_second_sources_file(browser, plan, chromium):
    clerk = browser("clerk")
    funding_page(clerk, plan["id"])
    evidence = db.session.scalars(select(FundingEvidence.id).where(FundingEvidence.plan_id == plan["id"],
                                                                   FundingEvidence.source_number == 1)).one()  # fmt: skip
    assert clerk.post(f"/plans/{plan['id']}/funding/evidence/{evidence}/delete").status_code == 302
    page = page_for(chromium, clerk)
    page.goto(f"{ORIGIN}/plans/{plan['id']}/draft?section=funding")
    table = page.locator("table[data-rows=sources] tbody tr")
    assert table.count() == 2
    table.nth(0).locator("[data-remove-row]").click()
    page.click("form[data-testid=section-form] button[type=submit]")
    assert "已保存“资金保障”" in page.content()
    assert "冀财资〔2018〕45号.pdf" in page.locator("[data-testid=files-1]").inner_text()
    assert attached(plan["id"]) == [["冀财资〔2018〕45号.pdf"]]
    assert db.session.scalar(select(func.count()).select_from(FundingEvidence)) == 1


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [("zh_CN", "只有起草阶段的方案可以修改资金证明材料。", "Only a plan in drafting"),
     ("en", "Only a plan in drafting can have its funding evidence changed.", "只有起草阶段")],
)  # fmt: skip
def test_the_refusal_outside_drafting_is_said_in_the_readers_language(browser, api, plan, lang, said, not_said):
    """Uploading beside the source and deleting (a flashed message) after the plan was submitted."""
    flow.submit(api("clerk"), plan["id"])
    clerk = browser("clerk")
    clerk.get(f"/lang/{lang}")
    funding_page(clerk, plan["id"])
    refused = upload(clerk, plan["id"], 1, PDF, "after.pdf")
    assert refused.status_code == 409
    beside = block(refused.get_data(as_text=True), "source-1")
    assert said in beside
    assert not_said not in beside
    evidence_id = db.session.scalars(select(FundingEvidence.id).where(FundingEvidence.plan_id == plan["id"])).first()
    deleted = clerk.post(f"/plans/{plan['id']}/funding/evidence/{evidence_id}/delete")
    assert deleted.status_code == 302
    page = clerk.get(deleted.headers["Location"]).get_data(as_text=True)
    alert = " ".join(lxml.html.fromstring(page).xpath("string(//div[contains(@class, 'alert-danger')])").split())
    assert said in alert
    assert not_said not in alert
    assert len(files(plan["id"])) == 2
