"""Every upload endpoint answers a request without its file the same way: 422 naming the field `file`,
and nothing stored (app/api/http.py)."""

from __future__ import annotations

import pytest

from tests import flow


@pytest.mark.parametrize(
    ("role", "method", "path", "submitted"),
    [
        ("clerk", "put", "/plans/{id}/roster", False),
        ("clerk", "post", "/plans/{id}/funding/sources/1/evidence", False),
        ("union", "post", "/plans/{id}/congress-votes/documents/minutes", True),
    ],
)
def test_an_upload_without_its_file_names_the_missing_field(api, world, complete_content, role, method, path,
                                                            submitted):  # fmt: skip
    plan = flow.create(api("clerk"), complete_content(world.steel))
    if submitted:
        flow.submit(api("clerk"), plan["id"])
    before = api("supervisor").get(f"/plans/{plan['id']}/audit").json["items"]
    answer = getattr(api(role), method)(path.format(id=plan["id"]), data={"other": "x"},
                                        content_type="multipart/form-data")  # fmt: skip
    assert answer.status_code == 422
    assert answer.json["error"] == "file_required"
    assert [d["field"] for d in answer.json["details"]] == ["file"]
    assert api("supervisor").get(f"/plans/{plan['id']}/audit").json["items"] == before
