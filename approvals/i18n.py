"""Strings the web interface translates.

The core speaks Chinese, the official language of its users. `N_` returns its argument
unchanged; it only tells `pybabel extract` (babel.cfg, keyword N_) which labels the interface
offers in English too. The web layer translates them when it renders them.

A message made of a pattern and values (a rule's finding, a gate condition's reason) is a `Text`:
a str holding the Chinese, as the API, the CLI and the audit trail read it, that also keeps its
pattern and values so that the web layer can say it in the reader's language (app.web.i18n.say).
"""

from __future__ import annotations

from typing import Any, cast


def N_(message: str) -> str:  # noqa: N802  (the gettext convention)
    return message


class Text(str):
    """`pattern % values` in Chinese, remembering `pattern` and `values`.

    A value may be a label (a str marked with N_: wrap it in Text to have it translated too), another
    Text, or a Listing of them.
    """

    pattern: str
    values: dict[str, Any]

    def __new__(cls, pattern: str, **values: Any) -> Text:
        shown = {key: value.separator.join(map(str, value)) if isinstance(value, Listing) else value
                 for key, value in values.items()}  # fmt: skip
        text = super().__new__(cls, pattern % shown if values else pattern)
        text.pattern, text.values = pattern, values
        return text

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles keep the pattern and values
        return (_rebuild, (self.pattern, self.values))


def _rebuild(pattern: str, values: dict[str, Any]) -> Text:
    return Text(pattern, **values)


def Np_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802  (the gettext convention)
    """The two forms of a counted message, for `Counted`; tells `pybabel extract` (keyword Np_:1,2) that
    the English catalogue gives it a singular and a plural."""
    return singular, plural


class Counted(Text):
    """A Text whose words depend on a number (`count`): said with ngettext, so that English reads "1 rule"
    and "2 rules" where Chinese has one form. The Chinese (the str) is the first form."""

    plural: str
    count: int  # type: ignore[assignment]  # the number it is said with; shadows str.count, which no Counted uses

    def __new__(cls, forms: tuple[str, str], number: int, /, **values: Any) -> Counted:
        text = cast("Counted", super().__new__(cls, forms[0], **values))
        text.plural, text.count = forms[1], number
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_counted, ((self.pattern, self.plural), self.count, self.values))


def _rebuild_counted(forms: tuple[str, str], count: int, values: dict[str, Any]) -> Counted:
    return Counted(forms, count, **values)


class Listing(list):  # type: ignore[type-arg]
    """Items of a Text's value, read one after another: joined by `separator` ("；" between
    sentences, "、" between numbers), which is translated too."""

    def __init__(self, items: Any = (), separator: str = N_("；")) -> None:
        super().__init__(items)
        self.separator = separator


def stored(value: Any) -> Any:
    """A Text as JSON keeps it, to be said later in the reader's language (app.web.i18n.say_stored):
    {"pattern", "values"}, its values kept alike (a Listing as {"items", "separator"}); a number as it
    is, anything else as its text."""
    if isinstance(value, Text):
        kept: dict[str, Any] = {"pattern": value.pattern,
                                "values": {key: stored(item) for key, item in value.values.items()}}  # fmt: skip
        if isinstance(value, Counted):
            kept |= {"plural": value.plural, "count": value.count}
        return kept
    if isinstance(value, Listing):
        return {"items": [stored(item) for item in value], "separator": value.separator}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def restored(value: Any) -> Any:
    """What `stored` kept, as the Text (or Listing) it was; anything else as it is."""
    if isinstance(value, dict):
        if isinstance(value.get("pattern"), str):
            values = {key: restored(item) for key, item in (value.get("values") or {}).items()}
            if isinstance(value.get("plural"), str) and isinstance(value.get("count"), int):
                return Counted((value["pattern"], value["plural"]), value["count"], **values)
            return Text(value["pattern"], **values)
        if isinstance(value.get("items"), list):
            return Listing([restored(item) for item in value["items"]], str(value.get("separator") or N_("；")))
    return value
