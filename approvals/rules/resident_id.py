"""Resident ID numbers (公民身份号码, GB 11643-1999; domain-research.md §I): parse, check, convert, mask.

Pure and fast: a roster of 50,000 rows is parsed with string slicing and one base-13 ``int`` per row,
no regular expressions (one finds IDs inside free text, for masking). The address code is
deliberately NOT checked against a division list: real Hebei IDs carry codes of districts created
after the holder's birth (e.g. 130209 曹妃甸区, 2012).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from approvals.i18n import N_, Text
from approvals.rules.issues import Finding

Sex = Literal["M", "F"]
IdRule = Literal["length", "characters", "check_character", "birth_date"]

EARLIEST_BIRTH = date(1900, 1, 1)
_DIGITS = frozenset("0123456789")
_LAST = frozenset("0123456789Xx")
_CHECK_CHARACTERS = "0123456789X"  # the MOD 11-2 remainder 10 is written X
_ODD = frozenset("13579")  # the 17th digit (顺序码) is odd for men


@dataclass(frozen=True, slots=True)
class ParsedId:
    number: str  # always the 18-character form, check character upper case
    birth_date: date
    sex: Sex
    region_code: str  # 地址码, the first six digits
    converted_from_15: bool


@dataclass(frozen=True)
class IdProblem:
    rule: IdRule
    message: str

    def as_finding(self, section: str = "roster", field: str = "id_number") -> Finding:
        """The same problem as a Finding on the given section and field."""
        return Finding(section, field, self.rule, self.message)


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for a 17-digit body ("0"–"9" or "X")."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError(f"the body of a resident ID is 17 ASCII digits, got {first17!r}")
    return _check_character(first17)


def _check_character(body: str) -> str:
    # Weights are 2**(18-i) mod 11, and 13 ≡ 2 (mod 11): reading the body in base 13 and doubling
    # it gives the weighted sum modulo 11 in one C-level call. The check c satisfies sum + c ≡ 1.
    return _CHECK_CHARACTERS[(1 - 2 * int(body, 13)) % 11]


@lru_cache(maxsize=1 << 16)  # a roster repeats birth dates: tens of thousands of rows, a few thousand dates
def _coded_date(digits8: str) -> date | None:
    """The date written YYYYMMDD, or None when there is no such day."""
    try:
        return date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:]))
    except ValueError:
        return None


def _first_bad_position(text: str, allow_final_x: bool) -> int:
    """1-based position of the first character that is not allowed (0 when all are)."""
    for index, char in enumerate(text):
        if char in _DIGITS or (allow_final_x and char == "X" and index == len(text) - 1):
            continue
        return index + 1
    return 0


def _birth_problem(digits8: str, today: date) -> IdProblem | date:
    """The birth date coded as YYYYMMDD, or why it is not acceptable."""
    born = _coded_date(digits8)
    if born is None:
        return IdProblem(
            "birth_date", Text(N_("公民身份号码中的出生日期%(digits)s无效，不是真实存在的日期。"), digits=digits8)
        )
    if born < EARLIEST_BIRTH:
        return IdProblem(
            "birth_date", Text(N_("公民身份号码中的出生日期%(digits)s无效，早于1900年1月1日。"), digits=digits8)
        )
    if born > today:
        return IdProblem("birth_date", Text(N_("公民身份号码中的出生日期%(digits)s无效，晚于今天。"), digits=digits8))
    return born


def parse_id(raw: str, today: date | None = None) -> ParsedId | IdProblem:
    """An 18-character ID (or a 15-digit legacy one, converted), or the first problem found."""
    if len(raw) == 18 and raw.isascii() and raw[:17].isdigit() and raw[17] in _LAST:  # almost every ID
        number = raw if raw[17] != "x" else raw[:17] + "X"
    else:
        number = "".join(raw.split())  # drops every space, including full-width and non-breaking ones
        if number.endswith("x"):
            number = number[:-1] + "X"
    length = len(number)
    if length == 0:
        return IdProblem("length", Text(N_("公民身份号码未填写。")))
    if length not in (15, 18):
        return IdProblem("length", Text(N_("公民身份号码应为18位（旧号码为15位），实为%(n)s位。"), n=length))
    checked = number[:17] if length == 18 and number[17] == "X" else number
    if not (checked.isascii() and checked.isdigit()):  # ASCII-only str.isdigit() means 0-9
        bad = _first_bad_position(number, allow_final_x=length == 18)
        if length == 15:
            return IdProblem(
                "characters",
                Text(N_("15位公民身份号码须全部为数字，第%(at)s位“%(char)s”不是数字。"), at=bad, char=number[bad - 1]),
            )
        if bad == 18:
            return IdProblem("characters", Text(N_("公民身份号码第18位须为数字或X，实为“%(char)s”。"), char=number[17]))
        return IdProblem(
            "characters",
            Text(N_("公民身份号码前17位须为数字，第%(at)s位“%(char)s”不是数字。"), at=bad, char=number[bad - 1]),
        )
    converted = length == 15
    if converted:  # GB 11643-1989: YYMMDD of the 1900s, no check character
        body = number[:6] + "19" + number[6:]
    else:
        body = number[:17]
    born = _birth_problem(body[6:14], today or date.today())
    if isinstance(born, IdProblem):
        return born
    expected = _check_character(body)
    if converted:
        number = body + expected
    elif number[17] != expected:
        return IdProblem(
            "check_character",
            Text(
                N_("公民身份号码校验码错误，应为%(expected)s（实为%(given)s），请逐位核对号码是否录入有误。"),
                expected=expected,
                given=number[17],
            ),
        )
    sex: Sex = "M" if body[16] in _ODD else "F"
    return ParsedId(number, born, sex, body[:6], converted)


def mask_id(number: str) -> str:
    """First 6 and last 4 characters with 8 asterisks between; any other length is masked entirely."""
    if len(number) != 18:
        return "*" * len(number)
    return number[:6] + "*" * 8 + number[-4:]


_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def mask_ids_in_text(text: str) -> str:
    """Free text with every resident ID in it masked (mask_id), a mistyped check character included;
    numbers that are no ID (a 统一社会信用代码, an amount, a phone number) are left as they are."""

    def masked(match: re.Match[str]) -> str:
        number = match.group(1).upper()
        parsed = parse_id(number)
        if isinstance(parsed, ParsedId) or parsed.rule == "check_character":
            return mask_id(number)
        return match.group(1)

    return _ID_LIKE.sub(masked, text)
