"""Hostile roster files uploaded to a real gunicorn server: each is answered with a 422 by the worker
that received it, which then serves the next request. Before the files were checked ahead of
calamine, the 1.5 KB workbook aborted the worker (SIGABRT) and gunicorn had to start another; an
in-process test client would have died with it, hence the subprocess.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.approvals.hostile import corner_bomb, lying_bomb, strings_bomb
from tests.browser.live import DEMO_PASSWORD, start_demo_server

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    process, base = start_demo_server(tmp_path_factory.mktemp("hostile") / "app.sqlite")
    yield base, process.pid
    process.terminate()
    process.wait(10)


def call(base: str, method: str, path: str, *, token: str | None = None, body: bytes | None = None,
         content_type: str | None = None) -> tuple[int, dict]:  # fmt: skip
    request = urllib.request.Request(base + "/api/v1" + path, data=body, method=method)  # noqa: S310 (our server)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def multipart(data: bytes, filename: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()  # fmt: skip
    return body, f"multipart/form-data; boundary={boundary}"


def workers(master: int) -> set[int]:
    """The pids of gunicorn's worker processes (the master's children)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


@pytest.mark.parametrize(
    ("build", "rule"), [(corner_bomb, "sheet_too_large"), (lying_bomb, "zip_bomb"), (strings_bomb, "zip_bomb")]
)
def test_a_hostile_roster_is_refused_and_the_same_worker_serves_the_next_request(server, build, rule):
    base, master = server
    status, answer = call(base, "POST", "/tokens", body=json.dumps({"username": "clerk", "password": DEMO_PASSWORD})
                          .encode(), content_type="application/json")  # fmt: skip
    assert status in (200, 201), answer
    token = answer["token"]
    status, plans = call(base, "GET", "/plans", token=token)
    assert status == 200, plans
    drafting = next(plan for plan in plans["items"] if plan["status"] == "drafting")
    before = workers(master)
    body, content_type = multipart(build(), "台账.xlsx")
    status, answer = call(base, "PUT", f"/plans/{drafting['id']}/roster?dry_run=1", token=token, body=body,
                          content_type=content_type)  # fmt: skip
    assert status == 422, answer
    assert answer["details"][0]["rule"] == rule
    status, plan = call(base, "GET", f"/plans/{drafting['id']}", token=token)
    assert status == 200
    assert plan["id"] == drafting["id"]
    assert workers(master) == before  # no worker died and was replaced
    assert os.path.exists(f"/proc/{master}")
