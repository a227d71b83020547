"""Every string the interface shows is translated into English (the catalogue is complete)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree  # noqa: S405 -- our own process files

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from config import BASE_DIR

CATALOGUE = BASE_DIR / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_every_interface_string_has_an_english_translation(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(BASE_DIR / "babel.cfg"), "-k", "_l", "-k", "N_",
         "-o", str(template), str(BASE_DIR)]
    )  # fmt: skip
    with template.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalogue
        if m.id and m.string and (m.string if isinstance(m.string, str) else all(m.string)) and not m.fuzzy
    }
    missing = sorted(wanted - translated)
    assert not missing, "untranslated (run `make messages` and translate): " + " | ".join(missing[:30])
    assert len(wanted) > 50  # the extraction found the interface (guards against a broken babel.cfg)
    elements = [e for f in (BASE_DIR / "workflows").glob("*.bpmn") for e in ElementTree.parse(f).iter()]  # noqa: S314
    names = {e.get("name") for e in elements if e.get("name") and not e.tag.endswith("}lane")}
    assert {e.get("name") for e in elements if e.tag.endswith("}userTask")} <= names
    assert names <= wanted  # the process files' task and diagram labels are extracted too (babel.cfg [extractors])
    dmn = [e for f in (BASE_DIR / "workflows").glob("*.dmn") for e in ElementTree.parse(f).iter()]  # noqa: S314
    outputs = {t.text.strip()[1:-1] for e in dmn if e.tag.endswith("}outputEntry") for t in e if t.text}
    reasons = {o for o in outputs if not o.isascii()}  # the risk reasons; the levels are keys
    assert "拟出清的僵尸企业" in reasons
    assert reasons <= wanted  # the decision table's reasons are extracted too
