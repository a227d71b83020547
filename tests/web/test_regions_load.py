"""`flask regions load`: Hebei's GB/T 2260 regions, shipped with the system, on a fresh database."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from approvals.models import AuditEvent, Region
from approvals.regions import HEBEI_REGIONS


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def registered() -> dict[str, tuple[str, str, str | None]]:
    return {r.code: (r.name, r.level, r.parent_code) for r in db.session.scalars(select(Region))}


def created_events() -> int:
    return db.session.scalar(select(func.count()).where(AuditEvent.action == "region.created"))


def test_the_shipped_list_is_hebei_with_every_parent_in_it():
    codes = [row.code for row in HEBEI_REGIONS]
    assert len(codes) == len(set(codes)) == 179
    assert [row.name for row in HEBEI_REGIONS if row.level != "county"] == [
        "河北省", "石家庄市", "唐山市", "秦皇岛市", "邯郸市", "邢台市", "保定市", "张家口市", "承德市", "沧州市", "廊坊市", "衡水市"
    ]  # fmt: skip
    assert all(row.parent in codes for row in HEBEI_REGIONS if row.parent is not None)
    assert all(row.code.startswith("13") for row in HEBEI_REGIONS)


def test_regions_load_registers_every_region_once_in_the_audit_trail(app):
    result = run(app, "regions", "load")
    assert result.exit_code == 0, result.output
    assert "已登记179个地区" in result.output
    assert registered() == {row.code: (row.name, row.level, row.parent) for row in HEBEI_REGIONS}
    assert registered()["130283"] == ("迁安市", "county", "130200")
    assert created_events() == 179
    again = run(app, "regions", "load")
    assert again.exit_code == 0, again.output
    assert "已登记0个地区；179个此前已登记" in again.output
    assert created_events() == 179
    assert run(app, "audit", "verify").exit_code == 0


def test_a_region_registered_under_another_name_is_kept_and_reported(app):
    db.session.add(Region(code="130000", name="河北省", level="province", parent_code=None))
    db.session.add(Region(code="130500", name="邢台地区", level="city", parent_code="130000"))
    db.session.commit()
    result = run(app, "regions", "load")
    assert result.exit_code == 0, result.output
    assert "130500“邢台地区”" in result.output
    assert "邢台市" in result.output
    assert db.session.get(Region, "130500").name == "邢台地区"
    assert db.session.get(Region, "130505").parent_code == "130500"
    assert created_events() == 177


def test_the_demo_data_loads_the_same_regions(app):
    result = run(app, "demo", "load")
    assert result.exit_code == 0, result.output
    assert registered() == {row.code: (row.name, row.level, row.parent) for row in HEBEI_REGIONS}
