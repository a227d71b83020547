"""How the plan page shows the plan's content: every field of every section with its label and kind,
and the labels of a changed field's path in a revision diff."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from app.web.i18n import amount
from approvals.i18n import N_
from approvals.roster.columns import AMOUNT as AMOUNT_COLUMN
from approvals.roster.columns import BY_KEY, match_header
from approvals.rules.content import CHANNELS, FUNDING_ITEMS, FUNDING_SOURCES, SECTIONS, as_dict, table_rows
from approvals.rules.plan_schema import AMOUNT, CHOICE, FIELDS, TEXT, Field
from approvals.rules.register import with_register_flags

FUNDING_FIELDS = {
    "required": N_("所需资金"),
    "sources": N_("资金来源"),
    "source": N_("来源类别"),
    "amount": N_("金额（元）"),
    "evidence": N_("证明材料"),
}
# Roster fields outside the import template's columns (approvals/services/roster.py roster_snapshot).
ROSTER_FIELDS = {
    "name": N_("姓名"),
    "channel": N_("安置渠道"),
    "in_scope": N_("纳入安置范围"),
    "severance": N_("经济补偿（元）"),
    "medical_subsidy": N_("医疗补助费（元）"),
    "internal_retirement_cost": N_("内部退养费用（元）"),
}


def sections(
    content: dict[str, Any], register: dict[str, bool] | None = None
) -> list[tuple[str, str, list[tuple[Field, Any]], dict[str, Any]]]:
    """Each section in the notice's order: key, label, its known fields with their values, and what
    else it holds (shown as given, so nothing stored is hidden). The profile's register flags are the
    enterprise register's (`register`: services.plans.register_flags), never a copy in the content."""
    shown = []
    for key, label in SECTIONS.items():
        if key == "roster":
            continue
        data = as_dict(content.get(key))
        if key == "profile":
            data = with_register_flags(data, register or {})
        fields = FIELDS.get(key, [])
        known = {f.key for f in fields} | ({"required", "sources"} if key == "funding" else set())
        values = [(f, table_rows(data.get(f.key), f.columns) if f.columns else data.get(f.key, f.default))
                  for f in fields]  # fmt: skip
        shown.append((key, label, values, {k: v for k, v in data.items() if k not in known}))
    return shown


_PART = re.compile(r"^(?P<key>[^\[]+)(?:\[(?P<index>\d+)\])?$")
# The files listed under each funding source (written by the server: approvals/services/evidence.py).
ATTACHMENT_FIELDS = {
    "id": N_("文件编号"),
    "filename": N_("文件名"),
    "kind": N_("文件类型"),
    "size": N_("大小（字节）"),
    "sha256": N_("SHA-256"),
}
SOURCE_FIELDS = {"source": N_("来源类别"), "amount": N_("金额（元）"), "evidence": N_("证明材料"),
                 "attachments": N_("证明材料文件")}  # fmt: skip
Labels = dict[str, tuple[str, "Labels | None"]]  # key -> (label, the labels of what it holds)


def _tree(section: str) -> Labels:
    """The labels of a section's keys, and of the keys of what each holds (a table's columns)."""
    if section == "funding":
        source: Labels = {k: (v, {a: (b, None) for a, b in ATTACHMENT_FIELDS.items()} if k == "attachments" else None)
                          for k, v in SOURCE_FIELDS.items()}  # fmt: skip
        return {"required": (FUNDING_FIELDS["required"], {k: (v, None) for k, v in FUNDING_ITEMS.items()}),
                "sources": (FUNDING_FIELDS["sources"], source)}  # fmt: skip
    return {f.key: (f.label, {k: (v, None) for k, v in (f.columns or {}).items()} or None)
            for f in FIELDS.get(section, [])}  # fmt: skip


def _steps(path: str) -> list[tuple[str, str | None]]:
    steps = []
    for part in path.split("."):
        match = _PART.match(part)
        steps.append((match["key"], match["index"]) if match else (part, None))
    return steps


def path_label(path: str) -> str:
    """The reading of a changed field's path in the reader's language, e.g. funding.sources[2].amount:
    资金保障 › 资金来源第2项 › 金额（元）. A key the plan does not define (one a clerk sent through the API)
    is shown as it was sent."""
    steps = _steps(path)
    section, index = steps[0]
    if section == "title":
        return _("方案名称")
    words = [_(SECTIONS[section]) if section in SECTIONS else section]
    if index:
        words[0] = _("%(what)s第%(n)s项", what=words[0], n=index)
    labels: Labels | None = _tree(section)
    for key, index in steps[1:]:
        label, children = (labels or {}).get(key, (None, None))
        word = _(label) if label else key
        words.append(_("%(what)s第%(n)s项", what=word, n=index) if index else word)
        labels = children
    return " › ".join(words)


def path_kind(path: str) -> str:
    """The kind of the field a changed path points at (how its values are shown)."""
    parts = [key for key, _index in _steps(path)]
    if parts[0] == "funding":
        return AMOUNT if parts[-1] == "amount" or (len(parts) == 3 and parts[1] == "required") else TEXT
    kinds = {f.key: f.kind for f in FIELDS.get(parts[0], [])}
    return kinds.get(parts[1], TEXT) if len(parts) == 2 else TEXT


def _choices(path: str) -> dict[str, str] | None:
    parts = [key for key, _index in _steps(path)]
    if parts[0] == "funding" and parts[-1] == "source":
        return FUNDING_SOURCES
    fields = {f.key: f for f in FIELDS.get(parts[0], [])}
    field = fields.get(parts[1]) if len(parts) == 2 else None
    return field.choices if field is not None and field.kind == CHOICE else None


def readable(value: Any, labels: Labels | None = None) -> Any:
    """A value as a person reads it: scalars as they are (the page formats them), an object as
    "label：value" pairs, a list item by item, one per line; never JSON or a Python repr."""
    if isinstance(value, dict):
        pairs = []
        for key, item in value.items():
            label, children = (labels or {}).get(str(key), (None, None))
            pairs.append(f"{_(label) if label else key}{_('：')}{_nested(readable(item, children))}")
        return _("；").join(pairs)
    if isinstance(value, list):
        return "\n".join(_nested(readable(item, labels)) for item in value)
    return value


def _nested(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def changed_value(path: str, value: Any) -> Any:
    """A changed value of a revision diff as the page shows it: a choice by its label, a list or an
    object (a table row, a funding source added whole) in words; amounts and counts are formatted by
    the page (path_kind)."""
    choices = _choices(path)
    if choices is not None and isinstance(value, str) and value in choices:
        return _(choices[value])
    if isinstance(value, dict | list):
        steps = _steps(path)
        labels: Labels | None = _tree(steps[0][0])
        for key, _index in steps[1:]:
            labels = (labels or {}).get(key, (None, None))[1]
        return readable(value, labels)
    return value


def roster_field_label(key: str) -> str:
    if key in ROSTER_FIELDS:
        return _(ROSTER_FIELDS[key])
    column = BY_KEY.get(key)
    return _(column.header) if column else key


# What a roster report's issue names that is no column of the roster: the file as a whole, the plan's own
# severance terms, and a field a rule names by another word than its column's key.
REPORT_PLACES = {"file": N_("文件"), "pre2008_method": N_("2008年前工作年限计算办法")}
REPORT_COLUMNS = {"disability_certificate": "disability_card"}
_COLUMN_LETTERS = re.compile(r"[A-Z]{1,3}")


def report_column(name: str) -> str:
    """The one name of the place a roster report's issue is about: a column's key, whether the issue
    names it by key, by its header or by a header the file used instead (安置方式 is 安置渠道), so that
    a column is counted once; anything else as it is."""
    name = REPORT_COLUMNS.get(name, name)
    if name in REPORT_PLACES or _COLUMN_LETTERS.fullmatch(name):
        return name
    return match_header(name) or name


def report_column_label(name: str) -> str:
    """That place in the reader's language: the column's label from the roster's columns (their one
    source, approvals/roster/columns.py), "Column F" for a column the import does not read, "File"."""
    key = report_column(name)
    if key in BY_KEY:
        return _(BY_KEY[key].header)
    if key in REPORT_PLACES:
        return _(REPORT_PLACES[key])
    if _COLUMN_LETTERS.fullmatch(key):
        return _("第%(letter)s列", letter=key)
    return key


def roster_value(key: str, value: Any) -> Any:
    """A roster value as the template shows it: drop-down values by their label."""
    if key == "channel" and value in CHANNELS:
        return _(CHANNELS[value])
    column = BY_KEY.get(key)
    if value is not None and (
        key in ("severance", "medical_subsidy", "internal_retirement_cost") or (column and column.kind == AMOUNT_COLUMN)
    ):
        return amount(value)
    label = column.label_of(value) if column is not None and value is not None else None
    return label if label is not None else value
