"""Documents rendered once and kept (app/documents/store.py): the worker renders each document as its record
comes into being, downloads and the case file serve the stored file, a change of what a document shows
renders it anew, and a damaged stored file is rendered again, never served (issue 14 §2)."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import event, select, update

from app.documents import plan_text, store
from app.documents.render import Renderer
from app.extensions import db
from app.worker import run_pass
from approvals.models import DocumentJob, StoredDocument, User
from tests import pdf
from tests.web.test_permissions import plan_at


@pytest.fixture
def renders(monkeypatch):
    """Every PDF laid out, by anyone (a request, the worker, the case file): one entry per render."""
    calls: list[int] = []
    original = Renderer.pdf

    def counting(self, html, fetcher=None, **options):  # type: ignore[no-untyped-def]
        calls.append(len(html))
        return original(self, html, fetcher, **options)

    monkeypatch.setattr(Renderer, "pdf", counting)
    return calls


def stored(plan_id: int) -> list[StoredDocument]:
    db.session.expire_all()
    return list(db.session.scalars(select(StoredDocument).where(StoredDocument.plan_id == plan_id)))


def download(client, plan_id: int, kind: str, **query):  # type: ignore[no-untyped-def]
    response = client.get(f"/plans/{plan_id}/documents/{kind}.pdf", query_string=query)
    assert response.status_code == 200, response.json
    assert response.data.startswith(b"%PDF-")
    return response


def test_the_worker_renders_each_document_once_and_downloads_serve_the_stored_file(app, api, world, renders):
    plan = plan_at(api, world, "zombie", "published")
    # Every plan event asked for the plan's documents in its own transaction.
    assert db.session.get(DocumentJob, plan["id"]) is not None
    done = run_pass(app)
    kinds = {row.kind for row in stored(plan["id"])}
    assert kinds == {"congress-vote", "review-opinion", "working-group", "published-plan"}
    assert done.documents == len(renders) == len(stored(plan["id"]))
    assert db.session.get(DocumentJob, plan["id"]) is None
    rendered = len(renders)
    for kind in kinds:
        response = download(api("province"), plan["id"], kind)
        row = next(r for r in stored(plan["id"]) if r.kind == kind)
        assert response.data == row.data
        assert response.headers["ETag"] == f'"{row.sha256}"'
    assert len(renders) == rendered  # no download rendered anything
    assert run_pass(app).documents == 0  # nothing waits; asked again, nothing is rendered twice
    store.request_rendering(db.session, plan["id"])
    db.session.commit()
    assert run_pass(app).documents == 0
    assert len(renders) == rendered


def test_without_a_worker_the_first_download_renders_and_keeps_it(api, world, renders):
    plan = plan_at(api, world, "steel", "publication")
    first = download(api("clerk"), plan["id"], "review-opinion")
    assert len(renders) == 1
    again = download(api("reviewer"), plan["id"], "review-opinion")
    assert len(renders) == 1
    assert again.data == first.data
    assert [row.kind for row in stored(plan["id"])] == ["review-opinion"]


def test_a_change_of_what_the_document_shows_renders_it_anew(api, world, renders):
    plan = plan_at(api, world, "steel", "publication")
    assert "审核人reviewer" in pdf.flat(download(api("clerk"), plan["id"], "review-opinion").data)
    before = stored(plan["id"])[0].content_key
    db.session.execute(update(User).where(User.username == "reviewer").values(display_name="李审核"))
    db.session.commit()
    changed = download(api("clerk"), plan["id"], "review-opinion")
    assert len(renders) == 2
    assert "审核人李审核" in pdf.flat(changed.data)  # never the stale file
    (after,) = stored(plan["id"])  # the earlier content's rendering is dropped
    assert after.content_key != before
    assert after.data == changed.data


def test_a_new_layout_version_renders_the_kept_documents_again(app, api, world, renders, monkeypatch):
    plan = plan_at(api, world, "steel", "publication")
    download(api("clerk"), plan["id"], "review-opinion")
    db.session.execute(DocumentJob.__table__.delete())
    db.session.commit()
    monkeypatch.setattr(store, "version", lambda: "a-new-template")
    assert store.request_outdated(db.session) == 1  # what the worker does when it starts
    db.session.commit()
    assert run_pass(app).documents >= 1
    assert {row.version for row in stored(plan["id"])} == {"a-new-template"}


@pytest.mark.parametrize("damage", ["truncated", "flipped", "deleted"])
def test_a_damaged_or_missing_stored_file_is_rendered_again_never_served(api, world, renders, damage):
    plan = plan_at(api, world, "steel", "publication")
    good = download(api("clerk"), plan["id"], "review-opinion").data
    (row,) = stored(plan["id"])
    if damage == "deleted":
        db.session.delete(row)
    else:
        data = good[: len(good) // 2] if damage == "truncated" else good[:500] + b"X" + good[501:]
        db.session.execute(update(StoredDocument).where(StoredDocument.id == row.id).values(data=data))
    db.session.commit()
    served = download(api("clerk"), plan["id"], "review-opinion").data
    assert len(renders) == 2
    assert pdf.flat(served) == pdf.flat(good)
    (kept,) = stored(plan["id"])
    assert store.intact(kept.data, kept)
    assert download(api("clerk"), plan["id"], "review-opinion").data == served
    assert len(renders) == 2


def test_the_stored_published_plan_is_found_without_reading_the_roster(api, world, renders, monkeypatch):
    plan = plan_at(api, world, "steel", "published")
    first = download(api("supervisor"), plan["id"], "published-plan")

    def unread(_blob):  # type: ignore[no-untyped-def]
        raise AssertionError("the roster snapshot was read to serve a stored published plan")

    monkeypatch.setattr(plan_text, "snapshot_rows", unread)
    assert download(api("supervisor"), plan["id"], "published-plan").data == first.data
    assert len(renders) == 1


def test_the_case_file_holds_the_stored_documents_and_renders_only_what_is_missing(app, api, world, renders):
    plan = plan_at(api, world, "zombie", "published")
    run_pass(app)
    rendered = len(renders)
    response = api("province").get(f"/plans/{plan['id']}/case-file.zip")
    assert response.status_code == 200
    assert len(renders) == rendered
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        inside = {name: archive.read(name) for name in archive.namelist() if name.startswith("documents/")}
    assert sorted(inside.values()) == sorted(row.data for row in stored(plan["id"]))
    # One document lost from storage: the case file renders that one alone, and keeps it.
    db.session.execute(StoredDocument.__table__.delete().where(StoredDocument.kind == "congress-vote"))
    db.session.commit()
    assert api("province").get(f"/plans/{plan['id']}/case-file.zip").status_code == 200
    assert len(renders) == rendered + 1
    assert "congress-vote" in {row.kind for row in stored(plan["id"])}


def test_a_transaction_asks_once_per_plan_however_many_events_it_has(api, world):
    plan = plan_at(api, world, "steel", "review")
    db.session.execute(DocumentJob.__table__.delete())
    db.session.commit()
    inserts: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO DOCUMENT_JOB"):
            inserts.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            store.request_rendering(db.session, plan["id"])
        db.session.commit()
        store.request_rendering(db.session, plan["id"])  # a new transaction asks again
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(inserts) == 2
    assert db.session.get(DocumentJob, plan["id"]) is not None
