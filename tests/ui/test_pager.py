"""The pager of every list (templates/_macros.html): it links only to pages that exist. A disabled
"上一页" on the first page that still linked to ?page=0 was followed by keyboards and crawlers and
answered 422."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest


def pages_linked(app, number: int, pages: int) -> list[int]:  # type: ignore[no-untyped-def]
    page = SimpleNamespace(page=number, pages=pages, total=pages * 10, has_prev=number > 1, has_next=number < pages)
    with app.test_request_context("/audit"):
        macro = app.jinja_env.get_template("_macros.html").module.pager
        html = str(macro(page, "web.audit_trail"))
    links = lxml.html.fromstring(html).xpath("//a/@href")
    return [int(parse_qs(urlsplit(str(link)).query)["page"][0]) for link in links]


@pytest.mark.parametrize(("number", "expected"), [(1, [2]), (2, [1, 3]), (3, [2])])
def test_the_pager_links_only_to_pages_that_exist(app, number, expected):
    assert pages_linked(app, number, 3) == expected
