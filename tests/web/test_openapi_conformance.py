"""The API against its own document: schemathesis generates requests for every operation of
/api/v1/openapi.json and sends them, in process, as each role; no answer is a server error, and every
answer is one the document lists, with the media type and the body schema it gives."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.extensions import db
from approvals.services import accounts
from tests import flow, snapshots

ROLES = ("clerk", "union", "reviewer", "supervisor", "admin")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def tokens(world, api, complete_content) -> dict[str, str]:
    """A token per role, and a plan with a roster and evidence, so that id 1 names something: built once per
    test process and copied back for each operation (tests/snapshots.py)."""

    def build() -> dict[str, str]:
        flow.create(api("clerk"), complete_content(world.steel, workers=3))
        issued = {name: accounts.issue_token(db.session, world.users[name]) for name in ROLES}
        db.session.commit()
        return issued

    return snapshots.cached(db.session, "openapi-conformance", build)


@pytest.fixture
def api_schema(app, tokens):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=4, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_every_operation_answers_as_documented_for_every_role(case, tokens):
    for role in ROLES:
        response = case.call(headers={"Authorization": f"Bearer {tokens[role]}"})
        case.validate_response(response, checks=CHECKS)
    db.session.rollback()  # a failed request leaves nothing behind for the next example


def test_a_405_names_the_allowed_methods(app):
    response = app.test_client().put("/api/v1/tokens")  # GET, POST and DELETE are taken
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST", "DELETE"}
    assert response.json["error"] == "method_not_allowed"


def test_datetimes_carry_their_time_zone_in_the_document_and_the_answers(api, world):
    document = api(None).get("/openapi.json").json
    task = document["components"]["schemas"]["TaskOut"]["properties"]["ready_at"]
    assert task["format"] == "date-time"
    created = api("clerk").post("/plans", json={"title": "方案", "content": {}})
    assert created.status_code == 201
    assert "201" in document["paths"]["/api/v1/plans"]["post"]["responses"]
    ready_at = created.json["open_tasks"][0]["ready_at"]
    assert ready_at.endswith(("Z", "+00:00")), ready_at


def test_evidence_downloads_document_their_media_types(api):
    document = api(None).get("/openapi.json").json
    download = document["paths"]["/api/v1/plans/{plan_id}/funding/evidence/{evidence_id}"]["get"]
    assert set(download["responses"]["200"]["content"]) == {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
