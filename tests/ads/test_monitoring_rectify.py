"""A confirmed violation by a local advertiser ordered rectified (责令改正): a finding with a
rectification order and its re-inspection through inspections' follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.ads.factories import east_entity, library, make_ad
from tests.conftest import County
from xiaoneng.ads.monitoring import findings, services
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.followup import services as followup
from xiaoneng.inspections.followup.models import Finding, Rectification

pytestmark = pytest.mark.django_db
R = MonitoredAd.Review


def confirmed(county: County, *, local: bool = True, decide: bool = True) -> MonitoredAd:
    library()
    values = {"advertiser": east_entity(county, name="城东大药房"), "advertiser_name": ""}
    ad = make_ad(county, **(values if local else {}))
    if decide:
        for hit in ad.hits.all():
            services.decide_hit(hit=hit, actor=county.east_officer, confirm=True, note="属实")
        ad.refresh_from_db()
    return ad


def nothing_written() -> bool:
    return not Finding.objects.exists() and not Rectification.objects.exists()


def test_a_confirmed_violation_becomes_a_finding_with_an_order(county: County) -> None:
    ad = confirmed(county)
    assert "rectify" in services.actions_for(ad, county.east_officer)
    today = timezone.localdate()
    findings.order_rectification(ad=ad, actor=county.east_officer, working_days=10)
    ad.refresh_from_db()
    finding = Finding.objects.get()
    order = Rectification.objects.get()
    assert ad.finding == finding and finding.rectification == order
    assert finding.inspection is None and order.inspection is None
    assert finding.entity == ad.advertiser and finding.unit == county.east
    # 最佳 (第九条) and 药到病除 (第十七条) cite two major items: the first, 绝对化用语.
    assert (finding.item.number, finding.severity) == ("5", "major")
    assert finding.description.startswith("2026-03-10 在电视“示范县电视台综合频道”")
    assert "“最佳”（《广告法》第九条第（三）项）" in finding.description
    assert "“无效退款”（《广告法》第十六条）" in finding.description
    assert finding.status == Finding.Status.RECTIFYING
    assert timezone.localdate(ad.captured_at) <= finding.found_on <= today
    url = f"/ads/monitoring/{ad.pk}/"
    assert (finding.source_url, order.source_url) == (url, url)
    assert order.source == finding.source == "广告监测：电视“示范县电视台综合频道”（2026-03-10）"
    assert order.status == Rectification.Status.OPEN and order.issued_on == today
    assert order.working_days == 10 and order.deadline > today
    task = order.reinspection_task
    assert task is not None and task.due_on is not None and task.due_on > order.deadline
    assert "rectify" not in services.actions_for(ad, county.east_officer)
    # Closed as any order is: documentary proof resolves the finding.
    followup.record_rectified(rectification=order, actor=county.east_officer, outcome="已改正")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.RESOLVED


def test_a_deadline_date_may_be_given_and_the_texts_edited(county: County) -> None:
    ad = confirmed(county)
    deadline = timezone.localdate() + dt.timedelta(days=21)
    findings.order_rectification(
        ad=ad,
        actor=county.east_director,
        deadline=deadline,
        description="广告含“最佳”",
        requirements="停止发布",
    )
    order = Rectification.objects.get()
    assert order.deadline == deadline and order.deadline_by_date
    assert (order.requirements, order.findings.get().description) == ("停止发布", "广告含“最佳”")


def test_refused_unless_confirmed(county: County) -> None:
    ad = confirmed(county, decide=False)
    assert ad.review == R.PENDING
    assert "rectify" not in services.actions_for(ad, county.east_officer)
    with pytest.raises(Conflict, match="只有确认违法的广告才能责令改正"):
        findings.order_rectification(ad=ad, actor=county.east_officer, working_days=10)
    assert nothing_written()


def test_refused_for_an_advertiser_outside_the_register(county: County) -> None:
    ad = confirmed(county, local=False)
    assert ad.review == R.VIOLATION
    assert "rectify" not in services.actions_for(ad, county.east_officer)
    with pytest.raises(Conflict, match="广告主不是本地登记的市场主体"):
        findings.order_rectification(ad=ad, actor=county.east_officer, working_days=10)
    assert nothing_written()


def test_refused_twice(county: County) -> None:
    ad = confirmed(county)
    findings.order_rectification(ad=ad, actor=county.east_officer, working_days=10)
    number = Rectification.objects.get().number
    stale = MonitoredAd.objects.get(pk=ad.pk)
    with pytest.raises(Conflict, match=f"该广告已责令改正：{number}"):
        findings.order_rectification(ad=stale, actor=county.east_officer, working_days=5)
    assert Finding.objects.count() == Rectification.objects.count() == 1


def test_refused_to_another_unit_and_the_leader(county: County) -> None:
    ad = confirmed(county)
    assert services.actions_for(ad, county.west_officer) == []
    assert services.actions_for(ad, county.leader) == []
    for actor in (county.west_officer, county.leader):
        with pytest.raises(NotPermitted):
            findings.order_rectification(ad=ad, actor=actor, working_days=10)
    assert nothing_written()


@pytest.mark.parametrize(
    ("term", "field", "message"),
    [
        ({"working_days": 0}, "working_days", "整改期限应为 1 至 60 个工作日：0"),
        ({"working_days": 61}, "working_days", "整改期限应为 1 至 60 个工作日：61"),
        ({}, "working_days", "请填写整改期限：工作日数或截止日期（二选一）"),
        (
            {"working_days": 5, "deadline": dt.date(2026, 12, 31)},
            "working_days",
            "整改期限请填写工作日数或截止日期，二者只填一项",
        ),
        ({"deadline": dt.date(2026, 3, 9)}, "deadline", "整改期限应晚于今天：2026-03-09"),
    ],
)
def test_a_bad_deadline_is_refused_on_its_field(
    county: County, term: dict[str, object], field: str, message: str
) -> None:
    ad = confirmed(county)
    with pytest.raises(InvalidInput) as error:
        findings.order_rectification(ad=ad, actor=county.east_officer, **term)  # type: ignore[arg-type]
    assert error.value.by_field == {field: message}
    assert nothing_written()
    ad.refresh_from_db()
    assert ad.finding is None


def test_a_deadline_far_beyond_sixty_working_days_is_refused(county: County) -> None:
    ad = confirmed(county)
    far = timezone.localdate() + dt.timedelta(days=365)
    with pytest.raises(InvalidInput) as error:
        findings.order_rectification(ad=ad, actor=county.east_officer, deadline=far)
    assert list(error.value.by_field) == ["deadline"]
    assert error.value.by_field["deadline"].startswith(f"整改期限应为 1 至 60 个工作日：{far}")
    assert nothing_written()


def test_a_blank_description_is_refused(county: County) -> None:
    ad = confirmed(county)
    with pytest.raises(InvalidInput) as error:
        findings.order_rectification(
            ad=ad, actor=county.east_officer, working_days=10, description="  "
        )
    assert error.value.by_field == {"description": "请填写问题描述"}
    assert nothing_written()


def test_the_articles_of_the_advertising_law_are_read() -> None:
    assert findings.advertising_articles("《中华人民共和国广告法》第九条第（三）项") == {"九"}
    assert findings.advertising_articles(
        "《中华人民共和国食品安全法》第七十三条；《中华人民共和国广告法》第十七条、第二十八条"
    ) == {"十七", "二十八"}
    assert findings.advertising_articles("《中华人民共和国电子商务法》第十三条") == set()
