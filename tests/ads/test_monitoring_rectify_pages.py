"""责令改正 of a confirmed violation from the ad page and through the API."""

from __future__ import annotations

import pytest

from tests.ads.test_monitoring_rectify import confirmed, nothing_written
from tests.conftest import County, client_for
from xiaoneng.inspections.followup.models import Finding, Rectification

pytestmark = pytest.mark.django_db


def test_the_ad_page_offers_the_order_and_links_to_it(county: County) -> None:
    ad = confirmed(county)
    url = f"/ads/monitoring/{ad.pk}/"
    client = client_for(county.east_officer)
    page = client.get(url).content.decode()
    assert 'data-testid="rectify"' in page
    assert "“最佳”（《广告法》第九条第（三）项）" in page  # the description prefilled
    assert 'data-testid="rectify"' not in client_for(county.leader).get(url).content.decode()
    done = client.post(
        url + "rectify/",
        {
            "term": "days",
            "working_days": "10",
            "description": "广告含“最佳”",
            "requirements": "停止发布",
        },
    )
    assert done.status_code == 302
    order = Rectification.objects.get()
    page = client.get(url).content.decode()
    assert 'data-testid="rectify"' not in page
    assert f'href="/rectifications/{order.pk}/"' in page and order.number in page
    detail = client.get(f"/rectifications/{order.pk}/").content.decode()
    assert 'data-testid="source"' in detail and f'href="{url}"' in detail
    assert "广告监测：电视“示范县电视台综合频道”（2026-03-10）" in detail
    findings_page = client.get("/findings/?status=all").content.decode()
    assert "广告含“最佳”" in findings_page and "来源：广告监测" in findings_page
    again = client.post(url + "rectify/", {"term": "days", "working_days": "10"})
    assert again.status_code == 409
    assert Rectification.objects.count() == 1


def test_a_bad_term_is_shown_on_its_field_and_nothing_written(county: County) -> None:
    ad = confirmed(county)
    url = f"/ads/monitoring/{ad.pk}/rectify/"
    client = client_for(county.east_officer)
    bad = client.post(
        url, {"term": "days", "working_days": "99", "description": "x", "requirements": "y"}
    )
    assert bad.status_code == 422
    assert "整改期限应为 1 至 60 个工作日：99" in bad.content.decode()
    bad_date = client.post(url, {"term": "date", "deadline": "2026-13-01"})
    assert bad_date.status_code == 422
    assert nothing_written()


def test_another_unit_and_the_leader_are_refused(county: County) -> None:
    ad = confirmed(county)
    url = f"/ads/monitoring/{ad.pk}/rectify/"
    body = {"term": "days", "working_days": "10"}
    assert client_for(county.west_officer).post(url, body).status_code == 404
    assert client_for(county.leader).post(url, body).status_code == 403
    assert nothing_written()


def test_the_api_orders_once_and_refuses_with_error_bodies(county: County) -> None:
    pending = confirmed(county, decide=False)
    ad = confirmed(county)
    api = f"/api/v1/monitored-ads/{ad.pk}/rectification"
    east = client_for(county.east_officer)
    assert (
        client_for(county.west_officer)
        .post(api, {"working_days": 10}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        client_for(county.leader)
        .post(api, {"working_days": 10}, content_type="application/json")
        .status_code
        == 403
    )
    not_confirmed = east.post(
        f"/api/v1/monitored-ads/{pending.pk}/rectification",
        {"working_days": 10},
        content_type="application/json",
    )
    assert not_confirmed.status_code == 409
    assert not_confirmed.json()["detail"] == "只有确认违法的广告才能责令改正"
    bad = east.post(api, {"working_days": 0}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "working_days", "message": "整改期限应为 1 至 60 个工作日：0"}
    ]
    malformed = east.post(api, {"deadline": "tomorrow"}, content_type="application/json")
    assert malformed.status_code == 422
    assert nothing_written()
    done = east.post(api, {"working_days": 10}, content_type="application/json")
    assert done.status_code == 201
    body = done.json()
    order = Rectification.objects.get()
    assert (body["rectification"], body["rectification_id"]) == (order.number, order.pk)
    assert body["finding_id"] == Finding.objects.get().pk
    assert east.get(f"/api/v1/rectifications/{order.pk}").json()["source"].startswith("广告监测")
    assert east.get(f"/api/v1/findings/{body['finding_id']}").json()["inspection_id"] is None
    twice = east.post(api, {"working_days": 10}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["detail"].startswith("该广告已责令改正")
    assert Rectification.objects.count() == 1
