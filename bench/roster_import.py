"""Roster import benchmark: a realistic 50,000-row .xlsx validated and committed, against a bare
python-calamine read of the same bytes.

Run from the repository root:
  .venv/bin/python bench/roster_import.py [--rows N] [--stored N] [--quick] [--repeat K]
                                          [--database-url URL] [--inline-strings] [--profile]

What it does:

  file      a clerk's roster in the import template's 25 columns: Chinese names, 18-character resident
            IDs with the right check character, real date cells (a few typed as text), channel labels,
            wages, post categories, 是/否 flags, protected groups, couples, unreachable workers, people
            out of scope, and a handful of deliberate errors (bad check character, duplicate IDs, an
            Art 42 termination, an impossible date, a missing name) so that the report has content.
            Written with openpyxl (write-only), whose strings are inline; the strings are then moved
            into a shared-strings table as Excel writes them (--inline-strings keeps openpyxl's file).
  database  SQLite file in a temp dir (or --database-url, e.g. PostgreSQL: use an empty database, the
            bench creates and drops its tables) with regions, wage parameters, the enterprise, a clerk
            and, bulk-inserted untimed, `--stored` workers of OTHER enterprises' plans, ~1% of whose ID
            numbers also occur in the file (some in two plans), so that 数据比对 finds them.
  index     EXPLAIN (QUERY PLAN) of the cross-check queries of approvals/services/roster.py _cross_check
            (the same ID numbers on other plans; the enterprise's other plans naming them as spouse).
  timing    in a fresh child process, interleaved in rounds (order rotated each round), median of
            --repeat rounds after one untimed warm-up of each:
              bare          CalamineWorkbook.from_filelike(bytes) + sheet.to_python()
              bare_inline   the same on openpyxl's inline-strings file (context: the writer matters)
              read_roster   approvals.roster.files.read_roster only
              validate      import_roster(dry_run=True)
              commit        import_roster(dry_run=False, accept_valid=True) + session.commit(), into a
                            fresh plan each round (its rows are deleted again afterwards, untimed)
            Wall and process CPU time are recorded (CPU includes SQLite, not a PostgreSQL server).
  breakdown one more validate + commit with the import's functions wrapped by timers and the SQL
            statements timed (cursor events): where the time goes, without a profiler's distortion.
  memory    one fresh child process per variant: peak RSS (VmHWM) of the process, and of the run
            alone above the process's RSS before it (the peak is reset through /proc/self/clear_refs).
            Not ru_maxrss: on Linux a child started with fork/vfork + exec inherits its parent's peak
            into ru_maxrss (a child of a 900 MB parent reports 900 MB), VmHWM is its own.
  --profile cProfile of one validate + commit in a child process: the top functions.

The last line printed is one JSON object with the figures, the targets and `ok`.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import _common as c
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook
from sqlalchemy import delete, event, func, insert, inspect, select
from werkzeug.security import generate_password_hash

from app import create_app
from app.extensions import db, get_engine
from approvals import audit
from approvals.actor import SYSTEM, Actor
from approvals.demo import make_resident_id, make_uscc, sample_content, seed_wage_parameters
from approvals.models import Plan, Region, Role, User
from approvals.models.roster import RosterWorker
from approvals.regions import HEBEI_REGIONS
from approvals.roster.columns import COLUMNS
from approvals.roster.files import read_roster
from approvals.roster.workbook import DATE_FORMAT, SHEET_TITLE
from approvals.rules.content import CHANNELS
from approvals.rules.resident_id import check_character
from approvals.services import accounts
from approvals.services import roster as roster_service
from approvals.services.plans import create_plan
from approvals.services.roster import CHUNK, import_roster
from config import database_url

PASSWORD = "Bench#2026-pw"  # noqa: S105 (a throw-away database)
FILENAME = "职工实名制台账.xlsx"
SEED = 20180731
INDEX = "ix_roster_worker_id_number"
SPOUSE_INDEX = "ix_roster_worker_spouse"
OTHER_ENTERPRISES = 10
VARIANTS = ("bare", "bare_inline", "read_roster", "validate", "commit")
MEMORY_VARIANTS = ("bare", "read_roster", "validate", "commit")

TARGETS = {  # name: (limit, comparison)
    "ratio_to_bare": (5.0, "<="),
    "validate_commit_s": (5.0, "<"),
    "peak_rss_mb": (500.0, "<"),
    "cross_check_index_used": (True, "=="),
    "report_as_expected": (True, "=="),
}

# -- the file ---------------------------------------------------------------------------------------

FILE_REGIONS = [code for code, _name, level, _parent in HEBEI_REGIONS if level == "county"]
# Address codes of the stored workers: none of the file's, so that only the planted IDs match.
STORED_REGIONS = ["130104", "130105", "130107", "130108", "130109", "130110", "130111", "130121", "130123",
                  "130125", "130202", "130204", "130205", "130207", "130208", "130209", "130224", "130225",
                  "130302", "130303", "130304", "130321", "130402", "130403", "130404", "130502", "130503",
                  "130602", "130606", "130607", "130702", "130703", "130802", "130803", "130902", "130903",
                  "131002", "131003", "131102", "131121"]  # fmt: skip
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔")  # fmt: skip
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建华志国红玉梅海燕波宁晓东春雪飞鹏辉宇浩新利文斌凤英秀俊峰亮成庆永福金林"
CHANNEL_SHARES = {"internal_retirement": 12, "transfer_training": 34, "transformation": 20, "self_employment": 5,
                  "public_welfare": 4, "termination": 25}  # fmt: skip
SKILLS = {"无": 40, "初级工": 20, "中级工": 24, "高级工": 11, "技师": 4, "高级技师": 1}
REMARKS = ("长期病假", "借调外单位", "放长假", "待岗", "两地分居")
KEYS = [column.key for column in COLUMNS]


@dataclass
class Roster:
    """The generated rows and what the import must report for them."""

    rows: list[dict[str, Any]]
    clean: list[int]  # rows that no rule touches: candidates for the 数据比对 matches
    error_rows: Counter[str] = field(default_factory=Counter)  # rule -> rows expected to carry it
    warning_rows: Counter[str] = field(default_factory=Counter)
    rejected: int = 0

    def cells(self) -> Iterator[list[Any]]:
        for row in self.rows:
            yield [row.get(key) for key in KEYS]


def _new_id(rng: random.Random, used: set[str], male: bool, born_from: date, born_to: date) -> tuple[str, date]:
    span = (born_to - born_from).days
    while True:
        birth = born_from + timedelta(days=rng.randrange(span))
        number = make_resident_id(rng.choice(FILE_REGIONS), birth, rng.randrange(500) * 2 + male)
        if number not in used:
            used.add(number)
            return number, birth


def _worker(rng: random.Random, used: set[str], channel: str) -> dict[str, Any]:
    """One worker who passes every rule for a plan dated 2018-07-31: internal retirement only for men
    born 1959-1962 (statutory retirement 2019-2022, within five years) who applied and signed; nobody
    terminated who is immune under Art 42 (pregnant, injured, or 15 years' service and near retirement)."""
    if channel == "internal_retirement":
        male, born = True, (date(1959, 1, 1), date(1962, 12, 31))
    elif channel == "termination":
        male, born = rng.random() < 0.6, (date(1976, 1, 1), date(1996, 12, 31))
    else:
        male, born = rng.random() < 0.6, (date(1970, 1, 1), date(1996, 12, 31))
    number, birth = _new_id(rng, used, male, *born)
    adult = date(birth.year + 18, birth.month, min(birth.day, 28))
    first = max(adult, date(1978, 1, 1))
    hired = first + timedelta(days=rng.randrange((date(2018, 6, 30) - first).days))
    terminated = channel == "termination"
    if rng.random() < 0.03:  # typed as text rather than entered as a date
        hire: Any = (
            f"{hired.year}/{hired.month}/{hired.day}"
            if rng.random() < 0.5
            else f"{hired:%Y}年{hired.month}月{hired.day}日"
        )
    else:
        hire = hired
    if terminated:
        skill = rng.choices(("无", "初级工", "中级工"), (5, 3, 2))[0]
        model = military = "无"
        disability = None
    else:
        skill = rng.choices(list(SKILLS), list(SKILLS.values()))[0]
        draw = rng.random()
        model = "省部级" if draw < 0.005 else "其他" if draw < 0.02 else "无"
        military = rng.choice(("军属", "烈属")) if rng.random() < 0.015 else "无"
        disability = number + f"{rng.randrange(1, 8)}{rng.randrange(1, 5)}" if rng.random() < 0.005 else None
    retiring = "是" if channel == "internal_retirement" else "否"
    pregnant = not male and not terminated and birth.year >= 1983 and rng.random() < 0.04
    given = "".join(rng.choice(GIVEN) for _ in range(2 if rng.random() < 0.7 else 1))
    return {
        "id_number": number, "name": rng.choice(SURNAMES) + given, "sex": "男" if male else "女",
        "birth_date": birth if rng.random() < 0.08 else None, "hire_date": hire,
        "contract_type": "无固定期限" if rng.random() < 0.4 else "固定期限", "channel": CHANNELS[channel],
        "monthly_wage": round(max(1750.0, rng.gauss(4700, 1200)), 2),
        "post_category": "管理技术" if rng.random() < 0.2 else "工人", "model_worker": model, "skill_level": skill,
        "military_family": military, "disability_card": disability, "pregnancy": "是" if pregnant else "否",
        "work_injury": "是" if not terminated and rng.random() < 0.005 else "否",
        "retirement_consent": retiring, "retirement_agreement": retiring, "contact_status": "正常",
        "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        "remarks": rng.choice(REMARKS) if rng.random() < 0.02 else None,
        "_channel": channel, "_male": male, "_birth": birth,
    }  # fmt: skip


def generate(n: int, seed: int = SEED) -> Roster:
    rng = random.Random(seed)
    used: set[str] = set()
    channels = rng.choices(list(CHANNEL_SHARES), list(CHANNEL_SHARES.values()), k=n)
    roster = Roster([_worker(rng, used, channel) for channel in channels], [])
    rows = roster.rows
    taken: set[int] = set()

    def few(per: int) -> int:
        return max(1, n // per)

    def pick(count: int, channel: str | None = None, male: bool | None = None, plain: bool = True) -> list[int]:
        """Rows not yet used for anything special, of a channel (None: neither internal retirement nor
        termination) and sex; `plain`: without protected-group marks, disability card or pregnancy."""
        pool = [i for i, r in enumerate(rows) if i not in taken
                and (r["_channel"] == channel if channel else r["_channel"] not in ("internal_retirement", "termination"))
                and (male is None or r["_male"] == male)
                and (not plain or (r["disability_card"] is None and r["pregnancy"] == "否" and r["work_injury"] == "否"
                                   and r["model_worker"] == r["military_family"] == "无"))]  # fmt: skip
        chosen = rng.sample(pool, count)
        taken.update(chosen)
        return sorted(chosen)

    # warnings (the rows are accepted)
    for k, i in enumerate(pick(few(1000), "termination")):  # protected groups terminated
        row = rows[i]
        row["skill_level"], row["model_worker"], row["military_family"] = [("高级工", "无", "无"), ("技师", "无", "无"),
                                                                           ("无", "省部级", "无"), ("无", "无", "军属")][k % 4]  # fmt: skip
        if k % 5:
            row["justification"] = "本人申请解除劳动合同并书面确认，企业已另行支付补助。"
        roster.warning_rows["protected_group_termination"] += 1
    couples = few(500)
    for terminated in (False, True):
        count = few(10_000) if terminated else couples
        channel = "termination" if terminated else None
        for husband, wife in zip(pick(count, channel, True), pick(count, channel, False), strict=True):
            rows[husband]["spouse_id_number"] = rows[wife]["id_number"]
            rows[wife]["spouse_id_number"] = rows[husband]["id_number"]
            if terminated:
                rows[husband]["justification"] = "夫妻双方均本人申请解除劳动合同。"
                roster.warning_rows["dual_worker_termination"] += 2
    for k, i in enumerate(pick(few(500))):  # unreachable: contact attempts recorded, most filed
        rows[i].update(contact_status="暂时联系不上", contact_attempts="数据比对、张贴公示、登报声明")
        if k % 4:
            rows[i]["bureau_filing"] = f"冀人社核备〔2018〕{k + 1:04d}号"
        else:
            roster.warning_rows["unreachable_filing"] += 1
    for k, i in enumerate(pick(few(1000))):  # out of scope
        rows[i]["excluded_reason"] = ("已领取基本养老金", "已解除劳动关系", "已终止劳动关系")[k % 3]
    for i in pick(few(10_000)):  # the personnel file records another birth date
        rows[i]["birth_date"] = rows[i]["_birth"] + timedelta(days=62)
        roster.warning_rows["birth_date_differs"] += 1

    # errors (the rows are rejected)
    for i in pick(few(5000)):
        number = rows[i]["id_number"]
        rows[i]["id_number"] = number[:17] + next(ch for ch in "0123456789X" if ch != number[17])
        rows[i]["_rejected"] = True
        roster.error_rows["check_character"] += 1
    for target, source in zip(pick(few(10_000)), pick(few(10_000)), strict=True):
        later, earlier = max(target, source), min(target, source)
        rows[later]["id_number"] = rows[earlier]["id_number"]
        rows[later]["_rejected"] = True
        roster.error_rows["duplicate_in_file"] += 1
    for i in pick(few(10_000), "termination", False):
        rows[i].update(pregnancy="是", _rejected=True)
        roster.error_rows["art42_pregnancy"] += 1
    for i in pick(few(25_000)):
        rows[i].update(hire_date="2015-02-30", _rejected=True)
        roster.error_rows["date"] += 1
    for i in pick(few(25_000)):
        rows[i].update(name=None, _rejected=True)
        roster.error_rows["required"] += 1
    roster.rejected = sum(roster.error_rows.values())

    terminations = sum(1 for r in rows if r["_channel"] == "termination" and not r.get("_rejected"))
    if terminations >= 20:  # Art 41 (the headcount is 1.2 × the rows: 10% is reached too)
        roster.warning_rows["mass_layoff"] += 1
    roster.clean = [i for i in range(n) if i not in taken]
    return roster


def plan_content(enterprise: Any, roster: Roster) -> dict[str, Any]:
    """approvals.demo.sample_content with the channels and workforce of the generated roster."""
    content = sample_content(enterprise, workers=20)
    channels = Counter(r["_channel"] for r in roster.rows if not r.get("_rejected") and not r.get("excluded_reason"))
    content["channels"] = {k: channels.get(k, 0) for k in CHANNELS}
    content["workforce"] = {"on_roll": enterprise.headcount, "in_scope": sum(channels.values()),
                            "excluded": sum(1 for r in roster.rows if r.get("excluded_reason")),
                            "exclusion_reasons": "已领取基本养老金、已解除或终止劳动关系"}  # fmt: skip
    return content


def write_xlsx(roster: Roster) -> bytes:
    """The roster as openpyxl writes it (write-only mode: inline strings, dates with a date style)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    sheet.append([column.header for column in COLUMNS])
    date_columns = KEYS.index("hire_date"), KEYS.index("birth_date")
    for cells in roster.cells():
        for index in date_columns:
            if isinstance(cells[index], date):
                cell = WriteOnlyCell(sheet, cells[index])
                cell.number_format = DATE_FORMAT
                cells[index] = cell
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t( xml:space="preserve")?>(.*?)</t></is></c>', re.S)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_strings(data: bytes, rows: int, columns: int) -> tuple[bytes, int, int]:
    """openpyxl's file rewritten as Excel saves one: every string in xl/sharedStrings.xml, cells
    referring to it by index, numbers without t="n", and the sheet's <dimension>. Returns the new
    bytes, the string count and the unique count."""
    source = zipfile.ZipFile(io.BytesIO(data))
    index: dict[bytes, int] = {}
    table: list[bytes] = []
    count = 0

    def to_shared(match: re.Match[bytes]) -> bytes:
        nonlocal count
        count += 1
        value = match[4]
        at = index.get(value)
        if at is None:
            at = index[value] = len(table)
            table.append(b"<si><t" + (match[3] or b"") + b">" + value + b"</t></si>")
        return b"<c " + match[1] + b't="s"' + match[2] + b"><v>" + str(at).encode() + b"</v></c>"

    last = f"{get_column_letter(columns)}{rows}".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename.startswith("xl/worksheets/sheet"):
                content = _INLINE.sub(to_shared, content).replace(b' t="n"', b"")
                content = content.replace(b"<sheetViews>", b'<dimension ref="A1:' + last + b'"/><sheetViews>', 1)
            elif member.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                          f'ContentType="{_SHARED_STRINGS_TYPE}"/></Types>'.encode())  # fmt: skip
            elif member.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", f'<Relationship Type="{_SHARED_STRINGS_REL}" '
                                          f'Target="sharedStrings.xml" Id="rIdSst"/></Relationships>'.encode())  # fmt: skip
            target.writestr(member.filename, content)
        head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main" count="{count}" uniqueCount="{len(table)}">').encode()  # fmt: skip
        target.writestr("xl/sharedStrings.xml", head + b"".join(table) + b"</sst>")
    return out.getvalue(), count, len(table)


def bare_read(data: bytes) -> int:
    """What python-calamine alone costs: open the workbook, every cell of the first sheet as Python values."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(book.get_sheet_by_index(0).to_python())


# -- the database -----------------------------------------------------------------------------------


def app_config(uri: str) -> dict[str, Any]:
    return {"SECRET_KEY": "bench-secret", "AUDIT_KEY": "bench-audit", "TESTING": False, "SQLALCHEMY_DATABASE_URI": uri, "SQLALCHEMY_ECHO": False,
            "SQLALCHEMY_RECORD_QUERIES": False}  # fmt: skip


@dataclass
class World:
    enterprise_id: int
    clerk_id: int
    others: list[tuple[int, int]]  # (enterprise id, plan id) of the other enterprises' plans
    content: dict[str, Any]  # of the enterprise's plans


def build_world(roster: Roster) -> World:
    """Regions, wage parameters, the enterprise (Tangshan, 迁安市) and its clerk, and ten other enterprises
    with one plan each. Users are created directly with one precomputed password hash."""
    session = db.session
    for code, name, level, parent in HEBEI_REGIONS:
        session.add(Region(code=code, name=name, level=level, parent_code=parent))
    session.flush()
    seed_wage_parameters(session)
    password_hash = generate_password_hash(PASSWORD)

    def clerk(username: str, enterprise: Any) -> User:
        user = User(username=username, display_name=username, password_hash=password_hash)
        session.add(user)
        session.flush()
        accounts.grant_role(session, actor=SYSTEM, user=user, role=Role.ENTERPRISE, enterprise=enterprise)
        return user

    steel = accounts.create_enterprise(session, actor=SYSTEM, name="冀东示范钢铁有限公司", uscc=make_uscc("130283", 800001),
                                       industry="steel", region_code="130283", headcount=len(roster.rows) * 6 // 5,
                                       parent_group="河北示范钢铁集团有限公司")  # fmt: skip
    user = clerk("clerk", steel)
    counties = [code for code, _n, level, _p in HEBEI_REGIONS if level == "county"]
    industries = ("steel", "coal", "cement", "flat_glass", "coke", "thermal_power")
    engine = get_engine()
    others = []
    for k in range(OTHER_ENTERPRISES):
        region = counties[k % len(counties)]
        firm = accounts.create_enterprise(session, actor=SYSTEM, name=f"河北示范化解产能企业{k + 1}号有限公司",
                                          uscc=make_uscc(region, 810001 + k), industry=industries[k % len(industries)],
                                          region_code=region, headcount=60_000)  # fmt: skip
        other = clerk(f"clerk_other_{k}", firm)
        plan = create_plan(session, engine, actor=Actor(other, "127.0.0.1"), title=f"其他企业职工安置方案（{k + 1}）",
                           content=sample_content(firm, workers=20), enterprise_id=firm.id)  # fmt: skip
        others.append((firm.id, plan.id))
    session.commit()
    return World(steel.id, user.id, others, plan_content(steel, roster))


def make_plans(world: World, count: int) -> list[int]:
    user = db.session.get(User, world.clerk_id)
    assert user is not None
    actor = Actor(user, "127.0.0.1")
    ids = []
    for k in range(count):
        plan = create_plan(db.session, get_engine(), actor=actor, title=f"冀东示范钢铁职工安置方案（基准测试{k + 1}）",
                           content=copy.deepcopy(world.content), enterprise_id=world.enterprise_id)  # fmt: skip
        ids.append(plan.id)
    db.session.commit()
    return ids


def store_workers(world: World, total: int, shared: list[str], rng: random.Random) -> dict[str, int]:
    """`total` workers in the other enterprises' plans (Core executemany, in batches); the `shared` ID
    numbers among them, one in ten of those in two plans. Returns how many plans hold each shared ID."""
    plans = len(world.others)
    holders: dict[str, int] = {}
    planted: dict[int, list[str]] = defaultdict(list)
    for k, number in enumerate(shared):
        first = rng.randrange(plans)
        chosen = [first, (first + 1 + rng.randrange(plans - 1)) % plans] if k % 10 == 0 else [first]
        for p in chosen:
            planted[p].append(number)
        holders[number] = len(chosen)
    table = RosterWorker.__table__
    labels = list(CHANNELS)
    k = 0
    for p, (enterprise_id, plan_id) in enumerate(world.others):
        count = total // plans + (p < total % plans)
        numbers = planted[p]
        batch: list[dict[str, Any]] = []
        for j in range(count):
            if j < len(numbers):
                number = numbers[j]
            else:
                region, q = STORED_REGIONS[k % len(STORED_REGIONS)], k // len(STORED_REGIONS)
                k += 1
                birth = date(1960, 1, 1) + timedelta(days=(q // 1000 * 7919) % 14_600)
                body = f"{region}{birth:%Y%m%d}{q % 1000:03d}"
                number = body + check_character(body)
            birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            channel = labels[j % len(labels)]
            wage = 3000 + (j * 37) % 4000
            batch.append({"plan_id": plan_id, "enterprise_id": enterprise_id, "id_number": number,
                          "name": SURNAMES[j % len(SURNAMES)] + GIVEN[j % len(GIVEN)], "sex": "MF"[int(number[16]) % 2 == 0],
                          "birth_date": birth, "hire_date": date(2000 + j % 18, 1 + j % 12, 1 + j % 28),
                          "channel": channel, "in_scope": True,
                          "data": {"contract_type": "fixed_term", "monthly_wage": f"{wage}.00", "post_category": "worker",
                                   "skill_level": "none", "pregnancy": False, "work_injury": False,
                                   "contact_status": "reachable", "phone": f"139{j:08d}"},
                          "retirement_date": date(birth.year + 60, birth.month, min(birth.day, 28)),
                          "severance": None, "internal_retirement_cost": None, "warnings": [],
                          "row_hash": f"{plan_id:08x}{j:056x}", "roster_row": j + 2})  # fmt: skip
            if len(batch) == 20_000:
                db.session.execute(insert(table), batch)
                batch = []
        if batch:
            db.session.execute(insert(table), batch)
        db.session.commit()
    return holders


def cross_check_statements(ids: list[str], plan_id: int, enterprise_id: int) -> list[tuple[str, Any]]:
    """The queries of approvals/services/roster.py _cross_check for one chunk, each with the index it
    must search: the same ID numbers on other plans, and the enterprise's other plans naming them as spouse."""
    return [(INDEX, roster_service.same_person_elsewhere(plan_id, ids)),
            (SPOUSE_INDEX, roster_service.naming_as_spouse(plan_id, enterprise_id, ids))]  # fmt: skip


_LONG_LIST = re.compile(r"('\{[^,}]*,[^,}]*,[^,}]*,)[^}]{40,}")  # PostgreSQL's = ANY('{…}'): three ids are enough


def explain_cross_check(ids: list[str], plan_id: int, enterprise_id: int) -> tuple[list[str], bool]:
    """The query plans of one chunk (CHUNK ids), and whether each looks the IDs up in its index (no scan)."""
    engine = db.engine
    lines: list[str] = []
    ok = True
    for index, statement in cross_check_statements(ids[:CHUNK], plan_id, enterprise_id):
        sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                found = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
                searched = any(line.startswith("SEARCH") and index in line for line in found)
                scanned = any(line.startswith("SCAN roster_worker") for line in found)
            else:
                found = [_LONG_LIST.sub(r"\1…", row[0]) for row in conn.exec_driver_sql("EXPLAIN " + sql)]
                searched = any(index in line for line in found)
                scanned = any("Seq Scan on roster_worker" in line for line in found)
        lines += found
        ok = ok and searched and not scanned
    return lines, ok


def time_cross_check(ids: list[str], plan_id: int, enterprise_id: int) -> tuple[float, int, int]:
    """The cross-check's queries over all the file's IDs, as _cross_check runs them: seconds, ID numbers
    found on other enterprises' plans, queries."""
    t0 = c.now_ns()
    found: set[str] = set()
    queries = 0
    for start in range(0, len(ids), CHUNK):
        for _index, statement in cross_check_statements(ids[start : start + CHUNK], plan_id, enterprise_id):
            found.update(row.id_number for row in db.session.execute(statement) if row.enterprise_id != enterprise_id)
            queries += 1
    db.session.rollback()
    return (c.now_ns() - t0) / 1e9, len(found), queries


# -- the child processes ----------------------------------------------------------------------------


def _status_kb(name: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


class Child:
    """A fresh process with the app, the file's bytes and the clerk; runs one variant at a time."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.app = create_app(app_config(spec["url"]))
        self.ctx = self.app.app_context()
        self.ctx.push()
        self.data = Path(spec["file"]).read_bytes()
        self.inline = Path(spec["inline_file"]).read_bytes() if spec.get("inline_file") else b""
        self.reports: dict[str, Any] = {}

    def actor(self) -> Actor:
        user = db.session.get(User, self.spec["clerk_id"])
        assert user is not None
        return Actor(user, "127.0.0.1")

    def prepare(self, variant: str, plan_id: int | None = None) -> Callable[[], Any]:
        """Everything untimed (loading the clerk and the plan); returns the call to time."""
        if variant == "bare":
            return lambda: bare_read(self.data)
        if variant == "bare_inline":
            return lambda: bare_read(self.inline)
        if variant == "read_roster":
            return lambda: read_roster(self.data, FILENAME)
        actor = self.actor()
        plan = db.session.get(Plan, plan_id if plan_id is not None else self.spec["dry_plan"])
        assert plan is not None
        if variant == "validate":
            return lambda: import_roster(db.session, actor=actor, plan=plan, data=self.data, filename=FILENAME,
                                         dry_run=True)  # fmt: skip

        def commit() -> Any:
            report = import_roster(db.session, actor=actor, plan=plan, data=self.data, filename=FILENAME,
                                   dry_run=False, accept_valid=True)  # fmt: skip
            db.session.commit()
            return report

        return commit

    def finish(self, variant: str, result: Any, plan_id: int | None = None) -> None:
        """Untimed: keep the report, end the session, delete a committed roster again."""
        if variant in ("validate", "commit"):
            self.reports[variant] = result
            db.session.rollback()
            db.session.remove()
        if variant == "commit" and plan_id is not None:
            assert result.committed
            db.session.execute(delete(RosterWorker).where(RosterWorker.plan_id == plan_id))
            db.session.commit()
            db.session.remove()

    def run(self, variant: str, plan_id: int | None = None) -> tuple[float, float, Any]:
        call = self.prepare(variant, plan_id)
        gc.collect()
        c0, t0 = time.process_time_ns(), c.now_ns()
        result = call()
        wall, cpu = (c.now_ns() - t0) / 1e9, (time.process_time_ns() - c0) / 1e9
        self.finish(variant, result, plan_id)
        return wall, cpu, result


def child_timing(spec: dict[str, Any]) -> dict[str, Any]:
    child = Child(spec)
    plans = list(spec["commit_plans"])
    variants = [v for v in VARIANTS if v != "bare_inline" or child.inline]
    for variant in variants:  # warm-up: imports, statement caches
        child.run(variant, plans.pop(0) if variant == "commit" else None)
    samples: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
    for r in range(spec["repeat"]):
        for variant in variants[r % len(variants) :] + variants[: r % len(variants)]:
            wall, cpu, _ = child.run(variant, plans.pop(0) if variant == "commit" else None)
            samples[variant].append((wall, cpu))
        sys.stderr.write(f"\rround {r + 1}/{spec['repeat']}")
        sys.stderr.flush()
    sys.stderr.write("\n")
    breakdown = child_breakdown(child, plans.pop(0))
    validate, commit = child.reports["validate"], child.reports["commit"]
    return {
        "samples": samples,
        "breakdown": breakdown,
        "report": {
            "accepted": validate.accepted,
            "rejected": validate.rejected,
            "errors": len(validate.errors),
            "warnings": len(validate.warnings),
            "error_rows": Counter(r for _, r in {(i.row, i.rule) for i in validate.errors}),
            "warning_rows": Counter(i.rule for i in validate.warnings),
            "justified": sum(i.justified for i in validate.warnings),
            "mass_layoff": validate.mass_layoff,
            "committed": commit.committed,
            "added": commit.added,
            "commit_accepted": commit.accepted,
        },
    }


WRAPPED = (  # (module, attribute): the import's steps, timed when wrapped
    (roster_service, "read_roster"),
    (roster_service, "check_rows"),
    (roster_service, "_check_row"),
    (roster_service, "dual_worker_terminations"),
    (roster_service, "_cross_check"),
    (roster_service, "_commit"),
    (roster_service, "_keep_history"),
    (roster_service, "refresh_plan_roster"),
    (audit, "record"),
)


def child_breakdown(child: Child, plan_id: int) -> dict[str, Any]:
    """One more validate + commit with the steps wrapped by timers and every SQL statement timed."""
    spent: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    originals = []

    def wrap(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = c.now_ns()
            try:
                result = function(*args, **kwargs)
                if name == "dual_worker_terminations":  # a generator: consume it inside the timer
                    result = list(result)
                return result
            finally:
                spent[name] += c.now_ns() - t0
                calls[name] += 1

        return timed

    for module, name in WRAPPED:
        originals.append((module, name, getattr(module, name)))
        setattr(module, name, wrap(name, getattr(module, name)))
    sql: Counter[str] = Counter()
    sql_n: Counter[str] = Counter()
    started: list[int] = []
    recording = [False]

    def before(*_args: Any) -> None:
        started.append(c.now_ns())

    def after(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        name = c.label(statement)
        elapsed = c.now_ns() - started.pop()
        if recording[0]:
            sql[name] += elapsed
            sql_n[name] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        out: dict[str, Any] = {}
        for variant in ("validate", "commit"):
            spent.clear()
            calls.clear()
            sql.clear()
            sql_n.clear()
            actor = child.actor()
            plan = db.session.get(Plan, plan_id if variant == "commit" else child.spec["dry_plan"])
            gc.collect()
            recording[0] = True
            t0 = c.now_ns()
            report = import_roster(db.session, actor=actor, plan=plan, data=child.data, filename=FILENAME,
                                   dry_run=variant == "validate", accept_valid=True)  # fmt: skip
            t1 = c.now_ns()
            if variant == "commit":  # the COMMIT timed apart from the import
                db.session.commit()
            committed = c.now_ns() - t1
            total = c.now_ns() - t0
            recording[0] = False
            child.finish(variant, report, plan_id if variant == "commit" else None)
            out[variant] = {
                "total_s": total / 1e9,
                "session_commit_s": committed / 1e9,
                "steps": {k: {"s": v / 1e9, "calls": calls[k]} for k, v in spent.items()},
                "sql": {k: {"s": v / 1e9, "n": sql_n[k]} for k, v in sorted(sql.items(), key=lambda kv: -kv[1])},
            }
        return out
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        for module, name, original in originals:
            setattr(module, name, original)


def child_memory(spec: dict[str, Any], variant: str) -> dict[str, Any]:
    child = Child(spec)
    plan_id = spec["memory_plan"] if variant == "commit" else None
    call = child.prepare(variant, plan_id)
    gc.collect()
    baseline = _status_kb("VmRSS")
    reset = _reset_peak()
    call()
    peak = _status_kb("VmHWM")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    return {"variant": variant, "baseline_mb": baseline / 1024 if baseline else None,
            "peak_mb": (peak or maxrss) / 1024, "peak_reset": reset, "ru_maxrss_mb": maxrss / 1024,
            "run_mb": (peak - baseline) / 1024 if peak and baseline and reset else None}  # fmt: skip


def child_profile(spec: dict[str, Any]) -> dict[str, Any]:
    child = Child(spec)
    child.run("validate")  # warm-up
    call = child.prepare("commit", spec["profile_plan"])
    profile = cProfile.Profile()
    profile.enable()
    call()
    profile.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(r"approvals|sqlalchemy/orm/session|calamine", 30)
    return {"text": stream.getvalue()}


def run_child(mode: str, spec_path: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--spec", str(spec_path)]
    done = subprocess.run(command, stdout=subprocess.PIPE, check=False, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"child {mode} failed with exit status {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_main(mode: str, spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    if mode == "timing":
        out = child_timing(spec)
    elif mode == "profile":
        out = child_profile(spec)
    else:
        out = child_memory(spec, mode.removeprefix("memory-"))
    print(json.dumps(out, ensure_ascii=False, default=str))
    return 0


# -- reporting --------------------------------------------------------------------------------------


def git_head() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=c.ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=c.ROOT,
                               capture_output=True, text=True, check=True).stdout.rstrip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    files = ", ".join(line[3:] for line in dirty.splitlines())
    return head + (f" + uncommitted changes to {files}" if dirty else "")


def print_breakdown(breakdown: dict[str, Any]) -> None:
    labels = {"read_roster": "read_roster (file → rows)", "check_rows": "check_rows (all rules)",
              "_check_row": "  _check_row (per row)", "dual_worker_terminations": "  dual_worker_terminations",
              "_cross_check": "  _cross_check (数据比对 queries)", "_commit": "_commit (writes)",
              "_keep_history": "  _keep_history", "refresh_plan_roster": "  refresh_plan_roster",
              "record": "  audit.record"}  # fmt: skip
    validate, commit = breakdown["validate"], breakdown["commit"]
    print(f"where the time goes (one more run each, steps wrapped by timers; validate {c.fmt(validate['total_s'])} s, "
          f"validate + commit {c.fmt(commit['total_s'])} s):")  # fmt: skip
    for name, label in labels.items():
        v, w = validate["steps"].get(name), commit["steps"].get(name)
        calls = (w or v or {}).get("calls", 0)
        print(f"  {label:<34} {c.fmt(v['s']) if v else '-':>6} s {c.fmt(w['s']) if w else '-':>6} s"
              f"{f'  ({calls} calls)' if calls > 1 else ''}")  # fmt: skip
    print(f"  {'session.commit() (COMMIT)':<34} {'-':>6} s {c.fmt(commit['session_commit_s']):>6} s")
    top = ", ".join(f"{k} ×{v['n']} {c.fmt(v['s'])} s" for k, v in list(commit["sql"].items())[:6])
    print(f"  SQL in validate + commit (time in the driver): {top}")


# -- main -------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows in the file (default 50,000)")
    parser.add_argument("--stored", type=int, default=500_000, help="workers of other enterprises stored (500,000)")
    parser.add_argument("--quick", action="store_true", help="5,000 rows, 50,000 stored")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3); the median is reported")
    parser.add_argument("--database-url", default="", help="a database instead of a SQLite file in a temp dir "
                        "(e.g. postgresql://…); it must be empty: the bench creates and drops its tables")  # fmt: skip
    parser.add_argument("--inline-strings", action="store_true",
                        help="import openpyxl's own file (inline strings) instead of the shared-strings one")  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="also cProfile one validate + commit")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--spec", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(args.child, args.spec)
    if args.quick:
        args.rows, args.stored = 5_000, 50_000
    tmp = tempfile.TemporaryDirectory(prefix="roster-bench-")
    tmpdir = Path(tmp.name)
    uri = database_url(args.database_url) if args.database_url else f"sqlite:///{tmpdir / 'app.sqlite'}"
    app = create_app(app_config(uri))
    ctx = app.app_context()
    ctx.push()
    dialect = db.engine.dialect.name
    if inspect(db.engine).get_table_names():
        print(f"refusing to run: {db.engine.url.render_as_string(hide_password=True)} already has tables "
              "(the bench creates and drops its own; use an empty database)", file=sys.stderr)  # fmt: skip
        return 2
    db.create_all()
    try:
        out = bench(args, tmpdir, uri, dialect)
    finally:
        db.session.remove()
        if args.database_url:
            db.drop_all()
        db.engine.dispose()
        ctx.pop()
        tmp.cleanup()
    print(json.dumps(out, ensure_ascii=False))
    return 0


def bench(args: argparse.Namespace, tmpdir: Path, uri: str, dialect: str) -> dict[str, Any]:
    rows, stored = args.rows, args.stored
    print(f"roster import benchmark: {rows:,} rows in an .xlsx, {stored:,} workers of other enterprises stored")
    print(f"code {git_head()}; python {platform.python_version()}, python-calamine {version('python-calamine')}, "
          f"openpyxl {version('openpyxl')}, SQLAlchemy {version('sqlalchemy')}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at start")  # fmt: skip

    # the file
    t0 = time.perf_counter()
    roster = generate(rows)
    inline = write_xlsx(roster)
    shared, strings, unique = shared_strings(inline, rows + 1, len(COLUMNS))
    same = CalamineWorkbook.from_filelike(io.BytesIO(shared)).get_sheet_by_index(0).to_python() == \
        CalamineWorkbook.from_filelike(io.BytesIO(inline)).get_sheet_by_index(0).to_python()  # fmt: skip
    assert same, "the shared-strings rewrite changed cell values"
    data = inline if args.inline_strings else shared
    path, inline_path = tmpdir / "roster.xlsx", tmpdir / "roster-inline.xlsx"
    path.write_bytes(data)
    inline_path.write_bytes(inline)
    writer = (f"openpyxl {version('openpyxl')} write-only" + ("" if args.inline_strings else
              f", strings then moved into a shared-strings table as Excel saves them ({strings:,} strings, "
              f"{unique:,} unique)"))  # fmt: skip
    print(f"file: {len(data) / 1e6:.1f} MB .xlsx, {rows + 1:,} rows × {len(COLUMNS)} columns (the import template's); "
          f"written by {writer}; openpyxl's inline-strings file: {len(inline) / 1e6:.1f} MB; cells identical when "
          f"read back; generated in {time.perf_counter() - t0:.1f} s")  # fmt: skip
    deliberate = ", ".join(f"{k} {v}" for k, v in sorted(roster.error_rows.items()))
    print(f"  deliberate errors: {deliberate} ({roster.rejected} rows to be rejected)")

    # the database
    t0 = time.perf_counter()
    world = build_world(roster)
    rng = random.Random(SEED + 1)
    shared_ids = [roster.rows[i]["id_number"] for i in rng.sample(roster.clean, max(1, rows // 100))]
    holders = store_workers(world, stored, shared_ids, rng)
    if dialect == "postgresql":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE roster_worker")
    plans_needed = 1 + (1 + args.repeat + 1) + 1 + 1  # dry run; warm-up + rounds + breakdown; memory; profile
    plan_ids = make_plans(world, plans_needed)
    stored_rows = db.session.scalar(select(func.count()).select_from(RosterWorker))
    where = "SQLite file (WAL) in " + str(tmpdir) if dialect == "sqlite" else db.engine.url.render_as_string()
    print(f"database: {where}; {stored_rows:,} workers stored in {len(world.others)} plans of {len(world.others)} "
          f"other enterprises ({time.perf_counter() - t0:.1f} s, untimed); {len(shared_ids)} of the file's ID numbers "
          f"planted among them, {sum(v > 1 for v in holders.values())} of those in two plans")  # fmt: skip

    # the index
    file_ids = sorted({r["id_number"] for r in roster.rows})
    plan_lines, index_used = explain_cross_check(file_ids, plan_ids[0], world.enterprise_id)
    cross_s, matches, queries = time_cross_check(file_ids, plan_ids[0], world.enterprise_id)
    kind = "EXPLAIN QUERY PLAN" if dialect == "sqlite" else "EXPLAIN (after ANALYZE)"
    print(f"cross-check queries ({kind}, {min(CHUNK, len(file_ids))} ids per IN list, plans other than own):")
    for line in plan_lines:
        print(f"  {line}")
    print(f"  → indexes {INDEX} and {SPOUSE_INDEX} used, no scan: {index_used}; all {len(file_ids):,} IDs in "
          f"{queries} queries: {cross_s:.3f} s, {matches} ID numbers on other enterprises' plans")  # fmt: skip
    db.session.remove()
    db.engine.dispose()

    # the children
    spec = {"url": uri, "file": str(path), "inline_file": "" if args.inline_strings else str(inline_path),
            "clerk_id": world.clerk_id, "dry_plan": plan_ids[0], "commit_plans": plan_ids[1 : args.repeat + 3],
            "repeat": args.repeat, "memory_plan": plan_ids[-2], "profile_plan": plan_ids[-1]}  # fmt: skip
    spec_path = tmpdir / "spec.json"
    spec_path.write_text(json.dumps(spec))
    print(f"timing: {args.repeat} rounds in a fresh process, variants interleaved (order rotated each round), "
          "one untimed warm-up of each; commit = import_roster(dry_run=False, accept_valid=True) + COMMIT "
          "into a fresh plan")  # fmt: skip
    sys.stdout.flush()
    timing = run_child("timing", spec_path)
    memory = {v: run_child(f"memory-{v}", spec_path) for v in MEMORY_VARIANTS}
    profile = run_child("profile", spec_path)["text"] if args.profile else ""

    med = {v: c.median(w for w, _ in s) for v, s in timing["samples"].items()}
    cpu = {v: c.median(p for _, p in s) for v, s in timing["samples"].items()}
    names = {"bare": "bare read (calamine + to_python)", "bare_inline": "  same, inline-strings file",
             "read_roster": "read_roster", "validate": "validate (dry run)", "commit": "validate + commit"}  # fmt: skip
    print()
    print(f"{'variant':<34} {'wall s':>7} {'cpu s':>7} {'× bare':>7}   all rounds (wall s)")
    for v in timing["samples"]:
        every = " ".join(f"{w:.2f}" for w, _ in timing["samples"][v])
        print(
            f"{names[v]:<34} {c.fmt(med[v]):>7} {c.fmt(cpu[v]):>7} {c.fmt(c.ratio(med[v], med['bare']), 1):>7}   {every}"
        )
    print(f"ratios: (validate + commit) / bare {c.fmt(c.ratio(med['commit'], med['bare']), 2)}×, "
          f"validate / bare {c.fmt(c.ratio(med['validate'], med['bare']), 2)}×, "
          f"read_roster / bare {c.fmt(c.ratio(med['read_roster'], med['bare']), 2)}×; "
          f"derived: check_rows ≈ validate − read_roster = {c.fmt(med['validate'] - med['read_roster'])} s, "
          f"commit ≈ (validate + commit) − validate = {c.fmt(med['commit'] - med['validate'])} s")  # fmt: skip
    if "bare_inline" in med:
        print(f"the writer matters: calamine reads openpyxl's inline-strings file in {c.fmt(med['bare_inline'])} s, "
              f"the shared-strings file in {c.fmt(med['bare'])} s")  # fmt: skip
    print()
    print_breakdown(timing["breakdown"])
    print()
    print("peak memory (VmHWM of a fresh process running only that variant; 'run' = above the RSS just before it):")
    for v, m in memory.items():
        print(f"  {names[v]:<32} peak {c.fmt(m['peak_mb'], 0):>5} MB, before {c.fmt(m['baseline_mb'], 0):>4} MB, "
              f"run {c.fmt(m['run_mb'], 0):>4} MB")  # fmt: skip
    if profile:
        print()
        print("cProfile of one validate + commit (overhead inflates many small calls):")
        print(profile)

    report = timing["report"]
    expected_warnings = dict(roster.warning_rows)
    expected_warnings["data_match_other_enterprise"] = len(shared_ids)
    got_warnings = dict(report["warning_rows"])
    checks = {
        "rejected": (report["rejected"], roster.rejected),
        "accepted": (report["accepted"], rows - roster.rejected),
        "error rows by rule": (dict(sorted(report["error_rows"].items())), dict(sorted(roster.error_rows.items()))),
        "warnings by rule": (dict(sorted(got_warnings.items())), dict(sorted(expected_warnings.items()))),
        "cross-check matches (direct query)": (matches, len(shared_ids)),
        "committed rows": (report["added"], rows - roster.rejected),
    }
    as_expected = all(got == want for got, want in checks.values()) and report["committed"]
    print()
    print(f"report: accepted {report['accepted']:,}, rejected {report['rejected']:,}; {report['errors']} errors, "
          f"{report['warnings']} warnings ({report['justified']} justified); mass layoff {report['mass_layoff']}; "
          f"committed {report['committed']} ({report['added']:,} rows added)")  # fmt: skip
    print(f"  errors by rule (rows): {dict(report['error_rows'])}")
    print(f"  warnings by rule: {got_warnings}")
    for name, (got, want) in checks.items():
        if got != want:
            print(f"  NOT AS EXPECTED: {name}: got {got}, expected {want}")
    print(f"  report as expected (errors, warnings, 数据比对 matches, rows committed): {as_expected}")

    figures: dict[str, Any] = {
        "rows": rows,
        "bare_read_s": med["bare"],
        "bare_read_inline_s": med.get("bare_inline"),
        "read_roster_s": med["read_roster"],
        "validate_s": med["validate"],
        "validate_commit_s": med["commit"],
        "ratio_to_bare": c.ratio(med["commit"], med["bare"]),
        "validate_ratio_to_bare": c.ratio(med["validate"], med["bare"]),
        "read_roster_ratio_to_bare": c.ratio(med["read_roster"], med["bare"]),
        "cpu_s": cpu,
        "peak_rss_mb": memory["commit"]["peak_mb"],
        "peak_rss_run_mb": memory["commit"]["run_mb"],
        "peak_rss_by_variant_mb": {v: m["peak_mb"] for v, m in memory.items()},
        "cross_check_index_used": index_used,
        "cross_check_query_plan": plan_lines,
        "cross_check_all_ids_s": cross_s,
        "stored_workers": stored_rows,
        "planted_matches": len(shared_ids),
        "accepted": report["accepted"],
        "rejected": report["rejected"],
        "errors": report["errors"],
        "warnings": report["warnings"],
        "report_as_expected": as_expected,
        "breakdown": timing["breakdown"],
    }
    targets: dict[str, Any] = {}
    print()
    print("targets:")
    for name, (limit, op) in TARGETS.items():
        value = figures[name]
        ok = value == limit if op == "==" else value <= limit if op == "<=" else value < limit
        targets[name] = {"limit": f"{op} {limit}", "value": c.clean(value), "ok": ok}
        shown = str(value) if isinstance(value, bool) else c.fmt(value)
        print(f"  {name:<24} {op:>2} {limit!s:<6} {shown:>8}  {'ok' if ok else 'MISSED'}")
    verdict = all(t["ok"] for t in targets.values())
    print(f"  all targets met: {verdict}")
    out = {k: c.clean(v) for k, v in figures.items()}
    out.update(database=dialect, writer=writer, file_bytes=len(data), repeat=args.repeat, targets=targets, ok=verdict)
    return out


if __name__ == "__main__":
    sys.exit(main())
