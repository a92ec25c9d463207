"""A seller's claimed uscc checked against the register, and seller networks grouped from
shared attributes (a hand-built example)."""

from __future__ import annotations

import pytest

from tests.conftest import County
from tests.online.conftest import jsonl, listing
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.online.listings.importer import import_batch
from xiaoneng.online.models import Seller
from xiaoneng.online.sellers import networks
from xiaoneng.online.sellers.register import check_claims, invalid_reason
from xiaoneng.registry.models import Entity


def test_invalid_codes_are_explained() -> None:
    good = make_uscc()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert invalid_reason(good) is None
    assert invalid_reason(wrong) == f"统一社会信用代码校验位错误：{wrong}"
    assert invalid_reason("12345") == "统一社会信用代码格式错误：12345"


def test_claims_are_checked_against_the_register(county: County) -> None:
    lon, lat = county.east_point()
    active = make_entity(name="城东服装店", longitude=lon, latitude=lat)
    gone = make_entity(name="已注销商行", status=Entity.Status.DEREGISTERED)
    revoked = make_entity(name="被吊销商行", status=Entity.Status.REVOKED)
    unknown = make_uscc()
    claims = check_claims([active.uscc, gone.uscc, revoked.uscc, unknown, "BAD", ""])
    assert claims[active.uscc].check == "active" and claims[active.uscc].entity_id == active.pk
    assert claims[active.uscc].unit_id == county.east.pk
    assert claims[gone.uscc].reason == "声明的主体已注销：已注销商行"
    assert claims[revoked.uscc].reason == "声明的主体已吊销：被吊销商行"
    assert claims[unknown].reason == f"登记库中无此统一社会信用代码：{unknown}"
    assert claims["BAD"].check == "invalid" and "" not in claims


def test_imported_sellers_are_linked_or_flagged_with_the_reason(county: County) -> None:
    lon, lat = county.east_point()
    active = make_entity(name="城东服装店", longitude=lon, latitude=lat)
    revoked = make_entity(name="被吊销商行", status=Entity.Status.REVOKED)
    rows = [
        listing(1, claimed_uscc=active.uscc.lower()),
        listing(2, claimed_uscc=revoked.uscc),
        listing(3, claimed_uscc="91110000600037341X"),
    ]
    import_batch(data=jsonl(rows), name="a.jsonl", actor=county.division_staff)
    linked, gone, invalid = (Seller.objects.get(seller_id=f"s{n}") for n in (1, 2, 3))
    assert linked.entity == active and linked.unit == county.east and not linked.flagged
    assert (
        gone.flagged
        and gone.entity == revoked
        and gone.flag_reason == "声明的主体已吊销：被吊销商行"
    )
    assert invalid.flagged and invalid.flag_reason == (
        "统一社会信用代码校验位错误：91110000600037341X"
    )
    assert invalid.unit == county.division


@pytest.fixture
def ring(county: County) -> dict[str, Seller]:
    """a–b share an IP, b–c a payment account, d–e a domain; f stands alone; a hits twice,
    e three times."""
    rows = [
        listing(1, seller_id="a", ip="1.1.1.1", title="最好最好"),
        listing(2, seller_id="b", ip="1.1.1.1", payment_account="P-9"),
        listing(3, seller_id="c", payment_account="P-9"),
        listing(4, seller_id="d", domain="fake.example.cn"),
        listing(5, seller_id="e", domain="fake.example.cn", title="高仿 处方药 最好"),
        listing(6, seller_id="f"),
    ]
    import_batch(data=jsonl(rows), name="a.jsonl", actor=county.division_staff)
    return {s.seller_id: s for s in Seller.objects.all()}


def test_networks_are_connected_components_ranked_by_hits(
    county: County, ring: dict[str, Seller]
) -> None:
    found = networks.networks(Seller.objects.all())
    assert [sorted(ring_name(ring, n.seller_ids)) for n in found] == [["d", "e"], ["a", "b", "c"]]
    assert [n.hit_count for n in found] == [3, 2]
    chain = found[1]
    assert [(s.kind, s.value, ring_name(ring, s.seller_ids)) for s in chain.shared] == [
        ("ip", "1.1.1.1", ["a", "b"]),
        ("payment", "P-9", ["b", "c"]),
    ]
    assert networks.network_of(Seller.objects.all(), ring["f"].pk) is None


def test_a_network_is_computed_over_the_sellers_one_may_see(
    county: County, ring: dict[str, Seller]
) -> None:
    Seller.objects.filter(seller_id="b").update(unit=county.west)
    found = networks.networks(Seller.objects.exclude(seller_id="b"))
    assert [sorted(ring_name(ring, n.seller_ids)) for n in found] == [["d", "e"]]


def test_union_find_joins_chains() -> None:
    import numpy as np

    roots = networks.components(5, np.array([0, 1, 3]), np.array([1, 2, 4]))
    assert roots[0] == roots[1] == roots[2] and roots[3] == roots[4] and roots[0] != roots[3]


def ring_name(ring: dict[str, Seller], ids: tuple[int, ...] | list[int]) -> list[str]:
    names = {s.pk: k for k, s in ring.items()}
    return [names[i] for i in ids]
