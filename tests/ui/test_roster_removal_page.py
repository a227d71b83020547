"""The upload page refuses a roster file with only its header, and its report warns, by name, of the
saved workers a commit would delete."""

from __future__ import annotations

from tests.ui.forms_support import block, rules
from tests.ui.test_enterprise_roster_upload import (  # noqa: F401 (plan, stash: fixtures)
    commit,
    csv_file,
    plan,
    rid,
    stash,
    upload,
    worker,
    workers,
)


def test_a_header_only_file_is_refused_and_the_roster_stays(browser, plan, stash):  # noqa: F811
    clerk = browser("clerk")
    upload(clerk, plan["id"], csv_file([worker(n) for n in range(1, 4)]))
    commit(clerk, plan["id"], clerk.get(f"/plans/{plan['id']}/roster/upload").get_data(as_text=True))
    assert workers(plan["id"]) == 3
    response = upload(clerk, plan["id"], csv_file([]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "没有职工数据" in block(page, "error-file")
    assert "no_rows" in rules(page, "error-file")
    assert workers(plan["id"]) == 3


def test_the_report_warns_which_saved_workers_a_commit_would_delete(browser, plan, stash):  # noqa: F811
    clerk = browser("clerk")
    upload(clerk, plan["id"], csv_file([worker(n) for n in range(1, 5)]))
    commit(clerk, plan["id"], clerk.get(f"/plans/{plan['id']}/roster/upload").get_data(as_text=True))
    assert workers(plan["id"]) == 4
    upload(clerk, plan["id"], csv_file([worker(1), worker(4)]))
    page = clerk.get(f"/plans/{plan['id']}/roster/upload").get_data(as_text=True)
    warning = block(page, "to-remove")
    assert "提交后将删除 2 名已保存职工" in warning
    assert f"职工2（{rid(2)}）" in warning
    assert f"职工3（{rid(3)}）" in warning
    assert "职工1" not in warning
    assert workers(plan["id"]) == 4
