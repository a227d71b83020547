"""Rendering itself: the URL fetcher reads static/ and nothing else, the cut-down Chinese faces are
built and used (the full system face for what they lack), and WeasyPrint subsets with HarfBuzz."""

from __future__ import annotations

import base64
import http.server
import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from app.documents.fonts import FACES, build_fonts
from app.documents.render import STATIC_DIR, Renderer, ResourceRefused, StaticFetcher, font_subsetter
from tests import pdf


def png(path: Path) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(buffer, "PNG")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


@pytest.fixture
def static(tmp_path: Path) -> Path:
    """A static/ directory of its own: documents.css, an image inside; another image outside it."""
    root = tmp_path / "static"
    (root / "documents").mkdir(parents=True)
    shutil.copy(STATIC_DIR / "documents" / "documents.css", root / "documents" / "documents.css")
    png(root / "documents" / "inside.png")
    png(tmp_path / "outside.png")
    return root


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server that records every request it gets (none should come)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], requests
    httpd.shutdown()
    httpd.server_close()


def renderer_with(static: Path, tmp_path: Path, template: str) -> Renderer:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "probe.html").write_text(template, encoding="utf-8")
    return Renderer(static_dir=static, templates_dir=templates)


def test_the_fetcher_reads_files_under_static_only(static, tmp_path):
    fetcher = StaticFetcher(static)
    inside = (static / "documents" / "inside.png").as_uri()
    assert fetcher.read(inside) == (static / "documents" / "inside.png").read_bytes()
    refused = [
        "file:///etc/passwd",
        (static / "documents" / ".." / ".." / "outside.png").as_uri(),  # climbing out of static/
        (tmp_path / "outside.png").as_uri(),
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "data:text/css;base64,Ym9keXt9",
        "file://otherhost" + (static / "documents" / "inside.png").as_posix(),
    ]
    for url in refused:
        with pytest.raises(ResourceRefused, match="static/"):
            fetcher.read(url)


def test_a_template_asking_for_the_network_or_other_files_gets_nothing(static, tmp_path, server):
    port, requests = server
    red = base64.b64encode(png(tmp_path / "data.png")).decode()
    template = f"""<html><head>
      <link rel="stylesheet" href="documents.css">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <style>p.x {{ background-image: url(http://127.0.0.1:{port}/bg.png) }}
             p.y {{ background-image: url(../../../../../../../../etc/passwd) }}</style>
    </head><body>
      <p class="x">外部资源</p><p class="y">本机文件</p>
      <img src="http://127.0.0.1:{port}/logo.png">
      <img src="/etc/passwd">
      <img src="{(tmp_path / "outside.png").as_uri()}">
      <img src="../../outside.png">
      <img src="data:image/png;base64,{red}">
      <img src="inside.png">
    </body></html>"""
    renderer = renderer_with(static, tmp_path, template)
    fetcher = StaticFetcher(static)
    data = renderer.render("probe.html", {}, fetcher)
    assert requests == []  # nothing reached the network
    assert pdf.images(data) == 1  # only static/documents/inside.png
    assert "root:" not in pdf.text(data)
    assert {u for u in fetcher.refused if u.startswith("http")} == {
        f"http://127.0.0.1:{port}/{name}" for name in ("style.css", "bg.png", "logo.png")}  # fmt: skip
    assert "file:///etc/passwd" in fetcher.refused
    assert (tmp_path / "outside.png").as_uri() in fetcher.refused
    assert any(u.startswith("data:") for u in fetcher.refused)
    assert "外部资源本机文件" in pdf.flat(data)


def test_weasyprint_subsets_fonts_with_harfbuzz():
    """Without libharfbuzz-subset0 WeasyPrint falls back to fontTools: seconds per document."""
    assert font_subsetter() == "harfbuzz"


CHARS = set(map(ord, "审核意见书同意公布0123456789"))


def test_cut_down_faces_hold_exactly_the_repertoire_and_are_built_once(tmp_path):
    fonts = tmp_path / "fonts"
    report = build_fonts(fonts, chars=CHARS)
    assert set(report) == {face.filename for face in FACES}
    for name, facts in report.items():
        font = TTFont(fonts / name)
        assert set(font.getBestCmap()) == CHARS
        assert facts["built"] is True
        assert facts["glyphs"] == len(font.getGlyphOrder()) < 40
    again = build_fonts(fonts, chars=CHARS)
    assert [facts["built"] for facts in again.values()] == [False, False, False]
    wider = build_fonts(fonts, chars=CHARS | {ord("喆")})  # a new repertoire is a new build
    assert [facts["built"] for facts in wider.values()] == [True, True, True]


def test_the_documents_use_the_cut_down_faces_and_the_system_face_for_other_characters(static, tmp_path):
    template = """<html lang="zh-CN"><head><link rel="stylesheet" href="documents.css"></head>
      <body><h1>审核意见书</h1><p>同意公布。职工王喆</p><h2>审核意见</h2></body></html>"""
    renderer = renderer_with(static, tmp_path, template)
    without = renderer.render("probe.html", {})
    assert set(pdf.fonts(without)) == {"Noto-Serif-CJK-SC-Bold", "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}
    build_fonts(static / "documents" / "fonts", chars=CHARS)
    renderer = renderer_with(static, tmp_path, template)  # a new thread-local font configuration
    with_faces = renderer.render("probe.html", {})
    used = set(pdf.fonts(with_faces))
    assert {"Doc-Serif-Bold", "Doc-Serif"} <= used
    assert "Noto-Serif-CJK-SC" in used  # 职, 工, 王 and 喆 are not in the cut-down face
    assert "审核意见书同意公布。职工王喆审核意见" in pdf.flat(with_faces)
    assert pdf.flat(without) == pdf.flat(with_faces)
