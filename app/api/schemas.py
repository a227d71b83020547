"""Request and response bodies of the JSON API (also the source of openapi.json)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel

from app.inputs import DB_INT_MAX
from approvals.rules.congress import EXPLANATION_MAX_CHARS, MAX_PEOPLE, MAX_SCRUTINEERS, NAME_MAX_CHARS
from approvals.rules.text_limits import FIELDS


def _utc(value: datetime) -> datetime:
    """The database keeps naive UTC: say so with the offset."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# A moment in time, always given with its time zone (UTC, "Z").
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]


# Numbers that are looked up in or compared with an INTEGER column: beyond its range, 422 here rather
# than an error from the database.
DbId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
DbInt = Annotated[int, Field(ge=0, le=DB_INT_MAX)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenIn(Strict):
    username: str
    password: str


class TokenOut(BaseModel):
    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class TokenInfo(BaseModel):
    id: int
    token: str = Field(description="令牌的前几位（令牌本身不保存）")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    current: bool = Field(description="是否为本次请求所用的令牌")


class TokenList(BaseModel):
    items: list[TokenInfo]


class RevokedCount(BaseModel):
    revoked: int


class PasswordChange(Strict):
    current_password: str
    new_password: str


class PlanCreate(Strict):
    title: str
    enterprise_id: DbId | None = None
    content: dict[str, Any] = Field(
        default_factory=dict,
        description="方案各部分，键为部分名称；profile 不填报 zombie（取自企业登记信息），填报与登记不符的返回422",
    )


class PlanPatch(Strict):
    title: str | None = None
    content: dict[str, Any] | None = Field(
        None, description="要整体替换的方案部分；profile 不填报 zombie（取自企业登记信息），填报与登记不符的返回422"
    )
    version: DbInt | None = Field(None, description="客户端所见版本号；不一致时返回409")


PeopleCount = Annotated[
    int, Field(le=MAX_PEOPLE, description=f"人数，不超过{MAX_PEOPLE}；全体人数不超过企业在册职工人数")
]


class VoteIn(Strict):
    body_type: Literal["workers_congress", "general_assembly"]
    held_on: date
    total_members: PeopleCount
    present: PeopleCount
    yes: PeopleCount
    no: PeopleCount
    abstain: PeopleCount
    plan_revision_hash: str
    explanation: str = Field("", max_length=EXPLANATION_MAX_CHARS,
                             description="职工代表大会代表少于30人或少于在册职工5%时必填的书面说明")  # fmt: skip
    ballots_issued: PeopleCount = Field(description="发出表决票张数：不多于到会人数")
    ballots_returned: PeopleCount = Field(description="收回表决票张数：不多于发出张数")
    ballots_valid: PeopleCount = Field(description="有效票张数：不多于收回张数，且等于赞成、反对、弃权之和")
    secret_ballot: bool = Field(
        description="是否无记名投票；否（如举手表决）则表决无效，须重新表决（企业民主管理规定第二十条）"
    )
    chair: str = Field(max_length=NAME_MAX_CHARS, description="会议主持人姓名")
    scrutineers: list[Annotated[str, Field(max_length=NAME_MAX_CHARS)]] = Field(
        max_length=MAX_SCRUTINEERS, description="监票人（计票人）姓名，至少一名"
    )


class Member(Strict):
    name: str
    department: str = Field(description="人社、发改、工信、财政、安监、工会、集团公司")
    organisation: str = ""
    uscc: str | None = None


class WorkingGroupIn(Strict):
    members: list[Member] | None = None
    contact_point: str = ""
    findings: str = ""
    decision: Literal["cleared", "revise"] | None = None


class ReviewIn(Strict):
    decision: Literal["approve", "return"]
    reasons: str | Annotated[list[str], Field(max_length=100)] = Field(
        "", description="审核意见；退回时为理由：一段文字为一条理由，数组则每项一条（企业重新提交时须逐条答复）"
    )
    reason_items: list[str] = Field(
        default_factory=list, max_length=50,
        description="退回时勾选的审核检查项（GET /plans/{id}/review-checklist 的 key）：每项成为一条理由，写明检查项及规则"
        "所见，与网页审核表单相同；此时 reasons 为其他理由。审核同意时不得勾选。",
    )  # fmt: skip


class AnswerIn(Strict):
    reason_id: DbId = Field(description="退回理由编号（方案详情 open_reasons 的 id）")
    answer: str = Field(description="对该条理由的答复：修改了什么或不修改的说明")


class SubmitIn(Strict):
    answers: list[AnswerIn] = Field(
        default_factory=list, max_length=500,
        description="方案被退回后重新提交时，对每条未答复的退回理由的答复，一条理由一个答复；缺答复的理由以422指明",
    )  # fmt: skip


class ReturnReasonOut(BaseModel):
    id: int
    number: int = Field(description="该次退回中的第几条理由")
    source: Literal["bureau", "working_group"] = Field(
        description="bureau：人社部门退回；working_group：联合工作组退回修改"
    )
    source_label: str
    text: str
    returned_at: UtcDateTime
    answer: str | None = Field(description="企业的答复；尚未随提交版本答复的为已暂存的答复或空")
    answered_in_revision: int | None = Field(description="随哪一提交版本答复；尚未答复为空")


class TaskOut(BaseModel):
    id: int
    plan_id: int
    task: str
    title: str
    lane: str | None
    ready_at: UtcDateTime
    due_at: UtcDateTime | None = Field(None, description="期限届满时刻（UTC）；人社部门审核按工作日计算")


class ConditionOut(BaseModel):
    key: str
    label: str
    met: bool
    reason: str


class CheckItemOut(BaseModel):
    key: str = Field(description="检查项；退回时作为 reason_items 的一项")
    label: str
    met: bool
    reason: str = Field(description="规则所见")
    details: list[str] = Field(description="未满足的具体事项")


class ReviewChecklistOut(BaseModel):
    items: list[CheckItemOut]


class FindingOut(BaseModel):
    section: str
    field: str
    rule: str
    message: str


class EnterpriseOut(BaseModel):
    id: int
    name: str
    uscc: str
    industry: str
    region_code: str
    zombie: bool = Field(description="拟出清的僵尸企业：取自企业登记信息（由系统管理员维护），方案内容中不填报")


class PlanSummary(BaseModel):
    id: int
    title: str
    enterprise: EnterpriseOut
    status: str
    status_label: str
    content_hash: str
    risk_level: str | None
    version: int


class PlanOut(PlanSummary):
    revision: int
    submitted_hash: str | None
    risk_reason: str | None
    open_tasks: list[TaskOut]
    gate: list[ConditionOut]
    missing: list[FindingOut]
    published_at: UtcDateTime | None
    execution_started_at: UtcDateTime | None
    content: dict[str, Any]
    open_reasons: list[ReturnReasonOut] = Field(
        default_factory=list, description="尚未答复的退回理由：重新提交时须在 answers 中逐条答复"
    )


class PlanList(BaseModel):
    items: list[PlanSummary]
    total: int
    page: int
    per_page: int


class SubmitOut(BaseModel):
    accepted: bool
    vote_skipped: bool
    missing: list[FindingOut]
    plan: PlanOut


class ExecutionOut(BaseModel):
    started: bool
    gate: list[ConditionOut]


class AuditEventOut(BaseModel):
    id: int
    seq: int
    actor: str
    role: str
    action: str
    summary: dict[str, Any]
    remote_addr: str
    occurred_at: UtcDateTime
    hash: str


class AuditList(BaseModel):
    items: list[AuditEventOut]


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    first_break: dict[str, Any] | None
    breaks: int


class TaskList(BaseModel):
    items: list[TaskOut]


class RosterIssueOut(BaseModel):
    row: int | None
    column: str
    rule: str
    value: str
    message: str
    justified: bool = False


class RemovedWorkerOut(BaseModel):
    id_number: str
    name: str


class RosterReportOut(BaseModel):
    accepted: int
    rejected: int
    errors: list[RosterIssueOut]
    warnings: list[RosterIssueOut]
    mass_layoff: bool
    committed: bool
    added: int
    updated: int
    removed: int
    to_remove: int = Field(0, description="提交后将删除的已保存职工人数（文件中没有的）")
    to_remove_workers: list[RemovedWorkerOut] = Field(default_factory=list, description="其中的前若干名（按保存顺序）")


class WorkerOut(BaseModel):
    """One worker; for roles that may not see personal data the ID number is masked and the
    personal fields are null (approvals/privacy.py)."""

    id_number: str
    name: str
    sex: str | None
    birth_date: date | None
    hire_date: date | None = Field(description="入企时间：在本单位工作的年限由此起算（劳动合同法第四十七条）")
    work_start: date | None = Field(None, description="参加工作时间：工龄由此起算，不是入企时间")
    channel: str | None
    in_scope: bool
    retirement_date: date | None
    severance: str | None
    medical_subsidy: str | None = None  # 医疗补助费, 劳部发〔1994〕481号 Art 6: on the illness ground only
    internal_retirement_cost: str | None
    warnings: list[RosterIssueOut]


class WorkerPage(BaseModel):
    items: list[WorkerOut]
    total: int
    page: int
    per_page: int


class CongressDocumentOut(BaseModel):
    """A PDF of the congress session: minutes, resolution or signed attendance sheet."""

    id: int
    kind: Literal["minutes", "resolution", "attendance"]
    kind_label: str
    filename: str
    content_type: Literal["application/pdf"] = "application/pdf"
    size: int
    sha256: str
    vote_id: int | None = Field(description="所属表决记录；空表示等待录入表决结果")
    uploaded_by_id: int
    uploaded_at: UtcDateTime


class CongressVoteOut(BaseModel):
    id: int
    body_type: Literal["workers_congress", "general_assembly"]
    body_type_label: str
    held_on: date
    total_members: int
    present: int
    yes: int
    no: int
    abstain: int
    explanation: str
    ballots_issued: int | None = Field(description="空：录入时尚未记录（早期记录）")
    ballots_returned: int | None
    ballots_valid: int | None
    secret_ballot: bool | None
    voting_method_label: str
    chair: str | None
    scrutineers: list[str]
    documents: list[CongressDocumentOut]
    content_hash: str
    quorum_met: bool
    passed: bool
    outcome: Literal["passed", "rejected", "invalid_session"]
    outcome_label: str
    recorded_by_id: int
    recorded_at: UtcDateTime


class CongressVoteList(BaseModel):
    items: list[CongressVoteOut]


class VoteAnswer(PlanOut):
    """The plan after the vote, with the vote's outcome (passed, rejected, invalid_session)."""

    outcome: Literal["passed", "rejected", "invalid_session"]
    outcome_label: str
    vote: CongressVoteOut


class ReviewOut(BaseModel):
    id: int
    decision: Literal["approve", "return"]
    decision_label: str
    reasons: str
    reason_items: list[ReturnReasonOut] = Field(description="退回的各条理由及企业重新提交时的答复")
    content_hash: str
    reviewer_id: int
    reviewed_at: UtcDateTime


class ReviewList(BaseModel):
    items: list[ReviewOut]


class WorkingGroupRecordOut(BaseModel):
    id: int
    working_group_id: int
    members: list[dict[str, Any]]
    contact_point: str
    findings: str | None
    decision: Literal["cleared", "revise"] | None
    reason_items: list[ReturnReasonOut] = Field(description="退回修改的理由（工作组意见）及企业重新提交时的答复")
    content_hash: str
    recorded_by_id: int
    recorded_at: UtcDateTime


class WorkingGroupRecordList(BaseModel):
    items: list[WorkingGroupRecordOut]


class RevisionOut(BaseModel):
    number: int
    content_hash: str
    submitted_by_id: int
    submitted_at: UtcDateTime


class RevisionList(BaseModel):
    items: list[RevisionOut]


class ChangeOut(BaseModel):
    path: str
    before: Any
    after: Any


class RosterDiffOut(BaseModel):
    added: list[str]
    removed: list[str]
    changed: dict[str, list[ChangeOut]]


class RevisionRef(BaseModel):
    number: int
    content_hash: str


class RevisionDiffOut(BaseModel):
    before: RevisionRef
    after: RevisionRef
    content: list[ChangeOut]
    roster: RosterDiffOut


class VerificationIn(Strict):
    method: Literal["site_visit", "phone_check", "social_insurance_match", "payroll_records"]
    sample: str
    result: str
    workers_checked: list[str]


class VerificationOut(BaseModel):
    id: int
    method: str
    sample: str
    result: str
    workers_checked: list[str]
    recorded_by_id: int
    recorded_at: UtcDateTime


class VerificationList(BaseModel):
    items: list[VerificationOut]


class ObjectionStepOut(BaseModel):
    step: Literal["accept", "verify", "reply", "close", "reopen"]
    step_label: str
    text: str = Field(description="受理说明、核实情况、答复内容、办结说明或重新办理的理由")
    at: UtcDateTime
    by: str = Field(description="办理人")


class ObjectionOut(BaseModel):
    id: int
    received_at: UtcDateTime
    name: str
    id_number: str = Field(description="公民身份号码；无权查看者为脱敏号码")
    phone: str = Field(description="联系电话；无权查看者为脱敏号码")
    text: str
    on_roster: bool = Field(description="该身份证号是否在本方案的职工名单中")
    receipt: str = Field(description="受理码（职工凭它和身份证号码后4位在公示页面查询办理进度和答复）")
    status: Literal["received", "accepted", "verified", "replied", "closed"] = Field(
        description="received 待受理、accepted 已受理待核实、verified 已核实待答复、replied 已答复待办结、closed 已办结"
    )
    status_label: str
    steps: list[ObjectionStepOut] = Field(description="办理记录，按时间先后")


class ObjectionStepIn(Strict):
    step: Literal["accept", "verify", "reply", "close", "reopen"] = Field(
        description="accept 受理、verify 核实、reply 答复、close 办结（企业经办人，依次办理）；reopen 重新办理（人社部门，退回核实）"
    )
    text: str = Field("", max_length=FIELDS["objection.step_text"],
                      description="核实情况、答复内容（职工可见）和重新办理的理由必填；受理、办结说明选填")  # fmt: skip


class NoticeOut(BaseModel):
    url: str
    opens_at: UtcDateTime
    closes_at: UtcDateTime
    open: bool


class ObjectionPage(BaseModel):
    notice: NoticeOut | None = Field(description="公示页面（方案公布后才有）")
    masked: bool = Field(description="身份证号和电话是否已脱敏（仅企业经办人、人社部门和管理员可见全文）")
    items: list[ObjectionOut]
    total: int
    page: int
    per_page: int


class NotificationOut(BaseModel):
    id: int
    kind: str = Field(
        description="task_ready、plan_returned、vote_recorded、deadline_near、review_overdue、vote_overdue、"
        "plan_published、objection_received、objection_step、supervisor_reminder、execution_due、execution_overdue、"
        "services_due、services_overdue 等（approvals/signals.py）"
    )
    plan_id: int | None
    role: str = Field(description="收到通知时的角色")
    title: str = Field(description="标题（用户语言）")
    message: str = Field(description="一句话内容（用户语言）")
    data: dict[str, Any] = Field(description="事件数据：方案名称、待办环节、期限、理由等")
    created_at: UtcDateTime
    read: bool
    read_at: UtcDateTime | None


class NotificationList(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int
    page: int
    per_page: int


class UnreadCountOut(BaseModel):
    unread: int


class ReadAllOut(BaseModel):
    marked: int = Field(description="本次标记为已读的条数")
    unread: int


class ReminderIn(Strict):
    message: str = Field(description="催办内容，1至500个字符")


class ReminderOut(BaseModel):
    plan_id: int
    roles: list[str] = Field(description="收到催办的角色（方案待办事项所在的角色）")
    tasks: list[str]
    message: str


class EvidenceOut(BaseModel):
    id: int
    source_number: int
    filename: str
    kind: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_id: int
    uploaded_at: UtcDateTime


class EvidenceList(BaseModel):
    items: list[EvidenceOut]


class WorkerPatch(RootModel[dict[str, str | int | float | bool | None]]):
    """Fields of one worker by column key (as in the import template: labels such as 依法解除劳动合同, 是/否,
    dates as 2018-07-26 or 2018年7月26日, amounts), or the codes the API shows; null or "" clears a field."""


class WorkerChangeOut(BaseModel):
    change: str
    before: dict[str, Any]
    import_id: int | None
    changed_by_id: int | None
    changed_at: UtcDateTime | None


class OtherRecordOut(BaseModel):
    """Another plan holding the worker (数据比对) or the worker's spouse (双职工, the enterprise's own plans)."""

    relation: Literal["same_person", "spouse"]
    plan_id: int
    plan_title: str
    enterprise: str
    name: str = Field(description="该方案名单中的姓名（本人或配偶）")


class WorkerDetail(WorkerOut):
    row: int  # in the exported roster
    data: dict[str, Any]
    history: list[WorkerChangeOut]
    elsewhere: list[OtherRecordOut] | None = Field(
        None, description="其他安置方案中的本人或配偶记录：仅人社部门可见，其他角色为 null（只从提示得知存在重复）"
    )


class WorkerEditOut(BaseModel):
    report: RosterReportOut
    worker: WorkerDetail
