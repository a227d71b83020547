"""How long the text a user types may be: one table for every field, checked in the core so that the
web forms, the API and the CLI refuse the same text with the same 422.

Unbounded text costs every later reader: a 10,000,000-character plan field made the published plan's
PDF and the case file time out for everyone who opened them. Each kind of text gets a bound well above
what its real content needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from approvals.errors import Invalid
from approvals.i18n import N_, Text
from approvals.rules.content import SECTIONS
from approvals.rules.plan_schema import TEXT_SECTIONS, field_of

NAME = 50  # a person's name (roster_worker.name and objection.name are String(50))
LINE = 200  # a title, a unit, a place: one line (plan.title and the like are String(200))
PARAGRAPH = 2_000  # a note, a sample description, a reminder, any plan field not listed below
LONG = 20_000  # a section of the plan's own words, a review's reasons, a working group's findings
KEY = 100  # a key of the plan's content (a field name)
MAX_ITEMS = 500  # entries of one list in the plan's content (funding sources, timetable rows …)
MAX_CONTENT = 100_000  # characters of all the plan's text together (some 70 pages): the bound of its documents

# The plan's content, by path without list positions ("timetable.items.step"); any other text: PARAGRAPH.
CONTENT: dict[str, int] = {
    **{f"{section}.{item}": LONG for section, items in TEXT_SECTIONS.items() for item in items},
    "workforce.exclusion_reasons": LONG,
    "internal_retirement.terms": LONG,
    "risk_assessment.assessment": LONG,
    "risk_assessment.emergency_plan": LONG,
    "profile.name": LINE,
    "profile.ownership": LINE,
    "profile.parent_group": LINE,
    "decapacity.unit": LINE,
    "decapacity.year": 20,
    "timetable.items.step": LINE,
    "timetable.items.owner": 100,
}

# Every other field users type, by the name the service gives it.
FIELDS: dict[str, int] = {
    "title": LINE,
    "reasons": LONG,  # a bureau review's reasons
    "findings": LONG,  # a working group's findings
    "answer": PARAGRAPH,  # the clerk's answer to one return reason, at resubmission
    "contact_point": LINE,
    "members.name": NAME,  # of a working group; its other member fields: LINE
    "sample": PARAGRAPH,  # a roster verification
    "result": PARAGRAPH,
    "filing_note": PARAGRAPH,  # the bureau's confirmation of an unreachable worker's filing
    "advice": LONG,  # a working group's advice on a draft
    "message": 500,  # a supervisor's reminder
    "objection.name": NAME,
    "objection.text": PARAGRAPH,
    "objection.step_text": PARAGRAPH,  # a note, findings or the reply of one handling step
    "enterprise.name": LINE,  # reference data an administrator types
    "parent_group": LINE,
    "region.name": 64,
    "working_group.name": LINE,
    "username": 64,
    "display_name": 100,
    "roster.name": NAME,  # a roster's free-text cells; any other: ROSTER_TEXT
    "roster.contact_attempts": PARAGRAPH,
    "roster.justification": PARAGRAPH,
    "roster.remarks": PARAGRAPH,
}
ROSTER_TEXT = LINE

TOO_LONG = N_("“%(field)s”不得超过 %(limit)s 个字（现为 %(n)s 个字），请精简后重新提交。")
TOO_MANY = N_("“%(field)s”不得超过 %(limit)s 项（现为 %(n)s 项）。")
CONTENT_TOO_LONG = N_("方案全文不得超过 %(limit)s 个字（现为 %(n)s 个字），请精简后重新提交。")

FIELD_IN_SECTION = N_("%(section)s：%(item)s")
# The names of what the content holds beside the plan's fields (rules/plan_schema.py): a table's columns and
# the funding's sources (a key the plan does not define, one sent through the API, is named as it was sent).
CONTENT_LABELS = {
    "timetable.items.step": N_("实施进度安排的事项"),
    "timetable.items.owner": N_("实施进度安排的责任部门"),
    "funding.sources": N_("资金来源"),
    "funding.sources.evidence": N_("资金来源的证明材料"),
}

_POSITION = re.compile(r"\[\d+\]")


def too_long(field: str, label: str, value: str, limit: int) -> dict[str, Any]:
    """The problem (field, rule, limit, message) of a text over its limit."""
    return {"field": field, "rule": "max_length", "limit": limit,
            "message": Text(TOO_LONG, field=label, limit=limit, n=len(value))}  # fmt: skip


def check_fields(values: dict[str, tuple[str, str | None]]) -> None:
    """Raise a 422 naming every field over its limit; `values` maps a FIELDS name to (label, text)."""
    problems = [too_long(name, label, value, FIELDS[name]) for name, (label, value) in values.items()
                if value is not None and len(value) > FIELDS[name]]  # fmt: skip
    if problems:
        raise Invalid("text_too_long", problems[0]["message"], problems)


def check_content(sections: dict[str, Any]) -> None:
    """Raise a 422 naming every text of the plan's content over its limit, every list over MAX_ITEMS
    entries, and the whole when its text passes MAX_CONTENT characters."""
    problems: list[dict[str, Any]] = []
    total = 0
    for path, value, is_key in _walk(sections, ""):
        key = _POSITION.sub("", path)
        if isinstance(value, list):
            if len(value) > MAX_ITEMS:
                problems.append({"field": path, "rule": "max_items", "limit": MAX_ITEMS,
                                 "message": Text(TOO_MANY, field=_label(key), limit=MAX_ITEMS, n=len(value))})  # fmt: skip
            continue
        total += len(value)
        limit = KEY if is_key else CONTENT.get(key, PARAGRAPH)
        if len(value) > limit:
            problems.append(too_long(path, _label(key), value, limit))
    if total > MAX_CONTENT and not problems:
        problems.append({"field": "content", "rule": "max_total_length", "limit": MAX_CONTENT,
                         "message": Text(CONTENT_TOO_LONG, limit=MAX_CONTENT, n=total)})  # fmt: skip
    if problems:
        raise Invalid("text_too_long", problems[0]["message"], problems)


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any, bool]]:
    """(path, text or list, whether a key) of every string, key and list inside the content."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if len(name) > KEY:
                yield f"{path}.{name[:20]}…" if path else f"{name[:20]}…", name, True
                continue
            yield from _walk(item, f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        yield path, value, False
        for position, item in enumerate(value, start=1):
            yield from _walk(item, f"{path}[{position}]")


def _label(key: str) -> str:
    """A field's name, said in the reader's language where the plan's sections give one, else its path."""
    section, _, item = key.partition(".")
    if section not in SECTIONS or not item:
        return key
    field = field_of(section, item)
    label = field.label if field is not None else CONTENT_LABELS.get(key)
    return Text(FIELD_IN_SECTION, section=Text(SECTIONS[section]), item=Text(label) if label else item)
