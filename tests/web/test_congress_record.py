"""How the congress vote was taken, through the API (domain.md §5 and §8; domain-research.md §A.7, §A.8):
ballots, secret ballot, chair and scrutineers recorded with the vote; the minutes, resolution and signed
attendance sheet uploaded as PDFs, refused when they are not, kept with the vote, in its record (PDF)
and in the case file."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.demo import evidence_pdf
from approvals.models import AuditEvent, CongressDocument, CongressVote
from approvals.services.congress_documents import KINDS, MAX_BYTES
from tests import flow, pdf
from tests.conftest import reload


@pytest.fixture
def at_congress(api, world, complete_content) -> dict[str, Any]:
    plan = flow.create(api("clerk"), complete_content(world.steel))
    return flow.submit(api("clerk"), plan["id"])["plan"]


def upload(client: Any, plan_id: int, kind: str, data: bytes, filename: str = "会议记录.pdf") -> Any:
    """POST the file as multipart/form-data, encoded here: the test client would spool a large body to a
    temporary file it never closes."""
    boundary = "congress-boundary-5c2e"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode()  # fmt: skip
    return client.post(f"/plans/{plan_id}/congress-votes/documents/{kind}", data=head + data + f"\r\n--{boundary}--\r\n".encode(),
                       content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip


def post_vote(client: Any, plan: dict[str, Any], **changes: Any) -> Any:
    return client.post(f"/plans/{plan['id']}/congress-votes", json=flow.vote_body(plan["content_hash"]) | changes)


def refused(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.json
    return [(d["field"], d["rule"]) for d in response.json["details"]]


def test_the_vote_is_recorded_with_its_ballots_method_chair_scrutineers_and_documents(api, at_congress):
    union = api("union")
    flow.upload_congress_documents(union, at_congress["id"])
    response = post_vote(union, at_congress)
    assert response.status_code == 201, response.json
    vote = response.json["vote"]
    assert (vote["ballots_issued"], vote["ballots_returned"], vote["ballots_valid"]) == (100, 100, 100)
    assert (vote["secret_ballot"], vote["voting_method_label"]) == (True, "无记名投票")
    assert (vote["chair"], vote["scrutineers"]) == ("王建国", ["李秀兰", "赵志刚"])
    assert [(d["kind"], d["kind_label"], d["vote_id"]) for d in vote["documents"]] == [
        (kind, label, vote["id"]) for kind, label in KINDS.items()
    ]
    listed = api("reviewer").get(f"/plans/{at_congress['id']}/congress-votes").json["items"]
    assert listed[0]["documents"] == vote["documents"]
    minutes = vote["documents"][0]
    download = api("reviewer").get(f"/plans/{at_congress['id']}/congress-documents/{minutes['id']}")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data == evidence_pdf(KINDS["minutes"])
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_vote_without_its_documents_is_refused_naming_each_missing_one(api, at_congress):
    union = api("union")
    assert upload(union, at_congress["id"], "minutes", evidence_pdf("会议记录")).status_code == 201
    found = refused(post_vote(union, at_congress))
    assert found == [("resolution", "document_required"), ("attendance", "document_required")]
    assert db.session.query(CongressVote).count() == 0
    assert reload(at_congress["id"]).status == "congress"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"ballots_issued": 101, "ballots_returned": 100, "ballots_valid": 100},
         [("ballots_issued", "issued_not_above_present")]),
        ({"ballots_returned": 99, "ballots_valid": 100},
         [("ballots_valid", "valid_not_above_returned")]),
        ({"ballots_valid": 98, "ballots_returned": 98},
         [("ballots_valid", "votes_equal_valid")]),
        ({"chair": " "}, [("chair", "required")]),
        ({"scrutineers": []}, [("scrutineers", "required")]),
        ({"scrutineers": ["李秀兰", "李秀兰"]}, [("scrutineers", "distinct")]),
    ],
)  # fmt: skip
def test_inconsistent_ballots_or_a_missing_chair_or_scrutineer_are_refused_naming_the_field(api, at_congress,
                                                                                           changes, expected):  # fmt: skip
    union = api("union")
    flow.upload_congress_documents(union, at_congress["id"])
    assert refused(post_vote(union, at_congress, **changes)) == expected
    assert db.session.query(CongressVote).count() == 0


def test_an_open_vote_is_recorded_as_void_and_the_congress_must_vote_again(api, at_congress):
    """企业民主管理规定 Art 20 ¶2: a placement plan is voted by secret ballot. A show of hands is kept as held,
    decides nothing, and the plan waits for a new session (it is not sent back to drafting)."""
    union = api("union")
    flow.upload_congress_documents(union, at_congress["id"])
    response = post_vote(union, at_congress, secret_ballot=False)
    assert response.status_code == 201, response.json
    assert response.json["outcome"] == "invalid_session"
    assert response.json["outcome_label"] == "未采用无记名投票，表决无效"
    assert response.json["vote"]["voting_method_label"] == "非无记名投票（如举手表决）"
    plan = reload(at_congress["id"])
    assert plan.status == "congress"
    assert plan.passed_hash is None
    # The documents went with the void vote: the new session needs its own.
    assert {f for f, _rule in refused(post_vote(union, at_congress))} == set(KINDS)
    flow.upload_congress_documents(union, at_congress["id"])
    assert post_vote(union, at_congress).json["outcome"] == "passed"


def test_the_vote_record_states_the_method_from_the_record(api, at_congress):
    union = api("union")
    flow.upload_congress_documents(union, at_congress["id"])
    assert post_vote(union, at_congress, ballots_returned=100, ballots_valid=100).status_code == 201
    data = api("clerk").get(f"/plans/{at_congress['id']}/documents/congress-vote.pdf").data
    text = pdf.flat(data, layout=False)
    for expected in (
        "本次会议采用无记名投票方式表决，发出100张，收回100张，其中有效票100张、无效票0张；赞成80票，反对15票，弃权5票。",
        "会议主持人：王建国；监票人（计票人）：李秀兰、赵志刚。", "会议记录（PDF）", "会议记录.pdf，", "签到表（本人签字）（PDF）",
    ):  # fmt: skip
        assert expected in text, expected


def test_the_vote_record_of_an_open_vote_says_it_is_void(api, at_congress):
    union = api("union")
    flow.upload_congress_documents(union, at_congress["id"])
    assert post_vote(union, at_congress, secret_ballot=False).status_code == 201
    text = pdf.flat(api("clerk").get(f"/plans/{at_congress['id']}/documents/congress-vote.pdf").data, layout=False)
    assert "本次会议未采用无记名投票方式表决" in text
    assert "本次表决无效，须重新表决" in text
    assert "采用无记名投票方式表决，发出" not in text


def test_the_case_file_holds_the_three_pdfs_as_uploaded(api, at_congress):
    union = api("union")
    flow.upload_congress_documents(union, at_congress["id"])
    assert post_vote(union, at_congress).status_code == 201
    response = api("clerk").get(f"/plans/{at_congress['id']}/case-file.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        for kind, label in KINDS.items():
            assert archive.read(f"congress/vote-1-{kind}.pdf") == evidence_pdf(label)
        record = json.loads(archive.read("records/congress-votes.json"))[0]
        sums = archive.read("SHA256SUMS").decode()
    assert (record["secret_ballot"], record["chair"], record["scrutineers"]) == (True, "王建国", ["李秀兰", "赵志刚"])
    assert [d["path"] for d in record["documents"]] == [f"congress/vote-1-{kind}.pdf" for kind in KINDS]
    assert "congress/vote-1-minutes.pdf" in sums


@pytest.mark.parametrize(
    ("data", "filename", "rule"),
    [
        (b"", "empty.pdf", "empty_file"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "scan.pdf", "file_type"),
        (b"PK\x03\x04" + b"\0" * 64, "minutes.pdf", "file_type"),
        (b"<html><script>alert(1)</script></html>", "minutes.pdf", "file_type"),
        (evidence_pdf("会议记录")[:-200], "cut.pdf", "corrupt"),
        (b"%PDF-1.4\n" + b"0" * MAX_BYTES + b"\n%%EOF\n", "big.pdf", "too_large"),
    ],
    ids=["empty", "png", "zip", "html", "truncated", "too_large"],
)
def test_anything_but_a_complete_pdf_within_the_limit_is_refused_naming_the_document(api, at_congress, data,
                                                                                     filename, rule):  # fmt: skip
    response = upload(api("union"), at_congress["id"], "minutes", data, filename)
    assert refused(response) == [("minutes", rule)]
    assert filename in response.json["message"]
    assert db.session.query(CongressDocument).count() == 0


def test_an_upload_replaces_the_waiting_document_of_its_kind_and_both_are_in_the_trail(api, at_congress):
    union = api("union")
    first = upload(union, at_congress["id"], "minutes", evidence_pdf("初稿"), "初稿.pdf").json
    second = upload(union, at_congress["id"], "minutes", evidence_pdf("定稿"), "定稿.pdf").json
    assert [d.filename for d in db.session.scalars(select(CongressDocument))] == ["定稿.pdf"]
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-3:] == ["congress.document_uploaded", "congress.document_replaced", "congress.document_uploaded"]
    assert second["id"] != first["id"]


def test_an_unknown_kind_is_404_and_only_the_union_uploads(api, at_congress):
    assert upload(api("union"), at_congress["id"], "photos", evidence_pdf("x")).status_code == 404
    response = upload(api("clerk"), at_congress["id"], "minutes", evidence_pdf("x"))
    assert response.status_code == 403
    assert response.json["error"] == "role_required"
