"""Whatever a user typed is shown as text, never as markup: a plan walked from draft to publication
with markup in every field a person fills in (title, capacity unit, enterprise and user names, plan
text, funding sources and evidence file names, roster names and remarks, vote, review reasons, the
working group's members and findings, objections, reminders), then every page that shows them parsed
for any element or attribute born of that markup."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest

from app.extensions import db
from approvals.demo import ROSTER_HEADER, WG_MEMBERS, evidence_pdf, fund_fully
from approvals.models import PublicNotice
from tests import flow
from tests.ui.test_public_notice import objection

# Breaks out of text, of a double- or single-quoted attribute, and of a %-format: any of them
# turning into markup adds an element or an "on…" attribute the page never has; a "%" a 500.
HOSTILE = "\"'><img src=x onerror=alert(1)>%(x)s%"
# The page's own scripts are files under /static/ (the Content-Security-Policy allows nothing else).
OWN_SCRIPT = "/static/"


class PayloadFinder(HTMLParser):
    """What a page is made of: where any element or attribute came from the hostile text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.injected: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "img" or (tag == "script" and not (dict(attrs).get("src") or "").startswith(OWN_SCRIPT)):
            self.injected.append(f"<{tag} {attrs}>")
        if bad := {n for n in names if n.startswith("on") or n in {"x", "alert(1)", "'", '"'}}:
            self.injected.append(f"<{tag}> with {sorted(bad)}")


def injected(html: str) -> list[str]:
    parser = PayloadFinder()
    parser.feed(html)
    parser.close()
    return parser.injected


def hostile_content(content: dict[str, Any]) -> dict[str, Any]:
    """The plan's content with the hostile text added to every free-text item a clerk writes."""
    content = {key: dict(value) if isinstance(value, dict) else value for key, value in content.items()}
    content["decapacity"]["unit"] = "万吨" + HOSTILE
    content["profile"]["ownership"] += HOSTILE
    content["profile"]["parent_group"] += HOSTILE
    for section, key in (("labour_relations", "handling"), ("severance", "standard"), ("arrears", "settlement"),
                         ("social_insurance", "arrangement"), ("reemployment", "measures"),
                         ("protected_groups", "handling"), ("timetable", "steps"), ("opinions", "method"),
                         ("opinions", "summary"), ("internal_retirement", "terms"),
                         ("risk_assessment", "assessment"), ("risk_assessment", "emergency_plan")):  # fmt: skip
        content[section][key] = content[section][key] + HOSTILE
    return content


def hostile_roster(rows: list[list[str]]) -> bytes:
    """The roster file with the hostile text in every worker's name and in a remarks column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*ROSTER_HEADER, "备注"])
    writer.writerows([row[0], row[1] + HOSTILE, *row[2:], "备注" + HOSTILE] for row in rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def hostile_plan(api, world, complete_content, browser):  # type: ignore[no-untyped-def]
    """A high-risk plan (the zombie firm), returned once and resubmitted, through the working group
    to publication, with an objection and a reminder: hostile text wherever a person typed."""
    world.zombie.name += HOSTILE
    for user in world.users.values():
        user.display_name = user.username + HOSTILE
    db.session.commit()
    clerk, union, bureau, group = api("clerk_zombie"), api("union_zombie"), api("province"), api("wg")
    content = complete_content(world.zombie)
    roster = content.pop("roster")
    plan = flow.create(clerk, hostile_content(content), title="峰峰煤业方案" + HOSTILE)
    plan_id = plan["id"]
    upload = clerk.put(f"/plans/{plan_id}/roster", data={"file": (io.BytesIO(hostile_roster(roster)), f"{HOSTILE}.csv")},
                       content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 200, upload.json
    funding = fund_fully(flow.plan(clerk, plan_id)["content"]["funding"])
    for source in funding["sources"]:
        source["evidence"] += HOSTILE
    assert clerk.patch(f"/plans/{plan_id}", json={"content": {"funding": funding}}).status_code == 200
    for number in range(1, len(funding["sources"]) + 1):
        flow.upload_evidence(clerk, plan_id, number, evidence_pdf("证明"), f"{HOSTILE}{number}.pdf")
    plan = flow.submit(clerk, plan_id)["plan"]
    flow.vote(union, plan_id, plan["content_hash"])
    flow.review(bureau, plan_id, "return", reasons="请补充" + HOSTILE)
    changed = flow.plan(clerk, plan_id)["content"]["reemployment"]
    changed["measures"] += "（已补充）" + HOSTILE
    assert clerk.patch(f"/plans/{plan_id}", json={"content": {"reemployment": changed}}).status_code == 200
    plan = flow.submit(clerk, plan_id)["plan"]
    flow.vote(union, plan_id, plan["content_hash"])
    flow.review(bureau, plan_id, "approve")
    members = [{**m, "name": m["name"] + HOSTILE, "organisation": m["organisation"] + HOSTILE} for m in WG_MEMBERS]
    flow.working_group(group, plan_id, members=members, contact_point="人力资源部" + HOSTILE,
                       findings="已核实" + HOSTILE)  # fmt: skip
    flow.publish(clerk, plan_id)
    token = db.session.get(PublicNotice, plan_id).token
    posted = browser(None).post(f"/public/{token}/objections", objection(name="王某" + HOSTILE, text="有误" + HOSTILE))
    assert posted.status_code in (200, 302, 303), posted.status_code
    reminded = api("supervisor").post(f"/plans/{plan_id}/reminders", json={"message": "请尽快" + HOSTILE})
    assert reminded.status_code in (201, 409), reminded.json
    return plan_id, token, roster[0][0]


def test_the_hostile_text_is_stored_as_typed(api, hostile_plan):
    plan_id, _, id_number = hostile_plan
    clerk = api("clerk_zombie")
    content = flow.plan(clerk, plan_id)["content"]
    assert content["decapacity"]["unit"] == "万吨" + HOSTILE  # else the pages below prove nothing
    worker = clerk.get(f"/plans/{plan_id}/roster/{id_number}").json
    assert (worker["name"][-len(HOSTILE) :], worker["data"]["remarks"]) == (HOSTILE, "备注" + HOSTILE)


def pages_of(plan_id: int, token: str, id_number: str) -> list[tuple[str | None, str]]:
    from tests.browser.live import plan_tabs

    plan = f"/plans/{plan_id}"
    return [
        (None, f"/public/{token}"),
        (None, f"/public/{token}?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"),
        ("province", plan),
        *(("province", f"{plan}?tab={tab}") for tab in plan_tabs()),
        ("supervisor", f"{plan}?tab=timeline"),
        ("clerk_zombie", f"{plan}/documents"),
        ("clerk_zombie", f"{plan}/objections"),
        ("clerk_zombie", f"{plan}/publication"),
        ("clerk_zombie", f"{plan}/draft?section=funding"),
        ("clerk_zombie", f"{plan}/draft?section=decapacity"),
        ("clerk_zombie", f"{plan}/roster/upload"),
        ("clerk_zombie", f"{plan}/roster/workers/{id_number}"),
        ("clerk_zombie", "/"),
        ("clerk_zombie", "/notifications"),
        ("province", "/"),
        ("province", f"{plan}/review"),
        ("province", f"{plan}/verifications"),
        ("province", "/notifications"),
        ("wg", "/"),
        ("wg", f"{plan}/working-group"),
        ("union_zombie", "/"),
        ("union_zombie", f"{plan}/vote"),
        ("supervisor", "/"),
        ("supervisor", "/audit"),
        ("supervisor", f"{plan}/remind"),
        ("admin", "/"),
        ("admin", "/audit"),
        ("admin", "/admin/users"),
        ("admin", "/admin/enterprises"),
    ]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_page_turns_what_a_user_typed_into_markup(browser, hostile_plan, language):
    plan_id, token, id_number = hostile_plan
    clients: dict[str | None, Any] = {}
    found, shown = [], 0
    for user, path in pages_of(plan_id, token, id_number):
        if user not in clients:
            clients[user] = browser(user)
            clients[user].get(f"/lang/{language}")
        response = clients[user].get(path)
        assert response.status_code == 200, (user, path, response.status_code)
        html = response.get_data(as_text=True)
        shown += "onerror=alert(1)" in html
        found += [f"{user} {path}: {problem}" for problem in injected(html)]
    assert found == []
    assert shown >= 10  # the hostile text is on the pages, as text


def test_the_parser_finds_markup_born_of_the_hostile_text():
    """The check above fails where the text is not escaped: in content, and in an attribute."""
    assert injected(f"<p>{HOSTILE}</p>")
    assert injected(f'<input value="{HOSTILE}">')
    assert injected(f"<input value='{HOSTILE}'>")
    escaped = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    assert injected(f'<p>{escaped}</p><input value="{escaped.replace(chr(39), "&#39;")}">') == []
