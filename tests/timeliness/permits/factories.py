"""Service items and cases for tests, made through ``permits`` services (the rules under
test): an item, and a case received, accepted and moved on as far as asked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xiaoneng.org.models import Officer
from xiaoneng.timeliness.permits import items
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits.models import ItemCategory, ServiceCase, ServiceItem

# Monday 2 March 2026 and the working days after it (no holiday until Qingming, 4–6 April).
MONDAY = dt.date(2026, 3, 2)


def day(offset: int) -> dt.date:
    """``offset`` calendar days after MONDAY."""
    return MONDAY + dt.timedelta(days=offset)


def make_item(**values: Any) -> ServiceItem:
    fields: dict[str, Any] = {
        "code": "XK-T01",
        "name": "食品经营许可（新办）",
        "category": ItemCategory.LICENCE,
        "statutory_days": 10,
        "committed_days": 5,
        "basis": "《食品经营许可和备案管理办法》",
        "single_review": False,
        "materials": "食品经营许可申请书\n营业执照复印件\n设备布局和操作流程",
    }
    fields.update(values)
    return items.save_item(actor=None, **fields)


def make_case(
    officer: Officer,
    *,
    item: ServiceItem | None = None,
    applicant: str = "张三",
    accepted: dt.date | None = None,
    received: dt.date = MONDAY,
    **values: Any,
) -> ServiceCase:
    """A case ``officer`` received (on MONDAY), accepted on ``accepted`` when given."""
    case = permits.receive_case(
        actor=officer,
        item=item or ServiceItem.objects.first() or make_item(),
        applicant=applicant,
        received_on=received,
        **values,
    )
    if accepted is not None:
        permits.accept_case(case=case, actor=officer, on=accepted)
    return case


def approved(case: ServiceCase, reviewer: Officer, approver: Officer, on: dt.date) -> ServiceCase:
    """``case`` reviewed and approved on ``on`` (one officer on an 一审一核 item)."""
    if not case.item.single_review:
        permits.review_case(case=case, actor=reviewer, on=on)
    return permits.approve_case(case=case, actor=approver, on=on)
