"""The gist of an audit event for people, in the reader's language: the plan's timeline, the audit
trail page and its CSV and XLSX exports all say it with `summary_parts`.

An event's summary is stored as the service wrote it (a JSON object of keys the code chose, covered by
the chain's hash: approvals/audit.py), so it is said when read. Each action has its formatter below,
which picks the summary's keys it knows and says them with labels, amounts formatted and hashes short;
whatever key a formatter does not take (one a later version adds) is said by the generic formatter,
with its label from KEY_LABELS, or its value alone: never a key of the code, a dict or a list repr.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from xml.etree import ElementTree  # noqa: S405  (our own process files)

from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _

from app.web.i18n import amount, label_of, say, say_stored
from app.web.plan_content import roster_field_label
from app.web.review import RISK_INPUT_LABELS
from approvals.execution.corrections import DUE_LABEL
from approvals.execution.items import AGREEMENT_KINDS, FIELD_LABELS, OUTCOME_FIELD_LABELS, OUTCOME_KINDS, PARTS
from approvals.execution.open_items import ITEM_LABELS
from approvals.execution_services.corrections import FIELD_LABELS as SERVICE_FIELD_LABELS
from approvals.execution_services.corrections import KINDS as SERVICE_RECORDS
from approvals.execution_services.corrections import shown as service_value
from approvals.execution_services.rules import DIFFICULTY_CRITERIA, POST_KINDS, RELATIONS, SERVICE_KINDS, SUPPORT_KINDS
from approvals.i18n import N_
from approvals.models import INDUSTRIES, ROLE_LABELS
from approvals.process import ReviewDecision, RiskLevel, WorkingGroupDecision
from approvals.rules.congress import RESULT_LABELS
from approvals.rules.content import SECTIONS
from approvals.rules.gate import CONDITION_LABELS
from approvals.rules.parameters import PARAMETERS, WAGE_TIERS, parse_value, shown_value
from approvals.services.workflow import STATUS_LABELS
from config import BASE_DIR

HASH = re.compile(r"^[0-9a-f]{64}$")
MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
SHORT_HASH = 12  # characters of a SHA-256 shown, as on the revisions tab

# The label of every key a summary holds today; the generic formatter says a key by it.
KEY_LABELS = {
    "title": N_("方案名称"),
    "content_hash": N_("内容哈希"),
    "from_hash": N_("修改前哈希"),
    "to_hash": N_("修改后哈希"),
    "sha256": N_("文件SHA-256"),
    "revision": N_("版本"),
    "amendment": N_("方案变更次序"),
    "file": N_("文件"),
    "filename": N_("文件"),
    "name": N_("名称"),
    "id": N_("编号"),
    "kind": N_("类型"),
    "kind_label": N_("材料"),
    "size": N_("大小（字节）"),
    "source_number": N_("资金来源序号"),
    "accepted": N_("接受行数"),
    "rejected": N_("拒绝行数"),
    "added": N_("新增人数"),
    "updated": N_("修改人数"),
    "removed": N_("删除人数"),
    "severance": N_("经济补偿（元）"),
    "severance_total": N_("经济补偿合计（元）"),
    "internal_retirement_total": N_("内部退养费用合计（元）"),
    "id_number": N_("公民身份号码"),
    "fields": N_("修改的项目"),
    "decision": N_("决定"),
    "document_number": N_("文号"),
    "answers": N_("对退回理由的答复"),
    "reasons": N_("理由"),
    "reason": N_("理由"),
    "risk_level": N_("风险等级"),
    "inputs": N_("评定依据"),
    "working_group": N_("联合工作组"),
    "signs": N_("高风险迹象"),
    "advice": N_("意见"),
    "members": N_("成员"),
    "contact_point": N_("联系点"),
    "findings": N_("意见"),
    "method": N_("方式"),
    "sample": N_("抽查范围"),
    "result": N_("结果"),
    "workers": N_("核查人数"),
    "filing": N_("备案编号"),
    "note": N_("说明"),
    "body_type": N_("会议"),
    "held_on": N_("会议日期"),
    "total": N_("应到"),
    "present": N_("实到"),
    "yes": N_("赞成"),
    "no": N_("反对"),
    "abstain": N_("弃权"),
    "explanation": N_("代表人数说明"),
    "ballots_issued": N_("发出选票"),
    "ballots_returned": N_("收回选票"),
    "ballots_valid": N_("有效选票"),
    "secret_ballot": N_("无记名投票"),
    "chair": N_("主持人"),
    "scrutineers": N_("监票人"),
    "documents": N_("会议材料"),
    "notice_closes_at": N_("公示截止"),
    "unmet": N_("未满足的条件"),
    "status": N_("状态"),
    "message": N_("内容"),
    "missing": N_("缺项"),
    "sections": N_("修改的部分"),
    "objection_id": N_("异议编号"),
    "on_roster": N_("在职工名单中"),
    "text": N_("内容"),
    "roles": N_("催办对象"),
    "tasks": N_("待办事项"),
    "username": N_("用户名"),
    "email": N_("电子邮箱"),
    "language": N_("界面语言"),
    "role": N_("角色"),
    "enterprise": N_("企业"),
    "region": N_("地区"),
    "region_code": N_("地区"),
    "code": N_("代码"),
    "level": N_("级别"),
    "parent": N_("上级地区"),
    "uscc": N_("统一社会信用代码"),
    "industry": N_("所属行业"),
    "headcount": N_("职工人数"),
    "zombie": N_("拟出清的僵尸企业"),
    "parent_group": N_("上级集团公司"),
    "changed": N_("修改"),
    "city": N_("设区市"),
    "year": N_("年度"),
    "average": N_("月平均工资（元）"),
    "before": N_("原值"),
    "key": N_("参数"),
    "effective_from": N_("施行日期"),
    "value": N_("取值"),
    "basis": N_("依据"),
    "tier": N_("最低工资类别"),
    "holidays": N_("放假日期"),
    "workdays": N_("调休上班日期"),
    "city_name": N_("设区市"),
    "severance_missing": N_("无法计算经济补偿的人数"),
    "values": N_("参数"),
    "after_reset": N_("重置后首次修改"),
    "tokens_revoked": N_("撤销的访问令牌"),
    "token": N_("访问令牌"),
    "count": N_("数量"),
    "scope": N_("锁定范围"),
    "address": N_("网络地址"),
    "until": N_("锁定至"),
    "open_disputes": N_("未结信访及集体劳动争议（件）"),
    "arrears_amount": N_("拖欠工资及社会保险费（元）"),
    "workers_to_place": N_("需安置职工人数"),
    "share_to_place": N_("需安置职工占在册职工比例"),
    "approval_ratio": N_("职代会赞成率"),
    "funding_gap": N_("安置资金缺口（元）"),
    "provider": N_("提供方"),
    "amount": N_("金额（元）"),
    "cap": N_("额度上限（元）"),
    "reference": N_("合同或批准文号"),
    "mass_layoff": N_("经济性裁员（劳动合同法第四十一条）"),
}
AMOUNTS = {
    "amount",
    "cap",
    "severance",
    "severance_total",
    "internal_retirement_total",
    "average",
    "arrears_amount",
    "severance_paid",
    "severance_due",
    "funding_gap",
}
SHARES = {"share_to_place", "approval_ratio"}
DECISIONS = {
    ReviewDecision.APPROVE: N_("同意"),
    ReviewDecision.RETURN: N_("退回修改"),
    WorkingGroupDecision.CLEARED: N_("同意公布实施"),
    WorkingGroupDecision.REVISE: N_("退回修改"),
}
RISK_LEVELS = {RiskLevel.HIGH: N_("高风险"), RiskLevel.NORMAL: N_("一般风险")}
LANGUAGE_NAMES = {"zh_CN": N_("中文"), "en": N_("英文")}
LOCK_SCOPES = {"account": N_("账号"), "address": N_("网络地址")}
REGION_LEVELS = {"province": N_("省"), "city": N_("设区市"), "county": N_("县（市、区）")}
OBJECTION_STATUS = {"received": N_("待受理"), "accepted": N_("已受理，待核实"), "verified": N_("已核实，待答复"),
                    "replied": N_("已答复，待办结"), "closed": N_("已办结")}  # fmt: skip


@dataclass(frozen=True)
class Part:
    """One piece of the gist, and the summary key it says (the page marks it: data-part)."""

    name: str
    text: str


class Summary:
    """The stored summary, remembering which keys a formatter took: the rest goes to the generic one."""

    def __init__(self, stored: Any) -> None:
        self.data: dict[str, Any] = stored if isinstance(stored, dict) else {"value": stored}
        self.taken: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.taken.add(key)
        return self.data.get(key)

    def skip(self, *keys: str) -> None:
        """Keys the gist leaves out on purpose (a file's row id: its name and hash say which file)."""
        self.taken.update(keys)

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, "", [], {})

    def rest(self) -> list[str]:
        return [key for key in self.data if key not in self.taken]


# -- values -------------------------------------------------------------------------------------


def short_hash(value: str) -> str:
    return value[:SHORT_HASH]


def said(value: Any, key: str = "") -> str:
    """A stored value in words: yes/no, amounts with two decimals, short hashes, moments in the reader's
    time zone, lists item by item, objects as "label：value" pairs."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key in AMOUNTS:
        return amount(value)
    if key in SHARES and isinstance(value, int | float):
        return f"{value:.1%}"
    if isinstance(value, dict):
        if isinstance(value.get("pattern"), str):  # a stored Text
            return str(say_stored(value))
        return _("；").join(pair(k, v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return _("、").join(said(item, key) for item in value)
    text = str(value)
    if HASH.match(text):
        return short_hash(text)
    if MOMENT.match(text):
        try:
            return format_datetime(datetime.fromisoformat(text), "yyyy-MM-dd HH:mm")
        except ValueError:
            return text
    return text


def pair(key: str, value: Any) -> str:
    """ "label：value", or the value alone for a key without a label (never the key itself)."""
    label = KEY_LABELS.get(key)
    return f"{_(label)}{_('：')}{said(value, key)}" if label else said(value, key)


def labelled(labels: dict[Any, str], value: Any) -> str:
    return label_of(labels, value) if value in labels else said(value)


def _hash(s: Summary, key: str = "content_hash") -> list[Part]:
    return [Part(key, _("内容哈希 %(hash)s", hash=short_hash(str(s[key]))))] if s.has(key) else [Part(key, "")]


def _parts(*pieces: tuple[str, str]) -> list[Part]:
    return [Part(name, text) for name, text in pieces]


# -- one formatter per action -------------------------------------------------------------------


def _plan_created(s: Summary) -> list[Part]:
    return [Part("title", said(s["title"])), *_hash(s)]


def _plan_updated(s: Summary) -> list[Part]:
    names = [_("方案名称") if k == "title" else labelled(SECTIONS, k) for k in (s["sections"] or [])]
    return [Part("sections", _("修改了：%(what)s", what=_("、").join(names))),
            Part("to_hash", _("内容哈希 %(before)s → %(after)s", before=said(s["from_hash"]), after=said(s["to_hash"])))]  # fmt: skip


def _plan_submitted(s: Summary) -> list[Part]:
    parts = [Part("revision", _("第%(n)s版", n=s["revision"])), *_hash(s)]
    if s["vote_skipped"]:
        parts.append(Part("vote_skipped", _("内容与表决通过的版本相同，无需重新表决")))
    answers = [a for a in (s["answers"] or []) if isinstance(a, dict)]
    if answers:  # one per return reason (approvals/services/return_reasons.py)
        said_answers = [_("第%(n)s条理由“%(reason)s”，企业答复：%(answer)s", n=said(a.get("number")),
                          reason=said(a.get("reason")), answer=said(a.get("answer"))) for a in answers]  # fmt: skip
        parts.append(Part("answers", _("；").join(said_answers)))
    return parts


def _document_number(s: Summary) -> list[Part]:
    return (
        [Part("document_number", _("文号：%(number)s", number=said(s["document_number"])))]
        if s.has("document_number")
        else []
    )


def _returned_incomplete(s: Summary) -> list[Part]:
    missing = [m for m in (s["missing"] or []) if isinstance(m, dict)]
    items = [f"{labelled(SECTIONS, m.get('section'))}{_('：')}{said(m.get('message'))}" for m in missing]
    return [Part("missing", _("尚缺%(n)s项：%(items)s", n=len(missing), items=_("；").join(items)))]


def _roster_imported(s: Summary) -> list[Part]:
    return [Part("file", _("文件“%(file)s”：接受%(a)s行，拒绝%(r)s行；新增%(n)s人，修改%(u)s人，删除%(d)s人",
                           file=said(s["file"]), a=s["accepted"], r=s["rejected"], n=s["added"], u=s["updated"],
                           d=s["removed"])),
            Part("severance_total", _("经济补偿合计%(s)s元，内部退养费用合计%(i)s元",
                                      s=said(s["severance_total"], "severance_total"),
                                      i=said(s["internal_retirement_total"], "internal_retirement_total"))),
            Part("sha256", _("文件SHA-256 %(hash)s", hash=said(s["sha256"]))), *_hash(s)]  # fmt: skip


def _worker_edited(s: Summary) -> list[Part]:
    fields = _("、").join(roster_field_label(str(f)) for f in (s["fields"] or []))
    return [Part("id_number", _("职工 %(id)s：修改了%(fields)s", id=said(s["id_number"]), fields=fields)),
            Part("severance", _("本人经济补偿%(amount)s元", amount=said(s["severance"], "severance"))),
            Part("severance_total", _("经济补偿合计%(amount)s元", amount=said(s["severance_total"], "severance_total"))),
            *_hash(s)]  # fmt: skip


def _file(s: Summary, what: str) -> list[Part]:
    return [Part(what, _("%(what)s：%(file)s（%(size)s字节）", what=what, file=said(s["filename"]), size=said(s["size"]))),
            Part("sha256", _("文件SHA-256 %(hash)s", hash=said(s["sha256"]))), *_hash(s)]  # fmt: skip


def _evidence(s: Summary) -> list[Part]:
    s.skip("id", "kind")
    return _file(s, _("资金来源第%(n)s项", n=s["source_number"]))


def _congress_document(s: Summary) -> list[Part]:
    s.skip("id", "kind")
    return _file(s, _(str(s["kind_label"] or "")))


def _vote(s: Summary) -> list[Part]:
    s.skip("result")  # the reason, when stored, says the result more precisely (an open vote)
    parts = _parts(
        ("held_on", f"{_(str(s['body_type']))} {said(s['held_on'])}"),
        ("counts", _("应到%(total)s，实到%(present)s，赞成%(yes)s，反对%(no)s，弃权%(abstain)s", total=s["total"],
                     present=s["present"], yes=s["yes"], no=s["no"], abstain=s["abstain"])),
        ("result", labelled(RESULT_LABELS, outcome) if (outcome := s["reason"] or s["result"]) else ""),
    )  # fmt: skip
    if s["secret_ballot"] is False:
        parts.append(Part("secret_ballot", _("非无记名投票（如举手表决）")))
    if s.has("ballots_issued") or s.has("ballots_valid"):
        parts.append(Part("ballots", _("发出选票%(issued)s张，收回%(returned)s张，有效%(valid)s张",
                                       issued=said(s["ballots_issued"]), returned=said(s["ballots_returned"]),
                                       valid=said(s["ballots_valid"]))))  # fmt: skip
    if s.has("chair"):
        parts.append(Part("chair", _("主持人%(chair)s，监票人%(scrutineers)s", chair=said(s["chair"]),
                                     scrutineers=said(s["scrutineers"]))))  # fmt: skip
    if s.has("explanation"):
        parts.append(Part("explanation", f"{_('代表人数说明')}{_('：')}{said(s['explanation'])}"))
    documents = [d for d in (s["documents"] or []) if isinstance(d, dict)]
    if documents:
        parts.append(
            Part(
                "documents",
                _(
                    "会议材料：%(files)s",
                    files=_("、").join(
                        f"{_(str(d.get('kind_label') or ''))}{_('（')}{said(d.get('filename'))}{_('）')}"
                        for d in documents
                    ),
                ),
            )
        )
    parts += _hash(s)
    return parts


def _review(s: Summary) -> list[Part]:
    decision = labelled(DECISIONS, s["decision"])
    return [Part("decision", f"{decision}{_('：')}{said(s['reasons'])}" if s.has("reasons") else decision),
            *_document_number(s), *_hash(s)]  # fmt: skip


def _risk(s: Summary) -> list[Part]:
    inputs = s["inputs"] if isinstance(s["inputs"], dict) else {}
    parts = [Part("risk_level", f"{labelled(RISK_LEVELS, s['risk_level'])}{_('：')}{_(str(s['reason'] or ''))}")]
    if s.has("working_group"):
        parts.append(Part("working_group", _("交由%(group)s", group=said(s["working_group"]))))
    if inputs:
        shown = [f"{_(RISK_INPUT_LABELS[k])}{_('：')}{said(v, k)}" if k in RISK_INPUT_LABELS else pair(k, v)
                 for k, v in inputs.items()]  # fmt: skip
        parts.append(Part("inputs", f"{_('评定依据')}{_('：')}{_('；').join(shown)}"))
    return parts


def _verified(s: Summary) -> list[Part]:
    workers = _("核查%(n)s人", n=s["workers"])  # outside the f-string, where pybabel extract finds it
    return [Part("method", f"{_(str(s['method'] or ''))}{_('：')}{said(s['result'])}"),
            Part("sample", f"{said(s['sample'])}{_('（')}{workers}{_('）')}")]  # fmt: skip


def _filing(s: Summary) -> list[Part]:
    return [Part("name", f"{said(s['name'])}{_('（')}{said(s['id_number'])}{_('）')}"),
            Part("filing", f"{_('备案编号')} {said(s['filing'])}"), Part("note", said(s["note"]))]  # fmt: skip


def _involved(s: Summary) -> list[Part]:
    signs = _("；").join(str(say_stored(sign)) for sign in (s["signs"] or []))
    return [Part("working_group", _("交由%(group)s", group=said(s["working_group"]))), Part("signs", signs)]


def _advised(s: Summary) -> list[Part]:
    return [Part("advice", said(s["advice"])), *_hash(s)]


def _formed(s: Summary) -> list[Part]:
    members = s["members"] or []
    names = [str(m.get("name") or "") if isinstance(m, dict) else str(m) for m in members]
    return [Part("members", _("成员%(n)s人：%(names)s", n=len(members), names=_("、").join(n for n in names if n))),
            Part("contact_point", _("联系点：%(point)s", point=said(s["contact_point"])))]  # fmt: skip


def _decided(s: Summary) -> list[Part]:
    return [Part("decision", f"{labelled(DECISIONS, s['decision'])}{_('：')}{said(s['findings'])}")]


def _published(s: Summary) -> list[Part]:
    parts = [Part("revision", _("第%(n)s版", n=s["revision"])), *_document_number(s), *_hash(s)]
    if s.has("notice_closes_at"):
        parts.append(Part("notice_closes_at", _("公示至%(at)s", at=said(s["notice_closes_at"]))))
    return parts


def _refused(s: Summary) -> list[Part]:
    unmet = _("、").join(labelled(CONDITION_LABELS, k) for k in (s["unmet"] or []))
    return [Part("unmet", _("未满足：%(conditions)s", conditions=unmet))]


def _execution_value(key: str, value: Any) -> str:
    if key == "agreement_kind":
        return labelled(AGREEMENT_KINDS, value)
    if key == "outcome_kind":
        return labelled(OUTCOME_KINDS, value)
    if key == "outcome" and isinstance(value, dict):
        return _("、").join(f"{_(OUTCOME_FIELD_LABELS.get(k, k))}{_('：')}{said(v)}" for k, v in value.items())
    return said(value, key)


def _execution_recorded(s: Summary) -> list[Part]:
    values = s["values"] or {}
    entered = _("；").join(f"{_(FIELD_LABELS[k])}{_('：')}{_execution_value(k, v)}" for k, v in values.items()
                          if k in FIELD_LABELS)  # fmt: skip
    parts = [Part("part", _("第%(row)s行职工 %(id)s：%(part)s", row=said(s["row"]), id=said(s["id_number"]),
                            part=labelled(PARTS, s["part"]))),
             Part("values", entered)]  # fmt: skip
    if s.has("late"):
        late = _("、").join(
            _("%(what)s逾期%(days)s天", what=_(ITEM_LABELS.get(k, k)), days=v) for k, v in s["late"].items()
        )
        parts.append(Part("late", late))
    return parts


def _execution_changed(s: Summary) -> list[Part]:
    """A part corrected or withdrawn: the worker, the part, the reason, each field's old and new value."""
    old, new = s["old"] or {}, s["new"] or {}
    names = [n for n in dict.fromkeys([*old, *new]) if old.get(n) != new.get(n)]
    changes = _("；").join(
        _("%(field)s：%(old)s → %(new)s", field=_(label_of_field(n)),
          old=_execution_value(n, old[n]) if n in old else "—", new=_execution_value(n, new[n]) if n in new else "—")
        for n in names
    )  # fmt: skip
    parts = [Part("part", _("第%(row)s行职工 %(id)s：%(part)s", row=said(s["row"]), id=said(s["id_number"]),
                            part=labelled(PARTS, s["part"]))),
             Part("reason", _("理由：%(reason)s", reason=said(s["reason"]))), Part("old", changes)]  # fmt: skip
    s.skip("new", "worker_id")  # said with the old values; the worker is named by row and ID number
    if s.has("late"):
        late = _("、").join(
            _("%(what)s逾期%(days)s天", what=_(ITEM_LABELS.get(k, k)), days=v) for k, v in s["late"].items()
        )
        parts.append(Part("late", late))
    return parts


def label_of_field(name: str) -> str:
    return DUE_LABEL if name == "severance_due" else FIELD_LABELS.get(name) or OUTCOME_FIELD_LABELS.get(name) or name


def _execution_uploaded(s: Summary) -> list[Part]:
    entered = _("、").join(
        _("%(part)s%(n)s项", part=labelled(PARTS, k), n=said(v)) for k, v in (s["parts"] or {}).items()
    )
    said_parts = [
        Part("file", _("文件“%(file)s”", file=said(s["file"]))),
        Part("rows", ngettext("%(num)s行", "%(num)s行", int(s["rows"] or 0))),
        Part("workers", ngettext("%(num)s名职工", "%(num)s名职工", int(s["workers"] or 0))),
        Part("entries", ngettext("登记%(num)s项", "登记%(num)s项", int(s["entries"] or 0))),
        Part("parts", entered),
    ]
    if s["late"]:
        said_parts.append(Part("late", ngettext("其中%(num)s项超过法定期限办理，已告知人社部门",
                                                "其中%(num)s项超过法定期限办理，已告知人社部门", int(s["late"]))))  # fmt: skip
    return [*said_parts, Part("sha256", _("文件SHA-256 %(hash)s", hash=said(s["sha256"])))]


def _close_refused(s: Summary) -> list[Part]:
    items = s["items"] or []
    named = _("；").join(_("第%(row)s行（%(name)s）%(item)s", row=i.get("row"), name=said(i.get("name")), item=_(str(i.get("item"))))
                        for i in items[:10])  # fmt: skip
    return [Part("open", _("尚有%(count)s项未办结，涉及%(workers)s名职工", count=said(s["open"]), workers=said(s["workers"]))),
            Part("items", named)]  # fmt: skip


def _overdue(s: Summary) -> list[Part]:
    items = _("、").join(_(ITEM_LABELS.get(k, k)) for k in s["items"] or [])
    return [Part("row", _("第%(row)s行职工：%(items)s", row=said(s["row"]), items=items)),
            Part("days", _("最多逾期%(days)s天", days=said(s["days"])))]  # fmt: skip


def _services_short(s: Summary) -> list[Part]:
    parts = [Part("due_on", _("就业服务应于%(day)s前达到最低次数", day=said(s["due_on"]))),
             Part("workers", ngettext("%(num)s名职工未达到", "%(num)s名职工未达到", int(s["workers"] or 0))),
             Part("rows", _("第%(rows)s行", rows=said(s["rows"])))]  # fmt: skip
    if s.has("days"):
        parts.append(Part("days", ngettext("已逾期%(num)s天", "已逾期%(num)s天", int(s["days"] or 0))))
    return parts


def _closed(s: Summary) -> list[Part]:
    return [Part("workers", _("%(count)s名职工均已落实", count=said(s["workers"]))), *_hash(s)]


def _amendment(s: Summary) -> list[Part]:
    return [Part("amendment", _("第%(n)s次变更，自第%(revision)s版起", n=said(s["amendment"]), revision=said(s["from_revision"]))),
            Part("reason", said(s["reason"])),
            Part("records_kept", _("保留的实施登记：%(n)s", n=said(s["records_kept"]))),
            *_hash(s, "published_hash")]  # fmt: skip


def _migrated(s: Summary) -> list[Part]:
    return [Part("version", _("流程版本 %(old)s → %(new)s", old=short_hash(str(s["from_version"])),
                              new=short_hash(str(s["to_version"])))),
            Part("tasks", _("等待任务：%(tasks)s",
                            tasks=_("、").join(_(task_titles().get(str(t), "")) or said(t) for t in (s["tasks"] or []))))]  # fmt: skip


def _escalated(s: Summary) -> list[Part]:
    return [Part("message", said(s["message"])), Part("status", labelled(STATUS_LABELS, s["status"]))]


def _objection_received(s: Summary) -> list[Part]:
    listed = _("在职工名单中") if s["on_roster"] else _("不在职工名单中")
    return [Part("objection_id", _("异议编号%(n)s", n=s["objection_id"])),
            Part("id_number", f"{said(s['id_number'])}{_('（')}{listed}{_('）')}")]  # fmt: skip


def _objection_step(s: Summary) -> list[Part]:
    parts = [Part("objection_id", _("异议编号%(n)s", n=s["objection_id"])),
             Part("status", labelled(OBJECTION_STATUS, s["status"]))]  # fmt: skip
    if s.has("text"):
        parts.append(Part("text", said(s["text"])))
    return parts


def _reminded(s: Summary) -> list[Part]:
    roles = _("、").join(labelled(ROLE_LABELS, r) for r in (s["roles"] or []))
    tasks = _("、").join(_(task_titles().get(str(t), "")) or said(t) for t in (s["tasks"] or []))
    return [Part("message", said(s["message"])), Part("roles", _("催办%(roles)s：%(tasks)s", roles=roles, tasks=tasks))]


def _user(s: Summary) -> list[Part]:
    return [Part("username", _("用户 %(name)s", name=said(s["username"])))]


def _tokens(s: Summary) -> list[Part]:
    parts = _user(s)
    if s.has("tokens_revoked"):
        parts.append(Part("tokens_revoked", _("撤销访问令牌%(n)s个", n=s["tokens_revoked"])))
    return parts


def _password_changed(s: Summary) -> list[Part]:
    parts = _tokens(s)
    if s["after_reset"]:
        parts.append(Part("after_reset", _("管理员重置后首次修改")))
    return parts


def _token_revoked(s: Summary) -> list[Part]:
    return [*_user(s), Part("token", _("访问令牌 %(token)s", token=said(s["token"])))]


def _tokens_revoked(s: Summary) -> list[Part]:
    return [*_user(s), Part("count", _("撤销%(n)s个访问令牌", n=s["count"]))]


def _locked(s: Summary) -> list[Part]:
    return [Part("scope", f"{_('锁定范围')}{_('：')}{labelled(LOCK_SCOPES, s['scope'])}"),
            Part("username", _("用户 %(name)s", name=said(s["username"]))),
            Part("address", f"{_('网络地址')} {said(s['address'])}"),
            Part("until", _("锁定至%(at)s", at=said(s["until"])))]  # fmt: skip


def _contact(s: Summary) -> list[Part]:
    return [*_user(s), Part("email", f"{_('电子邮箱')}{_('：')}{said(s['email'])}"),
            Part("language", f"{_('界面语言')}{_('：')}{labelled(LANGUAGE_NAMES, s['language'])}")]  # fmt: skip


def _interface_language(s: Summary) -> list[Part]:
    return [*_user(s), Part("language", f"{_('界面语言')}{_('：')}{labelled(LANGUAGE_NAMES, s['language'])}")]


def _grant(s: Summary) -> list[Part]:
    reach = [said(s[k]) for k in ("enterprise", "region", "working_group") if s.has(k)]
    role = labelled(ROLE_LABELS, s["role"])
    return [*_user(s), Part("role", f"{role}{_('（')}{_('、').join(reach)}{_('）')}" if reach else role)]


def _enterprise_created(s: Summary) -> list[Part]:
    return [Part("name", f"{said(s['name'])}{_('（')}{said(s['uscc'])}{_('）')}"),
            Part("industry", labelled(INDUSTRIES, s["industry"])),
            Part("region", f"{_('地区')} {said(s['region'])}"),
            Part("headcount", _("职工%(n)s人", n=s["headcount"])),
            Part("zombie", f"{_('拟出清的僵尸企业')}{_('：')}{said(s['zombie'])}")]  # fmt: skip


ENTERPRISE_FIELDS = {"name": N_("企业名称"), "uscc": N_("统一社会信用代码"), "industry": N_("所属行业"),
                     "region_code": N_("所在地区"), "headcount": N_("职工人数"), "zombie": N_("拟出清的僵尸企业"),
                     "parent_group": N_("上级集团公司")}  # fmt: skip


def _enterprise_updated(s: Summary) -> list[Part]:
    changed = s["changed"] if isinstance(s["changed"], dict) else {}

    def value(key: str, v: Any) -> str:
        return labelled(INDUSTRIES, v) if key == "industry" else said(v, key)

    changes = [f"{_(ENTERPRISE_FIELDS.get(k, KEY_LABELS.get(k, '')) or '')}{_('：')}{value(k, old)} → {value(k, new)}"
               for k, (old, new) in ((k, v if isinstance(v, list) and len(v) == 2 else [None, v])
                                     for k, v in changed.items())]  # fmt: skip
    return [
        Part("enterprise", f"{_('统一社会信用代码')} {said(s['enterprise'])}"),
        Part("changed", _("；").join(changes)),
    ]


def _region(s: Summary) -> list[Part]:
    return [Part("name", f"{said(s['name'])}{_('（')}{said(s['code'])}{_('）')}"),
            Part("level", labelled(REGION_LEVELS, s["level"])),
            Part("parent", f"{_('上级地区')} {said(s['parent'])}")]  # fmt: skip


def _group_created(s: Summary) -> list[Part]:
    return [Part("name", said(s["name"])), Part("region", f"{_('地区')} {said(s['region'])}")]


def _wages(s: Summary) -> list[Part]:
    return [Part("city", _("%(city)s %(year)s年", city=said(s["city"]), year=said(s["year"]))),
            Part("average", _("月平均工资%(after)s元（原%(before)s）", after=said(s["average"], "average"),
                              before=said(s["before"], "average")))]  # fmt: skip


def _parameter_name(key: Any) -> str:
    return _(PARAMETERS[key].label) if key in PARAMETERS else said(key)


def _parameter_value(key: Any, stored: Any) -> str:
    """A parameter's stored text as the administrator's page shows it ("5年", "钢铁、煤炭")."""
    if key not in PARAMETERS or stored in (None, ""):
        return said(stored)
    try:
        return shown_value(key, parse_value(key, str(stored)), _)
    except (ValueError, KeyError, ArithmeticError):
        return said(stored)


def _parameter(s: Summary) -> list[Part]:
    return [Part("key", _parameter_name(s["key"])),
            Part("value", _("自%(day)s起为%(value)s（原%(before)s）", day=said(s["effective_from"]),
                            value=_parameter_value(s["key"], s["value"]),
                            before=_parameter_value(s["key"], s["before"]))),
            Part("basis", f"{_('依据')}{_('：')}{said(s['basis'])}")]  # fmt: skip


def _tier(value: Any) -> str:
    return labelled(WAGE_TIERS, value)


def _wage_tier(s: Summary) -> list[Part]:
    return [Part("region", f"{_('地区')} {said(s['region'])}"),
            Part("tier", _("自%(day)s起为%(tier)s（原%(before)s）", day=said(s["effective_from"]), tier=_tier(s["tier"]),
                           before=_tier(s["before"]) if s["before"] is not None else "—")),
            Part("basis", f"{_('依据')}{_('：')}{said(s['basis'])}")]  # fmt: skip


def _seeded(s: Summary) -> list[Part]:
    values = [v for v in (s["values"] or []) if isinstance(v, list) and len(v) == 3]
    shown = [_("%(name)s自%(day)s起为%(value)s", name=_parameter_name(k), day=d, value=_parameter_value(k, v))
             for k, d, v in values]  # fmt: skip
    return [Part("values", _("载入%(n)s项：%(values)s", n=len(values), values=_("；").join(shown)))]


def _recomputed(s: Summary) -> list[Part]:
    s.skip(
        "cause", "city"
    )  # the action that caused it (the wage figures entered) and the city's code: its name says it
    parts = [Part("workers", _("按%(city)s%(year)s年工资参数重新计算%(n)s人", city=said(s["city_name"]), year=said(s["year"]),
                               n=s["workers"])),
             Part("severance_total", _("经济补偿合计%(amount)s元", amount=said(s["severance_total"], "severance_total")))]  # fmt: skip
    if s["severance_missing"]:
        parts.append(Part("severance_missing", _("尚有%(n)s人无法计算", n=s["severance_missing"])))
    return [*parts, *_hash(s)]


def _days(value: Any) -> str:
    days = value if isinstance(value, dict) else {}
    return _(
        "放假%(holidays)s；调休上班%(workdays)s",
        holidays=said(days.get("holidays")),
        workdays=said(days.get("workdays")),
    )


def _holidays(s: Summary) -> list[Part]:
    parts = [Part("year", _("%(year)s年", year=said(s["year"]))), Part("holidays", _days(s.data)),
             Part("basis", f"{_('依据')}{_('：')}{said(s['basis'])}")]  # fmt: skip
    s.skip("holidays", "workdays")
    if s.has("before"):
        parts.append(Part("before", _("原为%(days)s", days=_days(s["before"]))))
    return parts


def _started(s: Summary) -> list[Part]:
    return _hash(s)


def _worker(s: Summary) -> Part:
    return Part("name", f"{said(s['name'])}{_('（')}{said(s['id_number'])}{_('）')}")


def _service(s: Summary) -> list[Part]:
    return [_worker(s), Part("kind", f"{labelled(SERVICE_KINDS, s['kind'])} {said(s['provided_on'])}"),
            Part("provider", pair("provider", s["provider"])), Part("result", pair("result", s["result"]))]  # fmt: skip


def _difficulty(s: Summary) -> list[Part]:
    criteria = _("、").join(labelled(DIFFICULTY_CRITERIA, c) for c in (s["criteria"] or []))
    return [_worker(s), Part("criteria", _("认定条件：%(criteria)s", criteria=criteria)), Part("note", said(s["note"]))]


def _difficulty_filed(s: Summary) -> list[Part]:
    return [_worker(s), Part("file_number", _("%(day)s建档立卡，档案编号%(number)s", day=said(s["filed_on"]),
                                              number=said(s["file_number"])))]  # fmt: skip


def _assistance(s: Summary) -> list[Part]:
    return [_worker(s), Part("helper", _("%(day)s，援助责任人%(helper)s", day=said(s["provided_on"]), helper=said(s["helper"]))),
            Part("content", said(s["content"])), Part("result", pair("result", s["result"]))]  # fmt: skip


def _household(s: Summary) -> list[Part]:
    return [Part("household", _("第%(n)s户", n=s["household"])),
            Part("members", _("成员：%(names)s", names=_("、").join(str(n) for n in (s["members"] or []))))]  # fmt: skip


def _member(s: Summary) -> list[Part]:
    work = _("在业") if s["employed"] else _("无业")
    return [Part("household", _("第%(n)s户", n=s["household"])),
            Part("member", f"{said(s['member'])}{_('（')}{labelled(RELATIONS, s['relation'])}{_('，')}{work}{_('）')}")]  # fmt: skip


def _post(s: Summary) -> list[Part]:
    who = _worker(s) if s.has("name") else Part("member", said(s["member"]))
    s.skip("name", "id_number", "member")
    period = (_("%(start)s至%(end)s", start=said(s["starts_on"]), end=said(s["ends_on"])) if s.has("ends_on")
              else _("%(start)s起", start=said(s["starts_on"])))  # fmt: skip
    return [who, Part("kind", labelled(POST_KINDS, s["kind"])),
            Part("post", f"{said(s['employer'])} {said(s['post'])}"), Part("starts_on", period)]  # fmt: skip


def _support(s: Summary) -> list[Part]:
    parts = [_worker(s), Part("kind", f"{labelled(SUPPORT_KINDS, s['kind'])} {said(s['granted_on'])}"),
             Part("provider", pair("provider", s["provider"]))]  # fmt: skip
    if s.has("amount"):
        parts.append(Part("amount", pair("amount", s["amount"])))
    if s.has("cap"):
        parts.append(Part("cap", pair("cap", s["cap"])))
    if s.has("reference"):
        parts.append(Part("reference", pair("reference", s["reference"])))
    return parts


def _service_changed(s: Summary) -> list[Part]:
    """A service record corrected or withdrawn: whose, which record, the reason, each field's old and new value."""
    what = s["record"]
    who = _worker(s) if s.has("name") else Part("member", said(s["member"]))
    s.skip("name", "id_number", "member", "member_id", "worker_id", "record_id", "new")
    old, new = s["old"] or {}, s.data.get("new") or {}
    names = [n for n in dict.fromkeys([*old, *new]) if old.get(n) != new.get(n)]
    changes = _("；").join(
        _("%(field)s：%(old)s → %(new)s", field=_(SERVICE_FIELD_LABELS.get(n, n)),
          old=said(shown_service(what, n, old.get(n))) if n in old else "—",
          new=said(shown_service(what, n, new.get(n))) if n in new else "—")
        for n in names
    )  # fmt: skip
    label = SERVICE_RECORDS[what].label if what in SERVICE_RECORDS else what
    return [who, Part("record", _(label)), Part("reason", _("理由：%(reason)s", reason=said(s["reason"]))),
            Part("old", changes)]  # fmt: skip


def shown_service(what: str, name: str, value: object) -> str:
    shown = service_value(what, name, value)
    return str(say(shown)) if shown else ""


FORMATTERS: dict[str, Callable[[Summary], list[Part]]] = {
    "plan.created": _plan_created,
    "plan.updated": _plan_updated,
    "roster.imported": _roster_imported,
    "roster.worker_edited": _worker_edited,
    "funding.evidence_added": _evidence,
    "funding.evidence_removed": _evidence,
    "objection.received": _objection_received,
    "objection.accept": _objection_step,
    "objection.verify": _objection_step,
    "objection.reply": _objection_step,
    "objection.close": _objection_step,
    "objection.reopen": _objection_step,
    "plan.reminded": _reminded,
    "user.contact_set": _contact,
    "user.interface_language_set": _interface_language,
    "plan.submitted": _plan_submitted,
    "process.migrated": _migrated,
    "plan.returned_incomplete": _returned_incomplete,
    "congress.document_uploaded": _congress_document,
    "congress.document_replaced": _congress_document,
    "congress.vote_recorded": _vote,
    "congress.vote_escalated": _escalated,
    "review.decided": _review,
    "risk.assessed": _risk,
    "roster.verified": _verified,
    "roster.filing_confirmed": _filing,
    "review.escalated": _escalated,
    "working_group.involved": _involved,
    "working_group.advised": _advised,
    "working_group.formed": _formed,
    "working_group.decided": _decided,
    "plan.published": _published,
    "execution.started": _started,
    "execution.refused": _refused,
    "execution_service.service_recorded": _service,
    "execution_service.difficulty_confirmed": _difficulty,
    "execution_service.difficulty_filed": _difficulty_filed,
    "execution_service.assistance_recorded": _assistance,
    "execution_service.household_recorded": _household,
    "execution_service.member_added": _member,
    "execution_service.post_recorded": _post,
    "execution_service.support_recorded": _support,
    "execution.recorded": _execution_recorded,
    "execution.uploaded": _execution_uploaded,
    "execution.corrected": _execution_changed,
    "execution_service.corrected": _service_changed,
    "execution_service.withdrawn": _service_changed,
    "execution.withdrawn": _execution_changed,
    "execution.close_refused": _close_refused,
    "execution.closed": _closed,
    "plan.amendment_started": _amendment,
    "execution.overdue": _overdue,
    "execution_service.due_reminded": _services_short,
    "execution_service.overdue": _services_short,
    "enterprise.created": _enterprise_created,
    "enterprise.updated": _enterprise_updated,
    "region.created": _region,
    "user.created": _user,
    "user.role_granted": _grant,
    "user.role_revoked": _grant,
    "user.deactivated": _tokens,
    "user.reactivated": _tokens,
    "user.password_changed": _password_changed,
    "user.password_reset": _tokens,
    "user.login_locked": _locked,
    "user.token_revoked": _token_revoked,
    "user.tokens_revoked": _tokens_revoked,
    "working_group.created": _group_created,
    "wage_parameters.set": _wages,
    "parameter.set": _parameter,
    "parameters.seeded": _seeded,
    "wage_tier.set": _wage_tier,
    "roster.recomputed": _recomputed,
    "holidays.set": _holidays,
}


def summary_parts(action: str, stored: Any) -> list[Part]:
    """The gist of one event: its action's formatter, then every key it left, said by the generic one."""
    summary = Summary(stored)
    formatter = FORMATTERS.get(action)
    parts = formatter(summary) if formatter else []
    parts += [Part(key, pair(key, summary.data[key])) for key in summary.rest() if summary.has(key)]
    return [part for part in parts if part.text and part.text != "—"]


def summary_text(action: str, stored: Any) -> str:
    """The gist as one line, for the trail's table and its exports."""
    return " · ".join(part.text for part in summary_parts(action, stored))


@cache
def task_titles() -> dict[str, str]:
    """The name of each user task of the process files (a reminder names the tasks it chased)."""
    titles = {}
    for path in sorted((BASE_DIR / "workflows").glob("*.bpmn")):
        for element in ElementTree.parse(path).iter():  # noqa: S314
            if element.tag.endswith("}userTask") and element.get("name"):
                titles[str(element.get("id"))] = str(element.get("name"))
    return titles
