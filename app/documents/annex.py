"""How the published plan's roster annex (需安置职工名单) is laid out: one line of text per worker, its four
columns set by tab stops, and a page at a time, each under its own header line.

A table costs WeasyPrint a box, a line and a text per cell: 2.6 ms of CPU per worker, 13 s for a
5,000-worker annex. A paragraph per worker whose columns are tab stops (`tab-size` is one column, a
quarter of the type area) is one line box: ~0.6 ms (bench/stored_documents.py). A tab moves to the next
stop, so a value must end inside its own column: every value's width is measured here with the
document face's advance widths (fonts/serif-regular.otf; every CJK ideograph is one em). A worker
whose name does not fit gets a row of table cells instead, where it wraps, as every row did before.
The header line repeats on each page as the table's did: rows are cut into pages by their height
(every line row is one line, so a page holds a fixed number of them).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache

from fontTools.ttLib import TTFont

from app.documents.render import STATIC_DIR

FACE = STATIC_DIR / "documents" / "fonts" / "serif-regular.otf"
PT_PER_MM = 72 / 25.4
# documents.css, .roster: 10.5 pt type; the text of each column at a tab stop (tab-size 39 mm: WeasyPrint 70
# sets the stops at these offsets from the row's text), its rule 1.4 mm before it (roster-rules.svg). A value
# must end 0.6 mm before the next column's rule (the last column's before the type area's edge, 156 mm less
# the rules and the 1.5 mm inset); rows 16.5 pt high (a 16 pt line and a 0.5 pt rule).
FONT_PT = 10.5
STOPS_MM = (0.0, 39.65, 79.30, 118.59, 156 - 0.36 - 1.5)
ROOM_MM = tuple(STOPS_MM[k + 1] - STOPS_MM[k] - 2.0 for k in range(4))
ROW_PT = 16.5
PAGE_PT = (297 - 37 - 30) * PT_PER_MM  # the type area's height (A4, @page margins)
# Above the first page's rows: 附件 (28.9 pt), the title (26.1 pt and 8 pt below), the note (18 pt a line of
# ~36 characters, 4 pt below).
HEADING_PT = 28.9 + 26.1 + 8 + 4
NOTE_LINE_PT, NOTE_LINE_EM = 18.0, 36.0


@cache
def _advances() -> tuple[dict[int, int], int]:
    """The document face's advance width of each character, in font units, and its units per em."""
    try:
        font = TTFont(FACE, lazy=True)
    except OSError:  # the cut-down faces not built: then no width is known, and every row is a table row
        return {}, 0
    with font:
        metrics = font["hmtx"]
        return {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def width_em(text: str) -> float:
    """The width of `text` in ems of the document face; a character it lacks (set from the full system
    face) as one em if wide (CJK), else as a wide Latin letter; infinite without the face."""
    advances, units = _advances()
    if not units:
        return math.inf
    total = 0.0
    for char in text:
        if (advance := advances.get(ord(char))) is not None:
            total += advance / units
        else:
            total += 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 1.1
    return total


def width_mm(text: str) -> float:
    return width_em(text) * FONT_PT / PT_PER_MM


@dataclass(frozen=True)
class Row:
    number: int
    worker: dict[str, str]  # name, id, channel as the annex gives them
    line: bool  # one line of tab stops; else a row of table cells (a value too wide for its column)


def _plain(value: str) -> str:
    """White space as HTML shows it (runs as one space): a tab or line break typed into a name would
    otherwise move the columns of a pre-wrap line."""
    return " ".join(value.split())


def pages(annex: list[dict[str, str]], by_channel: list[tuple[str, int]]) -> list[list[Row]]:
    """The annex's rows in pages: each page as many as fit under its header line, the first fewer (the
    title and the note above them). One row spare on each page, for a line the estimate misses."""
    note_em = 12 + sum(len(label) + 0.6 * len(str(count)) + 2 for label, count in by_channel if count) + 13
    first = PAGE_PT - HEADING_PT - NOTE_LINE_PT * math.ceil(note_em / NOTE_LINE_EM)
    room = [int(first // ROW_PT) - 2, int(PAGE_PT // ROW_PT) - 2]  # the header line and a spare
    found: list[list[Row]] = [[]]
    used = 0
    for number, worker in enumerate(annex, start=1):
        shown = {key: _plain(value) for key, value in worker.items()}
        values = (str(number), shown["name"], shown["id"], shown["channel"])
        line = all(width_mm(value) <= room_mm for value, room_mm in zip(values, ROOM_MM, strict=True))
        height = (
            1
            if line
            else 1 + max(math.ceil(width_mm(value) / room_mm) for value, room_mm in zip(values, ROOM_MM, strict=True))
        )
        if used + height > room[len(found) > 1] and found[-1]:
            found.append([])
            used = 0
        found[-1].append(Row(number, shown, line))
        used += height
    return found if found[0] else []
