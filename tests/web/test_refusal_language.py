"""Refusals that were fixed in Chinese are said in the caller's language: English for a user whose interface
language is English (or a request that asks for English), Chinese by default; the codes (error, rule, field)
the same in both."""

from __future__ import annotations

import io

import pytest
from sqlalchemy.exc import IntegrityError

from app.errors import error_response
from app.extensions import db
from app.integrity import integrity_answer
from approvals.actor import SYSTEM, public
from approvals.errors import NotAllowed
from approvals.i18n import Text
from approvals.models import Role
from approvals.services import accounts
from approvals.services.objections import ObjectionInput, raise_objection
from approvals.services.public_notice import notice_of
from tests import flow
from tests.stages import OBJECTOR_ID, plan_at
from tests.web.test_roster_api import csv_bytes, put, worker


def speak(world, name, language):
    world.users[name].interface_language = language
    db.session.commit()


def refused(response, status):
    assert response.status_code == status, response.json
    return response.json


def in_both(world, name, ask, status):
    """The refusal as `name` hears it in Chinese (the default), then in English; the same codes."""
    chinese = refused(ask(), status)
    speak(world, name, "en")
    english = refused(ask(), status)
    assert english["error"] == chinese["error"]
    assert not chinese["message"].isascii()
    return chinese, english


@pytest.fixture
def drafted(api, world):
    return flow.create(api("clerk"), {}, title="名单测试方案")


def test_a_refused_roster_upload_reports_the_summary_and_every_row_in_the_callers_language(api, world, drafted):
    data = csv_bytes([worker(1), worker(2), worker(3, channel="搬家")])
    chinese, english = in_both(world, "clerk", lambda: put(api("clerk"), drafted["id"], data), 422)
    assert chinese["message"] == "名单有1行存在错误，未保存任何数据。请修改后重新上传，或选择只保存无误的行。"
    assert english["message"] == ("1 row of the roster has errors; nothing was saved. Correct it and upload again, "
                                  "or choose to save only the rows without errors.")  # fmt: skip
    rows = [(e["row"], e["column"], e["rule"], e["value"]) for e in english["details"]["errors"]]
    assert rows == [(e["row"], e["column"], e["rule"], e["value"]) for e in chinese["details"]["errors"]]
    assert rows
    assert all(e["message"].startswith("Row 4") for e in english["details"]["errors"])
    assert all(e["message"].startswith("第4行") for e in chinese["details"]["errors"])
    # the Accept-Language of a request without a user's choice asks for English too
    speak(world, "clerk", None)
    asked = api("clerk").put(f"/plans/{drafted['id']}/roster", headers={"Accept-Language": "en"},
                             data={"file": (io.BytesIO(data), "名单.csv")}, content_type="multipart/form-data")  # fmt: skip
    assert refused(asked, 422) == english


@pytest.fixture
def objected(session, engine, world):
    """The steel firm's published plan with one objection received."""
    plan = plan_at(session, engine, world, "published", firm="steel")
    given = ObjectionInput(name="王某", id_number=OBJECTOR_ID, phone="13812345678", text="本人安置渠道有误。")
    objection = raise_objection(session, actor=public("198.51.100.7"), notice=notice_of(session, plan), given=given)
    session.commit()
    return plan.id, objection.id


def test_an_objection_step_is_refused_in_the_readers_language(api, world, objected):
    """The step named in the role refusal (an action built from the step's label), the step out of order and
    the step's missing text: each said in English to an English reader, in Chinese by default."""
    plan_id, objection_id = objected
    url = f"/plans/{plan_id}/objections/{objection_id}/steps"

    def take(who, step, text=""):
        return lambda: api(who).post(url, json={"step": step, "text": text})

    chinese, english = in_both(world, "reviewer", take("reviewer", "accept"), 403)
    assert chinese["message"] == "异议受理须由本方案的企业经办人办理。"
    assert english["message"] == "Only the plan's Enterprise clerk may do this: Accept (objection)."
    chinese, english = in_both(world, "clerk", take("clerk", "verify", "已核实。"), 409)
    assert chinese["message"] == "该异议当前为“待受理”，不能核实：核实须在“已受理，待核实”时办理。"
    assert english["message"].startswith('The objection is now "')
    assert english["message"].isascii()
    speak(world, "clerk", None)
    refused(api("clerk").post(url, json={"step": "accept"}), 201)
    chinese, english = in_both(world, "clerk", take("clerk", "verify"), 422)
    assert chinese["message"] == "核实情况未填写。"
    assert english["message"] == "Verification findings is not filled in."
    assert [d["message"] for d in english["details"]] == [english["message"]]


def test_personal_data_is_refused_in_the_readers_language(api, world, drafted):
    put(api("clerk"), drafted["id"], csv_bytes([worker(1)]))
    number = worker(1)[0]
    chinese, english = in_both(world, "supervisor", lambda: api("supervisor").get(
        f"/plans/{drafted['id']}/roster/{number}"), 403)  # fmt: skip
    assert chinese["message"] == "查看职工个人信息：职工个人信息仅向本企业、工会和人社部门提供。"
    assert english["message"] == ("View workers' personal data: the workers' personal data is given only to the "
                                  "enterprise, its union and the human resources and social security bureau.")  # fmt: skip
    assert english["error"] == "personal_data"


def test_a_supervisors_reminder_is_refused_in_english_naming_the_stage_and_the_length(api, world, drafted):
    empty = lambda: api("supervisor").post(f"/plans/{drafted['id']}/reminders", json={"message": ""})  # noqa: E731
    chinese, english = in_both(world, "supervisor", empty, 422)
    assert chinese["message"] == "催办内容须为1至500个字符。"
    assert english["message"] == "The reminder must be 1 to 500 characters long."
    assert [d["message"] for d in english["details"]] == [english["message"]]


def test_an_incomplete_submission_is_reported_in_the_callers_language(api, world, drafted):
    chinese, english = in_both(world, "clerk", lambda: api("clerk").post(f"/plans/{drafted['id']}/submit"), 422)
    assert chinese["message"].startswith("方案不完整，已退回起草，共缺")
    assert english["message"].startswith("The plan is incomplete and was returned to drafting: ")
    assert all(m["message"].isascii() for m in english["details"]["missing"])
    assert [m["field"] for m in english["details"]["missing"]] == [m["field"] for m in chinese["details"]["missing"]]


def test_an_unknown_plan_part_and_a_bad_title_are_refused_in_english(api, world, drafted):
    unknown = lambda: api("clerk").patch(f"/plans/{drafted['id']}", json={"content": {"家底": {}}})  # noqa: E731
    chinese, english = in_both(world, "clerk", unknown, 422)
    assert chinese["message"] == "未知的方案部分：家底。"
    assert english["message"] == "Unknown part of the plan: 家底."  # the caller's own words, as sent
    speak(world, "clerk", None)
    title = lambda: api("clerk").patch(f"/plans/{drafted['id']}", json={"title": " "})  # noqa: E731
    chinese, english = in_both(world, "clerk", title, 422)
    assert chinese["message"] == "方案名称须为1至200个字符。"
    assert english["message"] == "The plan's title must be 1 to 200 characters long."


def test_query_and_revision_refusals_are_said_in_english(api, world, drafted):
    page = lambda: api("clerk").get("/plans?page=0")  # noqa: E731
    chinese, english = in_both(world, "clerk", page, 422)
    assert chinese["message"] == "查询参数“page”须为1至2147483647之间的整数。"
    assert english["message"] == 'The query parameter "page" must be a whole number from 1 to 2147483647.'
    revision = lambda: api("clerk").get(f"/plans/{drafted['id']}/revisions/1/diff/7")  # noqa: E731
    speak(world, "clerk", None)
    chinese, english = in_both(world, "clerk", revision, 404)
    assert chinese["message"].startswith("方案第")
    assert english["message"].startswith("Revision ")


def test_a_notification_of_another_is_not_found_in_english(api, world):
    chinese, english = in_both(world, "clerk", lambda: api("clerk").post("/notifications/999999/read"), 404)
    assert (chinese["message"], english["message"]) == ("通知不存在。", "The notification does not exist.")


@pytest.mark.parametrize(
    ("orig", "code", "chinese", "english"),
    [
        ("FOREIGN KEY constraint failed", "concurrent_update", "数据已被同时修改，本次操作未保存，请重试。",
         "The data was changed by someone else at the same time; nothing was saved. Please try again."),
        ("UNIQUE constraint failed: user_account.username", "duplicate", "该用户名已被使用，请换一个。",
         "This username is already taken; please choose another."),
    ],
)  # fmt: skip
def test_a_race_or_duplicate_caught_by_the_database_is_said_in_the_readers_language(app, orig, code, chinese,
                                                                                     english):  # fmt: skip
    answer = integrity_answer(IntegrityError("INSERT …", {}, Exception(orig)))
    assert answer is not None
    assert answer.code == code
    for language, expected in ((None, chinese), ("en", english)):
        headers = {"Accept-Language": language} if language else {}
        with app.test_request_context("/api/v1/plans", headers=headers):
            body = error_response(answer.status, answer.code, answer.message, answer.details).json
        assert body["message"] == expected
        assert all(d["message"] == expected for d in body["details"] or [])


def test_separation_of_duties_is_refused_in_the_readers_language(app, world):
    """One person may not be both the enterprise's clerk and its union representative (policy)."""
    with pytest.raises(NotAllowed) as caught:
        accounts.grant_role(db.session, actor=SYSTEM, user=world.users["clerk"], role=Role.UNION,
                            enterprise=world.steel)  # fmt: skip
    db.session.rollback()
    assert isinstance(caught.value.message, Text)  # a pattern the catalogue says, kept as such wherever it is stored
    for language, expected in ((None, "同一人不得同时担任同一企业的企业经办人和工会代表。"),
                               ("en", None)):  # fmt: skip
        headers = {"Accept-Language": language} if language else {}
        with app.test_request_context("/api/v1/users", headers=headers):
            body = error_response(403, caught.value.code, caught.value.message).json
        assert body["message"] == (
            expected
            or "The same person cannot be both enterprise clerk and union representative of the same enterprise."
        )


def test_a_roster_verification_is_refused_naming_each_problem_in_english(api, world, drafted):
    body = {"method": "site_visit", "sample": " ", "result": "属实", "workers_checked": ["130283198001010011"]}
    verify = lambda: api("reviewer").post(f"/plans/{drafted['id']}/verifications", json=body)  # noqa: E731
    chinese, english = in_both(world, "reviewer", verify, 422)
    assert [d["message"] for d in chinese["details"]] == ["须填写抽样情况。",
                                                          "公民身份号码130283198001010011不在本方案的职工名单中。"]  # fmt: skip
    assert [d["message"] for d in english["details"]] == [
        "Please fill in Sample.", "The resident ID number 130283198001010011 is not on the plan's roster."]  # fmt: skip
    assert [d["field"] for d in english["details"]] == [d["field"] for d in chinese["details"]]


def test_an_upload_without_its_file_and_an_unknown_document_are_refused_in_english(api, world, drafted):
    missing = lambda: api("clerk").put(f"/plans/{drafted['id']}/roster", data={}, content_type="multipart/form-data")  # noqa: E731
    chinese, english = in_both(world, "clerk", missing, 422)
    assert chinese["message"] == "请以 multipart/form-data 上传文件，字段名为 file。"
    assert english["message"] == 'Please upload the file as multipart/form-data, in the field named "file".'
    speak(world, "clerk", None)
    unknown = lambda: api("clerk").get(f"/plans/{drafted['id']}/documents/minutes.pdf")  # noqa: E731
    chinese, english = in_both(world, "clerk", unknown, 404)
    assert chinese["message"].startswith(
        "没有“minutes”这种文书。可下载的文书：职工安置方案（公布文本）（published-plan）、"
    )
    assert english["message"].startswith(
        'There is no document of the kind "minutes". Documents that can be downloaded: '
    )
    assert "(published-plan), " in english["message"]
    assert english["message"].isascii()
