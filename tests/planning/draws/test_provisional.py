"""A publication deadline after the last loaded year: provisional, marked, recomputed on load."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import County, client_for
from tests.planning.draws.factories import make_draw, populate, run
from xiaoneng.core import audit
from xiaoneng.core.calendar import recompute_year
from xiaoneng.core.models import CalendarException, CalendarYear
from xiaoneng.planning.draws import publication as draw_publication
from xiaoneng.planning.draws.models import DrawPublication

D = dt.date
END = D(2026, 12, 10)  # 20 working days later: 7 January 2027 on weekdays only
PUBLISHED_AT = dt.datetime(2026, 12, 11, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def calendar_ends_in_2026(db: None) -> None:
    CalendarYear.objects.filter(year__gt=2026).delete()
    CalendarException.objects.filter(date__year__gt=2026).delete()


def published(county: County) -> DrawPublication:
    populate(county)
    draw = run(make_draw(county, inspections_end=END), county)
    return draw_publication.publish_draw(draw=draw, actor=county.division_staff, at=PUBLISHED_AT)


def test_a_deadline_in_an_unloaded_year_is_provisional_not_refused(county: County) -> None:
    publication = published(county)
    assert publication.deadline == D(2027, 1, 7)
    client = client_for(county.division_staff)
    page = client.get(f"/draws/{publication.draw_id}/").content.decode()
    assert 'data-testid="provisional"' in page and "2027-01-07" in page
    listing = client.get("/draws/").content.decode()
    assert 'data-testid="provisional"' in listing
    body = client.get(f"/api/v1/draws/{publication.draw_id}").json()
    assert (body["publication_deadline"], body["publication_deadline_provisional"]) == (
        "2027-01-07",
        True,
    )
    assert body["publication"]["deadline_provisional"] is True


def test_loading_the_year_recomputes_the_stored_deadline_and_traces_it(county: County) -> None:
    publication = published(county)
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    CalendarException.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    assert recompute_year(2027)["抽查结果公示期限"] == 1
    publication.refresh_from_db()
    assert publication.deadline == D(2027, 1, 8)
    event = audit.history(publication).first()
    assert event is not None and event.changes == {"deadline": ["2027-01-07", "2027-01-08"]}
    assert event.reason == "2027 年节假日安排已载入，重新计算公示期限"
    body = client_for(county.division_staff).get(f"/api/v1/draws/{publication.draw_id}").json()
    assert body["publication_deadline_provisional"] is False
    assert recompute_year(2027)["抽查结果公示期限"] == 0
