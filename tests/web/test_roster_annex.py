"""The published plan's roster annex as lines of tab stops (app/documents/annex.py): each worker's number,
name, masked ID and channel on one line in their columns, a page at a time under the header line, and a
name too long for its column in a row of cells where it wraps, inside the type area."""

from __future__ import annotations

import re

from app.documents import annex
from approvals.demo import sample_content, sample_roster
from approvals.rules.resident_id import mask_id
from tests import flow, pdf
from tests.web.test_documents import MM, get_pdf

LONG_NAME = "阿卜杜热合曼·买买提艾力江·吐尔逊托合提"  # wider than the name column (37 mm at 10.5 pt)


def worker(name: str) -> dict[str, str]:
    return {"name": name, "id": "130283********6490", "channel": "企业内部退养"}


def test_short_values_are_lines_and_a_long_name_a_row_of_cells():
    rows = [worker("彭玉")] * 100 + [worker(LONG_NAME)] + [worker("丁\t英\n")]
    pages = annex.pages(rows, [("企业内部退养", 102)])
    flat = [row for page in pages for row in page]
    assert [row.number for row in flat] == list(range(1, 103))
    assert [row.line for row in flat] == [True] * 100 + [False, True]
    assert flat[-1].worker["name"] == "丁 英"  # white space as HTML shows it: no tab moves a column
    assert len(pages[0]) < len(pages[1])  # the title and the note above the first page's rows
    assert all(len(page) <= int(annex.PAGE_PT // annex.ROW_PT) - 2 for page in pages)


def test_the_published_annex_keeps_each_worker_on_one_line_and_every_page_under_its_header(api, world):
    roster = sample_roster(world.steel)
    roster[3][1] = LONG_NAME
    body = flow.create(api("clerk"), {**sample_content(world.steel), "roster": roster})
    clerk = api("clerk")
    body = flow.submit(clerk, body["id"])["plan"]
    flow.vote(api("union"), body["id"], body["content_hash"])
    flow.review(api("reviewer"), body["id"], "approve")
    flow.publish(clerk, body["id"])
    data = get_pdf(clerk, body["id"], "published-plan").data
    lines = [line.split() for line in pdf.text(data, layout=True).splitlines()]
    for number, name, *_ in roster:  # in the annex by channel: the number, name, ID and channel in one line
        if name != LONG_NAME:
            assert any(len(words) == 4 and words[0].isdigit() and words[1:3] == [name, mask_id(number)]
                       for words in lines), name  # fmt: skip
    at = next(i for i, words in enumerate(lines) if mask_id(roster[3][0]) in words)
    assert lines[at][1] + lines[at + 1][0] == LONG_NAME  # wrapped in its cell beside its ID, not cut
    annex_pages = [p for p in pdf.text(data).split("\f") if "安置渠道" in p and "公民身份号码" in p]
    assert annex_pages
    assert all("序号" in p for p in annex_pages)
    for page in pdf.pages(data):  # the type area ends 26 mm (even pages 28 mm) before the right edge
        assert max(x1 for _, x1, _ in page.words) <= page.width - 26 * MM + 1
        # Every masked ID (a line's third column) starts at the same place: no tab went to the wrong stop.
        starts = {round(x0) for x0, _, word in page.words if re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", word)}
        assert len(starts) <= 1, starts
