"""A text over its limit typed on the drafting page is refused beside its field, in the reader's language,
and what was typed is kept."""

from __future__ import annotations

from approvals.rules.text_limits import LONG
from tests.conftest import reload
from tests.ui.forms_support import actions, block, rules
from tests.ui.test_enterprise_drafting import WORKFORCE, draft, save  # noqa: F401 (draft: a fixture)


def test_a_too_long_paragraph_is_refused_beside_its_field(browser, draft):  # noqa: F811
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft?section=workforce")
    response = save(clerk, draft["id"], "workforce", WORKFORCE | {"exclusion_reasons": "退" * (LONG + 1)})
    assert response.status_code == 422
    error = block(response.get_data(as_text=True), "error-exclusion_reasons")
    assert f"不得超过 {LONG} 个字（现为 {LONG + 1} 个字）" in error
    assert rules(response.get_data(as_text=True), "error-exclusion_reasons") == ["max_length"]
    assert reload(draft["id"]).content == draft["content"]
    assert actions(draft["id"]) == ["plan.created"]


def test_in_english_the_limit_is_said_in_english(browser, draft):  # noqa: F811
    clerk = browser("clerk")
    clerk.get("/lang/en")
    clerk.get(f"/plans/{draft['id']}/draft?section=workforce")
    response = save(clerk, draft["id"], "workforce", WORKFORCE | {"exclusion_reasons": "x" * (LONG + 1)})
    assert response.status_code == 422
    error = block(response.get_data(as_text=True), "error-exclusion_reasons")
    assert f'"Workforce profile: Reasons for exclusion from placement scope" may be at most {LONG} characters' in error
    assert "exclusion_reasons" not in error  # the field by its name, never its key
