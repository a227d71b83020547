"""The signature of the published plan and the review opinion: the issuer's name and the date in a seal area
(盖章处, where the seal presses on them: GB/T 9704-2012 §7.3.5.1), never alone at the top of a page — the page
breaks inside the paragraph before it, which keeps at least two lines with it (documents.css)."""

from __future__ import annotations

from app.documents.context import document
from app.documents.render import renderer
from app.extensions import db
from tests import pdf
from tests.conftest import reload
from tests.web.test_permissions import plan_at

SEAL = "（盖章处）"


def signature_page(data: bytes) -> list[str]:
    """The lines of the page with the seal area, without the page number."""
    [page] = [p for p in pdf.text(data).split("\f") if SEAL in p]
    return [line.strip() for line in page.splitlines() if line.strip() and not pdf.PAGE_NUMBER.match(line.strip())]


def test_the_seal_area_holds_the_issuers_name_and_the_date(api, world):
    plan = plan_at(api, world, "steel", "published")
    for kind, issuer in (("published-plan", "迁安钢铁"), ("review-opinion", "唐山市人力资源和社会保障局")):
        found = document(db.session, reload(plan["id"]), kind)
        lines = signature_page(renderer().render(found.kind.template, found.context))
        at = lines.index(SEAL)
        assert lines[at + 1 : at + 3] == [issuer, found.context["date"]], kind


def test_the_review_opinions_signature_keeps_the_last_lines_of_its_opinion(api, world):
    """Opinions of every length from one line to two pages: the page of the seal area begins with the
    opinion's text, never with the seal area (as it did, unkept, for most of these lengths)."""
    plan = plan_at(api, world, "steel", "published")
    found = document(db.session, reload(plan["id"]), "review-opinion")
    pages = []
    for n in range(1, 15):
        context = {**found.context, "reasons": "请做好政策解释工作。" * n}
        data = renderer().render(found.kind.template, context)
        lines = signature_page(data)
        at = lines.index(SEAL)
        assert at >= 2, (n, lines[: at + 1])  # at least two lines of text before the seal area on its page
        assert "".join(lines[:at]).endswith("请做好政策解释工作。"), (n, lines[: at + 1])  # the opinion's end
        pages.append(len(pdf.pages(data)))
    assert max(pages) > 1  # some opinions ran onto a second page: the break was tried
