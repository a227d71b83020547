"""The documents' Chinese fonts: Noto CJK from the system, pre-subset once to the GB 2312 repertoire.

WeasyPrint embeds only the glyphs a PDF uses, subsetting each font on every render. With
HarfBuzz-subset (libharfbuzz-subset0) that costs ~35 ms for a full Noto CJK face; without it
WeasyPrint falls back to fontTools, ~2.5 s per face (the "seconds per document" of issue 5).
A face cut down once to the ~7,500 characters of GB 2312 (hanzi, punctuation, Latin, digits),
without its OpenType layout tables, makes each render's subset ~2x cheaper with HarfBuzz, ~5x
with fontTools, and the PDFs ~3x smaller (bench/documents.py measures all three). The stylesheet
names these cut-down faces first and the full system face second, so a rare character (a
worker's name outside GB 2312) still renders, from the full face.

The cut-down faces live in static/documents/fonts/ (built by `flask documents fonts`, which `make`
runs; not in git). When they are missing the documents render with the system faces alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

BUILD_VERSION = "1"  # bump when the repertoire or the subsetting options change


@dataclass(frozen=True)
class Face:
    """One font face the documents use: the system face it is cut from and the file it becomes."""

    family: str  # fontconfig family of the system face
    style: str  # fontconfig style
    filename: str  # the cut-down face, in the fonts directory (named in documents.css)


FACES = (
    Face("Noto Serif CJK SC", "Regular", "serif-regular.otf"),  # body text (for 仿宋)
    Face("Noto Serif CJK SC", "Bold", "serif-bold.otf"),  # titles (for 小标宋)
    Face("Noto Sans CJK SC", "Regular", "sans-regular.otf"),  # headings and table heads (for 黑体)
)
MANIFEST = "fonts.json"


class FontMissing(RuntimeError):
    """A system face the documents need is not installed (fonts-noto-cjk)."""


def repertoire() -> set[int]:
    """GB 2312 (every character it encodes: 6,763 hanzi, punctuation, symbols) plus printable
    ASCII, Latin-1 and the general-punctuation, CJK-symbol and full-width blocks."""
    chars: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F))
    for code in range(0x80, 0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.add(code)
    return chars


def system_face(face: Face) -> tuple[Path, int]:
    """The installed file and collection index of a face, found through fontconfig."""
    try:
        found = subprocess.run(  # noqa: S603 (fixed program, arguments from FACES)
            ["fc-match", "--format=%{family}\t%{style}\t%{file}\t%{index}", f"{face.family}:style={face.style}"],  # noqa: S607
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        raise FontMissing(f"无法查询系统字体（fontconfig 的 fc-match）：{exc}") from exc
    families, styles, path, index = (found.split("\t") + ["", "", "", ""])[:4]
    if face.family not in families.split(",") or face.style not in styles.split(","):
        raise FontMissing(
            f"未安装字体“{face.family} {face.style}”：请运行 scripts/system-deps.sh 安装 fonts-noto-cjk。"
        )
    return Path(path), int(index or 0)


def _source_signature(path: Path, index: int, chars: set[int]) -> str:
    stat = path.stat()
    body = f"{BUILD_VERSION}|{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{len(chars)}|{max(chars)}"
    return hashlib.sha256(body.encode()).hexdigest()


def cut_down(source: Path, index: int, chars: Iterable[int], target: Path) -> int:
    """Write the face at `source` (collection index `index`) reduced to `chars`; returns its glyph count.

    The layout tables' substitutions are not followed (vertical and alternate forms are not needed
    in horizontal Chinese text, and WeasyPrint drops GSUB/GPOS from the embedded font anyway).
    """
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    font = TTFont(source, fontNumber=index, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=chars)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as tmp:
        font.save(tmp)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, target)  # readers never see half a font
    return len(font.getGlyphOrder())


def build_fonts(directory: Path, chars: set[int] | None = None, *, force: bool = False) -> dict[str, dict[str, object]]:
    """Cut every face in FACES down to `chars` (default: the repertoire) into `directory`.

    Skips a face whose source font and repertoire are unchanged since its last build. Returns, per
    file, the source, glyph count, size and whether it was built now.
    """
    chars = chars if chars is not None else repertoire()
    manifest_path = directory / MANIFEST
    built = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    report: dict[str, dict[str, object]] = {}
    for face in FACES:
        source, index = system_face(face)
        signature = _source_signature(source, index, chars)
        target = directory / face.filename
        fresh = force or built.get(face.filename, {}).get("signature") != signature or not target.exists()
        if fresh:
            glyphs = cut_down(source, index, chars, target)
            built[face.filename] = {"signature": signature, "source": f"{source}#{index}", "glyphs": glyphs}
        report[face.filename] = {**built[face.filename], "bytes": target.stat().st_size, "built": fresh}
    manifest_path.write_text(json.dumps(built, ensure_ascii=False, indent=1))
    return report
