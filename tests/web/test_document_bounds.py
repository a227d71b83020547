"""Documents are laid out only from a bounded amount of HTML: WeasyPrint cannot be interrupted inside a
web worker, so a document (or a case file's documents together) over app/documents/render.py MAX_HTML
is refused with a 422 naming both sizes, before any layout, instead of holding the worker past its
timeout for every reader."""

from __future__ import annotations

import time

from app.documents import render
from app.documents.context import documents_of
from app.extensions import db
from tests.conftest import reload
from tests.web.test_permissions import plan_at


def html_sizes(plan_id: int) -> dict[str, int]:
    plan = reload(plan_id)
    return {d.filename: len(render.renderer().html(d.kind.template, d.context)) for d in documents_of(db.session, plan)}


def test_a_document_over_the_bound_is_refused_before_layout(api, world, monkeypatch):
    plan = plan_at(api, world, "zombie", "published")
    sizes = html_sizes(plan["id"])
    published = next(size for name, size in sizes.items() if "published-plan" in name)
    monkeypatch.setattr(render, "MAX_HTML", published - 1)
    start = time.perf_counter()
    response = api("province").get(f"/plans/{plan['id']}/documents/published-plan.pdf")
    assert time.perf_counter() - start < 5
    assert response.status_code == 422, response.json
    assert response.json["error"] == "document_too_large"
    detail = response.json["details"][0]
    assert (detail["rule"], detail["limit"], detail["size"]) == ("max_size", published - 1, published)
    assert f"{published:,} 个字符" in response.json["message"]


def test_a_case_file_is_bounded_by_the_documents_it_renders_together(api, world, monkeypatch):
    plan = plan_at(api, world, "zombie", "published")
    sizes = html_sizes(plan["id"])
    assert len(sizes) > 1
    monkeypatch.setattr(render, "MAX_HTML", sum(sizes.values()) - 1)  # each document alone fits
    response = api("province").get(f"/plans/{plan['id']}/case-file.zip")
    assert response.status_code == 422, response.json
    assert response.json["error"] == "document_too_large"
    assert "卷宗中的文书" in response.json["message"]
    # Each downloaded alone is rendered and kept (app/documents/store.py): the case file then renders none.
    for name in sizes:
        kind = name.split("-", 2)[-1].removesuffix(".pdf")
        if kind in ("published-plan", "congress-vote", "review-opinion", "working-group"):
            number = name.removesuffix(".pdf").rsplit("-", 1)[-1]
            query = {} if kind == "published-plan" else {"n": number}
            url = f"/plans/{plan['id']}/documents/{kind}.pdf"
            assert api("province").get(url, query_string=query).status_code == 200
    assert api("province").get(f"/plans/{plan['id']}/case-file.zip").status_code == 200
