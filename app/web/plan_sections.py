"""One form per plan section: the fields a clerk fills in, and how they map to the plan's content.

The content is the plan's JSON document (approvals/rules/content.py); the completeness check
(approvals/rules/completeness.py) says what it must hold. These forms only parse what is typed
(whole numbers, amounts, dates) and put it in place: saving merges the form into the section, so
keys the form does not show (the roster's computed costs in funding, the enterprise's registry
data in profile) are kept, and a value typed again unchanged keeps its stored form (no new hash).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from app.web.form_fields import AmountField, CountField, DayField, MaxLength, QuantityField, RegisterFlagField
from approvals.rules.content import (
    CHANNELS,
    COMPUTED_FUNDING_ITEMS,
    FUNDING_ITEMS,
    FUNDING_SOURCES,
    SECTIONS,
    as_dict,
    as_list,
)
from approvals.rules.plan_schema import TEXT_SECTIONS
from approvals.rules.severance import DEFAULT_GROUND, DEFAULT_METHOD, PRE2008_METHODS, TERMINATION_GROUNDS

TEXT_ROWS = {"rows": 4}


def core_label(text: str) -> Any:
    """A label defined in approvals/ (marked N_ there for extraction), translated when rendered."""
    return _l(text)


# A list row's hidden field naming the stored item it shows (1-based; blank for a row added in the page):
# a row removed before it then takes nothing of another row's stored data (or its evidence files).
ORIGIN = "origin"
NOT_CONTENT = {"csrf_token", "version", "title", ORIGIN}


class SectionForm(FlaskForm):
    """A section's fields plus the plan version the clerk saw (a concurrent change is refused)."""

    version = HiddenField()


# --- structured sections -------------------------------------------------------------------------


class ProfileForm(SectionForm):
    title = StringField(_l("方案名称"), validators=[MaxLength(200)],
                        description=_l("如“××钢铁有限公司化解过剩产能职工安置方案”。"))  # fmt: skip
    ownership = StringField(_l("所有制性质"), description=_l("如国有独资、国有控股、集体、民营。"),
                            render_kw={"list": "ownership-options"})  # fmt: skip
    parent_group = StringField(_l("上级集团公司"), description=_l("无上级集团的可不填。"))
    # Read-only, from the register (rules/register.py): the page shows it beside the registry data.
    zombie = RegisterFlagField(_l("拟出清的僵尸企业"))


class DecapacityForm(SectionForm):
    capacity_withdrawn = QuantityField(_l("退出产能"), description=_l("本次化解过剩产能任务退出的产能数量，须大于0。"))
    unit = StringField(_l("产能单位"), description=_l("如万吨、万千瓦、万重量箱。"), render_kw={"list": "unit-options"})
    year = StringField(_l("任务年度"), description=_l("如2018。"), validators=[MaxLength(20)])


class WorkforceForm(SectionForm):
    on_roll = CountField(_l("在册职工数（人）"), description=_l("与企业劳动合同台账一致的在册职工总数。"))
    in_scope = CountField(
        _l("需安置职工数（人）"), description=_l("纳入本次安置范围的职工数，不得多于在册职工数，应与职工名单一致。")
    )
    excluded = CountField(_l("不纳入安置范围人数（人）"), description=_l("无则填0。"))
    exclusion_reasons = TextAreaField(
        _l("不纳入安置范围的原因"), render_kw=TEXT_ROWS,
        description=_l("已解除或终止劳动关系、已领取基本养老金的人员不纳入安置范围（冀人社发〔2018〕38号 第二条）。"),
    )  # fmt: skip


ChannelsForm = type(
    "ChannelsForm",
    (SectionForm,),
    {key: CountField(_l(label), description=_l("人数，无则填0。")) for key, label in CHANNELS.items()},
)


class SeveranceForm(SectionForm):
    reference_date = DayField(_l("经济补偿计算基准日"),
                              description=_l("计算工作年限、经济补偿和退休时间的基准日，如2018-07-31；职工名单按此日计算。"))  # fmt: skip
    termination_ground = SelectField(
        _l("解除或终止劳动合同的依据"), default=DEFAULT_GROUND,
        choices=[SelectChoice(key, core_label(ground.label)) for key, ground in TERMINATION_GROUNDS.items()],
        description=_l("职工名单“解除或终止劳动合同依据”一栏未填写的职工按此依据；它决定2008年前工作年限的计算"
                       "（劳部发〔1994〕481号）。受劳动合同法第四十二条保护的职工不得依第四十条、第四十一条解除。"),
    )  # fmt: skip
    pre2008_method = SelectField(
        _l("2008年前工作年限计算办法"), default=DEFAULT_METHOD,
        choices=[SelectChoice(key, core_label(label)) for key, label in PRE2008_METHODS.items()],
        description=_l("默认依照劳动合同法第九十七条第三款分段计算：2008年1月1日前按劳部发〔1994〕481号，之后按第四十七条。"
                       "当地统一按第四十七条计算全部工作年限的，选择第二项。"),
    )  # fmt: skip
    enterprise_average_wage = AmountField(
        _l("企业月平均工资（元）"),
        description=_l("本企业职工月平均工资。因患病、客观情况变化、经济性裁员、破产或关闭解除的，2008年前工作年限和"
                       "医疗补助费的月工资低于此数的按此数计算（劳部发〔1994〕481号第十一条）；可不填。"),
    )  # fmt: skip


class ArrearsForm(SectionForm):
    wages = AmountField(_l("拖欠职工工资（元）"), description=_l("无则填0。"))
    social_insurance = AmountField(_l("欠缴社会保险费（元）"), description=_l("无则填0。"))


class InternalRetirementForm(SectionForm):
    living_allowance = AmountField(_l("内退生活费标准（元/月）"),
                                   description=_l("有内部退养职工时必填，不得低于省政府规定的最低标准。"))  # fmt: skip
    terms = TextAreaField(_l("内部退养办法"), render_kw=TEXT_ROWS,
                          description=_l("生活费发放、社会保险费缴纳、达到退休年龄时办理退休等。"))  # fmt: skip


class RequiredFundsForm(Form):
    """What the plan needs, by item; severance and internal retirement come from the roster."""

    arrears = AmountField(core_label(FUNDING_ITEMS["arrears"]), description=_l("应为拖欠工资与欠缴社会保险费之和。"))
    social_insurance = AmountField(core_label(FUNDING_ITEMS["social_insurance"]))
    training = AmountField(core_label(FUNDING_ITEMS["training"]))
    other = AmountField(core_label(FUNDING_ITEMS["other"]))


COMPUTED_FUNDS = COMPUTED_FUNDING_ITEMS  # filled in by the roster import


class FundingSourceRow(Form):
    origin = HiddenField()
    source = SelectField(_l("资金来源"), validators=[Optional()],
                         choices=[SelectChoice("", _l("请选择…"))] + [SelectChoice(k, _l(v)) for k, v in FUNDING_SOURCES.items()])  # fmt: skip
    amount = AmountField(_l("金额（元）"))
    evidence = StringField(_l("证明材料"), validators=[MaxLength(200)],
                           description=_l("如董事会决议、拨款文件文号；保存后在下方上传该文件，未上传文件的来源不计入已落实资金。"))  # fmt: skip


class FundingForm(SectionForm):
    required = FormField(RequiredFundsForm, label=_l("所需资金"))
    sources = FieldList(FormField(FundingSourceRow), label=_l("资金来源"))


class RiskForm(SectionForm):
    open_disputes = CountField(_l("未结信访及集体劳动争议（件）"), description=_l("无则填0。"))
    assessment = TextAreaField(_l("社会稳定风险评估结论"), render_kw=TEXT_ROWS)
    emergency_plan = TextAreaField(_l("应急处置预案"), render_kw=TEXT_ROWS,
                                   description=_l("应急处置组织、职工接待、信访处置和值守安排。"))  # fmt: skip


class TimetableRow(Form):
    step = StringField(_l("事项"), validators=[MaxLength(200)])
    due = DayField(_l("完成时限"))
    owner = StringField(_l("责任部门"), validators=[MaxLength(100)])


class TimetableForm(SectionForm):
    steps = TextAreaField(core_label(TEXT_SECTIONS["timetable"]["steps"]), render_kw=TEXT_ROWS)
    union_explanation_date = DayField(
        _l("向工会或全体职工说明情况的日期"),
        description=_l("解除劳动合同达20人以上或占职工总数10%以上的，须提前三十日说明情况（劳动合同法第四十一条）。"),
    )  # fmt: skip
    termination_date = DayField(_l("解除劳动合同日期"))
    items = FieldList(FormField(TimetableRow), label=_l("实施进度安排"))


class OpinionsForm(SectionForm):
    solicited_on = DayField(_l("听取意见日期"))


STRUCTURED: dict[str, type[SectionForm]] = {
    "profile": ProfileForm,
    "decapacity": DecapacityForm,
    "workforce": WorkforceForm,
    "channels": ChannelsForm,
    "severance": SeveranceForm,
    "arrears": ArrearsForm,
    "internal_retirement": InternalRetirementForm,
    "funding": FundingForm,
    "risk_assessment": RiskForm,
    "timetable": TimetableForm,
    "opinions": OpinionsForm,
}


def _form_class(section: str) -> type[SectionForm]:
    """The section's structured fields, then a text box for every item TEXT_SECTIONS requires."""
    base = STRUCTURED.get(section, SectionForm)
    texts = {name: TextAreaField(_l(label), render_kw=TEXT_ROWS)
             for name, label in TEXT_SECTIONS.get(section, {}).items() if not hasattr(base, name)}  # fmt: skip
    return type(f"{section.title().replace('_', '')}SectionForm", (base,), texts)


# Every editable section in the notice's order (the roster is a file: app/web/roster_upload.py).
SECTION_FORMS: dict[str, type[SectionForm]] = {key: _form_class(key) for key in SECTIONS if key != "roster"}

SECTION_HELP = {
    "profile": _l(
        "企业名称、统一社会信用代码、行业、所在地区和是否拟出清的僵尸企业取自企业登记信息；如有误请联系系统管理员更正。"
    ),
    "decapacity": _l("列明本企业承担的化解过剩产能任务。"),
    "workforce": _l("职工人数应与职工实名制台账一致。"),
    "channels": _l("各渠道人数合计应等于需安置职工数，并与职工名单中的安置渠道一致（冀人社发〔2018〕38号 第四条）。"),
    "labour_relations": _l("写明各安置渠道职工劳动合同的变更、解除、终止办法及法律依据。"),
    "severance": _l(
        "依照劳动合同法第四十七条，按本人在本单位工作年限每满一年支付一个月工资；每名职工的金额由职工名单自动计算。"
    ),
    "arrears": _l("如实填报拖欠职工的工资和欠缴的社会保险费，并写明清偿办法。"),
    "social_insurance": _l("写明社会保险关系转移接续的办法和时限。"),
    "internal_retirement": _l("内部退养须距法定退休年龄不足五年，本人自愿申请并签订书面协议。"),
    "funding": _l(
        "所需资金按项目填报；经济补偿金和内部退养费用由职工名单自动计算。每项资金来源须上传证明材料文件，否则不计入已落实资金。"
    ),
    "reemployment": _l("写明职业指导、职业介绍、技能培训、创业扶持等再就业帮扶措施。"),
    "protected_groups": _l(
        "劳动模范、高技能人才、烈军属、残疾人、双职工夫妻应尽量避免裁减（冀人社发〔2018〕38号 第五条）。"
    ),
    "risk_assessment": _l("评估社会稳定风险，制定应急处置预案。"),
    "timetable": _l("写明实施步骤和时间安排；经济性裁员须提前三十日向工会或全体职工说明情况。"),
    "opinions": _l("方案须充分听取职工意见（冀人社发〔2018〕38号 第五条），写明听取方式、职工意见及采纳情况。"),
}


# --- content ↔ form ------------------------------------------------------------------------------


def _row_form(field_list: FieldList) -> type[Form]:
    row: type[Form] = field_list.unbound_field.args[0]
    return row


def form_data(form: Form, section: Any) -> dict[str, Any]:
    """The section's stored values as the form's fields hold them."""
    stored = as_dict(section)
    data: dict[str, Any] = {}
    for name, field in form._fields.items():
        if name in NOT_CONTENT:
            continue
        value = stored.get(name)
        if isinstance(field, FormField):
            data[name] = form_data(field.form, value)
        elif isinstance(field, FieldList):
            row = _row_form(field)
            numbered = ORIGIN in row()._fields
            data[name] = [form_data(row(), item) | ({ORIGIN: str(number)} if numbered else {})
                          for number, item in enumerate(as_list(value), start=1)]  # fmt: skip
        else:
            data[name] = _to_field(field, value)
    return data


def _to_field(field: Field, value: Any) -> Any:
    if isinstance(field, CountField):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(field, QuantityField):
        return _decimal(value)
    if isinstance(field, DayField):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
    if isinstance(field, BooleanField | RegisterFlagField):
        return bool(value)
    if isinstance(field, SelectField) and field.default is not None:
        return value if value in {choice.value for choice in field.choices} else field.default
    return "" if value is None else str(value)


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _from_field(field: Field) -> Any:
    """The value to store; None or "" for a blank field (and for a register flag the page did not send)."""
    data = field.data
    if isinstance(field, RegisterFlagField):
        return data if field.sent else None
    if isinstance(field, QuantityField):
        return None if data is None else format(data, "f")
    if isinstance(field, DayField):
        return None if data is None else data.isoformat()
    if isinstance(field, CountField | BooleanField):
        return data
    return (data or "").strip()


def _same(field: Field, old: Any, new: Any) -> bool:
    """The stored value already says what was typed (120 and "120.00" are the same amount)."""
    if isinstance(field, QuantityField):
        return not isinstance(old, bool) and _decimal(old) == _decimal(new)
    if isinstance(field, CountField | BooleanField):
        return type(old) is type(new) and old == new
    return old == new


def merge(form: Form, section: Any) -> dict[str, Any]:
    """The section with the form's values put in place; keys the form does not show are kept."""
    old = as_dict(section)
    new = dict(old)
    for name, field in form._fields.items():
        if name in NOT_CONTENT:
            continue
        if isinstance(field, FormField):
            new[name] = merge(field.form, old.get(name))
            continue
        if isinstance(field, FieldList):
            previous = as_list(old.get(name))
            rows = [merge(entry.form, _stored_row(previous, entry.form, i)) for i, entry in enumerate(field.entries)]
            rows = [row for row, entry in zip(rows, field.entries, strict=True) if _filled(entry.form)]
            if rows or name in old:
                new[name] = rows
            continue
        value = _from_field(field)
        if value is None or value == "":  # a blank field: the item is no longer stated
            if name in old:
                if isinstance(field, StringField):
                    new[name] = ""
                else:
                    del new[name]
        elif name not in old and isinstance(field, SelectField) and value == field.default:
            continue  # left at the default the plan already follows: nothing new is stated
        elif not (name in old and _same(field, old[name], value)):
            new[name] = value
    return new


def row_template(rows: FieldList) -> Form:
    """A blank row named with the placeholder __index__, for the "add a row" button (static/js/rows.js)."""
    return _row_form(rows)(prefix=f"{rows.name}-__index__-")


def _filled(row: Form) -> bool:
    """A list row with anything typed in it (blank rows added but left empty are dropped)."""
    return any(_from_field(f) not in (None, "", False) for name, f in row._fields.items() if name not in NOT_CONTENT)


def origin_of(row: Form) -> int | None:
    """The stored item (1-based) a list row shows, None for a row added in the page (or without the field)."""
    field = row._fields.get(ORIGIN)
    raw = str(field.data or "") if field is not None else ""
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) >= 1 else None


def _stored_row(previous: list[Any], row: Form, index: int) -> Any:
    """What a list row replaces: the item it names as its origin, else (rows without one) the item at its place."""
    if ORIGIN in row._fields:
        number = origin_of(row)
        return previous[number - 1] if number is not None and number <= len(previous) else {}
    return previous[index] if index < len(previous) else {}


def kept_origins(rows: FieldList) -> list[int | None]:
    """The origin of each row that will be saved (blank rows are dropped), in order: what the evidence files
    of the funding sources follow (services.evidence.with_attachments)."""
    return [origin_of(entry.form) for entry in rows.entries if _filled(entry.form)]
