"""The campaign page and API give what was confiscated in its own measure."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.conftest import County, client_for
from tests.planning.patrol import test_pages
from tests.planning.patrol.test_schedule import calendar_known_ahead, east_entity  # noqa: F401
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.patrol.tasks import complete_task

planned = test_pages.planned  # the plans and the campaign of the patrol page tests


def test_campaign_page_and_api_show_confiscations_in_their_measure(
    county: County, planned: dict[str, Any]
) -> None:
    campaign = planned["campaign"]
    task = Task.objects.get(plan_id=campaign.plan_id)
    complete_task(
        task=task,
        officer=county.east_officer,
        done_on=timezone.localdate(),
        note="发现违法印刷品广告，当场收缴",
        violation_found=True,
        items_confiscated="违法印刷品广告",
        items_confiscated_quantity=1500,
        items_confiscated_measure="份",
    )
    client = client_for(county.east_director)
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "收缴物品（件）" not in page
    assert 'data-testid="confiscated">1500份</div>' in page
    assert "违法印刷品广告 1500份" in page
    statistics = client.get(f"/api/v1/campaigns/{campaign.pk}").json()["statistics"]
    assert statistics["confiscated"] == [{"quantity": 1500, "measure": "份"}]
