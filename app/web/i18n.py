"""The interface language (Chinese by default, English on request, kept in the session), and saying
the core's messages and amounts in it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Flask, current_app, redirect, request, session, url_for
from flask_babel import format_decimal, get_translations, gettext
from jinja2.runtime import EvalContext
from jinja2.utils import pass_eval_context
from markupsafe import escape

from app.extensions import babel
from app.web import bp
from app.web.session import safe_next
from approvals.i18n import Counted, Listing, Text, restored
from approvals.rules.content import SECTIONS


def select_locale() -> str:
    """The interface language: on a page, the one chosen with the language switch (kept in the session); in
    an answer of the JSON API, the calling user's interface language, else the request's Accept-Language;
    else Chinese."""
    from app.api import caller_language  # here: the API's modules import app.errors, which imports this one

    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/"):
        choices = (caller_language(), request.accept_languages.best_match(languages))
    else:
        choices = (session.get("lang"),)
    return next((chosen for chosen in choices if chosen in languages), current_app.config["BABEL_DEFAULT_LOCALE"])


def init(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def languages() -> dict[str, object]:
        return {"languages": app.config["LANGUAGES"], "current_locale": select_locale()}

    app.jinja_env.filters["say"] = say
    app.jinja_env.filters["say_stored"] = say_stored
    app.jinja_env.filters["say_in_section"] = say_in_section
    # Flask-Babel's template callables (Jinja's "newstyle" gettext) wrap the translation in Markup:
    # `{{ _(value) }}` printed a value a user typed (a capacity unit, a funding source) as HTML, and
    # formatted it with `%` even without variables, so a "%" in it was a 500. These take the
    # catalogue's text as text: escaped where the template autoescapes, then formatted with the
    # (escaped) variables, and only when there are variables, as flask_babel.gettext does.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_template_gettext, ngettext=_template_ngettext, pgettext=_template_pgettext,
        npgettext=_template_npgettext, newstyle=False,
    )  # fmt: skip


def _as_text(eval_ctx: EvalContext, translated: str, variables: dict[str, Any]) -> str:
    text = escape(translated) if eval_ctx.autoescape else translated
    return text % variables if variables else text


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    return _as_text(eval_ctx, get_translations().ugettext(message), variables)


@pass_eval_context
def _template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _as_text(eval_ctx, get_translations().ungettext(singular, plural, num), variables)


@pass_eval_context
def _template_pgettext(eval_ctx: EvalContext, context: str, message: str, **variables: Any) -> str:
    return _as_text(eval_ctx, get_translations().upgettext(context, message), variables)


@pass_eval_context
def _template_npgettext(eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int,
                        **variables: Any) -> str:  # fmt: skip
    variables.setdefault("num", num)
    return _as_text(eval_ctx, get_translations().unpgettext(context, singular, plural, num), variables)


def amount(value: Any) -> str:
    """An amount in yuan with two decimals and grouped digits, in the page's locale."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return format_decimal(number, format="#,##0.00")


def say(message: Any) -> Any:
    """A message of the core in the reader's language: a Text through the catalogue, with its values
    said too (amounts as the pages write them: 842,700.00); anything else (a plain string: a stored
    message, a user's words) as it is."""
    if isinstance(message, Listing):
        return gettext(message.separator).join(str(say(item)) for item in message)
    if isinstance(message, Decimal):
        return amount(message)
    if not isinstance(message, Text):
        return message
    if isinstance(message, Counted):
        pattern = get_translations().ungettext(message.pattern, message.plural, message.count)
    else:
        pattern = gettext(message.pattern)
    if not message.values:
        return pattern
    return pattern % {key: say(value) for key, value in message.values.items()}


def say_in_section(message: Any, section: str) -> str:
    """A finding said where its section is already named (a link before it): without the section's name
    that begins the message, so the reader does not see "职工基本情况：职工基本情况：…"."""
    said = str(say(message))
    if section in SECTIONS:
        prefix = gettext(SECTIONS[section]) + gettext("：")
        for start in (prefix, prefix.rstrip()):
            if said.startswith(start):
                return said[len(start) :].lstrip()
    return said


def label_of(labels: Mapping[str, str], value: Any) -> str:
    """The translated label of a code (an industry, a funding source…), or the stored value itself when it
    is no code: as plain text, which the page escapes. Never `_()` in a template around a stored value:
    the template's gettext marks what it returns safe."""
    text = "" if value is None else str(value)
    return gettext(labels[text]) if text in labels else text


def say_stored(stored: Any) -> Any:
    """A Text kept in JSON as {"pattern", "values"} (an audit event's summary) said like `say`."""
    if isinstance(stored, dict) and isinstance(stored.get("pattern"), str):
        return say(restored(stored))
    return stored


@bp.get("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code  # a GET changes nothing stored: the choice is kept for email at login
    return redirect(safe_next(request.args.get("next"), url_for("web.home")))


def extract_bpmn(fileobj, keywords, comment_tags, options):
    """Babel extractor (babel.cfg) for the process files: the names of BPMN elements, which the
    interface shows as task titles and the diagram as labels (not the lanes: they are named by role
    key, and the diagram labels them by role); and the texts a DMN table outputs (the risk reason)."""
    from xml.etree import ElementTree  # noqa: S405  (our own process files, not user input)

    for element in ElementTree.parse(fileobj).iter():  # noqa: S314
        namespace, _, tag = element.tag[1:].partition("}")
        if tag == "outputEntry":
            text = (element.findtext("{*}text") or "").strip()
            if len(text) > 2 and text[0] == text[-1] == '"' and not text.isascii():
                yield 0, "N_", text[1:-1], []
        elif "BPMN" in namespace and element.get("name") and tag != "lane":
            yield 0, "N_", element.get("name"), []
