"""Rules on the workers of a roster (domain.md §4): protected groups, statutory immunity (劳动合同法
Art 42), dual-worker couples, unreachable workers, scope, and mass layoff (Art 41)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from approvals.i18n import N_, Listing, Text
from approvals.rules.issues import Finding
from approvals.rules.retirement import add_months
from approvals.rules.severance import DEFAULT_GROUND, TERMINATION_GROUNDS

TERMINATION = "termination"
# The channels (冀人社发〔2018〕38号 §四, codes as approvals/rules/content.py CHANNELS) that end the labour
# relation with this employer, and so owe severance (劳动合同法 Art 46, 47): lawful termination, and
# * 自主创业 (self_employment): the worker leaves to start a business. §四 gives the start-up support
#   (创业孵化基地, 创业培训补贴, 创业担保贷款) to "去产能企业解除劳动关系人员", and names separately the
#   enterprise's own incubators as "内部多渠道分流安置"; a worker who starts a business while keeping the
#   relation is placed internally and belongs to 企业转型安置 (transformation), not to this channel.
# * 公益性岗位兜底 (public_welfare): §四 "对通过市场渠道确实无法实现就业的，要开发和腾退一批公益性岗位进行
#   优先安置" — a government-funded post (就业促进法 Arts 53–54) with another employer, for workers who
#   leave and find no job on the market. 实施条例 Art 12 exempts from severance only the later end of that
#   public-welfare contract, not the end of the contract with this enterprise.
# Internal retirement, transfer with training and transformation keep the relation (the contract is changed).
ENDS_LABOUR_RELATION = frozenset({TERMINATION, "self_employment", "public_welfare"})
# Codes as the roster columns store them (approvals/roster/columns.py), with their Chinese names.
HIGH_SKILL_LEVELS = {"senior": N_("高级工"), "technician": N_("技师"), "senior_technician": N_("高级技师"),
                     "principal_technician": N_("特级技师"), "chief_technician": N_("首席技师")}  # fmt: skip
MODEL_WORKER_LEVELS = {"national": N_("全国劳动模范"), "provincial": N_("省（部）级劳动模范")}
MILITARY_FAMILY_TYPES = {"martyr": N_("烈属"), "soldier": N_("军属")}
CONTACT_METHODS = {N_("数据比对"), N_("张贴公示"), N_("登报声明"), N_("上网公告")}
EXCLUSION_REASONS = {N_("已解除劳动关系"), N_("已终止劳动关系"), N_("已领取基本养老金")}
PENSION_DRAWN = "已领取基本养老金"
# The 特殊情形 column's codes (approvals/roster/columns.py) and the Art 42 fact each one is.
PREGNANCY_SITUATIONS = {"pregnancy", "maternity", "nursing"}  # Art 42(4): 孕期、产期、哺乳期
# Art 41: a layoff of at least 20 people, or of at least 10% of all employees.
MASS_LAYOFF_COUNT = 20
MASS_LAYOFF_SHARE_DENOMINATOR = 10  # 10% as an exact integer comparison
# 劳动法 Art 15: 禁止用人单位招用未满十六周岁的未成年人.
MINIMUM_WORKING_AGE = 16


@dataclass(slots=True)  # built once per roster row: not frozen, which would cost a setattr per field
class WorkerFacts:
    """One roster row, normalised: what the rules read."""

    row: int
    id_number: str
    name: str
    channel: str | None
    hire_date: date | None = None  # 入企时间: service at this employer (劳动合同法 Art 42(5), 47)
    retirement_date: date | None = None
    work_start: date | None = None  # 参加工作时间: the first day of work anywhere (total working years)
    model_worker: str | None = None
    skill_level: str | None = None
    military_family: str | None = None
    disability_certificate: str | None = None
    pregnancy_or_nursing: bool = False
    work_injury: bool = False
    occupational_disease: bool = False
    medical_period: bool = False  # Art 42(3): 患病或者非因工负伤，在规定的医疗期内
    drawing_pension: bool = False  # Art 44(2): 开始依法享受基本养老保险待遇 ends the contract
    spouse_id_number: str | None = None
    justification: str = ""
    ground: str | None = DEFAULT_GROUND  # how the contract ends (TERMINATION_GROUNDS); None: unknown
    excluded_reason: str | None = None
    unreachable: bool = False
    contact_attempts: frozenset[str] = field(default_factory=frozenset)
    bureau_filing: str = ""

    @property
    def terminated(self) -> bool:
        return self.channel == TERMINATION and self.excluded_reason is None

    @property
    def leaves(self) -> bool:
        """In scope and placed by a channel that ends the labour relation: owed severance (Art 46, 47)."""
        return self.channel in ENDS_LABOUR_RELATION and self.excluded_reason is None


def _finding(worker: WorkerFacts, field_name: str, rule: str, message: str) -> Finding:
    return Finding(
        "roster",
        f"rows[{worker.row}].{field_name}",
        rule,
        Text(N_("第%(row)s行（%(name)s）：%(message)s"), row=worker.row, name=worker.name, message=message),
    )


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (negative when end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def art42_bars(ground: str | None) -> bool:
    """Whether Art 42 forbids ending a protected worker's contract on this ground: it names only the
    dismissals of Arts 40 and 41 ("不得依照本法第四十条、第四十一条的规定解除劳动合同"). An unknown ground is
    treated as one it forbids."""
    return ground is None or ground not in TERMINATION_GROUNDS or TERMINATION_GROUNDS[ground].art42_bars


def statutory_immunity(worker: WorkerFacts, reference: date) -> Iterator[Finding]:
    """Art 42: these workers may not be dismissed under Art 40 or 41; such a termination is refused (an error)."""
    if worker.leaves and art42_bars(worker.ground):
        for rule, fact in art42_grounds(worker, reference):
            pattern = (N_("%(fact)s，不得依照劳动合同法第四十条、第四十一条解除劳动合同（第四十二条），可安排内部退养或转岗。")
                       if rule == "art42_long_service" else
                       N_("%(fact)s，不得依照劳动合同法第四十条、第四十一条解除劳动合同（第四十二条）。"))  # fmt: skip
            yield _finding(worker, "channel", rule, Text(pattern, fact=fact))


def art42_lawful_ends(worker: WorkerFacts, reference: date) -> Iterator[Finding]:
    """Art 42 protects the worker, but the contract ends by agreement (Art 36) or by the employer's exit
    (Art 44(4), 44(5)), which Art 42 does not forbid: a warning that needs a written justification."""
    if not worker.leaves or art42_bars(worker.ground):
        return
    facts = [fact for _, fact in art42_grounds(worker, reference)]
    if not facts:
        return
    ground = TERMINATION_GROUNDS[worker.ground]  # type: ignore[index]
    what = (N_("职工本人同意解除的书面协议（签订日期）") if worker.ground == "mutual_agreement"
            else N_("宣告破产的裁定或关闭、撤销、解散的决定（文号）"))  # fmt: skip
    yield _finding(worker, "justification", ART42_LAWFUL_END,
                   Text(N_("%(facts)s，受劳动合同法第四十二条保护（不得依第四十条、第四十一条解除）；本行依据为%(ground)s，"
                           "可以解除或终止，但须在“书面说明”栏写明%(what)s，以及对该职工的照顾措施。"),
                        facts=Listing(facts, N_("；")), ground=Text(ground.label), what=Text(what)))  # fmt: skip


def unused_termination_facts(worker: WorkerFacts, ground_given: bool, severity_given: bool) -> Iterator[Finding]:
    """A ground given for a worker who does not leave, or a severity of illness on another ground than
    illness: said, not dropped silently (the medical subsidy is 481号 Art 6's, on the illness ground only)."""
    if ground_given and not worker.leaves:
        yield _finding(worker, "termination_ground", "termination_ground_unused",
                       Text(N_("本行职工未与本企业解除或终止劳动关系（不纳入安置范围或安置渠道不解除劳动合同），"
                               "所填“解除或终止劳动合同依据”不适用。")))  # fmt: skip
    if severity_given and worker.leaves and worker.ground != "illness":
        yield _finding(worker, "illness_severity", "illness_severity_unused",
                       Text(N_("“病情程度”仅在因患病或者非因工负伤（劳动合同法第四十条第一项）解除时用于计算医疗补助费"
                               "（劳部发〔1994〕481号第六条），本行依据不是该项，不计医疗补助费。")))  # fmt: skip


def immune_under_art42(worker: WorkerFacts, reference: date) -> bool:
    """Whether Art 42 protects the worker from dismissal, whatever their channel."""
    return next(art42_grounds(worker, reference), None) is not None


def art42_grounds(worker: WorkerFacts, reference: date) -> Iterator[tuple[str, Text]]:
    """Each fact for which Art 42 protects this worker: its rule key and its words."""
    if worker.pregnancy_or_nursing:
        yield "art42_pregnancy", Text(N_("处于孕期、产期、哺乳期"))
    if worker.work_injury:
        yield "art42_work_injury", Text(N_("因工负伤并被确认丧失或部分丧失劳动能力"))
    if worker.occupational_disease:
        yield "art42_occupational_disease", Text(N_("患职业病"))
    if worker.medical_period:
        yield "art42_medical_period", Text(N_("患病或者非因工负伤，在规定的医疗期内"))
    if worker.hire_date and worker.retirement_date:
        service = months_between(worker.hire_date, reference)
        to_retire = months_between(reference, worker.retirement_date)
        if service >= 15 * 12 and 0 <= to_retire < 5 * 12:
            yield (
                "art42_long_service",
                Text(N_("在本单位连续工作满十五年且距法定退休年龄不足五年（尚余%(n)s个月）"), n=to_retire),
            )


def exclusion_reason(given: str | None, employment_status: Any, drawing_pension: Any) -> str | None:
    """Why a worker is outside the placement scope (冀人社发〔2018〕38号 §二), or None: the 不纳入安置原因
    given, else a 劳动关系状态 of a relation already ended, else a pension drawn (劳动合同法 Art 44(2))."""
    if given:
        return given
    if employment_status in EXCLUSION_REASONS:
        return str(employment_status)
    if drawing_pension is True:
        return PENSION_DRAWN
    return None


def pension_ends_contract(worker: WorkerFacts) -> Iterator[Finding]:
    """A worker drawing the basic pension: the contract ends (劳动合同法 Art 44(2)); out of the placement
    scope (冀人社发〔2018〕38号 §二), no severance. A warning, so the clerk sees the row was not placed."""
    if worker.drawing_pension:
        yield _finding(worker, "drawing_pension", "pension_ends_contract",
                       Text(N_("已领取基本养老金，劳动合同依法终止（劳动合同法第四十四条第二项），不纳入安置范围"
                               "（冀人社发〔2018〕38号 §二），不计经济补偿。")))  # fmt: skip


def at_retirement(worker: WorkerFacts, reference: date) -> bool:
    """Whether the worker has reached the statutory retirement age on the reference date."""
    return worker.retirement_date is not None and worker.retirement_date <= reference


def retirement_ends_contract(worker: WorkerFacts, reference: date) -> Iterator[Finding]:
    """A worker at or past the statutory retirement age: the contract ends (劳动合同法实施条例 Art 21
    "劳动者达到法定退休年龄的，劳动合同终止"; 劳动合同法 Art 44(2) once the pension is drawn) and no
    severance is owed (Art 46 lists no end under Art 44(2)), whatever the channel. A warning: the clerk
    arranges the retirement instead of a placement. A worker outside the scope (relation ended, pension
    drawn: 冀人社发〔2018〕38号 §二) is placed by no channel and is only flagged. The message names no date of
    the worker's own (those who may not see personal data read it); the warning's value holds it."""
    retirement = worker.retirement_date
    if retirement is not None and retirement <= reference and worker.excluded_reason is None:
        yield _finding(worker, "channel", "reached_retirement_age",
                       Text(N_("基准日%(day)s已达到法定退休年龄，劳动合同依法终止（劳动合同法第四十四条第二项、"
                               "劳动合同法实施条例第二十一条），应办理退休手续，不计经济补偿。"), day=reference.isoformat()))  # fmt: skip


def protected_group(worker: WorkerFacts) -> list[Text]:
    """The protected groups (冀38号 §五) the worker belongs to, in words."""
    groups = []
    if worker.model_worker in MODEL_WORKER_LEVELS:
        groups.append(Text(MODEL_WORKER_LEVELS[worker.model_worker]))
    if worker.skill_level in HIGH_SKILL_LEVELS:
        groups.append(Text(N_("高技能人才（%(level)s）"), level=Text(HIGH_SKILL_LEVELS[worker.skill_level])))
    if worker.military_family in MILITARY_FAMILY_TYPES:
        groups.append(Text(MILITARY_FAMILY_TYPES[worker.military_family]))
    if worker.disability_certificate and worker.disability_certificate[:18] == worker.id_number:
        groups.append(Text(N_("残疾人")))
    return groups


def protected_terminations(worker: WorkerFacts) -> Iterator[Finding]:
    """Terminating a protected worker is a warning that needs a written justification."""
    if worker.disability_certificate and worker.disability_certificate[:18] != worker.id_number:
        yield _finding(worker, "disability_certificate", "disability_certificate_mismatch",
                       Text(N_("残疾人证号前18位应与公民身份号码一致。")))  # fmt: skip
    groups = protected_group(worker)
    if worker.terminated and groups:
        yield _finding(worker, "justification", "protected_group_termination",
                       Text(N_("属于%(groups)s，原则上不应解除劳动合同；如确需解除，须填写书面说明。"),
                            groups=Listing(groups, N_("、"))))  # fmt: skip


def dual_worker_terminations(workers: Iterable[WorkerFacts]) -> Iterator[Finding]:
    """Both spouses of a dual-worker couple terminated at once: a warning on each."""
    by_id = {w.id_number: w for w in workers}
    for worker in by_id.values():
        spouse = by_id.get(worker.spouse_id_number or "")
        if spouse is not None and worker.terminated and spouse.terminated:
            yield _finding(worker, "justification", "dual_worker_termination",
                           Text(N_("与配偶%(spouse)s（第%(row)s行）同为本企业职工且均被解除劳动合同，"
                                   "应避免夫妻双方同时解除；如确需解除，须填写书面说明。"), spouse=spouse.name, row=spouse.row))  # fmt: skip


def couples_elsewhere(workers: Iterable[WorkerFacts], others: Iterable[WorkerFacts]) -> dict[str, list[WorkerFacts]]:
    """Each worker of this roster whose spouse is on another plan of the same enterprise (冀人社发〔2018〕38号
    §五 双职工夫妻; domain.md §8: couples are found across the enterprise's plans): the spouse's records
    there, where this worker names the spouse or the record there names this worker."""
    by_id: dict[str, list[WorkerFacts]] = {}
    naming: dict[str, list[WorkerFacts]] = {}
    for other in others:
        by_id.setdefault(other.id_number, []).append(other)
        if other.spouse_id_number:
            naming.setdefault(other.spouse_id_number, []).append(other)
    found = {}
    for worker in workers:
        spouses = [*by_id.get(worker.spouse_id_number or "", ()), *naming.get(worker.id_number, ())]
        spouses = [s for s in spouses if s.id_number != worker.id_number]
        if spouses:
            found[worker.id_number] = spouses
    return found


def dual_worker_terminations_elsewhere(workers: Iterable[WorkerFacts],
                                       couples: Mapping[str, list[WorkerFacts]]) -> Iterator[Finding]:  # fmt: skip
    """A worker terminated here whose spouse is terminated on another plan of the same enterprise: the
    same warning as for a couple on one roster. The other plan is not named (the enterprise learns only
    that it exists)."""
    for worker in workers:
        spouse = next((s for s in couples.get(worker.id_number, ()) if s.terminated), None)
        if spouse is not None and worker.terminated:
            yield _finding(worker, "justification", "dual_worker_termination",
                           Text(N_("与配偶%(spouse)s同为本企业职工，配偶在本企业另一安置方案中也被解除劳动合同，"
                                   "应避免夫妻双方同时解除；如确需解除，须填写书面说明。"), spouse=spouse.name))  # fmt: skip


def work_start_problems(worker: WorkerFacts, birth: date) -> Iterator[Finding]:
    """参加工作时间 against 入企时间 and the birth date: warnings, for the clerk to check the two dates."""
    start = worker.work_start
    if start is None:
        return
    if worker.hire_date is not None and start > worker.hire_date:
        yield _finding(worker, "work_start", "work_start_after_hire",
                       Text(N_("参加工作时间（%(start)s）晚于入企时间（%(hired)s）。参加工作时间是首次参加工作的日期，"
                               "不应晚于进入本企业的日期；在本单位工作的年限按入企时间计算（劳动合同法第四十七条），"
                               "请核对这两列。"), start=f"{start:%Y-%m-%d}", hired=f"{worker.hire_date:%Y-%m-%d}"))  # fmt: skip
    sixteen = add_months(birth, MINIMUM_WORKING_AGE * 12)
    if start < sixteen:
        yield _finding(worker, "work_start", "work_start_under_16",
                       Text(N_("参加工作时间（%(start)s）早于年满十六周岁之日（%(sixteen)s）。劳动法第十五条"
                               "禁止用人单位招用未满十六周岁的未成年人，请核对档案出生日期和参加工作时间。"),
                            start=f"{start:%Y-%m-%d}", sixteen=f"{sixteen:%Y-%m-%d}"))  # fmt: skip


def unreachable_problems(worker: WorkerFacts) -> Iterator[Finding]:
    """Unreachable workers carry their contact attempts and the bureau filing (冀38号 §三)."""
    if not worker.unreachable:
        return
    unknown = sorted(worker.contact_attempts - CONTACT_METHODS)
    if unknown:
        yield _finding(worker, "contact_attempts", "known_contact_method",
                       Text(N_("联系方式“%(given)s”无效，应为%(methods)s。"), given=Listing(unknown, N_("、")),
                            methods=Listing((Text(m) for m in sorted(CONTACT_METHODS)), N_("、"))))  # fmt: skip
    if not worker.contact_attempts & CONTACT_METHODS:
        yield _finding(worker, "contact_attempts", "unreachable_attempts",
                       Text(N_("暂时联系不上的职工，须记录通过数据比对、张贴公示、登报声明或上网公告等方式联系的情况。")))  # fmt: skip
    if not worker.bureau_filing.strip():
        yield _finding(worker, "bureau_filing", "unreachable_filing",
                       Text(N_("暂时联系不上的职工，须报人社部门核查备案并填写备案编号。")))  # fmt: skip


ART42_LAWFUL_END = "art42_lawful_end"
# The warnings a written justification (书面说明) answers.
JUSTIFIED_BY_STATEMENT = frozenset({"protected_group_termination", "dual_worker_termination", ART42_LAWFUL_END})


def needs_justification(finding: Finding) -> bool:
    return finding.rule in JUSTIFIED_BY_STATEMENT


@dataclass(frozen=True)
class RosterSummary:
    """What the completeness check needs to know of an imported roster (kept on the plan row)."""

    workers: int = 0
    in_scope: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)  # workers in scope per channel
    terminations: int = 0
    mass_layoff: bool = False
    severance_total: Decimal = Decimal(0)
    internal_retirement_total: Decimal = Decimal(0)
    severance_missing: int = 0
    # Why: the workers whose own 入企时间 or 月平均工资 is missing (the first few: row, name, missing column
    # keys) and how many; the city's figures an administrator has yet to enter (city, city_name, year, and
    # which of "average", "minimum" is missing), None when none is.
    severance_missing_workers: list[dict[str, Any]] = field(default_factory=list)
    severance_missing_data: int = 0
    wage_figures_missing: dict[str, Any] | None = None
    medical_subsidy_total: Decimal = Decimal(0)  # 医疗补助费 (劳部发〔1994〕481号 Art 6), besides severance_total
    # The plan's severance terms the amounts were computed on (severance.computed_on); None: not recorded.
    computed_on: dict[str, str] | None = None
    unjustified: int = 0
    unreachable_unfiled: int = 0
    # What the plan page's warnings tab counts, over every worker on the roster (excluded ones too).
    protected: int = 0
    protected_terminated: int = 0
    art42: int = 0
    couple: int = 0
    couple_terminated: int = 0
    unreachable: int = 0
    with_warnings: int = 0
    reached_retirement: int = 0  # at or past the statutory retirement age (劳动合同法 Art 44(2))

    @property
    def leavers(self) -> int:
        """Workers in scope placed by a channel that ends the labour relation: those owed severance."""
        return sum(count for channel, count in self.by_channel.items() if channel in ENDS_LABOUR_RELATION)

    @property
    def severance_owed(self) -> Decimal:
        """The plan's funding item 经济补偿金: the compensation and the medical subsidies."""
        return self.severance_total + self.medical_subsidy_total

    @property
    def excluded(self) -> int:
        """Workers on the roster outside the placement scope (already terminated, drawing a pension)."""
        return self.workers - self.in_scope

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "severance_total": str(self.severance_total),
                "internal_retirement_total": str(self.internal_retirement_total),
                "medical_subsidy_total": str(self.medical_subsidy_total)}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RosterSummary | None:
        if not data:
            return None
        return cls(**{**data, "severance_total": Decimal(data["severance_total"]),
                      "internal_retirement_total": Decimal(data["internal_retirement_total"]),
                      "medical_subsidy_total": Decimal(data.get("medical_subsidy_total", 0))})  # fmt: skip


@dataclass(frozen=True)
class LayoffCheck:
    terminations: int
    headcount: int

    @property
    def is_mass_layoff(self) -> bool:
        """Art 41: ≥ 20 terminations, or ≥ 10% of all employees."""
        return self.terminations >= MASS_LAYOFF_COUNT or (
            self.headcount > 0 and self.terminations * MASS_LAYOFF_SHARE_DENOMINATOR >= self.headcount
        )
