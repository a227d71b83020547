"""The English interface says everything of its own in English: any Chinese left on an English page
must be the users' data (a title, a name, the plan's own words, a stored message), never the code's.

Each page is read as an English reader sees it; every run of Chinese characters in its visible text
must occur somewhere in the database (where the users' data lives). Chinese that occurs nowhere in
the database came from the code, untranslated.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.demo import make_resident_id
from approvals.models import PublicNotice
from tests import flow
from tests.ui.reviewing import in_review

CHINESE = re.compile(
    r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’…—·]*[\u4e00-\u9fff][\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’…—·]*"
)  # noqa: RUF001


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", "\n", html))


def database_text() -> str:
    """Every string stored, JSON values opened: the users' data."""
    found: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
            if value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    collect(json.loads(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(key)
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            collect(tuple(row))
    return "\n".join(found)


# Chinese the English pages show on purpose: the language menu names each language in itself, and the
# roster file's columns the help tells the clerk to fill in, named as the (Chinese) file names them.
OWN_NAMES = {"中文", "书面说明", "参加工作时间"}


def untranslated(html: str, data: str) -> list[str]:
    runs = {m.group(0).strip("·—…“”‘’ \u3000") for m in CHINESE.finditer(visible_text(html))}  # noqa: RUF001
    return sorted(run for run in runs if run and run not in data and run not in OWN_NAMES)


@pytest.fixture
def plans(api, world, complete_content) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A plan at each step: drafting (incomplete), at the congress, in review, at the working group, published."""
    content = complete_content(world.small)
    content["workforce"]["on_roll"] = 0
    drafting = flow.create(api("clerk_small"), content)
    congress = flow.create(api("clerk"), complete_content(world.steel), title="待表决的方案")
    flow.submit(api("clerk"), congress["id"])
    review = in_review(api, world, complete_content, title="待审核的方案")
    # returned once and resubmitted with an answer to each reason: the review page shows them by the diff
    flow.review(api("reviewer"), review["id"], "return", ["请补充内部退养协议。", "请更正资金来源。"])
    flow.submit(api("clerk"), review["id"])
    returned = in_review(api, world, complete_content, title="被退回的方案")  # open reasons, for its clerk
    flow.review(api("reviewer"), returned["id"], "return", ["请补充内部退养协议。", "请更正资金来源。"])
    group = in_review(api, world, complete_content, "zombie")
    flow.review(api("province"), group["id"], "approve")
    published = in_review(api, world, complete_content, title="已公布的方案")
    flow.review(api("reviewer"), published["id"], "approve")
    flow.publish(api("clerk"), published["id"])
    return {"drafting": drafting["id"], "congress": congress["id"], "review": review["id"],
            "group": group["id"], "published": published["id"], "returned": returned["id"]}  # fmt: skip


def _roster_file() -> bytes:
    """A roster whose report has errors and warnings of several kinds: an unknown channel under a header
    offices use instead (安置方式), internal retirement out of its window, a wrong check character, a
    woman without a post category, a column the import does not read."""
    header = ["公民身份号码", "姓名", "入企时间", "安置方式", "月平均工资", "劳动模范", "所在车间"]
    good = make_resident_id("130283", date(1975, 5, 5), 2)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [[make_resident_id("130283", date(1980, 1, 1), 1), "甲", "2008-03-01", "内部退养", "4500", "国家级", "一车间"],
            [make_resident_id("130283", date(1982, 2, 2), 4), "乙", "2008-03-01", "随便安置", "4500", "无", ""],
            [bad, "丙", "2008-03-01", "转岗培训", "4500", "无", ""],
            [make_resident_id("130283", date(1990, 3, 3), 6), "丁", "2030-03-01", "解除劳动合同", "", "无", ""]]  # fmt: skip
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


ROSTER_FILE = _roster_file()
TABS = ("content", "roster", "warnings", "gate", "revisions", "diagram", "timeline")


def pages(plans: dict[str, int]) -> list[tuple[str, str]]:
    """(user, path) of the pages read."""
    out = [
        (user, "/") for user in ("clerk", "clerk_small", "union", "reviewer", "province", "wg", "supervisor", "admin")
    ]
    out += [("province", f"/plans/{plans['group']}?tab={tab}") for tab in TABS]
    out += [("reviewer", f"/plans/{plans['published']}?tab={tab}") for tab in TABS]
    out += [
        ("clerk_small", f"/plans/{plans['drafting']}?tab=gate"),
        ("clerk_small", f"/plans/{plans['drafting']}/draft?section=profile"),  # the register's zombie flag, read-only
        ("clerk_small", f"/plans/{plans['drafting']}/draft?section=workforce"),
        ("clerk_small", f"/plans/{plans['drafting']}/draft?section=funding"),
        ("clerk_small", f"/plans/{plans['drafting']}/roster/upload"),  # with the report of ROSTER_FILE
        ("clerk_small", f"/plans/{plans['drafting']}/roster/upload?show=warnings"),
        ("clerk", f"/plans/{plans['returned']}"),
        ("clerk", f"/plans/{plans['returned']}/draft?section=workforce"),
        ("clerk", f"/plans/{plans['returned']}/resubmit"),
        ("union", f"/plans/{plans['congress']}/vote"),
        ("reviewer", f"/plans/{plans['review']}/review"),
        ("reviewer", f"/plans/{plans['review']}/verifications"),
        ("wg", f"/plans/{plans['group']}/working-group"),
        ("clerk", f"/plans/{plans['published']}/publication"),
        ("clerk", f"/plans/{plans['published']}/objections"),
        ("supervisor", f"/plans/{plans['published']}/documents"),
        ("supervisor", "/audit"),
        ("clerk", "/tasks"),
        ("supervisor", "/plans"),
        ("union", "/plans?status=drafting"),
        ("clerk", "/plans?q=nothing&industry=gold"),  # the empty list; a filter the clerk is not offered
        ("supervisor", "/plans?q=" + "x" * 101 + "&risk=unknown"),  # the errors
        ("clerk", "/notifications"),
        ("admin", "/admin/users"),
        ("admin", "/admin/parameters"),
        ("admin", "/admin/legal-parameters"),
        ("admin", "/admin/wage-tiers"),
        ("admin", "/admin/holidays"),
    ]
    return out


def test_every_page_says_its_own_words_in_english(app, tmp_path, browser, world, plans):
    token = db.session.get(PublicNotice, plans["published"]).token
    for user in world.users.values():  # English readers: notifications follow their own setting (the centre says so)
        user.language = "en"
    db.session.commit()
    readers: dict[str | None, Any] = {}
    leftovers: dict[str, list[str]] = {}
    # The roster report of a file with errors and warnings, waiting for the commit: its columns and
    # explanations are the code's words (the file's own cells are the user's, added to the data below).
    app.config["UPLOAD_STASH_DIR"] = tmp_path / "uploads"
    readers["clerk_small"] = browser("clerk_small")
    readers["clerk_small"].get("/")
    readers["clerk_small"].get(f"/plans/{plans['drafting']}/roster/upload")
    uploaded = readers["clerk_small"].post(
        f"/plans/{plans['drafting']}/roster/upload",
        {"file": (io.BytesIO(ROSTER_FILE), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302  # checked and kept: the page shows its report
    readers["clerk_small"].get("/lang/en")
    data = database_text() + "\n" + ROSTER_FILE.decode()
    for user, path in [*pages(plans), (None, f"/public/{token}")]:
        if user not in readers:
            readers[user] = browser(user)
            if user:
                readers[user].get("/")  # the welcome said at login, in Chinese
            readers[user].get("/lang/en")
        response = readers[user].get(path)
        assert response.status_code == 200, path
        if "/roster/upload" in path:
            assert 'data-testid="issues"' in response.get_data(as_text=True), path  # the report is read too
        found = untranslated(response.get_data(as_text=True), data)
        if found:
            leftovers[path] = found
    assert not leftovers, "\n".join(f"{path}: {' | '.join(runs)}" for path, runs in leftovers.items())


def test_the_check_finds_chinese_the_code_added(browser, plans):
    data = database_text()
    assert untranslated("<p>Plan 待表决的方案</p>", data) == []  # data: a plan's title
    assert untranslated("<p>Plan 待表决的方案：尚未表决</p>", data) == ["待表决的方案：尚未表决"]
