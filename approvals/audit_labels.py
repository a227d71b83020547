"""What each action of the audit trail is called in Chinese (the trail stores the action's code)."""

from __future__ import annotations

from approvals.i18n import N_

ACTION_LABELS = {
    "plan.created": N_("创建方案"),
    "plan.updated": N_("修改方案"),
    "plan.submitted": N_("提交方案"),
    "plan.returned_incomplete": N_("方案不完整，退回起草"),
    "roster.imported": N_("导入职工名单"),
    "roster.verified": N_("核查职工名单"),
    "congress.vote_recorded": N_("录入职工代表大会表决结果"),
    "review.decided": N_("人社部门审核"),
    "review.escalated": N_("审核超期，提请督查"),
    "risk.assessed": N_("风险评估"),
    "working_group.formed": N_("组建联合工作组"),
    "working_group.decided": N_("联合工作组作出结论"),
    "plan.published": N_("公布方案"),
    "execution.started": N_("启动实施"),
    "execution.refused": N_("拒绝启动实施"),
    "enterprise.created": N_("登记企业"),
    "working_group.created": N_("设立联合工作组"),
    "user.created": N_("创建用户"),
    "user.role_granted": N_("授予角色"),
    "wage_parameters.set": N_("设置当地工资参数"),
}
