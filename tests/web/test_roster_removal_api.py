"""A roster file may not empty the saved roster by accident: a file with only its header is refused in
the dry run and on commit, and the dry run names the saved workers a commit would delete."""

from __future__ import annotations

import pytest

from tests.web.test_roster_api import HEADER, count, csv_bytes, plan, put, worker  # noqa: F401 (plan: a fixture)


@pytest.fixture
def saved(api, plan):  # noqa: F811
    """The plan with a roster of five workers saved."""
    response = put(api("clerk"), plan["id"], csv_bytes([worker(n) for n in range(1, 6)]))
    assert response.status_code == 200, response.json
    assert count(plan["id"]) == 5
    return plan


@pytest.mark.parametrize("dry_run", ["1", "0"])
def test_a_header_only_file_is_refused_and_the_saved_roster_kept(api, saved, dry_run):
    response = put(api("clerk"), saved["id"], csv_bytes([]), dry_run=dry_run)
    assert response.status_code == 422, response.json
    assert response.json["details"] == [{"field": "file", "rule": "no_rows", "message": response.json["message"]}]
    assert "没有职工数据" in response.json["message"]
    assert "第 1 行" in response.json["message"]
    assert count(saved["id"]) == 5


def test_a_header_only_workbook_is_refused_naming_its_sheet(api, saved):
    from tests.approvals.test_roster_files import xlsx

    response = put(api("clerk"), saved["id"], xlsx([HEADER]), name="名单.xlsx")
    assert response.status_code == 422, response.json
    assert response.json["details"][0]["rule"] == "no_rows"
    assert "工作表“Sheet”只有表头" in response.json["message"]
    assert count(saved["id"]) == 5


def test_the_dry_run_names_the_saved_workers_a_commit_would_remove(api, saved):
    response = put(api("clerk"), saved["id"], csv_bytes([worker(1), worker(3), worker(6)]), dry_run="1")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["committed"] is False
    assert body["to_remove"] == 3
    assert {(w["name"], w["id_number"]) for w in body["to_remove_workers"]} == {
        (f"职工{n}", worker(n)[0]) for n in (2, 4, 5)
    }
    assert count(saved["id"]) == 5
    committed = put(api("clerk"), saved["id"], csv_bytes([worker(1), worker(3), worker(6)]))
    assert (committed.json["removed"], committed.json["added"]) == (3, 1)  # what the preview said
    assert count(saved["id"]) == 3


def test_a_rejected_row_keeps_its_saved_worker_and_is_not_announced_as_removed(api, saved):
    bad_wage = worker(2, wage="不是金额")
    response = put(api("clerk"), saved["id"], csv_bytes([worker(1), bad_wage, worker(3), worker(4)]), dry_run="1")
    assert response.json["rejected"] == 1
    assert [w["name"] for w in response.json["to_remove_workers"]] == ["职工5"]
    assert response.json["to_remove"] == 1
