"""What a person decides for a flagged seller: an inspection task through the campaign
service, a referral, or dismissal with a reason; and what comes back of a referral."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.online.conftest import jsonl, listing
from tests.registry.factories import make_entity
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.online.listings.importer import import_batch
from xiaoneng.online.models import Referral, Seller
from xiaoneng.online.sellers import services
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity


@pytest.fixture
def sellers(county: County) -> dict[str, Seller]:
    lon, lat = county.east_point()
    local = make_entity(name="城东服装店", longitude=lon, latitude=lat)
    rows = [
        listing(1, seller_id="local", claimed_uscc=local.uscc, title="最好的衬衫"),
        listing(2, seller_id="far", title="高仿名牌包"),
        listing(3, seller_id="clean"),
    ]
    import_batch(data=jsonl(rows), name="a.jsonl", actor=county.division_staff)
    return {s.seller_id: s for s in Seller.objects.all()}


def test_hits_on_a_local_entity_become_an_inspection_task(
    county: County, sellers: dict[str, Seller]
) -> None:
    seller = services.decide_task(
        seller=sellers["local"], actor=county.east_director, reason="线索明确"
    )
    assert seller.status == "task" and seller.decided_by == county.east_director
    assert seller.campaign is not None
    task = Task.objects.get(plan=seller.campaign.plan)
    assert task.entity == seller.entity and task.unit == county.east
    assert task.due_on == timezone.localdate() + dt.timedelta(days=30)
    assert "命中关键词" in task.standard
    assert AuditEvent.objects.filter(object_id=str(seller.pk), actor=county.east_director).exists()


def test_a_seller_not_linked_to_a_local_entity_cannot_become_a_task(
    county: County, sellers: dict[str, Seller]
) -> None:
    with pytest.raises(Conflict) as refused:
        services.decide_task(seller=sellers["far"], actor=county.division_staff)
    assert refused.value.message == "该卖家未对应本地市场主体，不能转检查任务，请移送"
    assert Seller.objects.get(seller_id="far").status == "pending"


def test_a_task_needs_the_entity_in_business(county: County, sellers: dict[str, Seller]) -> None:
    Entity.objects.filter(pk=sellers["local"].entity_id).update(status="suspended")
    seller = Seller.objects.get(seller_id="local")
    with pytest.raises(Conflict) as refused:
        services.decide_task(seller=seller, actor=county.division_staff)
    assert refused.value.message == "对应主体登记状态为“停业（歇业）”，不能转检查任务"


def test_a_referral_records_where_and_when(county: County, sellers: dict[str, Seller]) -> None:
    referral = services.decide_referral(
        seller=sellers["far"],
        actor=county.division_staff,
        to_kind="platform",
        to_name="淘宝平台治理部",
        referred_on=timezone.localdate(),
    )
    assert referral.status == "sent" and Seller.objects.get(seller_id="far").status == "referral"
    services.record_answer(
        referral=referral, actor=county.division_staff, to="received", on=timezone.localdate()
    )
    services.record_answer(
        referral=referral,
        actor=county.division_staff,
        to="answered",
        on=timezone.localdate(),
        answer="已下架商品",
    )
    referral.refresh_from_db()
    assert referral.status == "answered" and referral.answer == "已下架商品"
    with pytest.raises(Conflict) as refused:
        services.record_answer(
            referral=referral, actor=county.division_staff, to="received", on=timezone.localdate()
        )
    assert refused.value.message == "移送状态为“已反馈处理结果”，不能改为“对方已接收”"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"to_kind": "police"}, "to_kind", "移送对象类型应为 platform 或 jurisdiction：police"),
        ({"to_name": " "}, "to_name", "请填写移送对象"),
        ({"to_name": "长" * 201}, "to_name", "移送对象不能超过 200 个字"),
        ({"referred_on": None}, "referred_on", "请填写移送日期（YYYY-MM-DD）"),
        ({"referred_on": dt.date(2099, 1, 1)}, "referred_on", "移送日期不能晚于今天：2099-01-01"),
    ],
)
def test_bad_referrals_are_refused(
    county: County, sellers: dict[str, Seller], values: dict[str, object], field: str, message: str
) -> None:
    data: dict[str, object] = {
        "to_kind": "jurisdiction",
        "to_name": "某市市场监管局",
        "referred_on": timezone.localdate(),
    } | values
    with pytest.raises(InvalidInput) as refused:
        services.decide_referral(seller=sellers["far"], actor=county.division_staff, **data)  # type: ignore[arg-type]
    assert refused.value.by_field == {field: message}
    assert not Referral.objects.exists()
    assert Seller.objects.get(seller_id="far").status == "pending"


def test_dismissal_needs_a_reason_and_happens_once(
    county: County, sellers: dict[str, Seller]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.dismiss(seller=sellers["far"], actor=county.division_staff, reason=" ")
    assert refused.value.by_field == {"reason": "请填写理由"}
    seller = services.dismiss(seller=sellers["far"], actor=county.division_staff, reason="正品授权")
    assert seller.status == "dismissed" and seller.decision_reason == "正品授权"
    with pytest.raises(Conflict) as again:
        services.dismiss(seller=seller, actor=county.division_staff, reason="正品授权")
    assert again.value.message == "卖家状态为“已排除”，不能改为“已排除”"


def test_an_unflagged_seller_needs_no_decision(county: County, sellers: dict[str, Seller]) -> None:
    with pytest.raises(Conflict) as refused:
        services.dismiss(seller=sellers["clean"], actor=county.division_staff, reason="无问题")
    assert refused.value.message == "该卖家未被标记，无需处理"


def test_only_monitoring_roles_of_the_seller_s_unit_decide(
    county: County, sellers: dict[str, Seller]
) -> None:
    with pytest.raises(NotPermitted):
        services.dismiss(seller=sellers["local"], actor=county.west_director, reason="无问题")
    with pytest.raises(NotPermitted):
        services.dismiss(seller=sellers["local"], actor=county.east_officer, reason="无问题")
    with pytest.raises(NotPermitted):
        services.dismiss(seller=sellers["local"], actor=county.leader, reason="无问题")
