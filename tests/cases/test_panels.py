"""What cases adds to the pages of inspections (ADR 0012): "转立案查处" on an open order, exit
check or unlicensed operator, "转立案" on an open finding, "移送立案" on a failed sample's
follow-up — each only for a user who may open a case — and the cases opened from a record."""

from __future__ import annotations

from django.utils import timezone

from tests.cases.factories import east_entity
from tests.cases.test_case_open import failed_sample, finding_of, lead, rectification_of
from tests.conftest import County, client_for
from xiaoneng.inspections.followup.exits import report_exit_operating
from xiaoneng.inspections.followup.unlicensed import record_unlicensed
from xiaoneng.inspections.models import SampleFollowUp
from xiaoneng.inspections.sampling import followup as sampling_followup
from xiaoneng.org.models import Officer


def html(user: Officer, path: str) -> str:
    response = client_for(user).get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_an_open_order_offers_a_case_to_who_may_open_one(county: County) -> None:
    order = rectification_of(county, east_entity(county))
    path = f"/rectifications/{order.pk}/"
    button = (
        f'<a class="btn btn-outline-danger mb-3" href="/cases/new/?rectification={order.pk}" '
        'data-testid="case-link">转立案查处</a>'
    )
    assert button in html(county.east_officer, path)
    assert 'data-testid="case-link"' not in html(county.leader, path)


def test_an_escalated_order_names_its_case_and_offers_no_other(county: County) -> None:
    order = rectification_of(county, east_entity(county))
    case = lead(county, rectification=order)
    page = html(county.east_officer, f"/rectifications/{order.pk}/")
    assert 'data-testid="linked-case"' in page and f'href="/cases/{case.pk}/"' in page
    assert 'data-testid="case-link"' not in page


def test_exit_checks_and_unlicensed_operators_offer_a_case(county: County) -> None:
    today = timezone.localdate()
    check = report_exit_operating(
        entity=east_entity(county, status="deregistered"),
        actor=county.east_officer,
        circumstances="仍在营业",
        found_on=today,
    )
    lon, lat = county.east_point()
    found = record_unlicensed(
        actor=county.east_officer,
        name="城东无照摊",
        address="夜市",
        business="烧烤",
        found_on=today,
        longitude=lon,
        latitude=lat,
    )
    for path, query in (
        (f"/exits/{check.pk}/", f"exit_check={check.pk}"),
        (f"/unlicensed/{found.pk}/", f"unlicensed={found.pk}"),
    ):
        page = html(county.east_officer, path)
        assert f'href="/cases/new/?{query}" data-testid="case-link"' in page
        assert 'data-testid="case-link"' not in html(county.leader, path)


def test_an_open_finding_offers_a_case_in_the_finding_list(county: County) -> None:
    finding = finding_of(county, east_entity(county))
    button = f'<a class="btn btn-outline-danger btn-sm" href="/cases/new/?finding={finding.pk}">'
    assert button in html(county.east_officer, "/findings/")
    assert button not in html(county.leader, "/findings/")


def test_a_failed_samples_follow_up_offers_a_case_until_escalated(county: County) -> None:
    sample = failed_sample(county, east_entity(county))
    follow_up = SampleFollowUp.objects.get(sample=sample)
    path = f"/sampling/follow-ups/{follow_up.pk}/"
    page = html(county.east_officer, path)
    assert 'data-testid="escalate"' in page
    assert f'href="/cases/new/?sample={sample.pk}"' in page
    assert 'data-testid="escalate"' not in html(county.leader, path)
    case = lead(county, sample=sample)
    page = html(county.east_officer, path)
    assert 'data-testid="escalate"' not in page
    assert 'data-testid="linked-case"' in page and f'href="/cases/{case.pk}/"' in page


def test_the_sampling_api_names_the_case_form_cases_registered(county: County) -> None:
    sample = failed_sample(county, east_entity(county))
    follow_up = SampleFollowUp.objects.get(sample=sample)
    assert sampling_followup.escalate_url(follow_up) == f"/cases/new/?sample={sample.pk}"
