"""Pre-publication filings: the scan on submission, the approval number, the decisions."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ads.factories import BAD_TEXT, DAY, library, make_filing
from tests.conftest import County
from xiaoneng.ads.filings import services
from xiaoneng.ads.filings.models import Filing
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db
S = Filing.Status


def test_a_clean_filing_is_numbered_and_accepted(county: County) -> None:
    library()
    filing = make_filing(county)
    assert filing.number == "BA2026-0001" and filing.status == S.SUBMITTED
    assert filing.hits == [] and filing.library_version == 1
    assert services.blockers(filing, DAY) == []
    services.accept_filing(filing=filing, actor=county.east_officer, on=DAY)
    assert filing.status == S.ACCEPTED and filing.decided_on == DAY
    assert make_filing(county).number == "BA2026-0002"


def test_hits_are_stored_with_the_library_version_and_block_acceptance(county: County) -> None:
    library()
    filing = make_filing(county, text=BAD_TEXT)
    assert filing.library_version == 1
    assert [(h["match"], h["category"]) for h in filing.hits] == [
        ("最佳", "absolute"),
        ("药到病除", "medical_claim"),
        ("无效退款", "guarantee"),
    ]
    for hit in filing.hits:
        assert BAD_TEXT[hit["start"] : hit["end"]] == hit["match"]
    with pytest.raises(Conflict) as error:
        services.accept_filing(filing=filing, actor=county.east_officer, on=DAY)
    assert error.value.message.startswith(
        "不能备案：广告内容“最佳”涉嫌绝对化用语（《广告法》第九条第（三）项）"
    )
    filing.refresh_from_db()
    assert filing.status == S.SUBMITTED
    services.return_filing(filing=filing, actor=county.east_officer, on=DAY, reason="含违法用语")
    assert filing.status == S.RETURNED and filing.reason == "含违法用语"


def test_the_approval_number_is_required_by_article_46(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_filing(county, kind="drug", approval_number="", approval_expires_on=None)
    assert error.value.by_field == {
        "approval_number": "药品广告须在发布前取得广告审查批准文号（《中华人民共和国广告法》第四十六条）"
    }
    assert not Filing.objects.exists()
    # Special cosmetics are filed but not reviewed under 第四十六条.
    filing = make_filing(
        county, kind="special_cosmetics", approval_number="", approval_expires_on=None
    )
    assert filing.approval_number == ""


def test_an_expired_or_malformed_approval_is_refused(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_filing(county, approval_expires_on=dt.date(2026, 3, 1))
    assert error.value.by_field == {"approval_expires_on": "广告审查批准文号已于 2026-03-01 过期"}
    with pytest.raises(InvalidInput) as error:
        make_filing(county, approval_number="12345", approval_expires_on=None)
    assert error.value.by_field == {
        "approval_number": "广告审查批准文号格式不正确（如“X药广审（视）第250101-00001号”）：12345"
    }
    with pytest.raises(InvalidInput) as error:
        make_filing(county, approval_expires_on=None)
    assert error.value.by_field == {"approval_expires_on": "请填写批准文号有效期（YYYY-MM-DD）"}
    assert not Filing.objects.exists()


def test_an_approval_expiring_before_acceptance_blocks_it(county: County) -> None:
    filing = make_filing(county, approval_expires_on=dt.date(2026, 3, 20))
    later = dt.date(2026, 4, 1)
    assert services.blockers(filing, later) == ["广告审查批准文号已于 2026-03-20 过期"]
    with pytest.raises(Conflict, match="不能备案：广告审查批准文号已于 2026-03-20 过期"):
        services.accept_filing(filing=filing, actor=county.east_officer, on=later)


def test_bad_filing_input_names_each_field(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        make_filing(
            county,
            kind="tobacco",
            title="",
            text=" ",
            medium="radio2",
            submitted_on=dt.date(2099, 1, 1),
            advertiser=None,
        )
    assert error.value.by_field == {
        "kind": "广告类别无效：tobacco",
        "title": "请填写广告名称",
        "text": "请填写广告内容",
        "medium": "拟发布媒介无效：radio2",
        "submitted_on": "提交日期不能晚于今天：2099-01-01",
        "advertiser": "请选择广告主（统一社会信用代码）",
    }
    with pytest.raises(InvalidInput) as error:
        make_filing(county, submitted_on=dt.date(2025, 12, 1))
    assert error.value.by_field == {
        "submitted_on": "提交日期不能早于广告主入册日期 2026-01-05：2025-12-01"
    }
    assert not Filing.objects.exists()


def test_decisions_follow_the_state_table(county: County) -> None:
    filing = make_filing(county)
    with pytest.raises(InvalidInput) as error:
        services.return_filing(filing=filing, actor=county.east_officer, on=DAY, reason="")
    assert error.value.by_field == {"reason": "请填写退回理由"}
    with pytest.raises(Conflict, match="备案状态为“已提交”，不能改为“已撤销”"):
        services.revoke_filing(filing=filing, actor=county.east_officer, on=DAY, reason="撤回")
    services.accept_filing(filing=filing, actor=county.east_officer, on=DAY)
    with pytest.raises(Conflict, match="不能改为“已备案”"):
        services.accept_filing(filing=filing, actor=county.east_officer, on=DAY)
    services.revoke_filing(
        filing=filing, actor=county.east_officer, on=DAY, reason="批准文号被撤销"
    )
    assert filing.status == S.REVOKED
    assert services.actions_for(filing, county.east_officer) == []


def test_another_unit_may_not_decide(county: County) -> None:
    filing = make_filing(county)
    with pytest.raises(NotPermitted):
        services.accept_filing(filing=filing, actor=county.west_officer, on=DAY)
    with pytest.raises(NotPermitted):
        services.accept_filing(filing=filing, actor=county.leader, on=DAY)
    assert services.actions_for(filing, county.leader) == []
    assert services.actions_for(filing, county.east_director) == ["accept", "return"]
