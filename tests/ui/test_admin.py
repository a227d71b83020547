"""The administrator's pages: users and their roles, enterprises, regions, working groups, wages and
deadlines; every change audited, every refusal explained on the form, nothing for anyone else."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.extensions import db
from approvals.models import AuditEvent, Enterprise, Region, RoleGrant, User, WageParameter, WorkingGroup
from tests.conftest import PASSWORD
from tests.ui.forms_support import block
from tests.ui.html_tables import table_rows, text_of

NEW_PASSWORD = "Jiandu#2026"
CONFIRMED = {"confirmed": "yes"}  # deactivating an account and revoking a role ask first (issue 12 §6)


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def user_named(username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.username == username)).first()


def field_error(page: str, message: str) -> bool:
    return (
        re.search(r'<div class="invalid-feedback d-block"[^>]*>' + re.escape(str(escape(message))) + "</div>", page)
        is not None
    )


def flashed_error(page: str, message: str) -> bool:
    return (
        re.search(r'class="alert alert-danger alert-dismissible[^>]*>\s*' + re.escape(str(escape(message))), page)
        is not None
    )


def test_admin_creates_a_user_grants_a_role_and_the_user_logs_in_with_it(browser, world):
    admin = browser("admin")
    weak = admin.post("/admin/users/new", {"username": "wang", "display_name": "王督查", "password": "password",
                                           "confirm": "password"})  # fmt: skip
    assert weak.status_code == 200
    assert field_error(weak.get_data(as_text=True), "密码须包含大写字母、小写字母、数字、符号中的至少三类。")
    assert 'value="wang"' in weak.get_data(as_text=True)  # the input is kept
    assert user_named("wang") is None

    created = admin.post("/admin/users/new", {"username": "wang", "display_name": "王督查", "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})  # fmt: skip
    wang = user_named("wang")
    assert wang is not None
    assert wang.active
    assert created.headers["Location"] == f"/admin/users/{wang.id}"
    granted = admin.post(f"/admin/users/{wang.id}/grants", {"role": "supervisor", "region": "130200"})
    assert granted.status_code == 302
    page = admin.get(f"/admin/users/{wang.id}").get_data(as_text=True)
    assert "已授予“wang”督查人员角色。" in page
    assert "督查人员：唐山市" in text_of(page, "grants")

    assert [(e.actor_name, e.summary["username"]) for e in events("user.created")][-1] == ("admin", "wang")
    grant_event = events("user.role_granted")[-1]
    assert (grant_event.actor_name, grant_event.summary["role"], grant_event.summary["region"]) == (
        "admin", "supervisor", "130200")  # fmt: skip

    home = browser(None)
    home.login("wang", NEW_PASSWORD)
    page = home.get("/").get_data(as_text=True)
    assert "王督查（督查人员）" in text_of(page, "who")
    assert "督查范围：唐山市" in page


def test_password_confirmation_and_unique_username_are_checked(browser, world):
    admin = browser("admin")
    mismatch = admin.post("/admin/users/new", {"username": "li", "password": NEW_PASSWORD, "confirm": "other"})
    assert field_error(mismatch.get_data(as_text=True), "两次输入的密码不一致。")
    taken = admin.post("/admin/users/new", {"username": "clerk", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert field_error(taken.get_data(as_text=True), "用户名“clerk”已存在或为空。")
    short = admin.post("/admin/users/new", {"username": "lily", "password": "Ab#1", "confirm": "Ab#1"})
    assert field_error(short.get_data(as_text=True), "密码长度须为8至128位。")
    assert user_named("li") is None
    assert user_named("lily") is None


def test_separation_of_duties_refuses_the_grant_and_changes_nothing(browser, world):
    clerk = world.users["clerk"]  # already the steel firm's enterprise clerk
    before = len(events("user.role_granted"))
    refused = browser("admin").post(f"/admin/users/{clerk.id}/grants", {"role": "union", "enterprise": world.steel.id})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert flashed_error(page, "同一人不得同时担任同一企业的企业经办人和工会代表。")
    assert f'<option selected value="{world.steel.id}">' in page  # the choice is kept
    db.session.expire_all()
    assert [g.role for g in db.session.get(User, clerk.id).grants] == ["enterprise"]
    assert len(events("user.role_granted")) == before
    # The same role for another enterprise is fine.
    assert browser("admin").post(f"/admin/users/{clerk.id}/grants", {"role": "union",
                                                                    "enterprise": world.small.id}).status_code == 302  # fmt: skip


def test_a_role_without_its_reach_is_refused_under_the_reach_field(browser, world):
    wg = world.users["wg"]
    refused = browser("admin").post(f"/admin/users/{wg.id}/grants", {"role": "bureau", "region": ""})
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "审核人和督查人员须指定所辖地区。")
    # Only the reach the role uses is kept: a region sent with an enterprise role is dropped.
    browser("admin").post(f"/admin/users/{wg.id}/grants", {"role": "enterprise", "enterprise": world.small.id,
                                                           "region": "130500"})  # fmt: skip
    db.session.expire_all()
    grant = db.session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == wg.id, RoleGrant.role == "enterprise")
    ).one()
    assert (grant.enterprise_id, grant.region_code) == (world.small.id, None)


def test_revoke_deactivate_and_reactivate(browser, world):
    admin = browser("admin")
    union = world.users["union"]
    grant = union.grants[0]
    admin.post(f"/admin/users/{union.id}/grants/{grant.id}/revoke", CONFIRMED)
    db.session.expire_all()
    assert db.session.get(User, union.id).grants == []
    assert events("user.role_revoked")[-1].summary["role"] == "union"

    assert admin.post(f"/admin/users/{union.id}/active/0", CONFIRMED).status_code == 302
    assert user_named("union").active is False
    assert browser(None).login("union", PASSWORD).status_code == 200  # refused: the form again
    admin.post(f"/admin/users/{union.id}/active/1")  # enabling again asks no confirmation
    assert user_named("union").active is True
    assert browser(None).login("union", PASSWORD).status_code == 302
    assert [e.action for e in events("user.deactivated") + events("user.reactivated")] == [
        "user.deactivated", "user.reactivated"]  # fmt: skip


def test_deactivating_or_revoking_without_the_confirmation_changes_nothing(browser, world):
    """Deactivating an account and revoking a role ask for confirmation (issue 12 §6): without the box the
    page comes back with 422 naming it, and the account and its roles stay as they were."""
    admin = browser("admin")
    union = world.users["union"]
    grant = union.grants[0]
    refused = admin.post(f"/admin/users/{union.id}/active/0")
    assert refused.status_code == 422
    assert 'data-testid="error-confirmed-active"' in refused.get_data(as_text=True)
    refused = admin.post(f"/admin/users/{union.id}/grants/{grant.id}/revoke")
    assert refused.status_code == 422
    assert f'data-testid="error-confirmed-grant-{grant.id}"' in refused.get_data(as_text=True)
    assert "请勾选确认后再提交：此操作不能撤回。" in refused.get_data(as_text=True)
    assert user_named("union").active
    assert [g.id for g in user_named("union").grants] == [grant.id]
    assert events("user.deactivated") == []
    assert events("user.role_revoked") == []


def test_an_administrator_cannot_lock_themselves_out(browser, world):
    admin_user = world.users["admin"]
    admin = browser("admin")
    page = admin.post(f"/admin/users/{admin_user.id}/active/0", CONFIRMED, follow_redirects=True).get_data(as_text=True)
    assert flashed_error(page, "不能停用自己的账号。")
    grant = admin_user.grants[0]
    page = admin.post(f"/admin/users/{admin_user.id}/grants/{grant.id}/revoke", CONFIRMED,
                      follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert flashed_error(page, "不能撤销自己的系统管理员角色。")
    assert user_named("admin").active
    assert user_named("admin").grants


def test_locking_oneself_out_is_not_offered_and_the_reason_stands_beside_the_button(browser, world):
    """The page knows the service would refuse these: the buttons are disabled with the reason beside them."""
    admin_user = world.users["admin"]
    grant = admin_user.grants[0]
    own = browser("admin").get(f"/admin/users/{admin_user.id}").get_data(as_text=True)
    assert re.search(r'<button[^>]*data-testid="deactivate"[^>]* disabled', own)
    assert "不能停用自己的账号。" in block(own, "deactivate-blocked")
    assert re.search(rf'<button[^>]*data-testid="revoke-{grant.id}"[^>]* disabled', own)
    assert "不能撤销自己的系统管理员角色。" in block(own, f"revoke-{grant.id}-blocked")
    union = world.users["union"]
    other = browser("admin").get(f"/admin/users/{union.id}").get_data(as_text=True)
    assert not re.search(r'<button[^>]*data-testid="deactivate"[^>]* disabled', other)
    assert 'data-testid="deactivate-blocked"' not in other


def test_enterprise_registration_checks_the_uscc_and_keeps_the_input(browser, world):
    admin = browser("admin")
    form = {"name": "唐山新钢铁有限公司", "uscc": "91130200MA0000000X", "industry": "steel", "region": "130203",
            "headcount": "350", "parent_group": ""}  # fmt: skip
    refused = admin.post("/admin/enterprises/new", form)
    page = refused.get_data(as_text=True)
    assert "统一社会信用代码“91130200MA0000000X”无效" in page
    assert 'value="唐山新钢铁有限公司"' in page
    assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 3

    from approvals.demo import make_uscc

    code = make_uscc("130203", 77)
    assert admin.post("/admin/enterprises/new", {**form, "uscc": code}).headers["Location"] == "/admin/enterprises"
    firm = db.session.scalars(select(Enterprise).where(Enterprise.uscc == code)).one()
    assert (firm.name, firm.region_code, firm.headcount) == ("唐山新钢铁有限公司", "130203", 350)
    assert events("enterprise.created")[-1].actor_name == "admin"
    listed = table_rows(admin.get(f"/admin/enterprises?q={code}").get_data(as_text=True), "enterprises")
    assert [row[:5] for row in listed] == [["唐山新钢铁有限公司", code, "钢铁", "路北区", "350"]]

    duplicate = admin.post(f"/admin/enterprises/{world.steel.id}/edit", {**form, "uscc": code})
    assert "已登记" in duplicate.get_data(as_text=True)
    edited = admin.post(f"/admin/enterprises/{firm.id}/edit", {**form, "uscc": code, "headcount": "420", "zombie": "y"})
    assert edited.status_code == 302
    db.session.expire_all()
    assert (db.session.get(Enterprise, firm.id).headcount, db.session.get(Enterprise, firm.id).zombie) == (420, True)
    assert events("enterprise.updated")[-1].summary["changed"] == {"headcount": [350, 420], "zombie": [False, True]}


def test_regions_are_added_under_a_registered_parent(browser, world):
    admin = browser("admin")
    orphan = admin.post("/admin/regions", {"code": "140105", "name": "小店区"})
    assert field_error(orphan.get_data(as_text=True), "上级地区“140100”尚未登记，请先添加上级地区。")
    assert field_error(admin.post("/admin/regions", {"code": "13a1", "name": "x"}).get_data(as_text=True),
                       "地区代码须为6位数字（GB/T 2260），收到“13a1”。")  # fmt: skip
    assert field_error(admin.post("/admin/regions", {"code": "130200", "name": "唐山"}).get_data(as_text=True),
                       "地区代码“130200”已登记。")  # fmt: skip
    assert db.session.get(Region, "140105") is None
    for code, name in (("140000", "山西省"), ("140100", "太原市"), ("140105", "小店区")):
        assert admin.post("/admin/regions", {"code": code, "name": name}).status_code == 302
    county = db.session.get(Region, "140105")
    assert (county.level, county.parent_code) == ("county", "140100")
    assert db.session.get(Region, "140100").level == "city"
    assert [e.summary["code"] for e in events("region.created")] == ["140000", "140100", "140105"]
    assert ["140105", "小店区", "县（市、区）"] in table_rows(
        admin.get("/admin/regions").get_data(as_text=True), "regions"
    )


def test_working_groups_are_created_and_listed(browser, world):
    admin = browser("admin")
    assert admin.post("/admin/working-groups", {"name": "唐山联合工作组", "region": "130200"}).status_code == 302
    assert (
        db.session.scalars(select(WorkingGroup).where(WorkingGroup.name == "唐山联合工作组")).one().region_code
        == "130200"
    )
    listed = table_rows(admin.get("/admin/working-groups").get_data(as_text=True), "working-groups")
    assert ["唐山联合工作组", "唐山市", "0"] in listed
    assert ["省联合工作组", "河北省", "1"] in listed  # the world's wg member


def test_wage_parameters_out_of_range_are_refused_naming_the_field(browser, world):
    admin = browser("admin")
    before = db.session.scalar(select(func.count()).select_from(WageParameter))
    bad_year = admin.post("/admin/parameters", {"city": "130200", "year": "1980", "average": "5400"})
    assert bad_year.status_code == 422
    page = bad_year.get_data(as_text=True)
    assert field_error(page, "年度须在1990至2100之间。")
    assert 'value="5400"' in page  # kept
    negative = admin.post("/admin/parameters", {"city": "130200", "year": "2018", "average": "-1"})
    assert field_error(negative.get_data(as_text=True), "月平均工资须为正数（收到：-1）。")
    not_a_number = admin.post("/admin/parameters", {"city": "130200", "year": "2018", "average": "五千"})
    assert not_a_number.status_code == 422
    assert 'id="average"' in not_a_number.get_data(as_text=True)
    assert field_error(not_a_number.get_data(as_text=True), "不是有效的小数。")
    assert db.session.scalar(select(func.count()).select_from(WageParameter)) == before
    assert events("wage_parameters.set") == []

    saved = admin.post("/admin/parameters", {"city": "130200", "year": "2017", "average": "5600.50"})
    assert saved.status_code == 302
    row = db.session.scalars(select(WageParameter).where(WageParameter.city_code == "130200",
                                                         WageParameter.year == 2017)).one()  # fmt: skip
    assert row.average_monthly_wage == Decimal("5600.50")
    event = events("wage_parameters.set")[-1]
    assert event.actor_name == "admin"
    assert event.summary["before"] == {"average": "5250.00"}
    edit = admin.get("/admin/parameters?city=130200&year=2017").get_data(as_text=True)
    assert 'value="5600.50"' in edit  # "修改" fills the form with the row


def test_deadlines_are_shown_read_only_from_the_configuration(app, browser, world, monkeypatch):
    monkeypatch.setitem(app.config, "REVIEW_DEADLINE_WORKING_DAYS", 15)
    monkeypatch.setitem(app.config, "VOTE_DEADLINE_WORKING_DAYS", 10)
    page = browser("admin").get("/admin/parameters").get_data(as_text=True)
    [(review, review_days), (vote, vote_days)] = table_rows(page, "deadlines")
    assert review.startswith("人社部门审核期限")
    assert review_days == "15"
    assert vote.startswith("职工代表大会表决期限")
    assert vote_days == "10"
    assert "此处仅供查看" in text_of(page, "deadline-note")
    assert 'name="REVIEW_DEADLINE_WORKING_DAYS"' not in page  # no input for them
    assert 'name="VOTE_DEADLINE_WORKING_DAYS"' not in page


def test_admin_home_section_summarises_the_system(browser, world):
    page = browser("admin").get("/").get_data(as_text=True)
    section = text_of(page, "admin-home")
    assert "用户 14" in section
    assert "企业 3" in section
    assert "联合工作组 2" in section
    assert "工资参数年度 2017" in section
    assert "授予角色" in text_of(page, "recent-admin")


ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/users/1", "/admin/enterprises", "/admin/enterprises/new",
               "/admin/enterprises/1/edit", "/admin/regions", "/admin/working-groups", "/admin/parameters",
               "/admin/legal-parameters", "/admin/wage-tiers"]  # fmt: skip


@pytest.mark.parametrize("name", ["clerk", "union", "reviewer", "wg", "supervisor"])
def test_everyone_but_the_administrator_is_refused(browser, world, name):
    user = browser(name)
    for url in ADMIN_PAGES:
        response = user.get(url)
        assert response.status_code == 403, url
        assert "系统管理仅限系统管理员使用" in response.get_data(as_text=True)
    target = world.users["clerk"]
    assert user.post(f"/admin/users/{target.id}/active/0").status_code == 403
    assert user.post("/admin/regions", {"code": "130104", "name": "桥西区"}).status_code == 403
    assert user_named("clerk").active
    assert db.session.get(Region, "130104") is None
    assert 'href="/admin/users"' not in user.get("/").get_data(as_text=True)


def test_an_admin_form_without_the_csrf_token_is_refused_and_saves_nothing(browser, world):
    admin = browser("admin")
    response = admin.post("/admin/users/new", {"username": "forged", "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD}, csrf=False)  # fmt: skip
    assert response.status_code == 400
    assert "CSRF 校验未通过" in response.get_data(as_text=True)
    assert user_named("forged") is None
    forged = admin.post(f"/admin/users/{world.users['clerk'].id}/active/0", {"csrf_token": "forged"}, csrf=False)
    assert forged.status_code == 400
    assert user_named("clerk").active


def test_an_invalid_uscc_is_refused_in_the_interfaces_language_not_the_librarys(browser, world):
    """python-stdnum says why a USCC is invalid in English; the page says it in the reader's language
    (GB 32100-2015: 18 characters, the last a check character)."""
    from approvals.demo import make_uscc

    code = make_uscc("130203", 78)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    admin = browser("admin")
    form = {"name": "唐山新钢铁有限公司", "uscc": wrong, "industry": "steel", "region": "130203", "headcount": "350"}
    page = admin.post("/admin/enterprises/new", form).get_data(as_text=True)
    assert f"统一社会信用代码“{wrong}”无效：校验码不正确" in page
    assert "checksum" not in page
    short = admin.post("/admin/enterprises/new", {**form, "uscc": code[:10]}).get_data(as_text=True)
    assert "无效：应为18位" in short
    assert "invalid length" not in short
    admin.get("/lang/en")
    english = admin.post("/admin/enterprises/new", form).get_data(as_text=True)
    assert escape(f'The unified social credit code "{wrong}" is invalid: its check character is wrong.') in english
    assert "校验码" not in english
