"""The public notice (公示): no login, nothing a worker should not see, objections that reach the
enterprise and the bureau and the trail, a window that closes, rate limits, CSRF."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from approvals import audit
from approvals.db import utcnow
from approvals.demo import sample_content
from approvals.models import AuditEvent, Objection, Plan, PublicNotice, RosterWorker
from approvals.rules import receipt
from approvals.rules.resident_id import check_character
from notifications.models import Notification
from tests import flow, snapshots
from tests.conftest import reload

TEXT_ID = "130102198506204312"  # a valid ID a clerk typed into a section of the plan
MISTYPED_ID = "130102198506204319"  # the same with a wrong check character: still someone's ID
OBJECTOR_ID = "13028319800315002" + check_character("13028319800315002")
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")


def publish(api: Any, world: Any, complete_content: Any, **content: Any) -> dict[str, Any]:
    """A steel plan with IDs in its text, driven over the API to publication."""
    body = complete_content(world.steel)
    body["labour_relations"] = {"handling": f"有疑问请联系人力资源部经办人（身份证号{TEXT_ID}），电话0315-7654321。"}
    body["timetable"] = {"steps": f"7月职代会审议，9月公布实施。\n名单核对人：{MISTYPED_ID}",
                         "union_explanation_date": "2018-07-20", "termination_date": "2018-09-30"}  # fmt: skip
    body.update(content)
    clerk = api("clerk")
    plan = flow.create(clerk, body)
    plan = flow.submit(clerk, plan["id"])["plan"]
    plan = flow.vote(api("union"), plan["id"], plan["content_hash"])
    flow.review(api("reviewer"), plan["id"], "approve")
    return flow.publish(clerk, plan["id"])


@pytest.fixture
def published(api, world, complete_content):
    """The plan of publish() and its notice's token, with people's names on the accounts that acted; driven
    over the API once per test process, then copied back for each test (tests/snapshots.py)."""

    def build() -> tuple[dict[str, Any], str]:
        for name, display in (("clerk", "经办人刘芳"), ("union", "工会主席赵强"), ("reviewer", "审核员李明")):
            world.users[name].display_name = display
        db.session.commit()
        plan = publish(api, world, complete_content)
        return plan, db.session.get(PublicNotice, plan["id"]).token

    return snapshots.cached(db.session, "published notice", build)


def notice_url(token: str) -> str:
    return f"/public/{token}"


def same_page(html: str, token: str) -> str:
    """The page with its own link and its CSRF token left out."""
    return re.sub(r'name="csrf-token" content="[^"]*"', "", html.replace(token, "TOKEN"))


def objection(**changes: str) -> dict[str, str]:
    return {"name": "王某1", "id_number": OBJECTOR_ID, "phone": "13812345678",
            "text": "本人的安置渠道应为转岗培训，名单有误，请核实。", **changes}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Reading the notice
# --------------------------------------------------------------------------------------------


def test_the_notice_needs_no_login_and_shows_the_public_parts_of_the_plan(browser, published):
    plan, token = published
    response = browser(None).get(notice_url(token))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for shown in (plan["title"], "迁安钢铁", "企业内部退养", "转岗培训", "公益性岗位兜底",
                  "依照劳动合同法第四十七条", "所需资金合计", "企业自有资金", "提供至少三次岗位推荐",
                  "7月职代会审议", "2018-09-30", "职工代表大会", "表决通过", "人社部门审核同意日期", "提出异议"):  # fmt: skip
        assert shown in page, shown
    notice = db.session.get(PublicNotice, plan["id"])
    assert notice.opens_at == reload(plan["id"]).published_at
    assert notice.closes_at - notice.opens_at == timedelta(days=30)  # config PUBLIC_NOTICE_DAYS
    assert "公示中" in page
    assert "公示期为30日" in page


def test_in_english_the_labels_given_as_values_read_in_english_and_the_plans_words_stay(browser, published):
    _, token = published
    reader = browser(None)
    reader.get("/lang/en")
    page = unescape(reader.get(notice_url(token)).get_data(as_text=True))
    for shown in ("Workers' congress", "Steel", "依照劳动合同法第四十七条"):  # the plan's own text is not translated
        assert shown in page, shown
    assert "表决通过（赞成票超过应到人数的一半）" not in page
    assert ">职工代表大会<" not in page


def test_the_notice_is_never_cached_indexed_or_passed_on(browser, published):
    _, token = published
    response = browser(None).get(notice_url(token))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)


def test_no_full_id_number_anywhere_on_the_notice_not_even_in_free_text(browser, published, app):
    plan, token = published
    app.config["PAGE_SIZE"] = 7  # several roster pages
    try:
        anonymous = browser(None)
        pages = [anonymous.get(f"{notice_url(token)}?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    finally:
        app.config["PAGE_SIZE"] = 50
    workers = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"])).all()
    assert len(workers) == 20
    text = "".join(pages)
    assert FULL_ID.findall(text) == []
    assert TEXT_ID not in text
    assert MISTYPED_ID not in text
    assert "（身份证号130102********4312）" in text  # masked where it stood
    assert "名单核对人：130102********4319" in text
    for worker in workers:
        assert worker.id_number not in text
        assert f"{worker.id_number[:6]}********{worker.id_number[-4:]}" in text
        assert worker.name in text
    assert "第 3 / 3 页，共 20 条" in pages[2]


def test_the_notice_holds_no_internal_data(browser, published, world):
    plan, token = published
    page = browser(None).get(notice_url(token)).get_data(as_text=True)
    current = reload(plan["id"])
    hidden = [
        "审核员李明", "工会主席赵强", "经办人刘芳",  # people's names: reviewer, union, clerk
        "经评估，社会稳定风险可控", "成立应急处置小组",  # the risk assessment and emergency plan
        "董事会决议〔2018〕12号", "冀财资〔2018〕45号",  # funding evidence
        "plan.published", "objection.received", audit.head_of(db.session, audit.plan_chain(plan["id"]))[1], current.content_hash,  # the trail
        world.users["reviewer"].username,
    ]  # fmt: skip
    for secret in hidden:
        assert secret not in page, secret
    severances = db.session.scalars(select(RosterWorker.severance).where(RosterWorker.plan_id == plan["id"]))
    for amount in severances:
        if amount:
            assert f"{amount:,.2f}" not in page  # per-person amounts stay internal


def test_an_unknown_link_and_an_unpublished_plan_are_the_same_404(browser, published, api, world, complete_content):
    anonymous = browser(None)
    unknown = anonymous.get(notice_url("no-such-token-0123456789"))
    assert unknown.status_code == 404
    assert "公示不存在或方案尚未公布" in unknown.get_data(as_text=True)
    # A notice row for a plan that is not published (never made by the code, but forged or left
    # behind) still opens nothing.
    draft = flow.create(api("clerk"), complete_content(world.steel), title="未公布的方案")
    db.session.add(PublicNotice(plan_id=draft["id"], token="forged-token-abcdefghij", opens_at=utcnow(),
                                closes_at=utcnow() + timedelta(days=30)))  # fmt: skip
    db.session.commit()
    unpublished = anonymous.get(notice_url("forged-token-abcdefghij"))
    assert unpublished.status_code == 404
    assert same_page(unpublished.get_data(as_text=True), "forged-token-abcdefghij") == same_page(
        unknown.get_data(as_text=True), "no-such-token-0123456789"
    )
    posted = anonymous.post(notice_url("forged-token-abcdefghij") + "/objections", objection())
    assert posted.status_code == 404
    assert db.session.scalars(select(Objection)).all() == []


def test_the_window_length_comes_from_the_configuration_at_publication(app, api, world, complete_content):
    app.config["PUBLIC_NOTICE_DAYS"] = 7
    try:
        plan = publish(api, world, complete_content)
    finally:
        app.config["PUBLIC_NOTICE_DAYS"] = 30
    notice = db.session.get(PublicNotice, plan["id"])
    assert notice.closes_at - notice.opens_at == timedelta(days=7)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.published")).one()
    assert event.summary["notice_closes_at"] == notice.closes_at.isoformat(timespec="seconds")


def test_the_roster_can_be_searched_by_name(browser, published):
    _, token = published
    page = browser(None).get(f"{notice_url(token)}?q=王某").get_data(as_text=True)
    assert "王某1" in page
    assert "王某11" in page
    assert "李某2" not in page
    nobody = browser(None).get(f"{notice_url(token)}?q=查无此人").get_data(as_text=True)
    assert "没有找到姓名含“查无此人”的职工。" in nobody


# --------------------------------------------------------------------------------------------
# Raising an objection
# --------------------------------------------------------------------------------------------


def test_an_objection_is_stored_recorded_in_the_trail_and_sent_to_enterprise_and_bureau(browser, published):
    plan, token = published
    anonymous = browser(None)
    anonymous.get(notice_url(token))
    response = anonymous.post(notice_url(token) + "/objections", objection(phone="0315-5551234"),
                              environ_base={"REMOTE_ADDR": "198.51.100.23"})  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"] == notice_url(token)
    stored = db.session.scalars(select(Objection)).one()
    assert (stored.plan_id, stored.name, stored.id_number, stored.phone, stored.remote_addr) == (
        plan["id"], "王某1", OBJECTOR_ID, "0315-5551234", "198.51.100.23")  # fmt: skip
    assert stored.text == "本人的安置渠道应为转岗培训，名单有误，请核实。"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "objection.received")).one()
    assert (event.plan_id, event.actor_id, event.actor_name, event.actor_role, event.remote_addr) == (
        plan["id"], None, "public", "public", "198.51.100.23")  # fmt: skip
    assert event.summary == {"objection_id": stored.id, "id_number": "130283********" + OBJECTOR_ID[-4:],
                             "on_roster": False}  # fmt: skip
    outbox = db.session.scalars(select(Notification).where(Notification.kind == "objection_received")).all()
    assert {n.role for n in outbox} == {"bureau", "enterprise"}
    assert {"clerk", "reviewer", "province"} <= {n.user.username for n in outbox}
    assert all(n.plan_id == plan["id"] and n.payload["objection_id"] == stored.id for n in outbox)
    page = anonymous.get(response.headers["Location"]).get_data(as_text=True)
    assert f"您的异议已提交，受理码为 {receipt.shown(stored.receipt_code)}，请抄下或截图保存。" in page
    assert OBJECTOR_ID not in page
    assert "0315-5551234" not in page


def test_an_objector_on_the_roster_is_marked_so(browser, published):
    plan, token = published
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"])).first()
    anonymous = browser(None)
    anonymous.get(notice_url(token))
    assert (
        anonymous.post(notice_url(token) + "/objections", objection(id_number=worker.id_number.lower())).status_code
        == 303
    )
    stored = db.session.scalars(select(Objection)).one()
    assert stored.id_number == worker.id_number
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "objection.received")).one()
    assert event.summary["on_roster"] is True


def test_a_wrong_id_number_is_refused_under_its_field_with_the_input_kept(browser, published):
    plan, token = published
    anonymous = browser(None)
    anonymous.get(notice_url(token))
    before = audit.head_of(db.session, audit.plan_chain(plan["id"]))
    wrong = OBJECTOR_ID[:-1] + ("0" if OBJECTOR_ID[-1] != "0" else "1")
    response = anonymous.post(notice_url(token) + "/objections",
                              objection(id_number=wrong, text="本人不在名单中。\n请核实。"))  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"公民身份号码校验码错误，应为{OBJECTOR_ID[-1]}（实为{wrong[-1]}）" in page
    assert "已填写的内容不会丢失" in page
    assert f'value="{wrong}"' in page
    assert 'value="王某1"' in page
    assert 'value="13812345678"' in page
    assert "本人不在名单中。\n请核实。</textarea>" in page
    assert db.session.scalars(select(Objection)).all() == []
    assert audit.head_of(db.session, audit.plan_chain(plan["id"])) == before
    assert db.session.scalars(select(Notification).where(Notification.kind == "objection_received")).all() == []


def test_every_broken_field_is_named_at_once(browser, published):
    _, token = published
    anonymous = browser(None)
    anonymous.get(notice_url(token))
    response = anonymous.post(notice_url(token) + "/objections",
                              {"name": " ", "id_number": "1301021985", "phone": "12345", "text": "x" * 2001})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in ("姓名未填写。", "公民身份号码应为18位（旧号码为15位），实为10位。",
                    "联系电话应为11位手机号码，或带区号的固定电话", "异议内容不得超过2000个字（现为2001个字）"):  # fmt: skip
        assert message in page, message
    assert db.session.scalars(select(Objection)).all() == []


def test_after_the_window_the_notice_stays_but_objections_are_refused(browser, published):
    plan, token = published
    anonymous = browser(None)
    anonymous.get(notice_url(token))  # the form is open: take its CSRF token
    notice = db.session.get(PublicNotice, plan["id"])
    notice.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    posted = anonymous.post(notice_url(token) + "/objections", objection())
    assert posted.status_code == 409
    assert "公示期已结束，本页面不再受理异议" in posted.get_data(as_text=True)
    assert db.session.scalars(select(Objection)).all() == []
    page = anonymous.get(notice_url(token)).get_data(as_text=True)
    assert plan["title"] in page
    assert "企业内部退养" in page
    assert "公示已结束" in page
    assert "本页面不再受理异议" in page
    assert 'name="text"' not in page
    assert "提交异议</button>" not in page


def test_an_objection_without_the_csrf_token_is_refused(browser, published):
    _, token = published
    anonymous = browser(None)
    anonymous.get(notice_url(token))
    response = anonymous.post(notice_url(token) + "/objections", objection(), csrf=False)
    assert response.status_code == 400
    assert "CSRF 校验未通过" in response.get_data(as_text=True)
    forged = anonymous.post(notice_url(token) + "/objections", objection(csrf_token="forged"), csrf=False)
    assert forged.status_code == 400
    assert db.session.scalars(select(Objection)).all() == []


# --------------------------------------------------------------------------------------------
# Rate limits
# --------------------------------------------------------------------------------------------


def test_too_many_requests_from_one_address_get_a_chinese_429_page(browser, published, app, api, monkeypatch):
    _, token = published
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_RATE_LIMIT", "3 per minute")
    anonymous = browser(None)
    assert [anonymous.get(notice_url(token)).status_code for _ in range(3)] == [200, 200, 200]
    refused = anonymous.get(notice_url(token))
    assert refused.status_code == 429
    assert refused.mimetype == "text/html"
    page = refused.get_data(as_text=True)
    assert "访问过于频繁" in page
    assert "请稍后再试" in page
    assert refused.headers["Cache-Control"] == "no-store"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "返回首页" not in page  # its readers have no account
    # The budget is per address, and a submission spends it as well.
    assert anonymous.get(notice_url(token), environ_base={"REMOTE_ADDR": "198.51.100.8"}).status_code == 200
    assert anonymous.post(notice_url(token) + "/objections", objection()).status_code == 429
    assert db.session.scalars(select(Objection)).all() == []
    # Neither the JSON API nor the logged-in pages are limited.
    clerk = api("clerk")
    assert [clerk.get("/plans").status_code for _ in range(5)] == [200] * 5
    assert [browser("clerk").get("/").status_code for _ in range(4)] == [200] * 4


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_limited_and_recorded(
    browser, published, app, monkeypatch
):
    from app import trust_proxies

    _, token = published
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_RATE_LIMIT", "2 per minute")
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)  # restored afterwards
    trust_proxies(app)
    anonymous = browser(None)

    def via_proxy(client: str) -> dict[str, Any]:
        return {"headers": {"X-Forwarded-For": client}, "environ_base": {"REMOTE_ADDR": "10.0.0.2"}}

    assert anonymous.get(notice_url(token), **via_proxy("203.0.113.5")).status_code == 200
    assert anonymous.post(notice_url(token) + "/objections", objection(), **via_proxy("203.0.113.5")).status_code == 303
    assert anonymous.get(notice_url(token), **via_proxy("203.0.113.5")).status_code == 429
    assert anonymous.get(notice_url(token), **via_proxy("203.0.113.6")).status_code == 200  # another worker
    assert db.session.scalars(select(Objection.remote_addr)).one() == "203.0.113.5"


def test_objections_have_their_own_smaller_limit_counting_only_those_stored(browser, published, app, monkeypatch):
    _, token = published
    monkeypatch.setitem(app.config, "OBJECTION_RATE_LIMIT", "2 per hour")
    anonymous = browser(None)
    anonymous.get(notice_url(token))
    url = notice_url(token) + "/objections"
    assert anonymous.post(url, objection(id_number="123")).status_code == 422  # refused: not counted
    assert anonymous.post(url, objection()).status_code == 303
    assert anonymous.post(url, objection(text="第二条异议。")).status_code == 303
    third = anonymous.post(url, objection(text="第三条异议，内容保留。"))
    assert third.status_code == 429
    page = third.get_data(as_text=True)
    assert "本网络地址提交异议过于频繁（上限：每小时2次），本次未提交" in page
    assert "第三条异议，内容保留。</textarea>" in page  # the worker's text is not lost
    assert len(db.session.scalars(select(Objection)).all()) == 2
    other = anonymous.post(url, objection(text="另一地址。"), environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 303


# --------------------------------------------------------------------------------------------
# The enterprise and the bureau read the objections
# --------------------------------------------------------------------------------------------


def raise_one(browser: Any, token: str) -> None:
    anonymous = browser(None)
    anonymous.get(notice_url(token))
    text = f"本人身份证号{OBJECTOR_ID}，不在名单中，请核实。"
    assert anonymous.post(notice_url(token) + "/objections", objection(text=text)).status_code == 303


@pytest.mark.parametrize(
    ("user", "unmasked"),
    [("clerk", True), ("reviewer", True), ("province", True), ("admin", True),
     ("union", False), ("supervisor", False)],
)  # fmt: skip
def test_the_objection_list_shows_full_ids_only_to_enterprise_bureau_and_admin(browser, published, user, unmasked):
    plan, token = published
    raise_one(browser, token)
    response = browser(user).get(f"/plans/{plan['id']}/objections")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "王某1" in page
    assert "不在名单中，请核实。" in page
    assert f"/public/{token}" in page  # the link to post or forward
    masked_id = OBJECTOR_ID[:6] + "********" + OBJECTOR_ID[-4:]
    if unmasked:
        assert page.count(OBJECTOR_ID) == 2
        assert "13812345678" in page
        assert 'data-testid="masked-note"' not in page
    else:
        assert OBJECTOR_ID not in page
        assert "13812345678" not in page
        assert page.count(masked_id) == 2
        assert "138****5678" in page
        assert 'data-testid="masked-note"' in page


@pytest.mark.parametrize("user", ["clerk_small", "reviewer_other", "wg", "supervisor_other"])
def test_the_objection_list_of_a_plan_out_of_reach_does_not_exist(browser, published, user):
    plan, token = published
    raise_one(browser, token)
    assert browser(user).get(f"/plans/{plan['id']}/objections").status_code == 404


def test_the_objection_list_needs_a_login(browser, published):
    plan, _ = published
    response = browser(None).get(f"/plans/{plan['id']}/objections")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_before_publication_the_list_says_there_is_no_notice_yet(browser, api, world):
    plan = flow.create(api("clerk"), sample_content(world.steel), title="起草中的方案")
    page = browser("clerk").get(f"/plans/{plan['id']}/objections").get_data(as_text=True)
    assert "方案公布后才有公示页面" in page
    assert "尚未收到异议。" in page
    assert db.session.get(Plan, plan["id"]).published_at is None
