"""Who sees a draw (issue 9 item 22): its organising unit's scope in full; a station whose
officers it assigns or whose entities it chooses, with those rows only; nobody else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.planning.draws.factories import make_draw, populate, run
from xiaoneng.org.models import Officer
from xiaoneng.planning.draws.models import DrawInspector, DrawSelection, RandomDraw

DIVISION_DRAW = "信用监管科全县抽查"


@pytest.fixture
def division_draw(county: County) -> RandomDraw:
    """The division's county-wide draw, its teams from the whole bureau (a fixed seed: the
    same rows every time)."""
    populate(county)
    return run(make_draw(county, name=DIVISION_DRAW, seed="全县"), county, seed="全县")


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode("utf-8")


def _rows_of(draw: RandomDraw, station: Any) -> tuple[set[str], set[str]]:
    """USCCs of the draw's rows touching ``station`` (its entity or an inspector), and of the
    others."""
    touching, others = set(), set()
    for row in DrawSelection.objects.filter(draw=draw).select_related("entity"):
        staffed = DrawInspector.objects.filter(selection=row, officer__unit=station).exists()
        (touching if row.entity.unit_id == station.pk or staffed else others).add(row.uscc)
    return touching, others


@pytest.mark.parametrize("role", ["admin", "leader", "division_staff"])
def test_bureau_wide_roles_see_the_whole_draw(
    county: County, division_draw: RandomDraw, role: str
) -> None:
    client = client_for(getattr(county, role))
    assert DIVISION_DRAW in _text(client.get("/draws/"))
    page = _text(client.get(f"/draws/{division_draw.pk}/"))
    for row in DrawSelection.objects.filter(draw=division_draw):
        assert row.uscc in page
    assert f"/draws/{division_draw.pk}/snapshots/population/" in page
    assert client.get(f"/draws/{division_draw.pk}/snapshots/population/").status_code == 200


@pytest.mark.parametrize(
    ("role", "station"),
    [
        ("east_director", "east"),
        ("west_director", "west"),
        ("east_officer", "east"),
        ("west_officer", "west"),
    ],
)
def test_a_station_sees_the_draw_with_its_own_rows_only(
    county: County, division_draw: RandomDraw, role: str, station: str
) -> None:
    user: Officer = getattr(county, role)
    touching, others = _rows_of(division_draw, getattr(county, station))
    assert touching and others  # the county's draw touches both stations, not every row each
    client = client_for(user)
    assert DIVISION_DRAW in _text(client.get("/draws/"))
    page = _text(client.get(f"/draws/{division_draw.pk}/"))
    assert DIVISION_DRAW in page and "仅列出本单位辖区内的主体" in page
    assert all(uscc in page for uscc in touching)
    assert not any(uscc in page for uscc in others)
    assert "/snapshots/" not in page
    assert client.get(f"/draws/{division_draw.pk}/snapshots/pool/").status_code == 404
    assert client.post(f"/draws/{division_draw.pk}/publish/", {"text": "x"}).status_code == 404
    api = client.get(f"/api/v1/draws/{division_draw.pk}/result").json()
    assert {row["uscc"] for row in api["selected"]} == touching
    assert client.get(f"/api/v1/draws/{division_draw.pk}").status_code == 200
    assert DIVISION_DRAW in _text(client.get("/api/v1/draws"))
    assert client.get(f"/api/v1/draws/{division_draw.pk}/snapshots/pool").status_code == 404


def test_a_station_sees_the_verification_without_other_units_details(
    county: County, division_draw: RandomDraw
) -> None:
    row = DrawSelection.objects.filter(draw=division_draw).order_by("order").first()
    assert row is not None
    DrawSelection.objects.filter(pk=row.pk).update(stratum="Z")
    verdict = client_for(county.east_director).get(f"/draws/{division_draw.pk}/verify/")
    assert "复核未通过" in _text(verdict) and "处与记录不符" in _text(verdict)
    assert row.uscc not in _text(verdict)
    full = client_for(county.division_staff).get(f"/draws/{division_draw.pk}/verify/")
    assert row.uscc in _text(full)
    api = client_for(county.east_director).get(f"/api/v1/draws/{division_draw.pk}/verify")
    assert api.json()["problems"] == ["1 处与记录不符，详情请向组织单位了解"]


def test_a_station_does_not_see_a_draw_that_touches_it_nowhere(county: County) -> None:
    """The east station's own draw, teams from the east station and the division."""
    populate(county)
    draw = make_draw(
        county,
        name="城东所自行组织的抽查",
        unit=county.east,
        pool_units=[county.east, county.division],
    )
    draw = run(draw, county)
    for role in ("west_director", "west_officer"):
        client = client_for(getattr(county, role))
        assert "城东所自行组织的抽查" not in _text(client.get("/draws/"))
        assert client.get(f"/draws/{draw.pk}/").status_code == 404
        assert client.get(f"/api/v1/draws/{draw.pk}").status_code == 404
        assert client.get(f"/api/v1/draws/{draw.pk}/result").status_code == 404
    east = client_for(county.east_director)
    assert "城东所自行组织的抽查" in _text(east.get("/draws/"))
    assert "/snapshots/" in _text(east.get(f"/draws/{draw.pk}/"))
