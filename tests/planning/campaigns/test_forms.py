"""The campaign form: it types the days and reads the list (typed and uploaded); a value it
cannot read is refused on its field, the rest is the service's, and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import County, client_for
from tests.planning.patrol.test_schedule import calendar_known_ahead, east_entity  # noqa: F401
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.campaigns.forms import CampaignForm
from xiaoneng.planning.patrol.models import Campaign

TODAY = dt.date(2026, 3, 10)


def values(**change: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "title": "清理整顿涉医广告行动",
        "theme": "industry",
        "checkpoints": "医疗广告是否经审查",
        "start_on": today.isoformat(),
        "end_on": (today + dt.timedelta(days=20)).isoformat(),
        "population": "filters",
        "industry": "H62",
    } | change


def test_the_form_hands_filters_to_the_service() -> None:
    form = CampaignForm(
        data=values(start_on="2026-03-10", area_unit="S-E", hot_industry="1", capacity="")
    )
    assert form.is_valid()
    data = form.campaign_input()
    assert (data.start_on, data.usccs, data.capacity, data.unit_code) == (TODAY, None, None, None)
    assert data.filters == {"industry": "H62", "unit": "S-E", "hot_industry": True}


def test_the_form_hands_the_typed_and_uploaded_list_to_the_service() -> None:
    upload = SimpleUploadedFile("list.csv", "统一社会信用代码\nB\n".encode("utf-8-sig"))
    form = CampaignForm(data=values(population="list", usccs="A\r\nC"), files={"file": upload})
    assert form.is_valid()
    data = form.campaign_input()
    assert data.filters is None
    assert [c for c in data.usccs or [] if c] == ["统一社会信用代码", "B", "A", "C"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start_on": "2026-02-30"}, "start_on", "请填写开始日期（YYYY-MM-DD）"),
        ({"end_on": "下个月"}, "end_on", "请填写结束日期（YYYY-MM-DD）"),
    ],
)
def test_the_form_refuses_a_day_it_cannot_read(
    change: dict[str, str], field: str, message: str
) -> None:
    form = CampaignForm(data=values(**change))
    assert not form.is_valid() and form.field_errors == {field: message}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start_on": "2026-02-30"}, "请填写开始日期（YYYY-MM-DD）"),  # malformed
        ({"start_on": ""}, "请填写开始日期（YYYY-MM-DD）"),  # missing: the service's
        ({"population": "list", "usccs": "{uscc}\n{uscc}"}, "名单中重复的代码：{uscc}"),
        ({"end_on": "{before_start}"}, "结束日期不能早于开始日期"),
        ({"capacity": "51"}, "每人每日上限应为 1 至 50 之间的整数：51"),
    ],
)
def test_the_page_shows_the_error_and_writes_nothing(
    county: County, change: dict[str, str], message: str
) -> None:
    entity = east_entity(county)
    before_start = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    fill: dict[str, Any] = {"uscc": entity.uscc, "before_start": before_start}
    posted = values(**{k: v.format(**fill) for k, v in change.items()})
    events = AuditEvent.objects.count()
    response = client_for(county.division_staff).post("/campaigns/new/", posted)
    assert response.status_code == 200
    assert message.format(**fill) in response.content.decode()
    assert not Campaign.objects.exists() and AuditEvent.objects.count() == events


def test_the_page_keeps_what_was_typed(county: County) -> None:
    response = client_for(county.division_staff).post(
        "/campaigns/new/", values(title="校园周边整治", start_on="2026-02-30", hot_industry="1")
    )
    page = response.content.decode()
    assert 'value="校园周边整治"' in page and 'value="2026-02-30"' in page
    assert 'name="hot_industry" value="1" checked' in page
