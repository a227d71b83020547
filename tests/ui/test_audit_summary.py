"""The trail's summary column is written for people (issue 12 §4): each action's formatter says its
summary with labels, amounts with two decimals and grouped digits, short hashes, in the reader's language,
on the audit trail page, in its CSV and XLSX exports and on the plan's timeline; a key no formatter knows
is said by the generic one, never as a dict or JSON."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from app.web.audit_summary import FORMATTERS, KEY_LABELS, summary_parts, summary_text
from app.web.audit_view import COLUMNS
from approvals.audit import ACTION_LABELS
from tests import flow
from tests.ui.html_tables import table_rows

SUMMARY = [title for title, _width, _css in COLUMNS].index("内容摘要")
RAW = re.compile(r"""[{}\[\]]|['"]\w+['"]\s*:|\b[0-9a-f]{64}\b""")


def test_every_action_has_its_formatter():
    assert sorted(ACTION_LABELS.keys() - FORMATTERS.keys()) == []


def test_a_summary_reads_with_labels_amounts_and_short_hashes(app):
    digest = "ab" * 32
    stored = {"file": "名单.csv", "sha256": digest, "accepted": 20, "rejected": 0, "added": 20, "updated": 0,
              "removed": 0, "content_hash": "cd" * 32, "severance_total": "842700.5",
              "internal_retirement_total": "112488"}  # fmt: skip
    with app.test_request_context():
        said = summary_text("roster.imported", stored)
    assert "文件“名单.csv”：接受20行，拒绝0行；新增20人，修改0人，删除0人" in said
    assert "经济补偿合计842,700.50元，内部退养费用合计112,488.00元" in said
    assert "文件SHA-256 abababababab" in said
    assert "内容哈希 cdcdcdcdcdcd" in said
    assert not RAW.search(said)


def test_a_key_no_formatter_knows_is_said_by_its_label_or_its_value_never_as_code(app):
    stored = {"title": "某方案", "content_hash": "ef" * 32, "severance_total": "1000",
              "later_key": {"nested": [1, 2]}, "tokens_revoked": 2}  # fmt: skip
    with app.test_request_context():
        parts = {part.name: part.text for part in summary_parts("plan.created", stored)}
        unknown = summary_text("some.future_action", {"decision": "approve", "inputs": {"zombie": True}})
    assert parts["title"] == "某方案"
    assert parts["severance_total"] == "经济补偿合计（元）：1,000.00"
    assert parts["tokens_revoked"] == "撤销的访问令牌：2"
    assert parts["later_key"] == "1、2"  # no label: the value alone, never the key or a repr
    assert "later_key" not in " ".join(parts.values())
    assert unknown == "决定：approve · 评定依据：拟出清的僵尸企业：是"
    assert set(KEY_LABELS) >= {"content_hash", "severance_total", "inputs"}


def test_the_trail_page_and_its_exports_say_each_event_in_the_readers_language(browser, api, world, complete_content):
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    supervisor = browser("supervisor")
    shown = table_rows(supervisor.get(f"/audit?plan={plan['id']}").get_data(as_text=True), "trail")
    summaries = [" ".join(row[SUMMARY].split()) for row in shown]
    assert all(summaries)
    assert not [s for s in summaries if RAW.search(s)]
    vote = summaries[0]  # newest first
    assert "职工代表大会" in vote
    assert "应到120，实到100，赞成80，反对15，弃权5" in vote
    assert "表决通过" in vote
    assert re.search(r"内容哈希 [0-9a-f]{12}(?![0-9a-f])", vote)
    exported = list(
        csv.reader(io.StringIO(supervisor.get(f"/audit/export.csv?plan={plan['id']}").get_data(as_text=True)))
    )
    assert [" ".join(r[SUMMARY].split()) for r in exported[1:]] == summaries
    book = load_workbook(io.BytesIO(supervisor.client.get(f"/audit/export.xlsx?plan={plan['id']}").get_data()))
    assert [" ".join(str(r[SUMMARY]).split()) for r in book.active.iter_rows(min_row=2, values_only=True)] == summaries
    supervisor.get("/lang/en")
    english = table_rows(supervisor.get(f"/audit?plan={plan['id']}").get_data(as_text=True), "trail")
    said = " ".join(english[0][SUMMARY].split())
    assert "120 members, 100 present, 80 yes, 15 no, 5 abstaining" in said
    assert "Passed" in said
    assert "职工代表大会" not in said
    csv_en = supervisor.get(f"/audit/export.csv?plan={plan['id']}").get_data(as_text=True)
    assert "应到" not in csv_en
    assert not RAW.search(csv_en.split("\n", 1)[1])


def test_the_timeline_says_the_same_as_the_trail(browser, api, world, complete_content):
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel))
    page = browser("supervisor").get(f"/plans/{plan['id']}?tab=timeline").get_data(as_text=True)
    imported = re.search(
        r'data-action="roster.imported".*?<div class="small text-muted details">(.*?)</div>', page, re.S
    )
    assert imported is not None
    text = " ".join(re.sub(r"<[^>]+>", "", imported.group(1)).split())
    assert "接受20行，拒绝0行" in text
    assert re.search(r"经济补偿合计[\d,]+\.\d\d元", text)
    assert not RAW.search(text)


def test_a_refused_filter_names_its_field_in_the_readers_language(browser, world):
    """WTForms says the rule in the interface's language; the plan filter's name is the interface's too."""
    supervisor = browser("supervisor")
    page = supervisor.get("/audit?plan=99999999999").get_data(as_text=True)
    assert "方案：数值大小必须介于 1 到 2147483647 之间" in page
    assert "Plan" not in page
    supervisor.get("/lang/en")
    english = supervisor.get("/audit?plan=99999999999").get_data(as_text=True)
    assert "Plan: Number must be between 1 and 2147483647." in english
