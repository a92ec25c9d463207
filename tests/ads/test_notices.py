"""Notices (numbered per kind and year, deadline, outcome) and confiscations."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ads.factories import DAY, east_entity, library, make_ad, make_notice
from tests.conftest import County
from xiaoneng.ads.notices import services
from xiaoneng.ads.notices.models import AdNotice, Confiscation
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db
S = AdNotice.Status


def test_notices_are_numbered_per_kind_and_year(county: County) -> None:
    assert make_notice(county).number == "广警〔2026〕001号"
    assert make_notice(county).number == "广警〔2026〕002号"
    assert make_notice(county, kind="rectify").number == "广改〔2026〕001号"
    assert make_notice(county, kind="stop").number == "广停〔2026〕001号"


def test_a_notice_about_a_monitored_ad_names_its_advertiser(county: County) -> None:
    library()
    ad = make_ad(county)
    notice = make_notice(county, ad=ad)
    assert notice.party == "外地某保健品公司" and notice.entity is None
    assert notice.unit == county.east and list(ad.notices.all()) == [notice]


def test_the_deadline_falls_after_the_issue_date(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_notice(county, deadline=DAY - dt.timedelta(days=1))
    assert error.value.by_field == {"deadline": "履行期限应晚于送达日期 2026-03-10：2026-03-09"}
    with pytest.raises(InvalidInput) as error:
        make_notice(county, deadline=None)
    assert error.value.by_field == {"deadline": "请填写履行期限（YYYY-MM-DD）"}
    assert not AdNotice.objects.exists()


def test_bad_notice_input_names_each_field(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_notice(
            county,
            kind="fine",
            party="",
            content="",
            issued_on=dt.date(2099, 1, 1),
            deadline=dt.date(2099, 2, 1),
        )
    assert error.value.by_field == {
        "kind": "文书类别无效：fine",
        "party": "请填写当事人",
        "content": "请填写违法事实及要求",
        "issued_on": "送达日期不能晚于今天：2099-01-01",
    }
    with pytest.raises(InvalidInput) as error:
        make_notice(county, issued_on=dt.date(2025, 12, 1))
    assert error.value.by_field == {
        "issued_on": "送达日期不能早于当事人入册日期 2026-01-05：2025-12-01"
    }
    assert not AdNotice.objects.exists()


def test_the_outcome_is_recorded_once_and_not_complied_only_after_the_deadline(
    county: County,
) -> None:
    notice = make_notice(county)
    record = dict(notice=notice, actor=county.east_officer)
    with pytest.raises(InvalidInput) as error:
        services.record_outcome(**record, complied=False, on=notice.deadline, note="未改正")
    assert error.value.by_field == {
        "outcome_on": "履行期限 2026-03-20 尚未届满，不能认定逾期未履行"
    }
    with pytest.raises(InvalidInput) as error:
        services.record_outcome(**record, complied=True, on=dt.date(2026, 3, 1), note="")
    assert error.value.by_field == {
        "outcome_on": "核实日期不能早于送达日期 2026-03-10：2026-03-01",
        "outcome_note": "请填写履行情况",
    }
    services.record_outcome(**record, complied=True, on=dt.date(2026, 3, 15), note="已撤下广告")
    assert notice.status == S.COMPLIED
    with pytest.raises(Conflict, match="文书状态为“已履行”，不能改为“逾期未履行”"):
        services.record_outcome(**record, complied=False, on=dt.date(2026, 4, 1), note="复查")
    late = make_notice(county)
    services.record_outcome(
        notice=late,
        actor=county.east_officer,
        complied=False,
        on=dt.date(2026, 3, 21),
        note="仍在发布",
    )
    assert late.status == S.NOT_COMPLIED


def test_confiscated_printed_matter_with_its_quantity(county: County) -> None:
    notice = make_notice(county, kind="stop")
    seized = services.record_confiscation(
        actor=county.east_officer,
        seized_on=DAY,
        description="“神医秘方”宣传单",
        quantity="1200",
        notice=notice,
    )
    assert (seized.quantity, seized.party, seized.unit) == (1200, notice.party, county.east)
    assert list(notice.confiscations.all()) == [seized]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("", "数量应为正整数："),
        ("abc", "数量应为正整数：abc"),
        ("0", "数量应在 1 至 10000000 份之间：0"),
        ("-5", "数量应在 1 至 10000000 份之间：-5"),
        ("99999999", "数量应在 1 至 10000000 份之间：99999999"),
        ("1.5", "数量应为正整数：1.5"),
    ],
)
def test_bad_quantities_are_refused(county: County, quantity: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        services.record_confiscation(
            actor=county.east_officer,
            seized_on=DAY,
            description="宣传单",
            quantity=quantity,
            entity=east_entity(county),
        )
    assert error.value.by_field == {"quantity": message}
    assert not Confiscation.objects.exists()


def test_readers_and_other_units_may_not_issue(county: County) -> None:
    entity = east_entity(county)
    with pytest.raises(NotPermitted):
        make_notice(county, actor=county.leader, entity=entity)
    with pytest.raises(NotPermitted):
        make_notice(county, actor=county.west_officer, entity=entity)
