"""The roster's columns (domain.md §4): keys, Chinese headers, the headers offices use instead, drop-down values.

Shared by the reader (files.py) and the template and export (workbook.py). Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from approvals.i18n import N_
from approvals.rules.content import CHANNELS
from approvals.rules.retirement import ILLNESS, MANAGEMENT_POST, SPECIAL_TYPE, WORKER_POST
from approvals.rules.severance import ILLNESS_SEVERITIES, TERMINATION_GROUNDS

TEXT = "text"  # free text
ID = "id"  # 公民身份号码: 18 characters (last may be X) or a legacy 15-digit number
CODE = "code"  # a number written as text (phone, certificate): digits must not be lost to a numeric cell
DATE = "date"
AMOUNT = "amount"  # yuan, a Decimal rounded to cents
YEARS = "years"  # a number of years, a Decimal to one decimal place
CHOICE = "choice"  # one of a drop-down's labels, stored as its value
FLAG = "flag"  # 是/否, stored as bool


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str
    description: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: tuple[tuple[str, Any], ...] = ()  # (label shown in the drop-down, value stored)
    aliases: tuple[tuple[str, Any], ...] = ()  # other spellings accepted on upload
    width: int = 12
    # Required only of a worker in the placement scope: a worker the row puts out of it (冀人社发〔2018〕38号 §二)
    # may leave it empty. Only meaningful with required=True.
    in_scope_only: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.choices)

    def label_of(self, value: Any) -> str | None:
        """The drop-down label of a stored value, or None when the value is not one."""
        for label, choice in self.choices:
            if choice == value and type(choice) is type(value):
                return label
        return None


YES_NO = ((N_("是"), True), (N_("否"), False))
YES_NO_ALIASES = tuple((text, True) for text in ("y", "yes", "true", "1", "√", "✓", "✔", "有", "已签订", "同意")) + tuple(
    (text, False) for text in ("n", "no", "false", "0", "×", "✗", "✘", "无", "未签订", "不同意")
)  # fmt: skip

COLUMNS: tuple[Column, ...] = (
    Column("id_number", N_("公民身份号码"), ID, N_("18位居民身份证号码（末位可为X），请以文本格式填写。"),
           required=True, width=22,
           synonyms=("身份证号", "身份证号码", "身份证", "证件号码", "身份证件号码", "居民身份证号码",
                     "居民身份证号", "公民身份证号码", "公民身份证号", "身份号码", "社会保障号码")),
    Column("name", N_("姓名"), TEXT, N_("职工姓名，与身份证一致。"), required=True, width=10,
           synonyms=("职工姓名", "员工姓名", "人员姓名", "名字")),
    Column("sex", N_("性别"), CHOICE, N_("男或女；可不填，由身份证号推算。"), width=6,
           choices=((N_("男"), "M"), (N_("女"), "F")), aliases=(("男性", "M"), ("女性", "F"))),
    Column("birth_date", N_("档案出生日期"), DATE,
           N_("人事档案最先记载的出生日期（与身份证不一致时以档案为准，劳社部发〔1999〕8号）；可不填，由身份证号推算。"),
           width=14, synonyms=("出生日期", "出生年月", "出生时间", "出生年月日", "档案出生时间", "档案出生年月")),
    # Service at this employer (劳动合同法 Art 47 "在本单位工作的年限", Art 42(5) "在本单位连续工作满十五年"):
    # never the date the worker first started work, which is 参加工作时间 (work_start) below.
    Column("hire_date", N_("入企时间"), DATE,
           N_("进入本企业（本单位）工作的日期，用于计算在本单位工作的年限和经济补偿（劳动合同法第四十七条）；"
              "不是参加工作时间。"),
           required=True, width=14,
           synonyms=("入职日期", "入职时间", "入企日期", "进厂时间", "进厂日期", "入厂时间", "入厂日期",
                     "进入本单位时间", "进入本单位工作时间", "本单位工作时间", "本单位工作起始时间",
                     "本企业工作起始时间", "入本单位时间")),
    # Total working years (工龄), from the first day of work anywhere: kept and shown, checked against
    # 入企时间 and the birth date (劳动法 Art 15), never used for service at this employer.
    Column("work_start", N_("参加工作时间"), DATE,
           N_("首次参加工作的日期，用于计算工龄（连续工龄）；在本单位工作的年限按入企时间计算。可不填。"),
           width=14, synonyms=("参加工作日期", "参加工作年月", "首次参加工作时间", "首次参加工作日期",
                               "开始工作时间", "工龄起算时间", "工龄起算日期", "连续工龄起算时间")),
    Column("contract_type", N_("劳动合同类型"), CHOICE, N_("劳动合同期限类型。"), width=14,
           synonyms=("合同类型", "合同期限类型", "劳动合同期限类型", "劳动合同期限"),
           choices=((N_("固定期限"), "fixed_term"), (N_("无固定期限"), "open_ended"),
                    (N_("以完成一定工作任务为期限"), "task")),
           aliases=(("固定期限劳动合同", "fixed_term"), ("有固定期限", "fixed_term"),
                    ("无固定期限劳动合同", "open_ended"), ("长期", "open_ended"),
                    ("以完成一定工作任务为期限的劳动合同", "task"), ("项目制", "task"))),
    Column("channel", N_("安置渠道"), CHOICE,
           N_("每名职工一个安置渠道（冀人社发〔2018〕38号 §四）；不纳入安置范围的人员不填。"), required=True,
           in_scope_only=True, width=16, synonyms=("安置方式", "分流渠道", "分流安置渠道", "分流安置方式", "安置途径", "安置去向"),
           choices=tuple((label, key) for key, label in CHANNELS.items()),
           aliases=(("内部退养", "internal_retirement"), ("内退", "internal_retirement"),
                    ("转岗", "transfer_training"), ("内部转岗", "transfer_training"),
                    ("转型安置", "transformation"), ("企业转型", "transformation"),
                    ("创业", "self_employment"), ("公益性岗位", "public_welfare"),
                    ("公益性岗位托底", "public_welfare"),
                    # the notice's own words (冀人社发〔2018〕38号 §四)
                    ("企业内部退养一批", "internal_retirement"), ("转岗培训消化", "transfer_training"),
                    ("转岗培训消化一批", "transfer_training"), ("企业转型安置一批", "transformation"),
                    ("自主创业带动", "self_employment"), ("自主创业带动一批", "self_employment"),
                    ("公益岗位", "public_welfare"), ("公益岗位兜底", "public_welfare"),
                    ("开发公益岗位兜底", "public_welfare"), ("开发公益岗位兜底一批", "public_welfare"),
                    ("公益性岗位安置", "public_welfare"), ("解除劳动合同", "termination"),
                    ("依法解除", "termination"), ("解除劳动关系", "termination"))),
    # 劳动合同法 Arts 36, 40, 41, 44(4), 44(5): how this worker's contract ends; empty: the plan's ground
    # (方案“经济补偿”部分). It decides the 481号 article of the pre-2008 years and whether Art 42 refuses.
    Column("termination_ground", N_("解除或终止劳动合同依据"), CHOICE,
           N_("与本企业解除或终止劳动合同的法律依据；不填的，按方案“经济补偿”部分所列依据。"
              "受劳动合同法第四十二条保护的职工不得依第四十条、第四十一条解除。"), width=20,
           synonyms=("解除/终止劳动合同依据", "解除劳动合同依据", "终止劳动合同依据", "解除或终止依据", "解除依据",
                     "终止依据", "解除劳动合同原因", "解除原因", "解除劳动关系依据", "解除方式", "法律依据"),
           choices=tuple((ground.short, key) for key, ground in TERMINATION_GROUNDS.items()),
           aliases=(*((ground.label, key) for key, ground in TERMINATION_GROUNDS.items()),
                    ("协商一致", "mutual_agreement"), ("协商解除", "mutual_agreement"),
                    ("协商一致解除", "mutual_agreement"), ("协商一致解除劳动合同", "mutual_agreement"),
                    ("第三十六条", "mutual_agreement"), ("第36条", "mutual_agreement"),
                    ("劳动合同法第三十六条", "mutual_agreement"),
                    ("患病", "illness"), ("非因工负伤", "illness"), ("患病或非因工负伤", "illness"),
                    ("医疗期满", "illness"), ("第四十条第一项", "illness"), ("第40条第1项", "illness"),
                    ("不能胜任", "incompetence"), ("不能胜任工作", "incompetence"),
                    ("第四十条第二项", "incompetence"), ("第40条第2项", "incompetence"),
                    ("客观情况发生重大变化", "objective_change"), ("客观情况变化", "objective_change"),
                    ("第四十条第三项", "objective_change"), ("第40条第3项", "objective_change"),
                    ("第四十条", "objective_change"), ("第40条", "objective_change"),
                    ("经济性裁员", "economic_layoff"), ("裁员", "economic_layoff"),
                    ("第四十一条", "economic_layoff"), ("第41条", "economic_layoff"),
                    ("破产", "bankruptcy"), ("宣告破产", "bankruptcy"), ("依法宣告破产", "bankruptcy"),
                    ("企业破产", "bankruptcy"), ("第四十四条第四项", "bankruptcy"), ("第44条第4项", "bankruptcy"),
                    ("关闭", "closure"), ("责令关闭", "closure"), ("撤销", "closure"), ("解散", "closure"),
                    ("提前解散", "closure"), ("吊销", "closure"), ("吊销营业执照", "closure"),
                    ("关闭撤销", "closure"), ("关闭、撤销、解散", "closure"),
                    ("第四十四条第五项", "closure"), ("第44条第5项", "closure"))),
    Column("monthly_wage", N_("月平均工资"), AMOUNT, N_("本人解除或变更劳动合同前12个月的月平均工资（元）。"), width=12,
           synonyms=("月工资", "月均工资", "本人月平均工资", "本人月工资", "平均工资",
                     "前12个月平均工资", "解除前12个月平均工资")),
    Column("work_region", N_("工作地区划代码"), CODE,
           N_("职工工作地所在县（市、区）的6位行政区划代码，决定经济补偿适用的最低工资类别（劳动合同法实施条例第二十七条）；不填按企业所在地。"),
           width=12, synonyms=("工作地", "工作地代码", "工作地区代码", "工作地点代码", "所在县区代码", "工作地行政区划代码")),
    Column("post_category", N_("岗位类别"), CHOICE,
           N_("工人、管理技术、特殊工种（井下、高空、高温、特别繁重体力劳动、其他有害身体健康）或因病完全丧失劳动能力："
              "决定法定退休年龄（国发〔1978〕104号第一条）；女职工必填。"),
           width=16, synonyms=("岗位性质", "岗位类型", "工作岗位类别", "身份类别", "退休类别", "工种类别"),
           choices=((N_("工人"), WORKER_POST), (N_("管理技术"), MANAGEMENT_POST),
                    (N_("特殊工种·井下"), "underground"), (N_("特殊工种·高空"), "high_altitude"),
                    (N_("特殊工种·高温"), "high_temperature"), (N_("特殊工种·特别繁重体力劳动"), "heavy_labour"),
                    (N_("特殊工种·其他有害身体健康"), "hazardous"), (N_("特殊工种（未注明类别）"), SPECIAL_TYPE),
                    (N_("因病完全丧失劳动能力（病退）"), ILLNESS)),
           aliases=(("工人岗位", WORKER_POST), ("工人岗", WORKER_POST), ("生产岗", WORKER_POST),
                    ("管理技术岗位", MANAGEMENT_POST), ("管理技术岗", MANAGEMENT_POST),
                    ("管理岗", MANAGEMENT_POST), ("技术岗", MANAGEMENT_POST),
                    ("管理", MANAGEMENT_POST), ("技术", MANAGEMENT_POST), ("干部", MANAGEMENT_POST),
                    # the words of 国发〔1978〕104号 Art 1(二) and of HR systems
                    ("特殊工种", SPECIAL_TYPE), ("特殊工种岗位", SPECIAL_TYPE), ("特殊岗位", SPECIAL_TYPE),
                    ("特种工种", SPECIAL_TYPE),
                    ("井下", "underground"), ("井下作业", "underground"), ("井下岗位", "underground"),
                    ("矿山井下", "underground"), ("煤矿井下", "underground"), ("特殊工种(井下)", "underground"),
                    ("高空", "high_altitude"), ("高空作业", "high_altitude"), ("特殊工种(高空)", "high_altitude"),
                    ("高温", "high_temperature"), ("高温作业", "high_temperature"),
                    ("特殊工种(高温)", "high_temperature"),
                    ("繁重体力", "heavy_labour"), ("繁重体力劳动", "heavy_labour"), ("特别繁重体力劳动", "heavy_labour"),
                    ("重体力劳动", "heavy_labour"), ("特殊工种(特别繁重体力劳动)", "heavy_labour"),
                    ("有毒有害", "hazardous"), ("有毒有害岗位", "hazardous"), ("有害身体健康", "hazardous"),
                    ("其他有害身体健康", "hazardous"), ("其他有害身体健康的工作", "hazardous"),
                    ("特殊工种(有毒有害)", "hazardous"), ("特殊工种(其他有害身体健康)", "hazardous"),
                    ("病退", ILLNESS), ("因病提前退休", ILLNESS), ("因病退休", ILLNESS),
                    ("完全丧失劳动能力", ILLNESS), ("因病完全丧失劳动能力", ILLNESS),
                    ("因病或非因工致残完全丧失劳动能力", ILLNESS))),
    Column("special_years", N_("特殊工种年限"), YEARS,
           N_("在特殊工种岗位累计工作的年数：累计满国家规定的年限方可按特殊工种提前退休（国发〔1978〕104号第一条第（二）项）；"
              "岗位类别为特殊工种时填写。"),
           width=12, synonyms=("特殊工种累计年限", "特殊工种工作年限", "特殊工种累计工作年限", "从事特殊工种年限",
                               "特殊工种岗位年限", "特殊工种工龄")),
    Column("spouse_id_number", N_("配偶身份证号"), ID, N_("配偶也在本企业（或集团）工作时填写，用于识别双职工夫妻。"),
           width=22, synonyms=("配偶身份证号码", "配偶公民身份号码", "配偶证件号码", "双职工配偶身份证号")),
    Column("model_worker", N_("劳动模范"), CHOICE, N_("全国或省（部）级劳动模范应尽量避免裁减（冀人社发〔2018〕38号 §五）。"),
           width=10, synonyms=("劳模", "劳模级别", "劳动模范级别", "劳模称号", "劳动模范称号", "是否劳模"),
           choices=((N_("国家级"), "national"), (N_("省部级"), "provincial"), (N_("其他"), "other"), (N_("无"), "none")),
           # the notice's words: 全国及省（部）级劳动模范 (冀人社发〔2018〕38号 §五)
           aliases=(("全国", "national"), ("国家", "national"), ("国家级劳模", "national"),
                    ("国家级劳动模范", "national"), ("全国劳模", "national"), ("全国劳动模范", "national"), ("全国级", "national"),
                    ("省级", "provincial"), ("部级", "provincial"), ("省(部)级", "provincial"),
                    ("省部级劳模", "provincial"), ("省(部)级劳模", "provincial"), ("省(部)级劳动模范", "provincial"),
                    ("省级劳模", "provincial"), ("省部级劳动模范", "provincial"), ("省劳模", "provincial"), ("市级", "other"), ("县级", "other"), ("否", "none"))),
    Column("skill_level", N_("技能等级"), CHOICE, N_("职业资格或职业技能等级；高级工及以上为高技能人才。"), width=10,
           synonyms=("职业技能等级", "技术等级", "职业资格等级", "技能鉴定等级", "工人技术等级"),
           choices=((N_("无"), "none"), (N_("初级工"), "junior"), (N_("中级工"), "intermediate"), (N_("高级工"), "senior"),
                    (N_("技师"), "technician"), (N_("高级技师"), "senior_technician"),
                    (N_("特级技师"), "principal_technician"), (N_("首席技师"), "chief_technician")),
           aliases=(("五级", "junior"), ("四级", "intermediate"), ("三级", "senior"), ("二级", "technician"),
                    ("一级", "senior_technician"), ("初级", "junior"), ("中级", "intermediate"),
                    ("高级", "senior"))),
    Column("military_family", N_("烈军属"), CHOICE, N_("烈士遗属或现役军人家属。"), width=8,
           synonyms=("烈军属情况", "是否烈军属", "烈军属类别", "优抚对象"),
           choices=((N_("烈属"), "martyr"), (N_("军属"), "soldier"), (N_("无"), "none")),
           aliases=(("烈士遗属", "martyr"), ("军人家属", "soldier"), ("否", "none"))),
    Column("disability_card", N_("残疾证号"), CODE, N_("《中华人民共和国残疾人证》号码（20位），无则不填。"), width=24,
           synonyms=("残疾人证号", "残疾证号码", "残疾人证号码", "残疾证编号")),
    Column("pregnancy", N_("孕期哺乳期"), FLAG, N_("女职工是否处于孕期、产期或哺乳期（不得裁减，劳动合同法第42条）。"),
           width=10, synonyms=("孕期产期哺乳期", "是否孕期哺乳期", "三期", "是否三期", "处于三期"),
           choices=YES_NO, aliases=YES_NO_ALIASES),
    Column("work_injury", N_("工伤职业病"), FLAG, N_("是否因工伤或职业病丧失或部分丧失劳动能力（劳动合同法第42条）。"),
           width=10, synonyms=("工伤或职业病", "工伤/职业病", "是否工伤", "是否工伤职业病", "工伤职业病情况"),
           choices=YES_NO, aliases=YES_NO_ALIASES),
    # The columns HR systems use for the facts the rules need (劳动合同法 Art 42 and 44(2), 冀人社发〔2018〕38号 §二):
    # read into the same facts as 孕期哺乳期, 工伤职业病 and 不纳入安置原因, never dropped as unknown.
    Column("special_situation", N_("特殊情形"), CHOICE,
           N_("孕期、产期、哺乳期、工伤、职业病或医疗期内的职工不得解除劳动合同（劳动合同法第42条）；无则不填。"),
           width=10, synonyms=("特殊情况", "特殊情形类别", "特殊情况类别", "特殊状态"),
           choices=((N_("孕期"), "pregnancy"), (N_("产期"), "maternity"), (N_("哺乳期"), "nursing"),
                    (N_("工伤"), "work_injury"), (N_("职业病"), "occupational_disease"),
                    (N_("医疗期"), "medical_period"), (N_("无"), "none")),
           aliases=(("怀孕", "pregnancy"), ("孕期中", "pregnancy"), ("妊娠期", "pregnancy"), ("三期", "pregnancy"),
                    ("产假", "maternity"), ("产假期", "maternity"), ("生育期", "maternity"),
                    ("哺乳", "nursing"), ("哺乳期内", "nursing"),
                    ("因工负伤", "work_injury"), ("工伤伤残", "work_injury"), ("因工致残", "work_injury"),
                    ("患职业病", "occupational_disease"),
                    ("医疗期内", "medical_period"), ("病假", "medical_period"), ("患病医疗期", "medical_period"),
                    ("非因工负伤", "medical_period"),
                    ("正常", "none"), ("否", "none"))),
    # 劳部发〔1994〕481号 Art 6: the medical subsidy rises by half for a serious illness, doubles for a terminal one.
    Column("illness_severity", N_("病情程度"), CHOICE,
           N_("因患病或者非因工负伤解除劳动合同的职工：一般、重病或绝症，决定医疗补助费（劳部发〔1994〕481号第六条）；不填按一般。"),
           width=10, synonyms=("病情", "疾病程度", "病情类别", "患病程度"),
           choices=tuple((label, key) for key, (label, _) in ILLNESS_SEVERITIES.items()),
           aliases=(("普通", "ordinary"), ("一般疾病", "ordinary"), ("重症", "serious"), ("严重", "serious"),
                    ("重大疾病", "serious"), ("患重病", "serious"), ("患绝症", "terminal"), ("癌症晚期", "terminal"))),
    Column("employment_status", N_("劳动关系状态"), CHOICE,
           N_("在岗、不在岗、停薪留职、内退的职工纳入安置范围；已解除或终止劳动关系的不纳入（冀人社发〔2018〕38号 §二）。"),
           width=12, synonyms=("劳动关系", "人员状态", "职工状态", "用工状态", "在岗状态", "在岗情况"),
           choices=((N_("在岗"), "on_post"), (N_("不在岗"), "off_post"), (N_("停薪留职"), "unpaid_leave"),
                    (N_("内退"), "internally_retired"), (N_("已解除劳动关系"), "已解除劳动关系"),
                    (N_("已终止劳动关系"), "已终止劳动关系")),
           aliases=(("在职", "on_post"), ("正常在岗", "on_post"), ("离岗", "off_post"), ("待岗", "off_post"),
                    ("放长假", "off_post"), ("长期不在岗", "off_post"), ("内部退养", "internally_retired"),
                    ("已内退", "internally_retired"), ("已解除", "已解除劳动关系"), ("解除", "已解除劳动关系"),
                    ("已解除劳动合同", "已解除劳动关系"), ("已终止", "已终止劳动关系"), ("终止", "已终止劳动关系"),
                    ("已终止劳动合同", "已终止劳动关系"))),
    Column("drawing_pension", N_("领取基本养老金"), FLAG,
           N_("是否已领取基本养老金：已领取的劳动合同终止（劳动合同法第44条第2项），不纳入安置范围，不计经济补偿。"),
           width=10, synonyms=("是否领取基本养老金", "已领取基本养老金", "领取养老金", "是否领取养老金", "已领取养老金",
                               "享受基本养老保险待遇", "是否享受基本养老保险待遇"),
           choices=YES_NO, aliases=YES_NO_ALIASES),
    Column("retirement_consent", N_("本人同意内退"), FLAG, N_("企业内部退养须本人自愿申请。"), width=12,
           synonyms=("本人申请内退", "同意内退", "本人自愿内退", "是否同意内退"),
           choices=YES_NO, aliases=YES_NO_ALIASES),
    Column("retirement_agreement", N_("签订内退协议"), FLAG, N_("企业内部退养须签订书面协议。"), width=12,
           synonyms=("已签订内退协议", "内退协议", "是否签订内退协议"),
           choices=YES_NO, aliases=YES_NO_ALIASES),
    Column("contact_status", N_("联系状态"), CHOICE, N_("暂时联系不上的职工须记录联系过程并报人社部门核查备案。"), width=14,
           synonyms=("能否联系", "是否联系上", "联系情况"),
           choices=((N_("正常"), "reachable"), (N_("暂时联系不上"), "unreachable")),
           aliases=(("可联系", "reachable"), ("可以联系", "reachable"), ("能联系", "reachable"),
                    ("能够联系", "reachable"), ("已联系", "reachable"), ("已联系上", "reachable"),
                    ("联系正常", "reachable"), ("是", "reachable"), ("y", "reachable"),
                    ("联系不上", "unreachable"), ("暂时无法联系", "unreachable"), ("无法联系", "unreachable"),
                    ("不可联系", "unreachable"), ("不能联系", "unreachable"), ("失联", "unreachable"),
                    ("否", "unreachable"), ("n", "unreachable"))),
    Column("contact_attempts", N_("联系措施"), TEXT,
           N_("暂时联系不上的职工已采取的联系方式：数据比对、张贴公示、登报声明、上网公告，多项用顿号分隔。"), width=24,
           synonyms=("已采取的联系措施", "联系措施记录", "联系记录", "联系过程", "联系方式记录")),
    Column("bureau_filing", N_("核查备案编号"), TEXT, N_("暂时联系不上的职工报人社部门核查备案的编号。"), width=16,
           synonyms=("备案编号", "核查备案", "人社核查备案", "人社部门核查备案")),
    Column("excluded_reason", N_("不纳入安置原因"), CHOICE,
           N_("已解除或终止劳动关系、已领取基本养老金的人员不纳入安置范围（冀人社发〔2018〕38号 §二）；纳入的不填。"),
           width=18, synonyms=("不纳入安置范围原因", "不纳入原因", "排除原因", "不纳入安置范围"),
           choices=tuple((reason, reason) for reason in (N_("已解除劳动关系"), N_("已终止劳动关系"), N_("已领取基本养老金"))),
           aliases=(("已解除劳动合同", "已解除劳动关系"), ("已终止劳动合同", "已终止劳动关系"),
                    ("已领取养老金", "已领取基本养老金"), ("已退休", "已领取基本养老金"),
                    ("已解除", "已解除劳动关系"), ("已终止", "已终止劳动关系"),
                    # the notice's words (冀人社发〔2018〕38号 §二)
                    ("享受基本养老保险待遇", "已领取基本养老金"), ("已享受基本养老保险待遇", "已领取基本养老金"))),
    Column("justification", N_("书面说明"), TEXT,
           N_("解除劳动模范、高技能人才、烈军属、残疾人或双职工夫妻劳动合同时，或依协商一致、第四十四条解除或终止受劳动合同法第四十二条保护的职工劳动合同时，须填写的书面说明。"), width=30,
           synonyms=("解除说明", "特殊情况说明", "情况说明")),
    Column("phone", N_("联系电话"), CODE, N_("职工本人手机或固定电话，用于电话抽查。"), width=14,
           synonyms=("手机号", "手机号码", "电话", "电话号码", "联系方式", "本人电话")),
    Column("remarks", N_("备注"), TEXT, N_("其他需要说明的情况。"), width=30, synonyms=("说明", "其他说明")),
)  # fmt: skip

# Text starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = tuple(column for column in COLUMNS if column.required)

# Headers that carry no data: recognised so they are not reported as unknown.
IGNORED_HEADERS = ("序号", "编号", "行号", "no", "no.")

_DROP = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"})
_PARENTHESISED = re.compile(r"\([^()]*\)")


def normalize(text: Any) -> str:
    """Fold width (NFKC), bracket variants and case, and drop all whitespace and required-field stars."""
    folded = unicodedata.normalize("NFKC", str(text)).translate(_DROP).translate(_BRACKETS).casefold()
    return "".join(folded.split()).strip("*:")


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for spelling in (column.header, column.key, *column.synonyms):
            index.setdefault(normalize(spelling), column.key)
    return index


_HEADERS = _header_index()
_IGNORED = frozenset(normalize(header) for header in IGNORED_HEADERS)


def match_header(text: Any) -> str | None:
    """The key of the column a header names, tolerant of order, width, brackets, case and units in brackets."""
    name = normalize(text)
    if not name:
        return None
    key = _HEADERS.get(name)
    if key is None:
        bare = _PARENTHESISED.sub("", name)
        key = _HEADERS.get(bare) or (_HEADERS.get(bare[2:]) if bare.startswith("是否") else None)
    return key


def is_ignored_header(text: Any) -> bool:
    return normalize(text) in _IGNORED


def header_rank(key: str, text: Any) -> int:
    """How canonical a header is for its column: 0 for the Chinese header, then synonyms in order."""
    column = BY_KEY[key]
    spellings = [normalize(s) for s in (column.header, *column.synonyms, column.key)]
    name = normalize(text)
    bare = _PARENTHESISED.sub("", name)
    for rank, spelling in enumerate(spellings):
        if spelling in (name, bare):
            return rank
    return len(spellings)


def _choice_index(column: Column) -> dict[str, Any]:
    index = {normalize(label): value for label, value in column.aliases}
    index.update({normalize(label): value for label, value in column.choices})
    return index


CHOICE_INDEX: dict[str, dict[str, Any]] = {
    column.key: _choice_index(column) for column in COLUMNS if column.kind in (CHOICE, FLAG)
}
