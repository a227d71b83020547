"""The JSON shapes of the execution ledger (实施台账) API."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, RootModel

from app.api.schemas import UtcDateTime


class OpenItemOut(BaseModel):
    key: str = Field(description="agreement、termination、certificate、severance、arrears、insurance_transferred_on、"
                                 "file_transferred_on、unemployment_listed_on、outcome")  # fmt: skip
    label: str
    message: str
    overdue: int = Field(description="逾期天数；0 = 未逾期")


class LedgerRowOut(BaseModel):
    """One worker in scope; for roles that may not see personal data the ID number is masked."""

    row: int = Field(description="职工名单中的行号（表头为第1行）")
    worker_id: int
    name: str
    id_number: str
    channel: str | None
    open: list[OpenItemOut]
    late: dict[str, int] = Field(description="已办理但超过法定期限的事项及逾期天数")


class LedgerOut(BaseModel):
    status: str
    counts: dict[str, int] = Field(description="all、open、overdue、done：职工人数")
    short: dict[str, int] = Field(description="尚缺各事项的职工人数")
    items: list[LedgerRowOut]
    total: int
    page: int
    per_page: int


class EnteredOut(BaseModel):
    by: int
    name: str
    at: str
    revision: int | None = Field(None, description="登记时方案已公布的版本号（方案变更前后可能不同）")


class ChangedFieldOut(BaseModel):
    field: str
    label: str = Field(description="登记项名称（按请求的语言）")
    old: str | None = Field(description="原登记的值；null = 原无")
    new: str | None = Field(description="更正后的值；null = 已撤销或无")


class CorrectionOut(BaseModel):
    """One correction or withdrawal of a part, as the plan's audit trail holds it."""

    action: str = Field(description="corrected = 更正，withdrawn = 撤销")
    part: str = Field(description="更正或撤销的部分（实施记录）或记录类型（就业服务记录）")
    by: str
    at: UtcDateTime
    reason: str
    changes: list[ChangedFieldOut]


class CorrectionIn(BaseModel):
    reason: str = Field(description="更正理由（1至500个字），记入审计记录")
    values: dict[str, str | int | float | None | dict[str, Any]] = Field(
        description="该部分更正后的全部字段，与登记时相同（见 PUT …/workers/{worker_id}/{part}）"
    )


class WithdrawalIn(BaseModel):
    reason: str = Field(description="撤销理由（1至500个字），记入审计记录")


class ExecutionRecordOut(BaseModel):
    """One worker's record: every part as entered, who entered it and when, and what is still open."""

    row: int
    worker_id: int
    name: str
    id_number: str
    channel: str | None
    parts: list[str] = Field(description="该职工须登记的部分")
    agreement_kind: str | None = None
    agreement_signed_on: date | None = None
    terminated_on: date | None = None
    certificate_issued_on: date | None = None
    severance_due: str | None = Field(None, description="按实际解除日计算的应付经济补偿；null = 尚未解除或尚无法计算")
    severance_paid: str | None = None
    severance_paid_on: date | None = None
    payment_reference: str | None = None
    arrears_amount: str | None = None
    arrears_settled_on: date | None = None
    insurance_transferred_on: date | None = None
    file_transferred_on: date | None = None
    unemployment_listed_on: date | None = None
    outcome_kind: str | None = None
    outcome: dict[str, Any] = Field(default_factory=dict)
    entered: dict[str, EnteredOut] = Field(default_factory=dict)
    corrections: list[CorrectionOut] = Field(default_factory=list, description="各部分的更正和撤销，按时间先后")
    updated_at: UtcDateTime | None = None
    open: list[OpenItemOut]
    late: dict[str, int]


class PartIn(RootModel[dict[str, str | int | float | None | dict[str, Any]]]):
    """The fields of one part (see `parts` of the record): dates as 2026-12-07, amounts as decimal text;
    for `outcome`, `outcome_kind` and the fields of that kind (or them under `outcome`)."""


class AmendmentIn(BaseModel):
    reason: str = Field(description="变更理由（1至2000个字符），记入审计记录")


class AmendmentOut(BaseModel):
    amendment: int = Field(description="本方案的第几次变更")
    from_revision: int = Field(description="变更所依据的已公布版本号")
    status: str = Field(description="方案现所处阶段（drafting：退回起草）")
    records_kept: int = Field(description="保留的实施登记条数")


class ClosedOut(BaseModel):
    closed: bool
    workers: int


class BulkErrorOut(BaseModel):
    row: int | None = Field(description="文件中的行号（表头为第1行）；null = 整个文件")
    roster_row: int | None = Field(None, description="该行所指职工在职工名单中的行号；null = 未找到该职工")
    name: str | None = Field(None, description="该行所指职工在名单中的姓名")
    column: str
    rule: str
    message: str


class BulkReportOut(BaseModel):
    rows: int
    entries: int = Field(description="检查（保存时即保存）的登记部分数")
    committed: bool
    dry_run: bool
    errors: list[BulkErrorOut]
