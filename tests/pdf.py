"""Reading PDFs back with poppler-utils (scripts/system-deps.sh): text, word boxes, fonts, images."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass


def _run(*args: str, data: bytes) -> str:
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def text(data: bytes, *, layout: bool = False) -> str:
    """The PDF's text as pdftotext extracts it (what a reader copies out of it); with `layout`, a
    table row's cells stay on one line, in order."""
    return _run("pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", "-", "-", data=data)


PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")


def page_numbers(data: bytes) -> list[int]:
    """The page numbers printed in the footers ("— 1 —"), in page order."""
    return [int(m.group(1)) for line in text(data).splitlines() if (m := PAGE_NUMBER.match(line.strip()))]


def flat(data: bytes, *, layout: bool = True) -> str:
    """The body text without footers or white space: phrases wrapped across lines and pages match again;
    with `layout` a one-line table row reads label then value, without it a cell wrapped over several
    lines reads whole."""
    lines = [line for line in text(data, layout=layout).splitlines() if not PAGE_NUMBER.match(line.strip())]
    return "".join("".join(lines).split())


@dataclass(frozen=True)
class Page:
    width: float
    words: list[tuple[float, float, str]]  # x_min, x_max, word


def pages(data: bytes) -> list[Page]:
    """Each page's width and the horizontal extent of every word on it (pdftotext -bbox)."""
    html = _run("pdftotext", "-bbox", "-", "-", data=data)
    result = []
    for width, body in re.findall(r"<page width=\"([\d.]+)\"[^>]*>(.*?)</page>", html, re.S):
        words = [(float(x0), float(x1), w) for x0, x1, w in
                 re.findall(r"<word xMin=\"([\d.]+)\" yMin=\"[\d.]+\" xMax=\"([\d.]+)\" yMax=\"[\d.]+\">([^<]*)</word>", body)]  # fmt: skip
        result.append(Page(float(width), words))
    return result


def fonts(data: bytes) -> list[str]:
    """Names of the embedded fonts, without their subset prefix (ABCDEF+)."""
    lines = _run("pdffonts", "-", data=data).splitlines()[2:]
    return [line.split()[0].split("+", 1)[-1] for line in lines if line.strip()]


def images(data: bytes) -> int:
    """How many images the PDF draws."""
    return len(_run("pdfimages", "-list", "-", data=data).splitlines()[2:])
