"""Read a page's table as the user sees it: the text of each cell, row by row (standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Table(HTMLParser):
    def __init__(self, testid: str) -> None:
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.depth = 0  # >0 inside the wanted table (nested tables count)
        self.section = ""
        self.rows: list[list[str]] = []
        self.attrs: list[dict[str, str | None]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and (self.depth or dict(attrs).get("data-testid") == self.testid):
            self.depth += 1
        elif not self.depth:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr" and self.section == "tbody":
            self.rows.append([])
            self.attrs.append(dict(attrs))
        elif tag in ("td", "th") and self.section == "tbody":
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, testid: str) -> list[list[str]]:
    """The body rows of the table with data-testid=`testid`, each a list of cell texts
    (whitespace collapsed as a browser shows it)."""
    parser = _Table(testid)
    parser.feed(html)
    return parser.rows


def row_attributes(html: str, testid: str) -> list[dict[str, str | None]]:
    parser = _Table(testid)
    parser.feed(html)
    return parser.attrs


class _Text(HTMLParser):
    def __init__(self, testid: str) -> None:
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.stack: list[bool] = []  # per open element: inside the wanted one?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inside = bool(self.stack and self.stack[-1]) or dict(attrs).get("data-testid") == self.testid
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.append(inside)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]:
            self.parts.append(data)


def text_of(html: str, testid: str) -> str:
    """The visible text of the element with data-testid=`testid`, whitespace collapsed."""
    parser = _Text(testid)
    parser.feed(html)
    return " ".join("".join(parser.parts).split())
