"""Evidence files of the funding sources over the API: real type from the bytes, stored with its hash,
listed, downloaded, part of the content hash, and required for funds to count as secured."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from openpyxl import Workbook
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from approvals.demo import evidence_pdf, fund_fully
from approvals.models import FundingEvidence
from approvals.services.evidence import MAX_BYTES
from tests import flow
from tests.approvals.hostile import deflate_of_zeros, lying_zip

PDF = evidence_pdf("冀财资〔2018〕45号")


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, fmt)
    return buffer.getvalue()


def xlsx() -> bytes:
    book = Workbook()
    book.active.append(["资金来源", "金额"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def office_zip(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for member in members:
            archive.writestr(member, "<x/>")
    return buffer.getvalue()


def upload(client, plan_id: int, data: bytes, filename: str, number: int = 1):
    """POST the file as multipart/form-data, encoded here: the test client would spool a large body to a
    temporary file it never closes."""
    boundary = "evidence-boundary-7d1f"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(f"/plans/{plan_id}/funding/sources/{number}/evidence", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(FundingEvidence)) or 0


@pytest.fixture
def funded(api, world, complete_content):
    """A complete plan whose two funding sources cover the requirement, without any file yet."""
    clerk = api("clerk")
    content = complete_content(world.steel)
    rows = content.pop("roster")
    plan = flow.create(clerk, {**content, "roster": rows})
    for item in clerk.get(f"/plans/{plan['id']}/funding/evidence").json["items"]:
        assert clerk.delete(f"/plans/{plan['id']}/funding/evidence/{item['id']}").status_code == 200
    return flow.plan(clerk, plan["id"])


def test_a_source_without_a_file_is_not_evidenced_and_funds_are_not_secured(api, funded):
    assert stored() == 0
    assert all("attachments" not in s for s in funded["content"]["funding"]["sources"])
    funds = next(c for c in funded["gate"] if c["key"] == "funds_secured")
    assert funds["met"] is False
    assert funds["reason"].startswith("第1、2项资金来源缺少证明材料；")
    assert "已落实0元" in funds["reason"]  # neither source counts without its file
    clerk = api("clerk")
    assert upload(clerk, funded["id"], PDF, "董事会决议.pdf", 1).status_code == 201
    half = flow.plan(clerk, funded["id"])
    assert next(c for c in half["gate"] if c["key"] == "funds_secured")["reason"].startswith(
        "第2项资金来源缺少证明材料；"
    )
    assert upload(clerk, funded["id"], image("PNG"), "批复.png", 2).status_code == 201
    assert flow.gate(flow.plan(clerk, funded["id"]))["funds_secured"] is True


@pytest.mark.parametrize(
    ("data", "filename", "kind", "content_type"),
    [
        (PDF, "决议.pdf", "pdf", "application/pdf"),
        (image("JPEG"), "扫描件.jpg", "jpeg", "image/jpeg"),
        (image("PNG"), "扫描件.png", "png", "image/png"),
        (image("PNG"), "批复.pdf", "png", "image/png"),  # the bytes decide, not the name
        (xlsx(), "资金明细.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (office_zip("word/document.xml"), "承诺书.docx", "docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
    ids=["pdf", "jpeg", "png", "png_named_pdf", "xlsx", "docx"],
)  # fmt: skip
def test_accepted_files_are_stored_with_hash_uploader_and_time_listed_and_downloadable(
    api, world, funded, data, filename, kind, content_type
):
    clerk = api("clerk")
    response = upload(clerk, funded["id"], data, filename, 2)
    assert response.status_code == 201, response.json
    body = response.json
    digest = hashlib.sha256(data).hexdigest()
    assert (body["source_number"], body["filename"], body["kind"], body["content_type"]) == (2, filename, kind,
                                                                                             content_type)  # fmt: skip
    assert (body["size"], body["sha256"], body["uploaded_by_id"]) == (len(data), digest, world.users["clerk"].id)
    assert body["uploaded_at"]
    listed = api("reviewer").get(f"/plans/{funded['id']}/funding/evidence").json["items"]
    assert [(e["id"], e["sha256"]) for e in listed] == [(body["id"], digest)]
    download = api("reviewer").get(f"/plans/{funded['id']}/funding/evidence/{body['id']}")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == content_type
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''" in download.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("data", "filename", "rule", "says"),
    [
        (b"", "空.pdf", "empty_file", "是空的"),
        ("董事会决议".encode(), "决议.pdf", "file_type", "无法识别的文件"),
        (b"MZ\x90\x00" + b"\x00" * 200, "决议.pdf", "file_type", "无法识别的文件"),  # a program renamed
        (b"GIF89a" + b"\x00" * 32, "决议.pdf", "file_type", "GIF 图片"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "资金.xls", "file_type", "Excel 97-2003"),
        (office_zip("ppt/presentation.xml"), "汇报.docx", "file_type", "PowerPoint"),
        (office_zip("readme.txt"), "材料.zip", "file_type", "ZIP 压缩包"),
        (b"PK\x03\x04" + b"\x00" * 40, "损坏.docx", "corrupt", "已损坏"),  # a ZIP header and nothing else
        (b"%PDF" + b"\x00" * MAX_BYTES, "很大.pdf", "too_large", "超过证明材料的上限 10 MB"),
        (lying_zip([("word/document.xml", deflate_of_zeros(64 << 20), 4096, 0)]), "决议.docx", "zip_bomb", "恶意构造"),
    ],
    ids=["empty", "text", "program", "gif", "xls", "pptx", "zip", "truncated_zip", "too_large", "lying_sizes"],
)
def test_other_files_are_refused_with_a_clear_message_and_nothing_saved(api, funded, data, filename, rule, says):
    before = flow.plan(api("clerk"), funded["id"])
    response = upload(api("clerk"), funded["id"], data, filename)
    assert response.status_code == 422, response.json
    assert response.json["error"] == f"evidence_{rule}"
    assert says in response.json["message"]
    assert filename in response.json["message"]
    assert response.json["details"] == [{"field": "file", "rule": rule, "message": response.json["message"]}]
    assert stored() == 0
    assert flow.plan(api("clerk"), funded["id"])["content_hash"] == before["content_hash"]


def test_a_source_that_does_not_exist_is_refused(api, funded):
    response = upload(api("clerk"), funded["id"], PDF, "决议.pdf", 3)
    assert response.status_code == 422
    assert response.json["error"] == "unknown_funding_source"
    assert "没有第3项资金来源（现有2项）" in response.json["message"]
    assert stored() == 0


def test_a_file_is_part_of_the_content_hash_and_of_the_trail(api, funded):
    clerk = api("clerk")
    body = upload(clerk, funded["id"], PDF, "决议.pdf").json
    after = flow.plan(clerk, funded["id"])
    assert after["content_hash"] != funded["content_hash"]
    attachments = after["content"]["funding"]["sources"][0]["attachments"]
    assert attachments == [{"id": body["id"], "filename": "决议.pdf", "kind": "pdf", "size": len(PDF),
                            "sha256": hashlib.sha256(PDF).hexdigest()}]  # fmt: skip
    trail = clerk.get(f"/plans/{funded['id']}/audit").json["items"]
    assert trail[-1]["action"] == "funding.evidence_added"
    assert trail[-1]["summary"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert trail[-1]["summary"]["content_hash"] == after["content_hash"]
    removed = clerk.delete(f"/plans/{funded['id']}/funding/evidence/{body['id']}")
    assert removed.status_code == 200
    assert removed.json["items"] == []
    trail = clerk.get(f"/plans/{funded['id']}/audit").json["items"]
    assert trail[-1]["action"] == "funding.evidence_removed"
    assert flow.plan(clerk, funded["id"])["content_hash"] == funded["content_hash"]


def test_a_changed_file_voids_the_vote_like_any_other_change(api, world, complete_content):
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    plan = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, plan["id"])
    flow.vote(union, plan["id"], plan["content_hash"])
    flow.review(reviewer, plan["id"], "return", "第二项资金来源的批复文件不清晰。")
    first = clerk.get(f"/plans/{plan['id']}/funding/evidence").json["items"][1]
    assert clerk.delete(f"/plans/{plan['id']}/funding/evidence/{first['id']}").status_code == 200
    assert upload(clerk, plan["id"], evidence_pdf("冀财资〔2018〕45号（清晰版）"), "批复.pdf", 2).status_code == 201
    changed = flow.plan(clerk, plan["id"])
    assert changed["content_hash"] != plan["content_hash"]
    assert flow.gate(changed)["congress_passed"] is False
    resubmitted = flow.submit(clerk, plan["id"])
    assert resubmitted["vote_skipped"] is False
    assert resubmitted["plan"]["status"] == "congress"


def test_attachments_belong_to_the_server_and_a_source_with_files_cannot_be_dropped(api, funded):
    clerk = api("clerk")
    body = upload(clerk, funded["id"], PDF, "决议.pdf", 2).json
    funding = fund_fully(funded["content"]["funding"])
    forged = {"id": 999, "filename": "伪造.pdf", "kind": "pdf", "size": 1, "sha256": "0" * 64}
    funding["sources"][0]["attachments"] = [forged]
    patched = clerk.patch(f"/plans/{funded['id']}", json={"content": {"funding": funding}})
    assert patched.status_code == 200, patched.json
    sources = patched.json["content"]["funding"]["sources"]
    assert "attachments" not in sources[0]
    assert [a["id"] for a in sources[1]["attachments"]] == [body["id"]]
    funding["sources"] = funding["sources"][:1]
    dropped = clerk.patch(f"/plans/{funded['id']}", json={"content": {"funding": funding}})
    assert dropped.status_code == 422
    assert dropped.json["error"] == "funding_source_has_evidence"
    assert "第2项资金来源已上传证明材料" in dropped.json["message"]
    assert len(flow.plan(clerk, funded["id"])["content"]["funding"]["sources"]) == 2
    assert stored() == 1


def test_a_file_of_another_plan_is_not_found(api, world, funded, complete_content):
    other = flow.create(api("clerk_small"), complete_content(world.small), title="沙河方案")
    theirs = api("clerk_small").get(f"/plans/{other['id']}/funding/evidence").json["items"][0]
    response = api("clerk").get(f"/plans/{funded['id']}/funding/evidence/{theirs['id']}")
    assert response.status_code == 404
    assert response.json["error"] == "evidence_not_found"
    assert api("clerk").delete(f"/plans/{funded['id']}/funding/evidence/{theirs['id']}").status_code == 404
