"""The ads API: paged lists and details, scoped to the user's units."""

from __future__ import annotations

import pytest

from tests.ads.factories import library, make_ad, make_filing, make_notice, make_operator
from tests.conftest import County, client_for
from xiaoneng.ads.notices import services as notices

pytestmark = pytest.mark.django_db


def test_lists_and_details_are_scoped(county: County) -> None:
    library()
    operator = make_operator(county, role="medium", medium="tv", reviewers="王芳、李强")
    filing = make_filing(county, text="效果最佳")
    ad = make_ad(county)
    notice = make_notice(county)
    notices.record_confiscation(
        actor=county.east_officer,
        seized_on=notice.issued_on,
        description="宣传单",
        quantity=50,
        notice=notice,
    )
    east, west = client_for(county.east_officer), client_for(county.west_officer)
    leader = client_for(county.leader)
    for url, one in (
        ("/api/v1/ad-operators", f"/api/v1/ad-operators/{operator.pk}"),
        ("/api/v1/ad-filings", f"/api/v1/ad-filings/{filing.pk}"),
        ("/api/v1/monitored-ads", f"/api/v1/monitored-ads/{ad.pk}"),
        ("/api/v1/ad-notices", f"/api/v1/ad-notices/{notice.pk}"),
        ("/api/v1/ad-confiscations", None),
    ):
        assert east.get(url).json()["count"] == 1, url
        assert leader.get(url).json()["count"] == 1, url
        assert west.get(url).json()["count"] == 0, url
        if one:
            assert east.get(one).status_code == 200, one
            assert west.get(one).status_code == 404, one
    detail = east.get(f"/api/v1/ad-operators/{operator.pk}").json()
    assert detail["reviewers"] == ["王芳", "李强"] and detail["checks"] == []
    filing_json = east.get(f"/api/v1/ad-filings/{filing.pk}").json()
    assert filing_json["hit_count"] == 1 and filing_json["hits"][0]["match"] == "最佳"
    ad_json = east.get(f"/api/v1/monitored-ads/{ad.pk}").json()
    assert [h["decision"] for h in ad_json["hits"]] == ["", "", ""]
    assert east.get("/api/v1/ad-notices").json()["items"][0]["number"] == "广警〔2026〕001号"


def test_filters_and_paging_are_checked(county: County) -> None:
    client = client_for(county.east_officer)
    assert client.get("/api/v1/monitored-ads?review=bogus").status_code == 422
    assert client.get("/api/v1/ad-filings?kind=tobacco").status_code == 422
    assert client.get("/api/v1/ad-checks?year=1").status_code == 422
    assert client.get("/api/v1/ad-notices?page=0").status_code == 422
    assert client.get("/api/v1/ad-checks?year=2026").json()["count"] == 0
