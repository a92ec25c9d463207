"""Money of a case: amounts parsed as Decimal yuan, collections (罚没款入库) and confiscated goods.

Every amount is Decimal with two places, never float (DESIGN.md). A negative or malformed
amount is refused naming the field and the value, e.g. "罚款金额不能为负数：-5".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.checks import check_day
from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods
from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
# The columns hold 14 digits, two (or three) of them after the point.
MAX_AMOUNT = Decimal("999999999999.99")
MAX_QUANTITY = Decimal("99999999999.999")

# How each amount is named in a message.
LABELS = {
    "fine": gettext_lazy("罚款金额"),
    "confiscation": gettext_lazy("没收违法所得金额"),
    "proposed_fine": gettext_lazy("拟罚款金额"),
    "case_value": gettext_lazy("案值"),
    "amount": gettext_lazy("入库金额"),
    "value": gettext_lazy("货值"),
    "quantity": gettext_lazy("数量"),
}


def label(field: str) -> str:
    """The Chinese name of an amount field, for messages."""
    return str(LABELS.get(field, field))


def parse_decimal(
    value: Any,
    *,
    field: str,
    places: int = 2,
    positive: bool = False,
    maximum: Decimal = MAX_AMOUNT,
    name: str | None = None,
) -> Decimal:
    """``value`` (str, int, Decimal; a float through its text) as a Decimal of ``places`` places.

    Refuses, naming the field and the value: empty, malformed, negative (or zero when
    ``positive``), more places than allowed, too large.
    """
    name = name or label(field)
    text = str(value).strip() if value is not None else ""
    if isinstance(value, bool) or text == "":
        raise InvalidInput.single(field, _("请填写%(name)s") % {"name": name})
    try:
        number = Decimal(text.replace(",", ""))  # 1,234.50 as written on a receipt
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InvalidInput.single(
            field, _("%(name)s格式不正确：%(value)s") % {"name": name, "value": text}
        )
    if number < 0:
        raise InvalidInput.single(
            field, _("%(name)s不能为负数：%(value)s") % {"name": name, "value": text}
        )
    if positive and number == 0:
        raise InvalidInput.single(
            field, _("%(name)s应大于 0：%(value)s") % {"name": name, "value": text}
        )
    if number > maximum:
        raise InvalidInput.single(
            field, _("%(name)s过大：%(value)s") % {"name": name, "value": text}
        )
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step, rounding=ROUND_HALF_UP):
        raise InvalidInput.single(
            field,
            _("%(name)s最多 %(places)d 位小数：%(value)s")
            % {"name": name, "places": places, "value": text},
        )
    return number.quantize(step)


def parse_amount(value: Any, *, field: str, positive: bool = False) -> Decimal:
    """A money amount in yuan with two places (see ``parse_decimal``)."""
    return parse_decimal(value, field=field, positive=positive)


def yuan(amount: Decimal) -> str:
    """An amount as written in messages: 1,234.50 元."""
    return _("%(amount)s 元") % {"amount": f"{amount:,.2f}"}


@dataclass(frozen=True)
class MoneyLine:
    """One kind of money on a case: decided, collected and what is still outstanding."""

    kind: str
    label: str
    decided: Decimal
    collected: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(self.decided - self.collected, Decimal("0.00"))


def collected(case: Case) -> dict[str, Decimal]:
    """Amounts collected so far on ``case``, by kind (fine, confiscation)."""
    totals = {kind: Decimal("0.00") for kind in Collection.Kind.values}
    rows = Collection.objects.filter(case=case).values("kind").annotate(total=Sum("amount"))
    for row in rows:
        totals[row["kind"]] = Decimal(row["total"]).quantize(CENT)
    return totals


def decided(case: Case, kind: str) -> Decimal:
    """The amount of ``kind`` the decision imposed."""
    if kind == Collection.Kind.FINE:
        return case.fine_decided
    return case.confiscation_decided


def money_lines(case: Case) -> list[MoneyLine]:
    """Decided against collected, one line per kind."""
    totals = collected(case)
    return [
        MoneyLine(kind, str(text), decided(case, kind), totals[kind])
        for kind, text in Collection.Kind.choices
    ]


def outstanding(case: Case) -> Decimal:
    """What the decision imposed and has not been collected yet."""
    return sum((line.outstanding for line in money_lines(case)), Decimal("0.00"))


def _require_money_stage(case: Case, what: str) -> None:
    if case.status not in (Case.Status.DECIDED, Case.Status.EXECUTING):
        raise Conflict(
            _("案件状态为“%(status)s”，只有决定或执行阶段的案件可以登记%(what)s")
            % {"status": case.get_status_display(), "what": what}
        )


def record_collection(
    *,
    case: Case,
    actor: Officer,
    kind: str,
    amount: Any,
    collected_on: dt.date | None,
    receipt_number: str,
) -> Collection:
    """Record money paid into the treasury on ``case`` (罚没款入库).

    The case must be decided or executing; the total collected of each kind may not exceed
    what the decision imposed.
    """
    access.require(actor, access.HANDLE_CASES)
    access.require_unit(actor, case.unit_id)
    _require_money_stage(case, _("罚没款入库"))
    if kind not in Collection.Kind.values:
        raise InvalidInput.single(
            "kind", _("款项应为 fine（罚款）或 confiscation（没收违法所得）：%(v)s") % {"v": kind}
        )
    value = parse_amount(amount, field="amount", positive=True)
    day = check_day(collected_on, "collected_on", _("入库日期"), case.decided_on, _("处罚决定日期"))
    receipt = (receipt_number or "").strip()
    if not receipt:
        raise InvalidInput.single("receipt_number", _("请填写缴款书号"))
    if len(receipt) > 60:
        raise InvalidInput.single("receipt_number", _("缴款书号不能超过 60 个字符"))
    with transaction.atomic(), attributed(actor):
        locked = Case.objects.select_for_update().get(pk=case.pk)
        limit = decided(locked, kind)
        so_far = collected(locked)[kind]
        if so_far + value > limit:
            kind_label = Collection.Kind(kind).label
            raise InvalidInput.single(
                "amount",
                _(
                    "%(kind)s入库合计 %(total)s 将超过决定的%(kind)s %(limit)s"
                    "（已入库 %(so_far)s，本次 %(amount)s）"
                )
                % {
                    "kind": kind_label,
                    "total": yuan(so_far + value),
                    "limit": yuan(limit),
                    "so_far": yuan(so_far),
                    "amount": yuan(value),
                },
            )
        if Collection.objects.filter(receipt_number=receipt).exists():
            raise Conflict(_("缴款书号已登记：%(number)s") % {"number": receipt})
        return Collection.objects.create(
            case=locked,
            kind=kind,
            amount=value,
            collected_on=day,
            receipt_number=receipt,
            unit_id=locked.unit_id,
        )


def record_goods(
    *,
    case: Case,
    actor: Officer,
    description: str,
    quantity: Any,
    measure: str,
    value: Any = "0",
    disposal: str = "",
) -> ConfiscatedGoods:
    """Record goods confiscated in ``case``: what, how much, in which measure (e.g. 206 吨 化肥)."""
    access.require(actor, access.HANDLE_CASES)
    access.require_unit(actor, case.unit_id)
    _require_money_stage(case, _("罚没物品"))
    errors: list[FieldError] = []
    description = (description or "").strip()
    measure = (measure or "").strip()
    if not description:
        errors.append(FieldError("description", _("请填写物品名称")))
    elif len(description) > 100:
        errors.append(FieldError("description", _("物品名称不能超过 100 个字")))
    if not measure:
        errors.append(FieldError("measure", _("请填写计量单位（如：吨、件、瓶）")))
    elif len(measure) > 10:
        errors.append(FieldError("measure", _("计量单位不能超过 10 个字")))
    if len((disposal or "").strip()) > 100:
        errors.append(FieldError("disposal", _("处置方式不能超过 100 个字")))
    parsed: dict[str, Decimal] = {}
    for field, raw, options in (
        ("quantity", quantity, {"places": 3, "positive": True, "maximum": MAX_QUANTITY}),
        ("value", value if value not in (None, "") else "0", {}),
    ):
        try:
            parsed[field] = parse_decimal(raw, field=field, **options)  # type: ignore[arg-type]
        except InvalidInput as error:
            errors += error.errors
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    with transaction.atomic(), attributed(actor):
        return ConfiscatedGoods.objects.create(
            case=case,
            description=description,
            quantity=parsed["quantity"],
            measure=measure,
            value=parsed["value"],
            disposal=(disposal or "").strip(),
        )
