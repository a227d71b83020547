"""What comes in with a request, checked once for every route: ids in the path, integers in the query
string, text free of control characters, and JSON no deeper than any body of ours needs.

Harmless-looking input must never reach the database or the parser in a shape they fail on with a
500: an id beyond an INTEGER column, a NUL byte (PostgreSQL refuses it in text), a lone surrogate
(not encodable), or a body nested so deep that decoding it recurses past Python's limit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

from approvals.errors import ApprovalError, Invalid
from approvals.i18n import N_, Text

# The largest value of an INTEGER column on PostgreSQL, the narrower of our databases: every id and
# number stored in one (plans, users, revisions, funding sources...) is at most this.
DB_INT_MAX = 2**31 - 1

# Deeper than any body of ours (a plan's content is sections of fields and lists of rows: 4 levels).
MAX_JSON_DEPTH = 32

# C0 controls (NUL included), DEL and lone surrogates; tab, line feed and carriage return are
# allowed in text that may span lines (form fields, JSON strings), not in query strings or headers.
_MULTILINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")

# Headers whose values the application reads as data (tokens, versions, languages).
DATA_HEADERS = ("Authorization", "If-Match", "Accept-Language", "X-Forwarded-For")


def digits_at_most(limit: int) -> str:
    """A regular expression for the decimal numbers from 0 to `limit`."""
    text = str(limit)
    choices = [rf"\d{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - i - 1
            lower = "0" if digit == "1" else f"[0-{int(digit) - 1}]"
            choices.append(text[:i] + lower + (rf"\d{{{rest}}}" if rest else ""))
    return "(?:" + "|".join([*choices, text]) + ")"


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in every route: a number beyond an INTEGER column's range names no row, so 404. The
    range is in the pattern itself: a rule whose pattern matched and whose converter then refused the
    value would still count for the router as one the path matched (a 405 for the other methods)."""

    regex = digits_at_most(DB_INT_MAX)

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def query_int(name: str, default: Any, *, minimum: int = 1, maximum: int = DB_INT_MAX) -> Any:
    """The query-string integer `name` (default when absent or empty); 422 naming it when it is not a
    whole number within [minimum, maximum]."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        message = Text(
            N_("查询参数“%(name)s”须为%(minimum)s至%(maximum)s之间的整数。"),
            name=name,
            minimum=minimum,
            maximum=maximum,
        )
        raise Invalid("invalid_parameter", message, [{"field": name, "rule": "integer_range", "message": message,
                                                       "minimum": minimum, "maximum": maximum}])  # fmt: skip
    return value


class JsonTooDeep(ValueError):
    pass


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item if isinstance(child, dict | list))
    return deepest


def loads_limited(data: str | bytes) -> Any:
    """json.loads that refuses (JsonTooDeep) nesting deeper than MAX_JSON_DEPTH instead of recursing
    until the interpreter gives up."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise JsonTooDeep(f"nested deeper than {MAX_JSON_DEPTH}") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise JsonTooDeep(f"nested deeper than {MAX_JSON_DEPTH}")
    return value


class LimitedJSONProvider(DefaultJSONProvider):
    """The app's JSON: every request.get_json goes through loads_limited."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_limited(s)


def request_json() -> Any:
    """The request's JSON body; None when it is not JSON (wrong type or unparsable); 400 `invalid_json`
    when it nests deeper than MAX_JSON_DEPTH."""
    if not request.is_json:
        return None
    try:
        return loads_limited(request.get_data(cache=True))
    except JsonTooDeep:
        message = Text(N_("请求体的JSON嵌套超过%(limit)s层。"), limit=MAX_JSON_DEPTH)
        raise ApprovalError("invalid_json", message, [{"field": "body", "rule": "max_depth", "message": message,
                                                        "maximum": MAX_JSON_DEPTH}]) from None  # fmt: skip
    except ValueError:
        return None


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) of every key and string in a JSON value."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{where}.{key}" if where else str(key)
                yield child_path, str(key)
                stack.append((child, child_path))
        elif isinstance(item, list):
            stack.extend((child, f"{where}.{i}" if where else str(i)) for i, child in enumerate(item))


def _incoming_text() -> Iterator[tuple[str, str, re.Pattern[str]]]:
    """(field, text, what it may not contain) of every piece of text the request brings."""
    for name in DATA_HEADERS:
        if (value := request.headers.get(name)) is not None:
            yield name, value, _SINGLE_LINE_FORBIDDEN
    for key, value in request.args.items(multi=True):
        yield key, key, _SINGLE_LINE_FORBIDDEN
        yield key, value, _SINGLE_LINE_FORBIDDEN
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        for key, value in request.form.items(multi=True):
            yield key, key, _SINGLE_LINE_FORBIDDEN
            yield key, value, _MULTILINE_FORBIDDEN
        for key, upload in request.files.items(multi=True):
            yield key, upload.filename or "", _SINGLE_LINE_FORBIDDEN
        for field, value in _json_strings(request_json(), ""):
            yield field or "body", value, _MULTILINE_FORBIDDEN


def refuse_control_characters() -> None:
    """422 naming the first field whose text holds a NUL byte or another control character."""
    for name, value, forbidden in _incoming_text():
        if isinstance(value, str) and (found := forbidden.search(value)):
            field = _SINGLE_LINE_FORBIDDEN.sub(lambda c: f"\\u{ord(c.group()):04x}", name)  # the name may hold it too
            message = Text(
                N_("字段“%(field)s”含有不允许的控制字符（U+%(code)s），请删除后重试。"),
                field=field,
                code=f"{ord(found.group()):04X}",
            )
            raise Invalid("control_character", message, [{"field": field, "rule": "no_control_characters",
                                                          "message": message}])  # fmt: skip


def register(app: Flask) -> None:
    """Install the checks on the app; before any blueprint registers its routes (the converter)."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.json = LimitedJSONProvider(app)
    app.before_request(refuse_control_characters)
