"""Pages say the refusals of the services in the reader's language: English once the reader chose English
(the language switch), Chinese by default. The values inside a message (a stage, a count, a step) are said in
the reader's language too; what a person typed stays as typed."""

from __future__ import annotations

from html import unescape

from tests import flow
from tests.ui.test_public_notice import notice_url, objection, published  # noqa: F401  (the fixture)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def test_every_broken_field_of_an_objection_is_named_in_english_on_the_english_notice(browser, published):  # noqa: F811
    _, token = published
    wrong = {"name": " ", "id_number": "1301021985", "phone": "12345", "text": "x" * 2001}
    pages = {}
    for language in ("zh_CN", "en"):
        anonymous = browser(None)
        anonymous.get(f"/lang/{language}")
        anonymous.get(notice_url(token))
        response = anonymous.post(notice_url(token) + "/objections", objection(**wrong))
        assert response.status_code == 422
        pages[language] = text_of(response)
    for message in ("The name is not filled in.",
                    "The objection may be at most 2000 characters long (it has 2001); please shorten it and submit again.",
                    "The phone number should be an 11-digit mobile number, or a landline with its area code"):  # fmt: skip
        assert message in pages["en"], message
    for message in ("姓名未填写。", "异议内容不得超过2000个字（现为2001个字），请精简后提交。",
                    "联系电话应为11位手机号码，或带区号的固定电话"):  # fmt: skip
        assert message in pages["zh_CN"], message
        assert message not in pages["en"], message


def test_the_groups_late_advice_is_refused_naming_the_stage_in_the_readers_language(browser, api, world,
                                                                                    complete_content):  # fmt: skip
    clerk = api("clerk_zombie")
    plan = flow.create(clerk, complete_content(world.zombie), title="峰峰煤业职工安置方案")
    flow.submit(clerk, plan["id"])  # now at the workers' congress: too late for the drafting advice
    url = f"/plans/{plan['id']}/working-group/advice"
    wg = browser("wg")
    chinese = wg.post(url, {"advice": "补充意见"})
    wg.get("/lang/en")
    english = wg.post(url, {"advice": "补充意见"})
    assert (chinese.status_code, english.status_code) == (409, 409)
    assert "方案现处于“职工代表大会审议”阶段" in text_of(chinese)
    assert ("The joint working group's advice on drafting the plan is recorded while the enterprise drafts it; "
            "the plan is now at the stage \"Workers' congress vote\"") in text_of(english)  # fmt: skip
    assert "企业起草阶段记录" not in text_of(english)


def test_an_empty_reminder_is_refused_in_the_readers_language(browser, api, world):
    plan = flow.create(api("clerk"), {}, title="催办测试方案")
    supervisor = browser("supervisor")
    url = f"/plans/{plan['id']}/remind"
    supervisor.get(url)
    chinese = supervisor.post(url, {"message": " "})
    supervisor.get("/lang/en")
    supervisor.get(url)
    english = supervisor.post(url, {"message": " "})
    assert (chinese.status_code, english.status_code) == (422, 422)
    assert "催办内容须为1至500个字符。" in text_of(chinese)
    assert "The reminder must be 1 to 500 characters long." in text_of(english)
    assert "催办内容须为" not in text_of(english)


def test_reference_data_an_administrator_types_is_refused_in_the_readers_language(browser):
    admin = browser("admin")
    admin.get("/admin/regions")
    chinese = [admin.post("/admin/regions", {"code": code, "name": "某地"}) for code in ("13a1", "130200", "140105")]
    admin.get("/lang/en")
    admin.get("/admin/regions")
    english = [admin.post("/admin/regions", {"code": code, "name": "某地"}) for code in ("13a1", "130200", "140105")]
    assert [r.status_code for r in chinese] == [r.status_code for r in english]
    said = [text_of(r) for r in english]
    assert 'A region code must be 6 digits (GB/T 2260); received "13a1".' in said[0]
    assert 'The region code "130200" is already registered.' in said[1]
    assert 'The parent region "140100" is not registered yet; please add the parent region first.' in said[2]
    assert "地区代码“130200”已登记。" in text_of(chinese[1])
    assert not any("地区代码" in page or "上级地区" in page for page in said)
