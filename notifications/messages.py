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

from babel.dates import format_date
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from approvals.models import DEFAULT_LANGUAGE, LANGUAGES, ROLE_LABELS, Role, User
from approvals.rules.congress import RESULT_LABELS

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
# The interface's catalogue: a role, a task, a vote's outcome and a period's label are said in a mail in the
# words the pages use (`_` in the templates translates a label the payload carries).
CATALOGUE = Path(__file__).resolve().parent.parent / "app" / "translations"
DAY_FORMATS = {"zh_CN": "y年M月d日", "en": "d MMMM y"}
LANGUAGE_ROLES = {str(role) for role in ROLE_LABELS}


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


@cache
def _catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of `language` (`make translations` builds it); none for Chinese, the source."""
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    found = Translations.load(str(CATALOGUE), [language])
    if not isinstance(found, Translations):
        raise RuntimeError(f"no compiled catalogue for {language} under {CATALOGUE}: run make translations")
    return found


@cache
def _environment(language: str) -> Environment:
    env = Environment(  # noqa: S701 (plain-text mail, never HTML)
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    words = _catalogue(language)

    def day(value: str) -> str:
        return format_date(date.fromisoformat(value), DAY_FORMATS[language], locale=language)

    def role_name(role: str) -> str:
        return words.gettext(ROLE_LABELS[Role(role)]) if role in LANGUAGE_ROLES else role

    def task_name(task: str, title: str) -> str:
        return words.gettext(title)

    def vote_outcome(reason: str) -> str:
        return words.gettext(RESULT_LABELS[reason])

    env.filters["day"] = day
    env.globals.update(_=words.gettext, role_name=role_name, task_name=task_name, vote_outcome=vote_outcome)
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
