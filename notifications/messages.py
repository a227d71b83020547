"""The words of a notification, in the reader's language: Jinja templates in templates/email/.

templates/email/<language>/<kind>.txt extends <language>/base.txt and defines three blocks:
`subject` (the email subject and the in-app title), `summary` (one sentence: the in-app message)
and `body` (the email text, inside the base's greeting and footer). Languages: zh_CN (the
default, for users without one) and en.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from approvals.models import DEFAULT_LANGUAGE, LANGUAGES, ROLE_LABELS, User
from approvals.process import Task, VoteResult

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")  # fmt: skip
ROLES_EN = {
    "enterprise": "enterprise officer",
    "union": "union representative",
    "bureau": "labour bureau reviewer",
    "working_group": "joint working group member",
    "supervisor": "supervisor",
    "admin": "administrator",
}
VOTES = {
    "zh_CN": {
        VoteResult.PASSED: "表决通过",
        VoteResult.REJECTED: "未获通过",
        VoteResult.INVALID: "到会人数不足三分之二，会议无效",
    },
    "en": {
        VoteResult.PASSED: "passed",
        VoteResult.REJECTED: "rejected",
        VoteResult.INVALID: "invalid (fewer than two thirds present)",
    },
}
TASKS_EN = {
    Task.DRAFT_PLAN: "Draft the placement plan",
    Task.CONGRESS_VOTE: "Workers' congress vote",
    Task.BUREAU_REVIEW: "Labour bureau review",
    Task.FORM_WORKING_GROUP: "Form the joint working group",
    Task.RECORD_FINDINGS: "Record the working group's findings",
    Task.PUBLISH_PLAN: "Publish the plan",
    Task.CARRY_OUT_PLAN: "Carry out the plan and record each worker",
}


@dataclass(frozen=True)
class Message:
    subject: str
    summary: str
    body: str


def language_of(user: User, interface: str | None = None) -> str:
    """The language of the user's notifications: the one they chose for notifications, else the interface's
    (`interface`, the page being shown; else the one they last chose), else the default."""
    for language in (user.language, interface, user.interface_language):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def _day_zh(value: str) -> str:
    d = date.fromisoformat(value)
    return f"{d.year}年{d.month}月{d.day}日"


def _day_en(value: str) -> str:
    d = date.fromisoformat(value)
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


@cache
def _environment(language: str) -> Environment:
    env = Environment(  # noqa: S701 (plain-text mail, never HTML)
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day_en if language == "en" else _day_zh
    env.globals["vote_outcome"] = VOTES[language].get
    if language == "en":
        env.globals.update(role_name=lambda role: ROLES_EN.get(role, role),
                           task_name=lambda task, title: TASKS_EN.get(task, title))  # fmt: skip
    else:
        env.globals.update(role_name=lambda role: ROLE_LABELS.get(role, role), task_name=lambda task, title: title)
    return env


def render(kind: str, payload: dict[str, Any], *, language: str, user_name: str, role: str, plan_id: int | None,
           base_url: str = "", body: bool = True) -> Message:  # fmt: skip
    """The subject, the one-line summary and (unless `body` is false) the mail body."""
    template = _environment(language).get_template(f"{language}/{kind}.txt")
    values = {"p": payload, "user_name": user_name, "role": role, "plan_id": plan_id,
              "base_url": base_url.rstrip("/")}  # fmt: skip
    context = template.new_context(values)

    def block(name: str) -> str:
        return " ".join("".join(template.blocks[name](context)).split())

    return Message(block("subject"), block("summary"), template.render(values).strip() + "\n" if body else "")
