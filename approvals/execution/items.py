"""What an execution record holds, by channel: the agreement, the parts to enter, the outcome's facts."""

from __future__ import annotations

from approvals.i18n import N_
from approvals.rules.roster import ENDS_LABOUR_RELATION

# The agreement signed with each worker, by the channel that places them (冀人社发〔2018〕38号 §四):
# a channel that ends the relation ends it by agreement (劳动合同法 Art 36) or on the plan's ground;
# internal retirement (国务院令第111号 Art 9) and a transfer change the contract (劳动合同法 Art 35).
AGREEMENT_KINDS = {
    "termination": N_("解除（终止）劳动合同协议"),
    "internal_retirement": N_("内部退养协议"),
    "transfer": N_("转岗（变更劳动合同）协议"),
}
AGREEMENT_BY_CHANNEL = {
    "termination": "termination",
    "self_employment": "termination",
    "public_welfare": "termination",
    "internal_retirement": "internal_retirement",
    "transfer_training": "transfer",
    "transformation": "transfer",
}

# The placement outcome, and which fields each kind needs (all required): dates as ISO text.
OUTCOME_KINDS = {
    "employed": N_("实现再就业（新岗位）"),
    "training": N_("参加培训"),
    "self_employment": N_("自主创业（已办理登记）"),
    "public_welfare": N_("公益性岗位安置"),
    "internal_retirement": N_("内部退养"),
}
OUTCOME_FIELDS = {
    "employed": ("employer", "post", "started_on"),
    "training": ("course", "result", "started_on", "finished_on"),
    "self_employment": ("business", "registration", "started_on"),
    "public_welfare": ("post", "employer", "started_on", "ends_on"),
    "internal_retirement": ("started_on",),
}
OUTCOME_FIELD_LABELS = {
    "employer": N_("用人单位"),
    "post": N_("岗位"),
    "course": N_("培训项目"),
    "result": N_("培训结果"),
    "business": N_("经营主体名称"),
    "registration": N_("统一社会信用代码或登记号"),
    "started_on": N_("开始日期"),
    "finished_on": N_("结业日期"),
    "ends_on": N_("期满日期"),
}
DATE_FIELDS = frozenset({"started_on", "finished_on", "ends_on"})
# The outcomes each channel may end in: a terminated worker may be placed by any outside route.
OUTCOMES_BY_CHANNEL = {
    "termination": ("employed", "training", "self_employment", "public_welfare"),
    "self_employment": ("self_employment",),
    "public_welfare": ("public_welfare",),
    "internal_retirement": ("internal_retirement",),
    "transfer_training": ("training", "employed"),
    "transformation": ("employed",),
}

# The parts of a record, each entered on its own (a form, an API call) and recorded in the trail.
PARTS = {
    "agreement": N_("签订协议"),
    "termination": N_("解除劳动关系及证明"),
    "severance": N_("经济补偿支付"),
    "arrears": N_("清偿拖欠工资和社会保险费"),
    "transfers": N_("社会保险和档案转移"),
    "unemployment": N_("失业人员名单报送"),
    "outcome": N_("安置去向"),
}
# What each part writes, and which parts a worker needs: the last four only when the relation ends.
PART_FIELDS = {
    "agreement": ("agreement_kind", "agreement_signed_on"),
    "termination": ("terminated_on", "certificate_issued_on"),
    "severance": ("severance_paid", "severance_paid_on", "payment_reference"),
    "arrears": ("arrears_amount", "arrears_settled_on"),
    "transfers": ("insurance_transferred_on", "file_transferred_on"),
    "unemployment": ("unemployment_listed_on",),
    "outcome": ("outcome_kind", "outcome"),
}
FIELD_LABELS = {
    "agreement_kind": N_("协议类型"),
    "agreement_signed_on": N_("签订日期"),
    "terminated_on": N_("劳动关系解除（终止）日期"),
    "certificate_issued_on": N_("解除（终止）劳动合同证明出具日期"),
    "severance_paid": N_("实付经济补偿（元）"),
    "severance_paid_on": N_("支付日期"),
    "payment_reference": N_("支付凭证号"),
    "arrears_amount": N_("拖欠工资和社会保险费金额（元，无拖欠填0）"),
    "arrears_settled_on": N_("清偿日期"),
    "insurance_transferred_on": N_("社会保险关系转移日期"),
    "file_transferred_on": N_("档案转移日期"),
    "unemployment_listed_on": N_("失业人员名单报送日期"),
    "outcome_kind": N_("安置去向"),
    "outcome": N_("去向详情"),
}
LEAVING_PARTS = ("termination", "severance", "transfers", "unemployment")


def leaves(channel: str | None) -> bool:
    """Whether the channel ends the labour relation with this employer (approvals/rules/roster.py)."""
    return channel in ENDS_LABOUR_RELATION


def parts_for(channel: str | None) -> tuple[str, ...]:
    """The parts a worker on this channel needs, in the order they happen."""
    if leaves(channel):
        return ("agreement", "termination", "severance", "arrears", "transfers", "unemployment", "outcome")
    return ("agreement", "arrears", "outcome")
