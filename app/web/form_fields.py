"""Form fields that speak Chinese, and errors that name their rule.

A field's error is a `Problem`: a message that also carries the rule it comes from, so the page can
show both. Parse errors (a count that is not a whole number, a date that is not a date) are the
form's own; every domain rule stays in the services and reaches the form through `attach_details`
(an `ApprovalError`'s details) or `attach_findings` (the completeness check's findings).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_wtf.file import FileRequired
from wtforms import DateField, DecimalField, Field, FieldList, Form, FormField, IntegerField
from wtforms.validators import StopValidation, ValidationError

from approvals.errors import ApprovalError
from approvals.i18n import Text
from approvals.rules.issues import Finding


class Problem(Text):
    """An error message that names the rule it comes from; a Text, so that a message of the core
    reads in the reader's language (app.web.i18n.say)."""

    rule: str

    def __new__(cls, rule: str, message: str) -> Problem:
        if isinstance(message, Text):
            problem = super().__new__(cls, message.pattern, **message.values)
        else:  # a message of its own: the catalogue has it, or it is said as it is
            problem = super().__new__(cls, str(message))
        problem.rule = rule
        return problem


class CountField(IntegerField):
    """A number of people or cases: a whole number typed by the user."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = int(str(valuelist[0]).strip())
            except ValueError:
                self.data = None
                raise ValueError(Problem("integer", _("请填写整数（人数或件数），不要带单位或小数。"))) from None
        else:
            self.data = None


class QuantityField(DecimalField):
    """A quantity such as capacity withdrawn: digits with up to two decimals, shown as stored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("places", None)
        super().__init__(*args, **kwargs)

    def problem(self) -> Problem:
        return Problem("number", _("请填写数字，如 120 或 120.5，最多两位小数，不要带单位。"))

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip().replace(",", "").replace("，", "") if valuelist else ""
        if not raw:
            self.data = None
            return
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number.as_tuple().exponent < -2:  # type: ignore[operator]
            self.data = None
            raise ValueError(self.problem())
        self.data = number


class AmountField(QuantityField):
    """An amount in yuan (thousands separators tolerated)."""

    def problem(self) -> Problem:
        return Problem("amount", _("请填写金额（元），如 120000 或 120000.50，最多两位小数。"))


class DayField(DateField):
    """A calendar day written 2018-07-31 (the browser offers a date picker)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = " ".join(str(v) for v in valuelist).strip() if valuelist else ""
        if not raw:
            self.data = None
            return
        try:
            self.data = date.fromisoformat(raw)
        except ValueError:
            self.data = None
            raise ValueError(Problem("iso_date", _("请按“年-月-日”填写日期，如 2018-07-31。"))) from None


class RegisterFlagField(Field):
    """A yes/no fact of the enterprise register (rules/register.py), shown read-only beside the form. The page
    sends no value for it; a value that is sent anyway (`sent`) goes to the service, which refuses it when the
    register says otherwise, so it is never silently dropped."""

    NO = ("", "0", "n", "no", "false", "off", "否")

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = bool(valuelist) and str(valuelist[0]).strip().lower() not in self.NO

    @property
    def sent(self) -> bool:
        return bool(self.raw_data)


class Required:
    """Something must be typed or chosen (like InputRequired), the error naming its rule."""

    field_flags = {"required": True}

    def __init__(self, message: Any = None) -> None:
        self.message = message  # None: "请填写“<the field's label>”。", which names the field wherever it is read

    def __call__(self, form: Form, field: Field) -> None:
        if field.raw_data and str(field.raw_data[0]).strip():
            return
        field.errors[:] = []
        message = self.message if self.message is not None else _("请填写“%(label)s”。", label=field.label.text)
        raise StopValidation(Problem("required", str(message)))


class FileChosen(FileRequired):
    """A file was chosen (Flask-WTF's FileRequired), the error naming its rule."""

    def __call__(self, form: Form, field: Field) -> None:
        try:
            super().__call__(form, field)
        except StopValidation as exc:
            raise StopValidation(Problem("file_required", str(exc.args[0]))) from None


class MaxLength:
    """At most `limit` characters, the error naming its rule."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        if len(field.data or "") > self.limit:
            raise ValidationError(Problem("max_length", _("不超过%(n)s个字符。", n=self.limit)))


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def resolve(form: Form, path: str) -> Field | None:
    """The field a rule's path names: "on_roll", "required.arrears", "sources[2].amount" (1-based)."""
    node: Any = form
    for name, index in _STEP.findall(path):
        if isinstance(node, FormField):
            node = node.form
        if name:
            node = node._fields.get(name) if isinstance(node, Form) else None
        elif isinstance(node, FieldList) and 1 <= int(index) <= len(node.entries):
            node = node.entries[int(index) - 1]
        else:
            return None
        if node is None:
            return None
    return node if isinstance(node, Field) and node is not form else None


def attach_details(
    form: Form, error: ApprovalError, locate: Callable[[str], Field | None] | None = None
) -> list[Problem]:
    """Put a service's refusal next to the fields it names (found by `locate`, by default `resolve` on
    the form); return what names no field — the refusal itself when it names none. The one way every
    page shows a refusal without losing what the user typed."""
    find = locate or (lambda path: resolve(form, path))
    details = error.details if isinstance(error.details, list) else []
    unplaced: list[Problem] = []
    for item in details:
        if not isinstance(item, dict):
            continue
        problem = Problem(str(item.get("rule") or error.code), item.get("message") or error.message)
        field = find(str(item.get("field") or ""))
        if field is None:
            unplaced.append(problem)
        else:
            field.errors = [*field.errors, problem]
    if not details:
        unplaced.append(Problem(error.code, error.message))
    return unplaced


def attach_findings(form: Form, findings: Iterable[Finding]) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Completeness findings by field id (shown beside the field) and those that name no field."""
    by_field: dict[str, list[Finding]] = {}
    unplaced: list[Finding] = []
    for finding in findings:
        field = resolve(form, finding.field)
        if field is None:
            unplaced.append(finding)
        else:
            by_field.setdefault(field.id, []).append(finding)
    return by_field, unplaced
