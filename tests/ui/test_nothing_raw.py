"""Nothing raw on a page or in a document (issue 12 §4): no Python list or dict, no JSON, no rule key of
the code (`required`, `check_character`…), no field path (`funding.required.training`) and no action
key of the trail (`plan.created`).

The guard walks every page of the staged plans (tests/stages.py: one plan of the zombie firm at every
stage) as the people who work on them see it, in Chinese and in English, plus a plan returned once and
submitted again (its revision diff), the trail of each plan and the public notice; then the text of
every official PDF. The keys it looks for are collected from the code itself, so a rule or a section
added later is guarded too.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest

from app.extensions import db, get_engine
from app.web.plans import TABS
from approvals.audit import ACTION_LABELS
from approvals.demo import record_sample_vote, sample_content
from approvals.models import Plan
from approvals.rules.content import SECTIONS
from approvals.services.plans import update_plan
from approvals.services.return_reasons import open_reasons
from approvals.services.review import review_plan
from approvals.services.submission import submit_plan
from config import BASE_DIR, TestConfig
from tests import pdf, stages
from tests.conftest import World
from tests.ui.conftest import Browser

# A Python repr or JSON: a list of objects, an object, a quoted key followed by a colon.
REPR = re.compile(r"""\[\{|\{['"]|['"][A-Za-z_][\w]*['"]\s*:""")
# A path into the plan's content: a section key, then a dot or an index.
PATH = re.compile(rf"\b(?:{'|'.join(SECTIONS)}|title)(?:\[\d+\])?\.[a-z_]")
# The keys of the code: every snake_case string literal of the rules, the roster reader and the forms
# (rule keys, field keys, finding keys), the trail's action keys, and the one-word rule keys the forms
# name their errors by.
LITERAL = re.compile(r"""["']([a-z][a-z0-9]*(?:_[a-z0-9]+)+)["']""")
SOURCES = [*(BASE_DIR / "approvals" / "rules").glob("*.py"), *(BASE_DIR / "approvals" / "roster").glob("*.py"),
           BASE_DIR / "approvals" / "services" / "roster.py", BASE_DIR / "app" / "web" / "form_fields.py",
           BASE_DIR / "app" / "web" / "plan_sections.py"]  # fmt: skip
CODE_KEYS = {key for path in SOURCES for key in LITERAL.findall(path.read_text(encoding="utf-8"))}
ONE_WORD_RULES = {"required", "integer", "amount", "number", "choice", "gb32100", "positive", "at_most"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


# The keys of a plan's content, at every depth ("items", "step", "training", "sources"…): a Chinese page
# shows their labels, never them. (English pages may use the same words as words.)
CONTENT_KEYS = _keys(sample_content(SimpleNamespace(region_code="130406", headcount=800, name="某企业", uscc="",
                                                    industry="coal", zombie=True, parent_group=None)))  # fmt: skip
# Chinese pages hold no ASCII word of these; English pages none of the snake_case keys.
KEY = re.compile(r"(?<![\w./-])([a-z][a-z0-9_]*[a-z0-9])(?![\w/-])")


def visible_text(html: str) -> str:
    """What a reader sees: the page without its tags, scripts, styles and templates."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", "\n", html))


def raw_things(text: str, *, chinese: bool = True) -> list[str]:
    """Each raw thing in a text: a repr or JSON, a field path, a key of the code."""
    found = [m.group(0) for m in REPR.finditer(text)] + [m.group(0) for m in PATH.finditer(text)]
    found += [action for action in ACTION_LABELS if action in text]
    for match in KEY.finditer(text):
        word = match.group(1)
        if word in CODE_KEYS or (chinese and (word in ONE_WORD_RULES or word in CONTENT_KEYS)):
            found.append(word)
    return found


def test_the_guard_finds_what_the_issue_found():
    """The guard itself: each raw thing the issue saw on a page is caught, and ordinary text is not."""
    assert raw_things("items：[{'step': '召开职代会'}]")
    assert raw_things('{"decision": "approve"}')
    assert raw_things("资金保障 funding.required.training")
    assert raw_things("请填写。 规则：required")
    assert raw_things("校验码不正确 check_character")
    assert raw_things("创建方案 plan.created")
    assert raw_things("实施步骤与时间安排 › items第3项 › step")
    assert not raw_things("资金保障 › 所需资金 › 转岗培训费：20,000.00 → 30,000.00")
    assert not raw_things("会议记录：会议记录.pdf（771字节） · 文件SHA-256 33cd59a01f3e")
    assert not raw_things("Required funds › Transfer training: 20,000.00", chinese=False)


def _resubmitted(world: World, plan_id: int) -> None:
    """The plan at review is returned, changed (an amount, a timetable row, a funding source) and
    submitted again, then voted on: at review with two revisions, so its pages show a diff."""
    session, engine = db.session, get_engine()
    plan = session.get(Plan, plan_id)
    assert plan is not None
    review_plan(session, engine, actor=world.actor("province"), plan=plan, decision="return",
                reasons="转岗培训费偏低，实施进度安排须写明责任部门。")  # fmt: skip
    funding = dict(plan.content["funding"])
    funding["required"] = {
        **funding["required"],
        "training": str(Decimal(str(funding["required"]["training"])) + 10000),
    }
    timetable = dict(plan.content["timetable"])
    timetable["items"] = [
        *timetable["items"][:2],
        {"step": "签订转岗培训协议", "due": "2018-09-15", "owner": "培训中心"},
    ]
    update_plan(
        session, actor=world.actor("clerk_zombie"), plan=plan, sections={"funding": funding, "timetable": timetable}
    )
    answers = {reason.id: "已提高转岗培训费，并写明各步骤的责任部门。" for reason in open_reasons(session, plan)}
    submit_plan(session, engine, actor=world.actor("clerk_zombie"), plan=plan, answers=answers)
    record_sample_vote(session, engine, world.actor("union_zombie"), plan,
                       congress_threshold=TestConfig.CONGRESS_HEADCOUNT_THRESHOLD)  # fmt: skip
    assert plan.status == "review"
    assert plan.revision_number == 2
    session.commit()


def _pages(staged: stages.Staged, resubmitted: int) -> list[tuple[str | None, str]]:
    """(user, path) of every page the guard reads."""
    plans = staged.plans
    out: list[tuple[str | None, str]] = []
    for plan_id in [*plans.values(), resubmitted]:
        out += [("province", f"/plans/{plan_id}?tab={tab}") for tab in TABS]
        out += [("supervisor", f"/audit?plan={plan_id}")]
    out += [("province", f"/plans/{resubmitted}?tab=revisions&from=1&to=2"),
            ("province", f"/plans/{resubmitted}/review"),
            ("province", f"/plans/{resubmitted}/verifications")]  # fmt: skip
    drafting = plans["drafting"]
    out += [
        ("clerk_zombie", f"/plans/{drafting}/draft?section={section}") for section in SECTIONS if section != "roster"
    ]
    out += [
        ("clerk_zombie", f"/plans/{drafting}/roster/upload"),
        ("union_zombie", f"/plans/{plans['congress']}/vote"),
        ("wg", f"/plans/{plans['working_group']}/working-group"),
        ("clerk_zombie", f"/plans/{plans['publication']}/publication"),
        ("clerk_zombie", f"/plans/{plans['published']}/objections"),
        ("supervisor", f"/plans/{plans['published']}/documents"),
        (None, f"/public/{staged.token}"),
    ]
    out += [(user, "/") for user in ("clerk_zombie", "union_zombie", "province", "wg", "supervisor", "admin")]
    out += [("clerk_zombie", "/tasks"), ("clerk_zombie", "/notifications"), ("supervisor", "/audit")]
    return out


@pytest.fixture
def walked(app, world, browser) -> tuple[stages.Staged, int, Any]:  # type: ignore[no-untyped-def]
    staged = stages.build(db.session, get_engine(), world)
    _resubmitted(world, staged.plans["review"])
    return staged, staged.plans["review"], browser


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_page_of_a_plan_at_any_stage_shows_anything_raw(walked, language):
    staged, resubmitted, browser = walked
    clients: dict[str | None, Browser] = {}
    found = []
    for user, path in _pages(staged, resubmitted):
        if user not in clients:
            clients[user] = browser(user)
            clients[user].get(f"/lang/{language}")
        response = clients[user].get(path)
        assert response.status_code == 200, (user, path, response.status_code)
        raw = raw_things(visible_text(response.get_data(as_text=True)), chinese=language == "zh_CN")
        if raw:
            found.append(f"{user} {path}: {sorted(set(raw))}")
    assert found == [], "\n".join(found)


def test_the_timetable_and_the_diff_read_as_tables_and_labels(walked):
    """What the guard stands for, seen where it was raw: the timetable's rows in a table, the diff in labels
    and amounts."""
    staged, resubmitted, browser = walked
    reviewer = browser("province")
    page = visible_text(reviewer.get(f"/plans/{resubmitted}?tab=content").get_data(as_text=True))
    assert "实施进度安排" in page
    assert "签订转岗培训协议" in page
    assert "培训中心" in page
    diff = visible_text(reviewer.get(f"/plans/{resubmitted}?tab=revisions&from=1&to=2").get_data(as_text=True))
    assert "资金保障 › 所需资金 › 转岗培训费" in diff
    assert "实施步骤与时间安排 › 实施进度安排第3项 › 事项" in diff
    assert re.search(r"\d{1,3}(,\d{3})+\.00", diff)  # amounts with grouped digits and two decimals
    review = visible_text(reviewer.get(f"/plans/{resubmitted}/review").get_data(as_text=True))
    assert "资金保障 › 所需资金 › 转岗培训费" in review
    reviewer.get("/lang/en")
    english = visible_text(reviewer.get(f"/plans/{resubmitted}?tab=revisions&from=1&to=2").get_data(as_text=True))
    assert "资金保障" not in english
    assert "转岗培训费" not in english
    notice = visible_text(browser(None).get(f"/public/{staged.token}").get_data(as_text=True))
    assert "实施进度安排" in notice
    assert "召开职工代表大会审议方案" in notice
    assert "企业工会" in notice


def test_no_official_document_prints_anything_raw(walked):
    staged, resubmitted, browser = walked
    supervisor = browser("supervisor")
    documents = [f"/plans/{staged.plans['published']}/documents/published-plan.pdf"]
    documents += [f"/plans/{staged.plans['published']}/documents/{kind}.pdf?n=1"
                  for kind in ("congress-vote", "review-opinion", "working-group")]  # fmt: skip
    found = []
    for path in documents:
        response = supervisor.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == "application/pdf"
        raw = raw_things(pdf.text(response.data))
        if raw:
            found.append(f"{path}: {sorted(set(raw))}")
    assert found == [], "\n".join(found)
    published = pdf.flat(supervisor.get(documents[0]).data)
    assert "表4实施进度安排" in published
    assert "召开职工代表大会审议方案" in published
    assert "企业工会" in published
    assert "items" not in published
