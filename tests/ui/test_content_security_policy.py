"""Every response carries the Content-Security-Policy, and the pages need nothing it forbids: no
inline script, no event-handler or style attribute, no script from elsewhere (the browser test
tests/browser/test_csp_browser.py watches Chromium report no violation)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from config import BASE_DIR

DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(header: str) -> dict[str, str]:
    return {name: value for name, _, value in (part.strip().partition(" ") for part in header.split(";"))}


@pytest.mark.parametrize(
    ("user", "path"),
    [(None, "/login"), ("clerk", "/"), ("clerk", "/plans/99999"), (None, "/public/no-such-notice"),
     (None, "/static/app.css"), (None, "/api/v1/openapi.json"), (None, "/api/v1/tasks")],
)  # fmt: skip
def test_every_response_carries_the_policy(browser, user, path):
    response = browser(user).get(path)
    response.close()  # a static file's stream
    found = policy(response.headers["Content-Security-Policy"])
    assert {name: found.get(name) for name in DIRECTIVES} == DIRECTIVES
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


class InlineCode(HTMLParser):
    """Script elements without a src, event-handler attributes, style attributes and elements."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if tag == "script" and "src" not in names and ("type", "application/json") not in attrs:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"<{tag} {name}=…>" for name in names if name.startswith("on") or name == "style"]


@pytest.mark.parametrize("template", sorted(p.relative_to(BASE_DIR / "templates").as_posix()
                                            for p in (BASE_DIR / "templates").glob("**/*.html")
                                            if "documents" not in p.parts))  # fmt: skip
def test_no_template_holds_code_or_style_the_policy_refuses(template):
    """The templates of the web pages (not the PDF documents, which no browser runs), Jinja left out."""
    text = (Path(BASE_DIR / "templates") / template).read_text(encoding="utf-8")
    text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", "", text, flags=re.S)
    parser = InlineCode()
    parser.feed(text)
    assert parser.found == []
