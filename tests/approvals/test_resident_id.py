"""Resident ID numbers (GB 11643-1999, domain-research.md §I): check character, parsing, 15→18, masking.

Pure rules: no application, no database.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn.ric import calc_check_digit

from approvals.rules.issues import Finding
from approvals.rules.resident_id import IdProblem, ParsedId, check_character, mask_id, mask_ids_in_text, parse_id

CJK = re.compile(r"[\u4e00-\u9fff]")
PROPERTY = settings(max_examples=300, deadline=None, database=None)
TODAY = date(2026, 3, 15)
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]  # the standard's table, 2**(17-i) mod 11


def make_id(region: str, born: str, serial: str) -> str:
    body = region + born + serial
    return body + check_character(body)


def parsed(raw: str, today: date = TODAY) -> ParsedId:
    result = parse_id(raw, today=today)
    assert isinstance(result, ParsedId), result
    return result


def problem(raw: str, today: date = TODAY) -> IdProblem:
    result = parse_id(raw, today=today)
    assert isinstance(result, IdProblem), result
    assert CJK.search(result.message)
    return result


def table_check(first17: str) -> str:
    """The check character straight from the standard's weight table."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


# --- check character ------------------------------------------------------------------------


def test_the_standards_own_example_has_check_character_x() -> None:
    assert check_character("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),
        ("13010219700101123", "8"),
        ("13020919700615045", "6"),
        ("00000000000000000", "1"),
    ],
)
def test_check_character_matches_the_weight_table(first17: str, expected: str) -> None:
    assert table_check(first17) == expected
    assert check_character(first17) == expected


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
@PROPERTY
def test_check_character_agrees_with_the_weight_table_and_stdnum(first17: str) -> None:
    assert check_character(first17) == table_check(first17)
    assert check_character(first17) == calc_check_digit(first17 + "0")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 9))
@PROPERTY
def test_check_character_detects_every_single_digit_substitution(first17: str, position: int, shift: int) -> None:
    changed = first17[:position] + str((int(first17[position]) + shift) % 10) + first17[position + 1 :]
    assert changed != first17
    assert check_character(changed) != check_character(first17)


@pytest.mark.parametrize(
    "bad", ["", "1301021970010112", "130102197001011238", "1301021970010112X", "1301021970010112a"]
)
def test_check_character_refuses_a_body_that_is_not_17_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        check_character(bad)


def test_check_character_refuses_non_ascii_digits() -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        check_character("１３０１０２１９７００１０１１２３")  # full-width digits


# --- parsing valid numbers ------------------------------------------------------------------


def test_parse_a_valid_number() -> None:
    result = parsed("11010519491231002X")
    assert result == ParsedId("11010519491231002X", date(1949, 12, 31), "F", "110105", False)


def test_seventeenth_digit_odd_is_male_even_is_female() -> None:
    assert parsed(make_id("130102", "19700101", "123")).sex == "M"
    assert parsed(make_id("130102", "19700101", "124")).sex == "F"
    assert parsed(make_id("130102", "19700101", "990")).sex == "F"


def test_lowercase_x_is_accepted_and_stored_upper_case() -> None:
    result = parsed("11010519491231002x")
    assert result.number == "11010519491231002X"


def test_a_lowercase_x_that_is_not_last_is_a_character_problem() -> None:
    result = problem("1101051949123100x2")
    assert result.rule == "characters"
    assert "第17位" in result.message


@pytest.mark.parametrize("raw", [" 11010519491231002X ", "110105 19491231 002X", "110105\u300019491231002x\t"])
def test_spaces_anywhere_are_stripped(raw: str) -> None:
    assert parsed(raw).number == "11010519491231002X"


def test_a_hebei_district_created_after_the_birth_year_is_accepted() -> None:
    # 130209 曹妃甸区 was created in 2012; people born before then were re-registered under it.
    number = make_id("130209", "19700615", "045")
    result = parsed(number)
    assert result.region_code == "130209"
    assert result.birth_date == date(1970, 6, 15)


def test_the_address_code_is_not_looked_up() -> None:
    result = parsed(make_id("999999", "19800101", "001"))
    assert result.region_code == "999999"


# --- birth date -----------------------------------------------------------------------------


def test_first_of_january_1900_is_the_earliest_birth_date() -> None:
    assert parsed(make_id("130102", "19000101", "001")).birth_date == date(1900, 1, 1)
    result = problem(make_id("130102", "18991231", "001"))
    assert result.rule == "birth_date"
    assert "18991231" in result.message
    assert "1900" in result.message


@pytest.mark.parametrize("born", ["19960229", "20000229", "19800229"])
def test_february_29_of_a_leap_year_is_a_real_date(born: str) -> None:
    result = parsed(make_id("130102", born, "002"))
    assert result.birth_date == date(int(born[:4]), 2, 29)


@pytest.mark.parametrize("born", ["19970229", "19000229", "19990230", "19990431", "19991301", "19990001", "19990100"])
def test_an_impossible_birth_date_is_named(born: str) -> None:
    result = problem(make_id("130102", born, "002"))
    assert result.rule == "birth_date"
    assert result.message.startswith(f"公民身份号码中的出生日期{born}无效")


def test_a_birth_date_in_the_future_is_refused_and_today_is_allowed() -> None:
    assert parsed(make_id("130102", "20260315", "001")).birth_date == TODAY
    result = problem(make_id("130102", "20260316", "001"))
    assert result.rule == "birth_date"
    assert "20260316" in result.message
    assert "晚于今天" in result.message


def test_the_future_is_measured_from_the_real_today_by_default() -> None:
    tomorrow = date.today() + timedelta(days=1)
    result = parse_id(make_id("130102", tomorrow.strftime("%Y%m%d"), "001"))
    assert isinstance(result, IdProblem)
    assert result.rule == "birth_date"
    assert isinstance(parse_id(make_id("130102", date.today().strftime("%Y%m%d"), "001")), ParsedId)


def test_a_bad_birth_date_is_reported_before_the_check_character() -> None:
    body = "130102" + "19990230" + "123"
    wrong = next(c for c in "0123456789X" if c != check_character(body))
    assert problem(body + wrong).rule == "birth_date"


# --- problems -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("", "未填写"),
        ("   ", "未填写"),
        ("1101051949123100", "实为16位"),
        ("1101051949123100299", "实为19位"),
        ("11010519491231002", "实为17位"),
    ],
)
def test_wrong_length(raw: str, message_part: str) -> None:
    result = problem(raw)
    assert result.rule == "length"
    assert message_part in result.message


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("1101O519491231002X", "第5位“O”"),  # letter O for zero
        ("11010519491231002Y", "第18位须为数字或X"),
        ("110105194912310０2X", "第16位“０”"),  # a full-width zero
        ("X1010519491231002X", "第1位“X”"),
        ("11010549123100X", "第15位“X”"),  # a 15-digit number has no check character
    ],
)
def test_characters_that_are_not_digits_are_named_by_position(raw: str, message_part: str) -> None:
    result = problem(raw)
    assert result.rule == "characters"
    assert message_part in result.message


def test_wrong_check_character_names_the_correct_one() -> None:
    result = problem("110105194912310021")
    assert result.rule == "check_character"
    assert result.message.startswith("公民身份号码校验码错误，应为X")


def test_every_single_character_change_of_a_valid_number_is_refused() -> None:
    valid = make_id("130209", "19700615", "045")
    for position in range(18):
        alphabet = "0123456789X" if position == 17 else "0123456789"
        for char in alphabet:
            if char == valid[position]:
                continue
            changed = valid[:position] + char + valid[position + 1 :]
            assert isinstance(parse_id(changed, today=TODAY), IdProblem), changed


def test_a_problem_becomes_a_finding_on_the_id_field() -> None:
    result = problem("110105194912310021")
    assert result.as_finding() == Finding("roster", "id_number", "check_character", result.message)
    assert result.as_finding("workers", "sfzh").field == "sfzh"


# --- property: building an ID from its parts parses back to the parts -----------------------


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(0, 999_999),
    st.integers(0, 999),
)
@PROPERTY
def test_an_id_built_from_parts_parses_back_to_them(born: date, region: int, serial: int) -> None:
    body = f"{region:06d}{born:%Y%m%d}{serial:03d}"
    result = parsed(body + check_character(body))
    assert result.number == body + check_character(body)
    assert result.birth_date == born
    assert result.region_code == f"{region:06d}"
    assert result.sex == ("M" if serial % 2 else "F")
    assert result.converted_from_15 is False


# --- legacy 15-digit numbers ----------------------------------------------------------------


def test_a_15_digit_number_is_converted_to_18() -> None:
    result = parsed("130102700101123")
    assert result.number == "130102197001011238"
    assert result.number == make_id("130102", "19700101", "123")
    assert result.converted_from_15 is True
    assert result.birth_date == date(1970, 1, 1)
    assert result.sex == "M"
    assert result.region_code == "130102"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), st.integers(0, 999))
@PROPERTY
def test_15_digit_conversion_agrees_with_building_the_18_digit_number(born: date, serial: int) -> None:
    legacy = f"130209{born:%y%m%d}{serial:03d}"
    result = parsed(legacy)
    assert result == replace(parsed(make_id("130209", f"{born:%Y%m%d}", f"{serial:03d}")), converted_from_15=True)


def test_a_15_digit_number_with_an_impossible_date_is_refused() -> None:
    assert parsed("130102960229123").birth_date == date(1996, 2, 29)
    result = problem("130102970229123")
    assert result.rule == "birth_date"
    assert "19970229" in result.message
    result = problem("130102000229123")  # 1900 was not a leap year
    assert result.rule == "birth_date"
    assert "19000229" in result.message


# --- masking --------------------------------------------------------------------------------


def test_mask_keeps_the_first_six_and_last_four() -> None:
    assert mask_id("13010219700101123X") == "130102********123X"


def test_mask_hides_everything_when_the_number_is_not_18_characters() -> None:
    assert mask_id("130102700101123") == "*" * 15
    assert mask_id("") == ""


def test_ids_in_free_text_are_masked_and_other_numbers_are_not() -> None:
    uscc = "91130283000100001X"  # 18 characters ending in X, but no birth date in it
    mistyped = "13010219850228123" + ("1" if check_character("13010219850228123") != "1" else "2")
    text = (f"特殊困难职工王某（13010219700101123{check_character('13010219700101123')}）、"
            f"李某{mistyped}，企业信用代码{uscc}，电话13812345678，金额130102197001011.00元")  # fmt: skip
    masked = mask_ids_in_text(text)
    assert "王某（130102********" in masked
    assert f"李某130102********{mistyped[-4:]}，" in masked  # a mistyped check character is still someone's number
    assert uscc in masked
    assert "13812345678" in masked
    assert "130102197001011.00" in masked  # part of a longer number: not an ID


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY), st.integers(0, 999), st.text(max_size=20))
@PROPERTY
def test_property_no_valid_id_survives_masking(born: date, serial: int, around: str) -> None:
    number = make_id("130283", f"{born:%Y%m%d}", f"{serial:03d}")
    masked = mask_ids_in_text(f"{around}：{number}。{around}")
    assert number not in masked
    assert mask_id(number) in masked
