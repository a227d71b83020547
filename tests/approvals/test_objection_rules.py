"""The rules a worker's objection must meet (approvals/services/objections.py), field by field."""

from __future__ import annotations

import pytest

from approvals.rules.resident_id import check_character
from approvals.services.objections import ObjectionInput, check_objection, mask_phone

VALID_ID = "13028319800315002" + check_character("13028319800315002")


def given(**changes: str) -> ObjectionInput:
    values = {"name": "王某", "id_number": VALID_ID, "phone": "13812345678", "text": "名单有误。", **changes}
    return ObjectionInput(**values)


@pytest.mark.parametrize("phone", ["13812345678", "138 1234 5678", "0311-87654321", "031187654321", "010-12345678-123"])
def test_mobile_and_fixed_line_numbers_are_accepted(phone):
    assert check_objection(given(phone=phone)) == ([], VALID_ID)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "87654321", "0311-123", "电话"])
def test_other_phone_numbers_are_refused_by_name(phone):
    problems, _ = check_objection(given(phone=phone))
    assert [(p["field"], p["rule"]) for p in problems] == [("phone", "format")]


def test_a_legacy_15_digit_id_is_taken_in_its_18_character_form():
    problems, number = check_objection(given(id_number="130283800315002"))
    assert (problems, number) == ([], VALID_ID)


def test_a_lower_case_x_and_spaces_are_normalised():
    body = "11010519491231002"
    assert check_character(body) == "X"
    assert check_objection(given(id_number=f" {body[:6]} {body[6:]}x "))[1] == body + "X"


def test_every_field_is_checked_and_reported_at_once():
    problems, number = check_objection(ObjectionInput(name="名" * 51, id_number="", phone="", text=" \n "))
    assert number == ""
    assert [(p["field"], p["rule"]) for p in problems] == [
        ("name", "max_length"), ("id_number", "length"), ("phone", "required"), ("text", "required")]  # fmt: skip
    assert problems[0]["message"] == "姓名不得超过50个字（现为51个字）。"
    assert problems[1]["message"] == "公民身份号码未填写。"


@pytest.mark.parametrize(("phone", "masked"), [("13812345678", "138****5678"), ("0311-87654321", "031******4321"),
                                               ("1234567", "*******")])  # fmt: skip
def test_phone_masking(phone, masked):
    assert mask_phone(phone) == masked
