"""Hostile roster uploads are refused before any spreadsheet reader sees them: a sheet whose cells
span the whole grid (calamine would abort the process), a ZIP whose directory lies about the sizes
(2 GB inflated from 2 MB), a merged range over the whole sheet.

A refusal that regressed would kill the test process (SIGABRT) or take gigabytes; the workbooks that
would reach calamine are therefore read in a child process.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib

import pytest

from approvals.archives import ArchiveLimits, ArchiveRefused, BoundedArchive
from approvals.roster.extent import ExtentScanner
from approvals.roster.files import MAX_SHEET_COLUMNS, FileProblem, RosterFile, read_roster
from config import BASE_DIR
from tests.approvals.hostile import SHEET_NAME, inline, lying_zip, roster_rows, workbook
from tests.approvals.test_roster_files import ID1, ID2

CHILD = textwrap.dedent("""
    import json, sys, time
    from tests.approvals import hostile
    from approvals.roster.files import read_roster

    def peak_kb():  # the child's own high-water mark (ru_maxrss would include the parent's after fork)
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    data = getattr(hostile, sys.argv[1])()
    before = peak_kb()
    start = time.perf_counter()
    found = read_roster(data, "台账.xlsx")
    print(json.dumps({"seconds": time.perf_counter() - start, "before_kb": before, "peak_kb": peak_kb(),
                      "size": len(data), "rule": getattr(found, "rule", None),
                      "message": getattr(found, "message", None)}))
""")


def read_in_child(builder: str) -> dict:
    """read_roster on hostile.<builder>() in a fresh interpreter: its answer, time and peak memory."""
    done = subprocess.run([sys.executable, "-c", CHILD, builder], cwd=BASE_DIR, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, f"the reader died (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_sheet_spanning_the_whole_grid_is_refused_naming_the_sheet_and_cell():
    found = read_in_child("corner_bomb")
    assert found["size"] < 2000  # the 1.5 KB file of the issue
    assert found["rule"] == "sheet_too_large"
    assert f"工作表“{SHEET_NAME}”" in found["message"]
    assert "XFD1048576" in found["message"]
    assert found["peak_kb"] - found["before_kb"] < 50 * 1024


def test_a_shared_strings_table_declaring_two_billion_entries_is_refused():
    found = read_in_child("strings_bomb")
    assert found["rule"] == "zip_bomb"
    assert "2000000000" in found["message"]


def test_a_shared_strings_table_used_far_more_often_than_its_size_is_read():
    """`count` is the cells that use the strings, not the entries: a genuine file repeats its values."""
    data = io.BytesIO(workbook(roster_rows([ID1])))
    source, out = zipfile.ZipFile(data), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member.filename, source.read(member))
        archive.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns='
                         '"http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2000000" '
                         'uniqueCount="1"><si><t>a</t></si></sst>')  # fmt: skip
    assert isinstance(read_roster(out.getvalue(), "台账.xlsx"), RosterFile)


def test_a_zip_whose_sizes_lie_is_refused_within_300_mb():
    found = read_in_child("lying_bomb")
    assert found["size"] < 3 * 1024 * 1024  # inflates to 2 GiB
    assert found["rule"] == "zip_bomb"
    assert "声明" in found["message"]
    assert found["peak_kb"] < 300 * 1024  # refused after a bounded number of inflated bytes (no timing here)


def refused(found: RosterFile | FileProblem, rule: str) -> FileProblem:
    assert isinstance(found, FileProblem), found
    assert found.rule == rule, found
    return found


@pytest.mark.parametrize(
    ("rows", "dimension", "cell"),
    [
        ('<row r="1"><c r="A1"><v>1</v></c></row>', "A1:XFD1048576", "XFD1048576"),  # the dimension alone
        ('<row r="1"><c r="A1"><v>1</v></c><c r="BM1"><v>1</v></c></row>', "", "BM1"),  # column 65
        ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="a100013"><v>1</v></c></row>', "", "a100013"),
        ('<row r="1"><c t="n" r="XFD1"><v>1</v></c></row>', "", "XFD1"),  # the reference not first
        ('<row r="1"><x:c r="XFD1" xmlns:x="urn:x"><x:v>1</x:v></x:c></row>', "", "XFD1"),  # a namespace prefix
        ('<row r="100013"><c><v>1</v></c></row>', "", "A100013"),  # no reference: the row's
        ('<row r="1">' + "<c><v>1</v></c>" * 65 + "</row>", "", "BM1"),  # no reference: counted along the row
        ("<row>" + "<c/>" * 65 + "</row>", "", "BM1"),
    ],
)
def test_cells_beyond_the_roster_area_are_refused_however_written(rows: str, dimension: str, cell: str):
    problem = refused(read_roster(workbook(rows, dimension), "台账.xlsx"), "sheet_too_large")
    assert cell in problem.message
    assert f"最多 100012 行、{MAX_SHEET_COLUMNS} 列" in problem.message


def test_a_worksheet_stored_outside_xl_worksheets_is_checked_too():
    problem = refused(read_roster(workbook(corner_bomb_rows(), target="data/evil.xml"), "台账.xlsx"), "sheet_too_large")
    assert f"“{SHEET_NAME}”" in problem.message


def corner_bomb_rows() -> str:
    return '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def test_a_roster_at_the_bounds_is_read():
    rows = roster_rows([ID1, ID2]).removesuffix("</row>") + '<c r="BL3"><v>1</v></c></row>'  # column 64, row 3
    found = read_roster(workbook(rows), "台账.xlsx")
    assert isinstance(found, RosterFile), found
    assert [row.values["id_number"] for row in found.rows] == [ID1, ID2]


def test_references_split_across_chunks_are_still_found():
    scanner = ExtentScanner(10, 5)
    xml = b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="F1"><v>2</v></c></row></sheetData>'
    cut = xml.index(b'r="F1"') + 3
    assert scanner.feed(xml[:cut]) is None
    found = scanner.feed(xml[cut:])
    assert found is not None
    assert (found.ref, found.row, found.column) == ("F1", 1, 6)


def test_a_merged_range_over_the_whole_sheet_is_followed_only_as_far_as_the_data():
    header = '<row r="1">' + "".join(inline(f"{c}1", h) for c, h in zip("ABCD", ["公民身份号码", "姓名", "入企时间",
                                                                            "安置渠道"], strict=True)) + "</row>"  # fmt: skip
    row = '<row r="2">' + "".join(inline(f"{c}2", v) for c, v in zip("ABCD", [ID1, "张三", "1990-07-01", "自主创业"],
                                                                    strict=True)) + "</row>"  # fmt: skip
    data = workbook(header + row)
    # add <mergeCells> after <sheetData>: A2:XFD1048576 would be 17 billion positions to visit
    data = _replace_member(data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="D2:XFD1048576"/></mergeCells>'))  # fmt: skip
    start = time.perf_counter()
    found = read_roster(data, "台账.xlsx")
    assert time.perf_counter() - start < 5
    assert isinstance(found, RosterFile), found
    assert len(found.rows) == 1


def _replace_member(data: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    import io

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            target.writestr(member.filename, change(content) if member.filename == name else content)
    return out.getvalue()


def deflate(content: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(content) + compressor.flush()


def test_bounded_reader_counts_real_bytes_not_declared_ones():
    eight_mb = bytes(8 << 20)
    raw, crc = deflate(eight_mb), zlib.crc32(eight_mb)
    with pytest.raises(ArchiveRefused) as declared:  # the directory's own figures over a bound: nothing inflated
        BoundedArchive(lying_zip([("a.xml", raw, len(eight_mb), crc)]), ArchiveLimits(max_member=6 << 20))
    assert declared.value.rule == "zip_bomb"
    with pytest.raises(ArchiveRefused) as ratio:
        BoundedArchive(lying_zip([("a.xml", raw, len(eight_mb), crc)]), ArchiveLimits(ratio_floor=1 << 20))
    assert "压缩比" in ratio.value.reason
    lying = BoundedArchive(lying_zip([("a.xml", raw, 1 << 20, crc)]))  # declares 1 MB, inflates to 8
    pieces = lying.chunks(lying.members[0])
    read = len(next(pieces))
    with pytest.raises(ArchiveRefused) as member:
        read += len(next(pieces))
    assert member.value.rule == "zip_bomb"
    assert read <= 1 << 20  # stopped at the declared size
    total = BoundedArchive(lying_zip([("a.xml", raw, len(eight_mb), crc), ("b.xml", raw, len(eight_mb), crc)]),
                           ArchiveLimits(max_total=20 << 20, ratio_floor=1 << 40))  # fmt: skip
    total.read(total.members[0])
    total.limits = ArchiveLimits(max_total=12 << 20, ratio_floor=1 << 40)  # the second member passes the total
    with pytest.raises(ArchiveRefused) as over:
        total.read(total.members[1])
    assert "上限 12.0 MB" in over.value.reason


def test_a_member_whose_content_does_not_match_its_crc_is_corrupt():
    content = b"<worksheet/>"
    data = lying_zip([("a.xml", deflate(content), len(content), 12345)])
    archive = BoundedArchive(data)
    with pytest.raises(ArchiveRefused) as refused_:
        archive.read(archive.members[0])
    assert refused_.value.rule == "corrupt"
