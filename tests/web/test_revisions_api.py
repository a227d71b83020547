"""A reviewer sees exactly what changed between two submitted revisions, roster rows included."""

from __future__ import annotations

import io

from approvals.demo import fund_fully, roster_csv, sample_roster
from approvals.rules.content import CHANNELS
from approvals.rules.resident_id import check_character, mask_id
from approvals.rules.roster import ENDS_LABOUR_RELATION
from tests import flow

KEY = {label: key for key, label in CHANNELS.items()}


def test_diff_between_revisions_names_fields_and_roster_rows(api, world, complete_content):
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    flow.review(reviewer, p["id"], "return", "请调整。")
    # The clerk re-imports the roster: one worker gone, one moved to another channel, one new.
    rows = sample_roster(world.steel)
    removed = rows.pop()
    moved = rows[1]
    old_channel, moved[3] = KEY[moved[3]], CHANNELS["public_welfare"]
    new_id = rows[0][0][:14] + "999"
    added = [
        new_id + check_character(new_id),
        "新职工",
        "2010-05-15",
        CHANNELS["transformation"],
        "4000",
        "工人",
        "否",
        "否",
    ]
    rows.append(added)
    upload = clerk.put(f"/plans/{p['id']}/roster", data={"file": (io.BytesIO(roster_csv(rows)), "r.csv")},
                       content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 200, upload.json
    content = flow.plan(clerk, p["id"])["content"]
    channels = dict(content["channels"])
    channels[KEY[removed[3]]] -= 1
    channels[old_channel] -= 1
    channels["public_welfare"] += 1
    channels["transformation"] += 1
    patched = clerk.patch(f"/plans/{p['id']}", json={"title": "迁安钢铁职工安置方案（修订）", "content": {
        "channels": channels, "funding": fund_fully(content["funding"])}})  # fmt: skip
    assert patched.status_code == 200, patched.json
    assert flow.submit(clerk, p["id"])["accepted"]
    revisions = reviewer.get(f"/plans/{p['id']}/revisions").json["items"]
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[0]["content_hash"] != revisions[1]["content_hash"]
    diff = reviewer.get(f"/plans/{p['id']}/revisions/1/diff/2").json
    paths = {c["path"]: (c["before"], c["after"]) for c in diff["content"]}
    assert paths["title"] == ("迁安钢铁职工安置方案", "迁安钢铁职工安置方案（修订）")
    assert paths["channels.public_welfare"][1] == paths["channels.public_welfare"][0] + 1
    assert diff["roster"]["added"] == [added[0]]
    assert diff["roster"]["removed"] == [removed[0]]
    # Moving into a channel that ends the labour relation (or out of one) changes the severance owed too.
    owed_changes = (old_channel in ENDS_LABOUR_RELATION) != ("public_welfare" in ENDS_LABOUR_RELATION)
    changed = [c["path"] for c in diff["roster"]["changed"][moved[0]]]
    assert changed == (["channel", "severance"] if owed_changes else ["channel"])
    assert reviewer.get(f"/plans/{p['id']}/revisions/1/diff/3").status_code == 404
    # The supervisor sees the same diff without personal data: ID numbers masked.
    masked = api("supervisor").get(f"/plans/{p['id']}/revisions/1/diff/2").json
    assert masked["content"] == diff["content"]
    assert masked["roster"]["added"] == [mask_id(added[0])]
    assert masked["roster"]["removed"] == [mask_id(removed[0])]
    # The channel is no secret; the severance amount is personal data (approvals/privacy.py): its values hidden.
    hidden = [c if c["path"] == "channel" else {**c, "before": None, "after": None}
              for c in diff["roster"]["changed"][moved[0]]]  # fmt: skip
    assert masked["roster"]["changed"] == {mask_id(moved[0]): hidden}
