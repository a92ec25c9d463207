"""Every page renders for a logged-in officer (and redirects to log-in otherwise)."""

from __future__ import annotations

import pytest

from tests.conftest import County, client_for
from tests.registry.factories import make_entity

PAGES = [
    "/",
    "/entities/",
    "/entities/new/",
    "/entities/unclaimed/",
    "/entities/outside-grids/",
    "/map/",
    "/units/",
    "/units/S-E/",
    "/officers/",
    "/officers/east_officer/",
    "/grids/G-E/",
    "/transfer/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_for_an_administrator(county: County, path: str) -> None:
    lon, lat = county.east_point()
    make_entity(longitude=lon, latitude=lat)
    response = client_for(county.admin).get(path)
    assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize("path", PAGES)
def test_page_requires_log_in(client, db, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_dossier_renders_with_history(county: County) -> None:
    lon, lat = county.east_point()
    entity = make_entity(longitude=lon, latitude=lat, name="老王牛肉面馆")
    response = client_for(county.east_director).get(f"/entities/{entity.uscc}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "老王牛肉面馆" in text
    assert "G-E" in text


@pytest.mark.parametrize("path", ["/", "/entities/unclaimed/"])
def test_pages_still_render_when_the_calendar_knows_no_year(county: County, path: str) -> None:
    from django.utils import timezone

    from xiaoneng.core.models import CalendarYear

    CalendarYear.objects.all().delete()
    response = client_for(county.admin).get(path)
    assert response.status_code == 200
    assert f"工作日历中没有 {timezone.localdate().year} 年的节假日安排" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/entities/unclaimed/"])
def test_pages_count_provisionally_when_this_years_holidays_are_not_loaded(
    county: County, path: str
) -> None:
    from django.utils import timezone

    from xiaoneng.core.models import CalendarYear

    year = timezone.localdate().year
    CalendarYear.objects.filter(year__gte=year).delete()
    text = client_for(county.admin).get(path).content.decode()
    assert "工作日历中没有" not in text
    if path == "/":
        assert f"{year} 年节假日安排尚未载入" in text
