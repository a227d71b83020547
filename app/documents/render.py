"""HTML → PDF: the only module that talks to WeasyPrint.

Templates are Jinja files in templates/documents/ (autoescaped: plan text is user input). The base
URL is static/documents/, and the URL fetcher reads files under static/ and nothing else: no
network, no file:// elsewhere, no data: URLs. Each thread keeps one FontConfiguration, so fontconfig
is set up and the @font-face files are loaded once per thread, not once per document.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from weasyprint import HTML, URLFetcher
from weasyprint.text.ffi import harfbuzz_subset
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from approvals.errors import Invalid
from approvals.i18n import N_, Text
from approvals.roster.files import collector_paused
from config import BASE_DIR

STATIC_DIR = BASE_DIR / "static"
TEMPLATES_DIR = BASE_DIR / "templates" / "documents"
log = logging.getLogger(__name__)


# The most HTML one request may lay out (one document, or all of a case file's together). WeasyPrint
# cannot be interrupted inside a worker and its time grows with the HTML: the worst published plan
# the text limits allow (100,000 characters of text, 1,000 workers: 163,535 characters of HTML) took
# 7.1 s on a loaded 2-core machine (bench/worst_case_documents.py), so this bound keeps a request
# under ~20 s, inside the workers' 30 s timeout, however the data grows.
MAX_HTML = 400_000


class DocumentTooLarge(Invalid):
    """More HTML than MAX_HTML: refused before layout, naming both sizes."""


def check_html_size(size: int, what: str) -> None:
    """Raise DocumentTooLarge when `size` characters of HTML are more than one request may lay out."""
    if size > MAX_HTML:
        message = Text(N_("%(what)s内容过多（方案文字与职工名单附件合计 %(size)s 个字符，上限 %(limit)s），"
                          "无法在一次请求的限定时间内生成。请联系系统管理员。"),
                       what=Text(what), size=f"{size:,}", limit=f"{MAX_HTML:,}")  # fmt: skip
        raise DocumentTooLarge("document_too_large", message,
                               [{"field": "document", "rule": "max_size", "limit": MAX_HTML, "size": size,
                                 "message": message}])  # fmt: skip


class ResourceRefused(ValueError):
    """A document asked for something outside static/."""


class StaticFetcher(URLFetcher):
    """Serves file: URLs inside one directory; refuses every other URL (and records it)."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, timeout=1)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            return URLFetcherResponse(url, self.read(url), {"Content-Type": self._type(url)})
        except ResourceRefused:
            self.refused.append(url)
            raise

    def read(self, url: str) -> bytes:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"文书只能引用 static/ 下的文件，拒绝读取：{url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root):
            raise ResourceRefused(f"文书只能引用 static/ 下的文件，拒绝读取：{url}")
        return path.read_bytes()  # a missing file raises FileNotFoundError, which WeasyPrint logs

    @staticmethod
    def _type(url: str) -> str:
        return mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"


def font_subsetter() -> str:
    """Which library WeasyPrint subsets fonts with: "harfbuzz" (fast) or "fonttools" (slow fallback)."""
    return "harfbuzz" if harfbuzz_subset is not None else "fonttools"


class Renderer:
    """Renders templates/documents/*.html to PDF bytes with the static/ directory it is given."""

    def __init__(self, static_dir: Path = STATIC_DIR, templates_dir: Path = TEMPLATES_DIR) -> None:
        self.static_dir = static_dir
        self.base_url = (static_dir / "documents").resolve().as_uri() + "/"
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._local = threading.local()
        if font_subsetter() != "harfbuzz":
            log.warning("HarfBuzz-subset is missing: every document will spend seconds subsetting its fonts "
                        "(install libharfbuzz-subset0 with scripts/system-deps.sh).")  # fmt: skip

    def _font_config(self) -> FontConfiguration:
        config: FontConfiguration | None = getattr(self._local, "font_config", None)
        if config is None:
            config = self._local.font_config = FontConfiguration()
        return config

    def html(self, template: str, context: dict[str, Any]) -> str:
        return self.templates.get_template(template).render(**context)

    def render(self, template: str, context: dict[str, Any], fetcher: StaticFetcher | None = None) -> bytes:
        """The PDF of one template with its context."""
        return self.pdf(self.html(template, context), fetcher)

    def pdf(self, html: str, fetcher: StaticFetcher | None = None, **options: Any) -> bytes:
        """The PDF of an HTML page laid out against static/documents/ (options go to WeasyPrint's write_pdf)."""
        check_html_size(len(html), N_("文书"))
        fetcher = fetcher or StaticFetcher(self.static_dir)
        document = HTML(string=html, base_url=self.base_url, url_fetcher=fetcher)
        # The box tree of a long annex is hundreds of thousands of objects: without the collector's
        # passes over them a 1,000-worker plan renders in ~30% less time (bench/documents.py).
        with collector_paused():
            pdf = document.write_pdf(font_config=self._font_config(), **options)
        assert pdf is not None
        return pdf


_default: Renderer | None = None


def renderer() -> Renderer:
    """The renderer over the project's own static/ and templates/documents/."""
    global _default
    if _default is None:
        _default = Renderer()
    return _default
