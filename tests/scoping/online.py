"""The east station's online-monitoring records for the generic scoping test: a batch the
east director imported, two sellers claiming the east entity and sharing an IP (a network), a
listing with a hit, and a referral of one of them."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

from django.utils import timezone

from tests.conftest import County
from tests.online.conftest import fake_scan
from xiaoneng.online.listings.importer import import_batch
from xiaoneng.online.models import Listing, Seller
from xiaoneng.online.sellers import services

EAST = "城东专属"  # world.EAST (world imports this module)


def records(county: County, east: dict[str, Any]) -> dict[str, Any]:
    uscc = east["entity"].uscc
    rows = [
        {
            "platform": "淘宝",
            "seller_id": f"east-{n}",
            "shop": f"{EAST}网店{n}",
            "claimed_uscc": uscc,
            "title": f"{EAST}最好的商品{n}",
            "url": f"https://item.example.com/east-{n}",
            "ip": "10.9.9.9",
            "captured_at": "2026-03-02 09:00:00",
        }
        for n in (1, 2)
    ]
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    with mock.patch("xiaoneng.online.listings.importer.scan_texts", fake_scan):
        batch = import_batch(data=data, name=f"{EAST}批次.jsonl", actor=county.east_director)
    seller = Seller.objects.get(seller_id="east-1")
    other = Seller.objects.get(seller_id="east-2")
    referral = services.decide_referral(
        seller=other,
        actor=county.east_director,
        to_kind="platform",
        to_name="淘宝平台",
        referred_on=timezone.localdate(),
    )
    return {
        "online_batch": batch,
        "online_seller": seller,
        "online_listing": Listing.objects.get(seller=seller),
        "online_referral": referral,
    }
