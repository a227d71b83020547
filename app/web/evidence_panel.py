"""What the pages show of the evidence files: for each saved funding source, its files (name, type, size,
SHA-256, uploader, time) and whether it counts as secured (`source_files`: the plan, review and documents
pages, read-only); on the drafting page each source also gets its upload control (`evidence_panel`).

The files are the service's (`services.evidence.evidence_of`, without their bytes); a source counts as
secured only with a file (`rules.funding.is_evidenced`, read from the plan's content).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select

from app.extensions import db
from app.web.form_fields import FileChosen, Problem
from app.web.i18n import label_of
from approvals.models import Plan, User
from approvals.rules.content import FUNDING_SOURCES, as_dict, as_list
from approvals.rules.funding import is_evidenced, to_amount
from approvals.services.evidence import ACCEPTED, MAX_BYTES, evidence_of

ACCEPT = ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"


class EvidenceForm(FlaskForm):
    file = FileField(_l("上传证明材料"), validators=[FileChosen(_l("请选择要上传的证明材料文件。"))],
                     description=_l("PDF、JPEG 或 PNG 图片、Excel 工作簿（.xlsx）、Word 文档（.docx），"
                                    "每个文件不超过 %(mb)s MB；系统按文件内容识别类型。", mb=MAX_BYTES // 1024 // 1024),
                     render_kw={"accept": ACCEPT})  # fmt: skip


def upload_form(number: int) -> EvidenceForm:
    """The upload control of source `number` (its own prefix: one page holds one per source)."""
    return EvidenceForm(prefix=f"source{number}")


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{format_decimal(round(size / 1024 / 1024, 1))} MB"
    return f"{format_decimal(max(round(size / 1024), 1))} KB"


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    filename: str
    kind: str  # its name, translated when shown
    size: str
    sha256: str
    uploader: str
    uploaded_at: datetime


@dataclass
class SourceFiles:
    number: int  # 1-based, as the files are bound
    source: str  # its kind's label in the reader's language, or what was stored
    amount: Any
    document: str  # the name and number typed in the row
    evidenced: bool
    files: list[EvidenceRow]
    form: EvidenceForm | None = None  # the upload control, on the drafting page only
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class UploadRefused:
    """An upload the service refused: shown beside its source, with its form."""

    number: int
    form: EvidenceForm
    problems: list[Problem]


def source_files(plan: Plan) -> list[SourceFiles]:
    """Every saved funding source of the plan with its files, in order (one query for the files, one for
    their uploaders' names; never their bytes)."""
    files = evidence_of(db.session, plan)
    uploader_ids = {f.uploaded_by_id for f in files}
    names = {uid: display or username  # the names only: not the users with their grants
             for uid, display, username in db.session.execute(
                 select(User.id, User.display_name, User.username).where(User.id.in_(uploader_ids)))} if uploader_ids else {}  # fmt: skip
    by_source: dict[int, list[EvidenceRow]] = {}
    for f in files:
        by_source.setdefault(f.source_number, []).append(EvidenceRow(
            f.id, f.filename, ACCEPTED[f.kind][1], size_text(f.size), f.sha256, names.get(f.uploaded_by_id, ""),
            f.uploaded_at))  # fmt: skip
    sources = []
    for number, stored in enumerate(as_list(as_dict(plan.content.get("funding")).get("sources")), start=1):
        source = as_dict(stored)
        kind = str(source.get("source") or "")
        sources.append(SourceFiles(
            number, label_of(FUNDING_SOURCES, kind), to_amount(source.get("amount")), str(source.get("evidence") or ""),
            is_evidenced(source), by_source.get(number, [])))  # fmt: skip
    return sources


def evidence_panel(plan: Plan, refused: UploadRefused | None = None) -> list[SourceFiles]:
    """The drafting page's panel: every source with its files and its upload control (the refused one's
    form and problems where an upload was just refused)."""
    panel = source_files(plan)
    for source in panel:
        mine = refused is not None and refused.number == source.number
        source.form = refused.form if mine and refused else upload_form(source.number)
        source.problems = refused.problems if mine and refused else []
    return panel
