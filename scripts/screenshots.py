"""Screenshots of every main page, for docs/screenshots/web-*.png (listed in the README).

Serves the application with the demo data on a fresh SQLite file (tests/browser/live.py, as the
browser tests do), logs in as each kind of user in Debian's Chromium at 1366×768 (an office screen)
and saves one PNG per page: the plan page's tabs in both languages, the public notice and the main
pages also on a 390-wide phone (web-*-phone.png). Pages that need input (the vote typed in, a
refused form, an uploaded roster) are filled in first. A page wider than its window, or a table
cell squeezed to a few characters, is reported: text must not overflow.

    python scripts/screenshots.py                    # every page into docs/screenshots/
    python scripts/screenshots.py --only plan --out /tmp/shots
    python scripts/screenshots.py --all-languages --out /tmp/shots   # every page in English too

The official documents (PDFs, not pages) have their own script: scripts/screenshots_documents.py.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from approvals.db import utcnow
from approvals.workdays import local_date

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from approvals.demo import WG_MEMBERS, evidence_pdf, roster_csv, sample_roster  # noqa: E402
from approvals.services.congress_documents import KINDS  # noqa: E402
from tests.browser.live import (  # noqa: E402
    launch_chromium,
    logged_in_page,
    plan_tabs,
    squeezed_cells,
    start_demo_server,
    too_wide,
)

OFFICE, PHONE = (1366, 768), (390, 844)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOTH = ("zh-CN", "en")


@dataclass(frozen=True)
class Shot:
    name: str  # the file is web-<name>.png, web-<name>-en.png in English
    user: str | None  # a demo account, or None: not logged in
    path: str  # may name demo plans and links: {draft}, {congress}, …, {notice} (see demo_targets)
    action: Callable[[Any], None] | None = None  # what to do on the page before the shot
    locales: tuple[str, ...] = ("zh-CN",)
    viewport: tuple[int, int] = OFFICE
    max_height: int | None = None  # the top of a long page only (a roster or a trail on a phone)
    full_page: bool = True  # False: only what the window shows (where the person is looking)


# -- what to do on a page before its shot ---------------------------------------------------------


def upload_roster_with_mistakes(page: Any) -> None:
    """The demo roster with a wrong check character and a missing channel: the validation report."""
    rows = sample_roster(SimpleNamespace(region_code="130283"), 13, 1)  # type: ignore[arg-type]
    rows[2][0] = rows[2][0][:-1] + ("0" if rows[2][0][-1] != "0" else "1")
    rows[5][3] = ""
    page.set_input_files("#file", files=[{"name": "职工名单.csv", "mimeType": "text/csv",
                                          "buffer": io.BytesIO(roster_csv(rows)).getvalue()}])  # fmt: skip
    page.click("form[data-testid=upload-form] button[type=submit]")


def upload_shorter_roster(page: Any) -> None:
    """A file without the last three of the saved workers: the report says whom a commit would delete."""
    rows = sample_roster(SimpleNamespace(region_code="130283"), 13, 1)[:-3]  # type: ignore[arg-type]
    page.set_input_files("#file", files=[{"name": "职工名单.csv", "mimeType": "text/csv",
                                          "buffer": io.BytesIO(roster_csv(rows)).getvalue()}])  # fmt: skip
    page.click("form[data-testid=upload-form] button[type=submit]")


def type_vote(page: Any, present: str = "100") -> None:
    for field, value in (("#held_on", local_date(utcnow()).isoformat()), ("#total_members", "120"), ("#present", present),
                         ("#yes", "58"), ("#no", "30"), ("#abstain", "12"), ("#ballots_issued", present),
                         ("#ballots_returned", "100"), ("#ballots_valid", "100"), ("#chair", "王建国"),
                         ("#scrutineers", "李秀兰、赵志刚")):  # fmt: skip
        page.fill(field, value)
    page.check("input[name=secret_ballot][value=yes]")
    for kind, label in KINDS.items():
        page.set_input_files(f"#{kind}", files=[{"name": f"{label}.pdf", "mimeType": "application/pdf",
                                                 "buffer": evidence_pdf(label)}])  # fmt: skip


def confirmed(page: Any, button: str) -> None:
    """Click what sends an irreversible step, then 确定 in the dialog that asks (static/js/confirm.js)."""
    page.click(button)
    with page.expect_navigation():
        page.get_by_test_id("confirm-dialog").locator("button[value=ok]").click()


def refused_vote(page: Any) -> None:
    """More present than members: the button waits, its reason beside it (the server would refuse it too)."""
    type_vote(page, present="130")
    page.locator("form[data-vote] button[type=submit]").scroll_into_view_if_needed()


def vote_refused_as_typed(page: Any) -> None:
    """Votes from more people than were present: the live check says so and foretells no result."""
    type_vote(page, present="90")
    page.get_by_test_id("vote-problems").scroll_into_view_if_needed()


def vote_to_confirm(page: Any) -> None:
    type_vote(page)
    page.click("form[data-vote] button[type=submit]")  # the dialog asks first


def review_to_confirm(page: Any) -> None:
    """A return with its reason: the dialog names what returning does (approval waits for the bureau's own
    roster verification, which the demo's plan at the review does not have yet: its option is disabled)."""
    page.check("input[name=decision][value=return]")
    page.fill("#reasons", "资金来源证明材料不清晰，请重新上传。")
    page.click("form button[type=submit].w-100")


def working_group_to_confirm(page: Any) -> None:
    """The group formed (a member for each department, a contact point), findings written and "revise" chosen:
    the button is enabled only then (static/js/blocked.js), and the dialog names what returning does."""
    for n, member in enumerate(WG_MEMBERS):
        page.select_option(f"#members-{n}-department", member["department"])
        page.fill(f"#members-{n}-name", member["name"])
    page.fill("#contact_point", "企业人力资源部")
    page.check("input[name=decision][value=revise]")
    page.fill("#findings", "资金缺口尚未落实，请企业补充资金来源后重新报送。")
    page.click("#wg-submit")


def deactivate_to_confirm(page: Any) -> None:
    page.click("[data-testid=deactivate]")


def return_without_reasons(page: Any) -> None:
    """A return chosen with no reason: the button waits, saying a return needs its reasons."""
    page.check("input[name=decision][value=return]")
    page.locator("form button[type=submit].w-100").scroll_into_view_if_needed()


def answer_one_reason(page: Any) -> None:
    """Only the first reason answered: the button waits, naming the reason still unanswered."""
    page.locator("textarea").nth(0).fill("已补充内部退养人员协议（附件3），共涉及职工6人。")
    page.locator("[data-testid=resubmit-form] button[type=submit]").scroll_into_view_if_needed()


def refused_objection(page: Any) -> None:
    """An objection with a mistyped ID: the page comes back at the error, focused."""
    page.fill("#name", "王某")
    page.fill("#id_number", "130283198003150020")
    page.fill("#phone", "13812345678")
    page.fill("#text", "本人的安置渠道有误，请核实。")
    with page.expect_navigation():
        page.locator("#objection button[type=submit]").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'objection-error'")


def choose_supervisor_role(page: Any) -> None:
    page.select_option("#role", "supervisor")  # the region field appears


def refused_wages(page: Any) -> None:
    page.select_option("#city", "130200")
    page.fill("#year", "1980")
    page.fill("#average", "5400")
    page.click("[data-testid=wage-form] button[type=submit]")


def submit_waiting_for_wages(page: Any) -> None:
    """The draft moved to a 2026 reference date, whose 2025 city wage figures nobody has entered, its roster
    imported again, then submitted: the refusal names what is missing and who enters it."""
    page.fill("#reference_date", "2026-06-30")
    page.click("form[data-testid=section-form] button[type=submit]")
    page.goto(page.url.split("/draft")[0] + "/roster/upload")
    rows = sample_roster(SimpleNamespace(region_code="130283"), 13, 1)  # type: ignore[arg-type]
    rows[3][4] = ""  # one leaver without 月平均工资: the clerk's to give
    rows = [row for row in rows if row[3] != "企业内部退养"]  # by 2026 some have reached retirement age
    page.set_input_files("#file", files=[{"name": "职工名单.csv", "mimeType": "text/csv",
                                          "buffer": io.BytesIO(roster_csv(rows)).getvalue()}])  # fmt: skip
    page.click("form[data-testid=upload-form] button[type=submit]")
    page.click("form[data-testid=commit-form] button.btn-success")
    page.goto(page.url.split("/roster")[0] + "/draft?section=severance")
    page.click("form[action$=submit] button[type=submit]")


def refused_evidence(page: Any) -> None:
    """A text file named .pdf uploaded as the first source's evidence: refused beside that source, by its real type."""
    page.set_input_files("[data-testid=upload-1] input[type=file]",
                         files=[{"name": "fake.pdf", "mimeType": "application/pdf", "buffer": b"just some text"}])  # fmt: skip
    page.click("[data-testid=upload-1] button[type=submit]")


def refused_holidays(page: Any) -> None:
    """Days outside the year, a weekday as a make-up working day, no basis: each named beside its field."""
    page.fill("#year", "2027")
    page.fill("#holidays", "2027-01-01\n2027-02-30\n2028-01-01")
    page.fill("#workdays", "2027-01-04")
    page.click("[data-testid=holiday-form] button[type=submit]")


def refused_password(page: Any) -> None:
    """A new password from the common-passwords list: refused beside its field."""
    page.fill("#current", "Demo@2026")
    page.fill("#password", "P@ssw0rd")
    page.fill("#confirm", "P@ssw0rd")
    page.click("main form button[type=submit]")


def locked_out(page: Any) -> None:
    """Wrong passwords until the account is locked for a while (a user no later shot logs in as)."""
    for _ in range(6):
        page.fill("#username", "clerk_coal")
        page.fill("#password", "wrong-password")
        page.click("main form button[type=submit]")


def open_sections(page: Any) -> None:
    """The draft's section list, one button on a phone, opened."""
    page.get_by_test_id("section-toggle").click()
    page.get_by_test_id("sections").wait_for(state="visible")


def refused_severance(page: Any) -> None:
    """The severance payment corrected to less than what is due at the end: refused beside the amount, as when
    entered (劳动合同法 Art 47)."""
    page.click("[data-testid=correct-severance] summary")
    page.fill("#correct-severance-severance_paid", "1000")
    page.fill("#correct-severance-reason", "按银行回单更正实付金额")
    with page.expect_navigation():
        page.click("[data-testid=form-correct-severance] button[type=submit]")
    page.locator("[data-testid=error-severance_paid]").first.scroll_into_view_if_needed()


def corrected_agreement(page: Any) -> None:
    """The agreement's date corrected with its reason: the history of corrections at the foot of the page."""
    page.click("[data-testid=correct-agreement] summary")
    day = page.input_value("#correct-agreement-agreement_signed_on")
    page.fill("#correct-agreement-agreement_signed_on", (date.fromisoformat(day) - timedelta(days=1)).isoformat())
    page.fill("#correct-agreement-reason", "签订日期录入错误，以协议原件落款日期为准")
    with page.expect_navigation():
        page.click("[data-testid=form-correct-agreement] button[type=submit]")
    page.locator("[data-testid=history]").scroll_into_view_if_needed()


def corrected_service(page: Any) -> None:
    """The first service's provider corrected with its reason: the history at the foot of the page."""
    page.locator("[data-testid^=correct-service-] summary").first.click()
    form = page.locator("[data-testid^=form-correct-service-]").first
    provider = form.locator("input[name=provider]")
    market = "迁安市人力资源市场"  # the shot in each language corrects it again: to the market, or back
    provider.fill("迁安市公共就业服务中心" if provider.input_value() == market else market)
    form.locator("textarea[name=reason]").fill("服务提供方录入错误，以服务台账为准")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.locator("[data-testid=history]").scroll_into_view_if_needed()


def upload_ledger_with_mistakes(page: Any) -> None:
    """A ledger whose rows are not in the roster's order, one name mistyped and one payment below what is due:
    the report names the file's row and, beside it, the worker's roster row and name."""
    from openpyxl import Workbook

    rows = [[c.inner_text().strip() for c in r.locator("td").all()[1:3]]
            for r in page.locator("[data-testid=ledger] tbody tr").all()[:6]]  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.append(["公民身份号码", "姓名", "签订日期"])
    for number, (name, id_number) in enumerate(reversed(rows)):
        sheet.append([id_number, name + "某" if number == 1 else name, "2026-02-30" if number == 3 else ""])
    buffer = io.BytesIO()
    book.save(buffer)
    page.set_input_files("[data-testid=upload-form] input[type=file]",
                         files=[{"name": "实施台账.xlsx", "buffer": buffer.getvalue(), "mimeType": XLSX}])  # fmt: skip
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[name=action][value=check]")
    page.locator("[data-testid=bulk-report]").scroll_into_view_if_needed()


def refused_loan(page: Any) -> None:
    """A start-up loan above the cap in force: refused, naming the worker, the amount and the cap."""
    page.select_option("#support-kind", "guaranteed_loan")
    page.fill("#support-day", local_date(utcnow()).isoformat())
    page.fill("#support-provider", "迁安市创业担保贷款中心")
    page.fill("#support-amount", "500000")
    with page.expect_navigation():
        page.click("[data-testid=form-support] button[type=submit]")
    page.locator(".alert-danger").first.scroll_into_view_if_needed()


def plan_shots() -> list[Shot]:
    """The plan page of the high-risk plan at the working group, as its reviewer sees it (roster included)."""
    tabs = plan_tabs()
    if not tabs:
        return [Shot("plan", "reviewer", "/plans/{working_group}", locales=BOTH)]
    return [
        *(Shot(f"plan-{tab}", "reviewer", f"/plans/{{working_group}}?tab={tab}", locales=BOTH) for tab in tabs),
    ]


SHOTS: list[Shot] = [
    Shot("login", None, "/login"),
    Shot("home-enterprise", "clerk", "/"),
    Shot("home-union", "union", "/"),
    Shot("home-bureau", "reviewer", "/"),
    Shot("home-working-group", "wg", "/"),
    Shot("home-supervisor", "supervisor", "/"),
    Shot("home-admin", "admin", "/"),
    Shot("home-admin-phone", "admin", "/", viewport=PHONE),
    Shot("tasks", "clerk", "/tasks", locales=BOTH),
    Shot("plan-list", "supervisor", "/plans", locales=BOTH),
    Shot("plan-list-cell", "supervisor", "/plans?status=review&city=130200"),  # a count of the home page, opened
    Shot("plan-list-search", "clerk", "/plans?q=第2批"),
    Shot("plan-list-empty", "union", "/plans?q=冀南示范煤业"),  # another enterprise's plan: not found
    Shot("plan-list-phone", "supervisor", "/plans", viewport=PHONE),
    *plan_shots(),
    # the demo plan resubmitted after a return (approvals/demo.py): its two revisions compared
    Shot("plan-revisions-diff", "clerk", "/plans/{resubmitted}?tab=revisions&from=1&to=2", locales=BOTH),
    Shot("plan-revisions-diff-phone", "clerk", "/plans/{resubmitted}?tab=revisions&from=1&to=2", viewport=PHONE),
    Shot("new-plan", "clerk", "/plans/new"),
    Shot("draft-profile", "clerk", "/plans/{draft}/draft?section=profile"),
    Shot("draft-profile-phone", "clerk", "/plans/{draft}/draft?section=profile", viewport=PHONE),
    Shot("draft-channels", "clerk", "/plans/{draft}/draft?section=channels"),
    Shot("draft-funding", "clerk", "/plans/{draft}/draft?section=funding", locales=BOTH),
    Shot(
        "draft-funding-evidence-refused",
        "clerk",
        "/plans/{returned}/draft?section=funding",
        refused_evidence,
        locales=BOTH,
    ),
    Shot("draft-timetable", "clerk", "/plans/{draft}/draft?section=timetable"),
    Shot("draft-returned", "clerk", "/plans/{returned}/draft?section=profile", locales=BOTH),
    Shot("draft-returned-phone", "clerk", "/plans/{returned}/draft?section=profile", viewport=PHONE),
    Shot("plan-returned", "clerk", "/plans/{returned}"),
    Shot("resubmit", "clerk", "/plans/{returned}/resubmit", locales=BOTH),
    Shot("resubmit-refused", "clerk", "/plans/{returned}/resubmit", answer_one_reason),
    Shot("resubmit-phone", "clerk", "/plans/{returned}/resubmit", viewport=PHONE),
    Shot("roster-report", "clerk", "/plans/{draft}/roster/upload", upload_roster_with_mistakes),
    Shot("roster-removal", "clerk", "/plans/{returned}/roster/upload", upload_shorter_roster),
    Shot("vote", "union", "/plans/{congress}/vote", type_vote),
    Shot("vote-refused", "union", "/plans/{congress}/vote", refused_vote),
    Shot("vote-phone", "union", "/plans/{congress}/vote", type_vote, viewport=PHONE),
    Shot("vote-live-refused", "union", "/plans/{congress}/vote", vote_refused_as_typed, locales=BOTH),
    Shot("vote-live-refused-phone", "union", "/plans/{congress}/vote", vote_refused_as_typed, viewport=PHONE),
    Shot("vote-confirm", "union", "/plans/{congress}/vote", vote_to_confirm),
    Shot("vote-confirm-phone", "union", "/plans/{congress}/vote", vote_to_confirm, viewport=PHONE),
    Shot("vote-recorded", "union", "/plans/{review}/vote", locales=BOTH),
    Shot("vote-recorded-phone", "union", "/plans/{review}/vote", viewport=PHONE),
    Shot("review", "reviewer", "/plans/{review}/review", locales=BOTH),
    Shot("review-phone", "reviewer", "/plans/{review}/review", viewport=PHONE),
    Shot("review-refused", "reviewer", "/plans/{review}/review", return_without_reasons),
    Shot("review-answers", "reviewer", "/plans/{resubmitted}/review#answers", locales=BOTH),
    Shot("review-answers-phone", "reviewer", "/plans/{resubmitted}/review#answers", viewport=PHONE),
    Shot("review-confirm", "reviewer", "/plans/{review}/review", review_to_confirm),
    Shot("verifications", "reviewer", "/plans/{review}/verifications"),
    Shot("working-group", "wg", "/plans/{working_group}/working-group"),
    Shot(
        "working-group-confirm", "wg", "/plans/{working_group}/working-group", working_group_to_confirm, full_page=False
    ),
    Shot(
        "working-group-confirm-phone",
        "wg",
        "/plans/{working_group}/working-group",
        working_group_to_confirm,
        viewport=PHONE,
        full_page=False,
    ),
    Shot("publication", "clerk", "/plans/{publication}/publication"),
    Shot("publication-refused", "clerk", "/plans/{publication}/publication"),  # the button waits, naming what fails
    Shot("published", "clerk", "/plans/{published}/publication"),
    Shot("objections", "clerk", "/plans/{published}/objections"),
    Shot("documents-supervisor", "supervisor", "/plans/{published}/documents"),
    Shot("documents-phone", "supervisor", "/plans/{published}/documents", viewport=PHONE),
    Shot("public-notice", None, "{notice}", locales=BOTH),
    Shot("public-notice-phone", None, "{notice}", viewport=PHONE),
    Shot("objection-refused-phone", None, "{notice}", refused_objection, viewport=PHONE, full_page=False),
    Shot("objection-refused", None, "{notice}", refused_objection, full_page=False),
    # The demo plan in execution (approvals/demo_execution.py): the ledger and a worker's record, then the
    # services for leaving workers and the households.
    Shot("execution-ledger", "clerk", "/plans/{executing}/execution/ledger", locales=BOTH),
    Shot("execution-ledger-phone", "clerk", "/plans/{executing}/execution/ledger", viewport=PHONE, max_height=2400),
    Shot("execution-ledger-bureau-overdue", "reviewer", "/plans/{executing}/execution/ledger?show=overdue"),
    Shot("execution-ledger-supervisor", "supervisor", "/plans/{executing}/execution/ledger"),
    Shot("execution-worker", "clerk", "/plans/{executing}/execution/workers/{exec_late}", locales=BOTH),
    Shot("execution-worker-phone", "clerk", "/plans/{executing}/execution/workers/{exec_late}", viewport=PHONE),
    Shot(
        "execution-worker-refused",
        "clerk",
        "/plans/{executing}/execution/workers/{exec_late}",
        refused_severance,
        locales=BOTH,
    ),  # fmt: skip
    Shot(
        "execution-worker-corrected",
        "clerk",
        "/plans/{executing}/execution/workers/{exec_late}",
        corrected_agreement,
        locales=BOTH,
    ),
    Shot(
        "execution-worker-corrected-phone",
        "clerk",
        "/plans/{executing}/execution/workers/{exec_late}",
        corrected_agreement,
        viewport=PHONE,
    ),
    Shot(
        "execution-ledger-upload-report",
        "clerk",
        "/plans/{executing}/execution/ledger",
        upload_ledger_with_mistakes,
        locales=BOTH,
    ),
    Shot(
        "execution-ledger-upload-report-phone",
        "clerk",
        "/plans/{executing}/execution/ledger",
        upload_ledger_with_mistakes,
        viewport=PHONE,
        max_height=2400,
    ),
    Shot("execution-services", "clerk", "/plans/{executing}/execution-services", locales=BOTH),
    Shot(
        "execution-services-short-phone", "reviewer", "/plans/{executing}/execution-services?short=1", viewport=PHONE
    ),  # fmt: skip
    Shot("execution-services-supervisor", "supervisor", "/plans/{executing}/execution-services"),
    Shot(
        "execution-services-worker",
        "clerk",
        "/plans/{executing}/execution-services/workers/{exec_difficulty}",
        locales=BOTH,
    ),  # fmt: skip
    Shot(
        "execution-services-worker-phone",
        "clerk",
        "/plans/{executing}/execution-services/workers/{exec_difficulty}",
        viewport=PHONE,
        max_height=2400,
    ),  # fmt: skip
    Shot(
        "execution-services-worker-refused",
        "clerk",
        "/plans/{executing}/execution-services/workers/{exec_self_employed}",
        refused_loan,
        locales=BOTH,
    ),  # fmt: skip
    Shot(
        "execution-services-worker-corrected",
        "clerk",
        "/plans/{executing}/execution-services/workers/{exec_difficulty}",
        corrected_service,
        locales=BOTH,
    ),
    Shot(
        "execution-services-worker-corrected-phone",
        "clerk",
        "/plans/{executing}/execution-services/workers/{exec_difficulty}",
        corrected_service,
        viewport=PHONE,
    ),
    Shot("execution-households", "clerk", "/plans/{executing}/execution-services/households", locales=BOTH),
    Shot(
        "execution-households-supervisor",
        "supervisor",
        "/plans/{executing}/execution-services/households",
        locales=BOTH,
    ),  # fmt: skip
    Shot("notifications", "union", "/notifications", locales=BOTH),
    Shot("audit-trail", "supervisor", "/audit", locales=BOTH),
    Shot("audit-filtered", "supervisor", "/audit?person=reviewer&action=review.decided"),
    Shot("audit-verify", "supervisor", "/audit/verify"),
    Shot("admin-users", "admin", "/admin/users"),
    Shot("admin-user", "admin", "/admin/users/{user_supervisor}", choose_supervisor_role),
    Shot(
        "admin-user-deactivate-confirm",
        "admin",
        "/admin/users/{user_supervisor}",
        deactivate_to_confirm,
        full_page=False,
    ),
    Shot("admin-enterprises", "admin", "/admin/enterprises"),
    Shot("admin-enterprise-edit", "admin", "/admin/enterprises/{enterprise_steel}/edit"),
    Shot("admin-regions", "admin", "/admin/regions"),
    Shot("admin-working-groups", "admin", "/admin/working-groups"),
    Shot("admin-parameters", "admin", "/admin/parameters", locales=BOTH),
    Shot("admin-parameters-refused", "admin", "/admin/parameters", refused_wages),
    Shot("admin-holidays", "admin", "/admin/holidays", locales=BOTH),
    Shot("admin-holidays-refused", "admin", "/admin/holidays", refused_holidays, locales=BOTH),
    Shot("admin-holidays-phone", "admin", "/admin/holidays", refused_holidays, viewport=PHONE),
    Shot("error-403", "union", "/plans/{draft}/draft"),
    Shot("account-settings", "clerk", "/settings", locales=BOTH),
    Shot("account-password-refused", "clerk", "/settings/password", refused_password, locales=BOTH),
    Shot("account-password-phone", "clerk", "/settings/password", viewport=PHONE),
    Shot("audit-verify-admin", "admin", "/audit/verify"),
    # A phone: each table row as label and value lines, the draft's sections behind one button.
    Shot("home-enterprise-phone", "clerk", "/", viewport=PHONE),
    Shot("home-bureau-phone", "reviewer", "/", viewport=PHONE),
    Shot("home-supervisor-phone", "supervisor", "/", viewport=PHONE),
    Shot("tasks-phone", "clerk", "/tasks", viewport=PHONE),
    Shot("plan-content-phone", "reviewer", "/plans/{working_group}?tab=content", viewport=PHONE, max_height=2400),
    Shot("plan-roster-phone", "reviewer", "/plans/{working_group}?tab=roster", viewport=PHONE, max_height=2400),
    Shot("audit-trail-phone", "supervisor", "/audit", viewport=PHONE, max_height=2400),
    Shot("draft-funding-phone", "clerk", "/plans/{draft}/draft?section=funding", viewport=PHONE),
    Shot("draft-sections-phone", "clerk", "/plans/{draft}/draft", open_sections, viewport=PHONE, max_height=1400),
    Shot("working-group-phone", "wg", "/plans/{working_group}/working-group", viewport=PHONE, max_height=2400),
    # The draft waits for wage figures from here on: the refusal, then what the administrator's home says.
    Shot("draft-refused-wages", "clerk", "/plans/{draft}/draft?section=severance", submit_waiting_for_wages),
    Shot("draft-refused-wages-phone", "clerk", "/plans/{draft}/draft?section=severance", viewport=PHONE),
    Shot("home-admin-waiting", "admin", "/"),
    Shot("home-admin-waiting-phone", "admin", "/", viewport=PHONE),
    Shot("login-locked", None, "/login", locked_out, locales=BOTH),  # last: it locks clerk_coal out
]


def demo_targets(db_file: Path) -> dict[str, Any]:
    """The demo plans by the step each waits at, the published plan's public link, a few ids."""
    with sqlite3.connect(db_file) as con:
        plans = con.execute("SELECT id, status, revision_number FROM plan ORDER BY id").fetchall()
        token = con.execute("SELECT token FROM public_notice JOIN plan ON plan.id = public_notice.plan_id "
                            "WHERE plan.status = 'published'").fetchone()[0]  # fmt: skip
        users = dict(con.execute("SELECT username, id FROM user_account").fetchall())
        steel = con.execute("SELECT id FROM enterprise WHERE industry = 'steel'").fetchone()[0]
        leaving = con.execute("SELECT roster_worker.id, id_number, channel FROM roster_worker JOIN plan "
                              "ON plan.id = roster_worker.plan_id WHERE plan.status = 'executing' "
                              "ORDER BY roster_worker.id").fetchall()  # fmt: skip
    by_step: dict[str, Any] = {}
    for plan_id, status, revision in plans:
        step = "returned" if status == "drafting" and revision else ("draft" if status == "drafting" else status)
        by_step.setdefault(step, plan_id)
        if status == "review" and revision > 1:  # returned, each reason answered, back at the review
            by_step.setdefault("resubmitted", plan_id)
    # the plan in execution's workers as approvals/demo_execution.py fills them in: the second terminated (a file
    # transfer overdue), the third (filed as an employment-difficulty person), the first self-employed (a loan)
    terminated = [w for w in leaving if w[2] == "termination"]
    self_employed = [w for w in leaving if w[2] == "self_employment"]
    return {**by_step, "notice": f"/public/{token}", "user_supervisor": users["supervisor"],
            "enterprise_steel": steel, "exec_late": terminated[1][0], "exec_difficulty": terminated[2][1],
            "exec_self_employed": self_employed[0][1]}  # fmt: skip


def wait_until_drawn(page: Any) -> None:
    """Pages load their own scripts' data (the process diagram): wait until every diagram is drawn."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "[...document.querySelectorAll('.diagram[data-src]')]"
        ".every(d => d.dataset.state === 'rendered' || d.dataset.state === 'failed')"
    )


def save_png(png: bytes, file: Path) -> None:
    """In 256 colours without dithering: text stays sharp and the file is about a third of the size."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            file, optimize=True
        )


def take(browser: Any, base: str, shot: Shot, locale: str, targets: dict[str, Any], out: Path) -> str:
    page = logged_in_page(browser, base, shot.user, locale)
    try:
        page.set_viewport_size({"width": shot.viewport[0], "height": shot.viewport[1]})
        path = shot.path.format(**targets)
        if locale == "en":
            page.goto(f"/lang/en?next={quote(path, safe='/')}")
        else:
            page.goto(path)
        if shot.action:
            shot.action(page)
        wait_until_drawn(page)
        file = out / f"web-{shot.name}{'-en' if locale == 'en' else ''}.png"
        clip = None
        if shot.max_height:
            height = min(shot.max_height, page.evaluate("document.documentElement.scrollHeight"))
            clip = {"x": 0, "y": 0, "width": shot.viewport[0], "height": height}
        save_png(page.screenshot(full_page=shot.full_page, clip=clip), file)
        shown = file.relative_to(ROOT) if file.is_relative_to(ROOT) else file
        wide = too_wide(page) + squeezed_cells(page)
        return f"{shown}  TEXT OVERFLOWS: {'; '.join(wide)}" if wide else str(shown)
    finally:
        page.context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="directory for the PNGs")
    parser.add_argument("--only", default="", help="only the shots whose name contains this")
    parser.add_argument("--all-languages", action="store_true",
                        help="every page in Chinese and English (to check the layout; the README lists the default set)")  # fmt: skip
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db_file = Path(tmp) / "demo.sqlite"
        process, base = start_demo_server(db_file)
        try:
            targets = demo_targets(db_file)
            with sync_playwright() as p:
                browser = launch_chromium(p)
                for shot in SHOTS:
                    if args.only in shot.name:
                        for locale in BOTH if args.all_languages else shot.locales:
                            print(take(browser, base, shot, locale, targets, args.out), flush=True)
                browser.close()
        finally:
            process.terminate()
            process.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
