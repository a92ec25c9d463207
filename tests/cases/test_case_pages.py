"""Case pages: list with coloured warnings and filters, detail, create from a source, transition
forms, money and goods; another station's user gets 404 (or 403 for an action)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.cases.factories import east_entity, make_case, make_collection, make_goods
from tests.conftest import County, client_for
from tests.inspections.factories import make_inspection
from xiaoneng.cases import limits
from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods
from xiaoneng.cases.views import source_link
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.models import CalendarException, CalendarYear
from xiaoneng.inspections.followup.consequences import record_findings
from xiaoneng.inspections.models import Finding

D = dt.date
S = Case.Status


def finding(county: County) -> Finding:
    inspection = make_inspection(
        entity=east_entity(county, name="城东某农资店"),
        officers=[county.east_officer, county.east_director],
        results=["fail", "pass", "pass"],
        visited_on=D(2026, 3, 2),
    )
    return record_findings(inspection=inspection)[0]


# List -------------------------------------------------------------------------------------------


def test_the_list_shows_the_users_cases_with_their_warnings(county: County) -> None:
    make_case(unit=county.east, number="E-OLD", received_on=D(2026, 1, 5), title="超期线索")
    make_case(unit=county.west, number="W-1", title="城西案件")
    page = client_for(county.east_officer).get(reverse("cases:case_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "E-OLD" in html and "W-1" not in html
    assert 'data-warning="red"' in html and "决定是否立案已超期" in html


def test_the_list_filters_by_status_kind_major_unit_year_and_warning(county: County) -> None:
    make_case(unit=county.east, number="A", status=S.FILED, kind="food", major=True)
    make_case(unit=county.east, number="B", kind="advertising", received_on=D(2025, 6, 1))
    make_case(unit=county.west, number="C", kind="food")
    make_case(unit=county.west, number="D", kind="food", status=S.CLOSED)
    client = client_for(county.leader)
    url = reverse("cases:case_list")

    def numbers(query: str) -> set[str]:
        html = client.get(f"{url}?{query}").content.decode()
        return {n for n in ("A", "B", "C", "D") if f">{n}</a>" in html}

    assert numbers("") == {"A", "B", "C", "D"}
    assert numbers("status=filed") == {"A"}
    assert numbers("kind=food") == {"A", "C", "D"}
    assert numbers("major=1") == {"A"}
    assert numbers("unit=S-W") == {"C", "D"}
    assert numbers("year=2025") == {"B"}
    assert numbers("warning=red") == {"A", "B", "C"}  # every 2026 deadline has passed
    assert numbers("warning=yellow") == set()


# Detail -----------------------------------------------------------------------------------------


def test_the_detail_shows_source_money_goods_timeline_and_only_allowed_actions(
    county: County,
) -> None:
    source = finding(county)
    case = make_case(
        entity=source.entity,
        finding=source,
        status=S.DECIDED,
        fine="5000",
        decided_on=D(2026, 4, 15),
        facts="销售不合格复合肥料 206 吨",
    )
    make_collection(case, "3000")
    make_goods(case)
    page = client_for(county.east_officer).get(reverse("cases:case_detail", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="{source_link("finding", source)}"' in html
    assert "销售不合格复合肥料 206 吨" in html
    assert "2,000.00" in html  # outstanding fine
    assert "不合格化肥 206 吨" in html
    assert 'data-action="execute"' in html and 'data-action="close"' in html
    assert 'data-action="file"' not in html and 'data-action="withdraw"' not in html
    assert 'data-testid="history"' in html


def test_a_leader_sees_the_case_but_no_actions(county: County) -> None:
    case = make_case(unit=county.east)
    html = client_for(county.leader).get(reverse("cases:case_detail", args=[case.pk]))
    assert html.status_code == 200 and 'data-action="file"' not in html.content.decode()


@pytest.mark.parametrize(
    "name",
    ["cases:case_detail", "cases:collection_create", "cases:goods_create", "cases:case_extend"],
)
def test_another_stations_case_pages_answer_404(county: County, name: str) -> None:
    case = make_case(unit=county.east, status=S.DECIDED)
    assert client_for(county.west_officer).get(reverse(name, args=[case.pk])).status_code == 404


def test_another_stations_transition_form_answers_404(county: County) -> None:
    case = make_case(unit=county.east)
    url = reverse("cases:case_action", args=[case.pk, "file"])
    client = client_for(county.west_director)
    assert client.get(url).status_code == 404
    assert client.post(url, {"filed_on": "2026-03-04"}).status_code == 404
    assert Case.objects.get(pk=case.pk).status == "lead"


# Create -----------------------------------------------------------------------------------------


def test_the_create_form_is_prefilled_from_a_finding_and_escalates_it(county: County) -> None:
    source = finding(county)
    client = client_for(county.east_officer)
    url = reverse("cases:case_create")
    form = client.get(f"{url}?finding={source.pk}")
    html = form.content.decode()
    assert form.status_code == 200
    assert 'value="城东某农资店"' in html and f'name="finding" value="{source.pk}"' in html
    done = client.post(
        url,
        {
            "finding": source.pk,
            "title": "销售不合格化肥案",
            "kind": "agricultural",
            "party": "城东某农资店",
            "received_on": "2026-03-10",
            "handler": county.east_officer.pk,
            "case_value": "412000",
        },
    )
    case = Case.objects.get()
    assert done.status_code == 302 and done.url == reverse("cases:case_detail", args=[case.pk])
    source.refresh_from_db()
    assert (source.status, case.finding, case.number) == (
        "escalated",
        source,
        "伊市监城东所案〔2026〕0001号",
    )


def test_the_create_form_shows_field_errors_and_writes_nothing(county: County) -> None:
    page = client_for(county.east_officer).post(
        reverse("cases:case_create"),
        {
            "title": "",
            "kind": "food",
            "party": "某店",
            "received_on": "2026-03-10",
            "case_value": "-5",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "请填写案由" in html and "案值不能为负数：-5" in html
    assert not Case.objects.exists()


def test_a_source_of_another_station_answers_404(county: County) -> None:
    source = finding(county)
    url = f"{reverse('cases:case_create')}?finding={source.pk}"
    assert client_for(county.west_officer).get(url).status_code == 404


def test_a_leader_may_not_open_cases(county: County) -> None:
    assert client_for(county.leader).get(reverse("cases:case_create")).status_code == 403


# Transitions ------------------------------------------------------------------------------------


def test_a_lead_is_filed_through_its_form(county: County) -> None:
    case = make_case(unit=county.east, received_on=D(2026, 3, 2))
    client = client_for(county.east_officer)
    url = reverse("cases:case_action", args=[case.pk, "file"])
    assert client.get(url).status_code == 200
    done = client.post(url, {"filed_on": "2026-03-04"})
    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "filed"


def test_a_transition_the_table_refuses_answers_409_with_its_message(county: County) -> None:
    case = make_case(unit=county.east)
    page = client_for(county.east_officer).get(
        reverse("cases:case_action", args=[case.pk, "decide"])
    )
    assert page.status_code == 409
    assert "案件状态为“线索”，不能改为“决定”" in page.content.decode()


def test_a_decision_inside_the_statement_period_shows_the_error_by_its_field(
    county: County,
) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    client = client_for(county.east_officer)
    url = reverse("cases:case_action", args=[case.pk, "decide"])
    assert "陈述、申辩期至 2026-03-09" in client.get(url).content.decode()
    page = client.post(
        url,
        {"decided_on": "2026-03-05", "decision_number": "伊市监罚〔2026〕1号", "fine": "100"},
    )
    assert page.status_code == 200
    assert "陈述、申辩期未满（告知于2026-03-02，须满 5 个工作日）" in page.content.decode()
    assert Case.objects.get(pk=case.pk).status == "notified"


def test_a_grid_officer_of_the_station_cannot_extend_but_its_director_can(county: County) -> None:
    case = make_case(unit=county.east)
    url = reverse("cases:case_extend", args=[case.pk])
    assert client_for(county.east_officer).post(url, {"reason": "需检验"}).status_code == 403
    assert client_for(county.east_director).post(url, {"reason": "需检验"}).status_code == 302
    assert Case.objects.get(pk=case.pk).filing_extended


# Money and goods --------------------------------------------------------------------------------


def test_money_and_goods_are_recorded_through_their_forms(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, fine="5000", decided_on=D(2026, 4, 15))
    client = client_for(county.east_officer)
    collected = client.post(
        reverse("cases:collection_create", args=[case.pk]),
        {"kind": "fine", "amount": "5000", "collected_on": "2026-04-20", "receipt_number": "JK1"},
    )
    assert collected.status_code == 302
    over = client.post(
        reverse("cases:collection_create", args=[case.pk]),
        {"kind": "fine", "amount": "1", "collected_on": "2026-04-20", "receipt_number": "JK2"},
    )
    assert over.status_code == 200 and "将超过决定的罚款 5,000.00 元" in over.content.decode()
    goods = client.post(
        reverse("cases:goods_create", args=[case.pk]),
        {"description": "不合格化肥", "quantity": "206", "measure": "吨", "value": "0"},
    )
    assert goods.status_code == 302
    assert Collection.objects.count() == 1 and ConfiscatedGoods.objects.count() == 1


def test_a_statement_period_into_an_unloaded_year_is_provisional_not_refused(
    county: County,
) -> None:
    CalendarYear.objects.filter(year__gt=2026).delete()
    CalendarException.objects.filter(date__year__gt=2026).delete()
    # 31 December, then 1, 4, 5 and 6 January 2027 on weekdays only.
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 12, 30))
    client = client_for(county.east_officer)
    url = reverse("cases:case_action", args=[case.pk, "decide"])
    assert "陈述、申辩期至 2027-01-06（暂定）" in client.get(url).content.decode()
    calendar = WorkingCalendar.load()
    with pytest.raises(InvalidInput) as refused:
        limits.check_statement_period(case, D(2027, 1, 6), calendar)
    assert refused.value.message == (
        "decided_on: 陈述、申辩期未满（告知于2026-12-30，须满 5 个工作日）"
    )
    limits.check_statement_period(case, D(2027, 1, 7), calendar)  # the day after: allowed
