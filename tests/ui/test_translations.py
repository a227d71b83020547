"""Every string the interface shows is translated into English (the catalogue is complete)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from xml.etree import ElementTree  # noqa: S405 -- our own process files

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from config import BASE_DIR

CATALOGUE = BASE_DIR / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_every_interface_string_has_an_english_translation(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(BASE_DIR / "babel.cfg"), "-k", "_l", "-k", "N_", "-k", "Np_:1,2",
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


# Chinese punctuation an English text must not carry: quotes, the enumeration comma, full-width forms.
FULL_WIDTH = re.compile(r"[“”‘’「」『』、，。：；！？（）〔〕【】《》\u3000\uff01-\uff5e]")
NOTICE = "冀人社发〔2018〕38号"  # the notice (domain.md), in English as the catalogue renders it:
NOTICE_IN_ENGLISH = "Ji Ren She Fa [2018] No. 38"


def english_texts() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translation of the English catalogue, plural forms each."""
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    found = []
    for m in catalogue:
        if not m.id:
            continue
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        found += [(msgid, s) for s in (m.string if isinstance(m.string, tuple) else (m.string,)) if s]
    return found


def test_the_english_catalogue_writes_english_punctuation_and_the_notice_in_english() -> None:
    texts = english_texts()
    punctuated = [(msgid, s) for msgid, s in texts if FULL_WIDTH.search(s)]
    assert not punctuated, "\n".join(f"{msgid} → {s}" for msgid, s in punctuated[:20])
    untranslated = [s for _, s in texts if "冀人社发" in s]
    assert not untranslated, untranslated
    citing = [(msgid, s) for msgid, s in texts if NOTICE in msgid]
    assert len(citing) > 5
    assert all(NOTICE_IN_ENGLISH in s for _, s in citing), [s for _, s in citing if NOTICE_IN_ENGLISH not in s]


def test_counted_things_are_said_with_plural_forms_not_an_s_in_brackets() -> None:
    """ngettext gives English its singular and plural; "1 rule(s)" is what a single form says. No English
    text says "(s)" (a word's; "%(s)s" is a value): a counted message is an Np_ / ngettext one."""
    bracketed = [(msgid, s) for msgid, s in english_texts() if re.search(r"[A-Za-z]\(s\)", s)]
    assert not bracketed, "\n".join(f"{msgid} → {s}" for msgid, s in bracketed)


def test_no_text_says_where_something_is_on_the_screen_left_or_right() -> None:
    """A page's columns stack on a phone: "on the left" is true at 1366 px and false at 390 px. Texts name
    what they point to (the checklist, the preconditions) instead."""
    sides = re.compile(r"(?:在|见)(?:左|右)(?:侧|边)|(?:左|右)侧各|\bon the (?:left|right)\b", re.I)
    found = [(msgid, s) for msgid, s in english_texts() if sides.search(msgid) or sides.search(s)]
    assert not found, found


CJK = re.compile(r"[\u4e00-\u9fff]")
REFUSALS = {"ApprovalError", "Unauthenticated", "NotFound", "NotAllowed", "Conflict", "Invalid", "DocumentTooLarge",
            "ArchiveRefused", "IdProblem", "_invalid", "_problem", "problem", "_refused"}  # fmt: skip
# The checks that name the refused action: a label marked N_ (or a Text), said in the reader's language.
ACTIONS = {"require_role": 3, "require_any_role": 2, "require_personal_data": 2, "require_recorder": 2,
           "enterprise_plan": 1, "_editable": 2, "take_task": 3}  # fmt: skip


def _fixed_chinese(node: ast.AST) -> bool:
    """A Chinese string literal or f-string: a text the catalogue can never say."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(CJK.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_fixed_chinese(part) for part in node.values)
    if isinstance(node, ast.BinOp):  # "…" + "、".join(…)
        return _fixed_chinese(node.left) or _fixed_chinese(node.right)
    return False


def test_refusals_and_the_actions_they_name_are_said_through_the_catalogue() -> None:
    """Every refusal the web, the API and the core raise is a pattern of the catalogue (Text, N_), never a
    Chinese string or f-string the English reader would get as it is; the same for the action a role check
    names. The operator's command-line tools (app/cli*.py) speak Chinese only."""
    found = []
    for path in sorted(
        p for folder in ("approvals", "app", "notifications") for p in (BASE_DIR / folder).rglob("*.py")
    ):
        if path.name.startswith("cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            where = f"{path.relative_to(BASE_DIR)}:{node.lineno}"
            if name in REFUSALS:
                given = [*node.args, *(k.value for k in node.keywords)]
                given += [v for arg in given if isinstance(arg, ast.List) for item in arg.elts
                          if isinstance(item, ast.Dict) for k, v in zip(item.keys, item.values, strict=True)
                          if isinstance(k, ast.Constant) and k.value == "message"]  # fmt: skip
                found += [where for arg in given if _fixed_chinese(arg)]
            elif name in ACTIONS and len(node.args) > ACTIONS[name] and _fixed_chinese(node.args[ACTIONS[name]]):
                found.append(where)
    assert not found, "refusals not said through the catalogue: " + ", ".join(found)
