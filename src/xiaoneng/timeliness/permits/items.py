"""Service items (事项): their limits, stages and materials, created and changed by those who
manage them, and the starter set loaded from a CSV file (``xiaoneng service-items load``).

An item's committed limit (承诺时限) is the bureau's promise and never longer than the statutory
limit (法定时限) the law sets; both count working days (《行政许可法》第八十二条).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.permits.models import ItemCategory, ServiceItem

CODE_LENGTH = 20
NAME_LENGTH = 100
BASIS_LENGTH = 200
STARTER_FILE = Path(__file__).parent / "data" / "items.csv"
COLUMNS = (
    "事项编码",
    "事项名称",
    "事项类别",
    "法定时限",
    "承诺时限",
    "一审一核",
    "设定依据",
    "申请材料",
)
CATEGORY_BY_LABEL = {str(label): value for value, label in ItemCategory.choices}
YES, NO = "是", "否"


def _item_errors(
    *,
    code: str,
    name: str,
    category: str,
    statutory_days: int | None,
    committed_days: int | None,
    basis: str,
    item: ServiceItem | None,
) -> list[FieldError]:
    errors = []
    if not code:
        errors.append(FieldError("code", _("请填写事项编码")))
    elif len(code) > CODE_LENGTH:
        errors.append(FieldError("code", _("事项编码不能超过 %(n)d 个字符") % {"n": CODE_LENGTH}))
    elif ServiceItem.objects.filter(code=code).exclude(pk=item.pk if item else 0).exists():
        errors.append(FieldError("code", _("事项编码已存在：%(code)s") % {"code": code}))
    if not name:
        errors.append(FieldError("name", _("请填写事项名称")))
    elif len(name) > NAME_LENGTH:
        errors.append(FieldError("name", _("事项名称不能超过 %(n)d 个字") % {"n": NAME_LENGTH}))
    if category not in ItemCategory.values:
        errors.append(FieldError("category", _("事项类别无效：%(v)s") % {"v": category}))
    for field, days, label in (
        ("statutory_days", statutory_days, _("法定时限")),
        ("committed_days", committed_days, _("承诺时限")),
    ):
        if days is None:
            errors.append(FieldError(field, _("请填写%(label)s（工作日）") % {"label": label}))
        elif not 1 <= days <= clocks.MAX_LIMIT_DAYS:
            errors.append(
                FieldError(
                    field,
                    _("%(label)s应为 1 至 %(max)d 个工作日：%(days)s")
                    % {"label": label, "max": clocks.MAX_LIMIT_DAYS, "days": days},
                )
            )
    if (
        statutory_days is not None
        and committed_days is not None
        and 1 <= committed_days <= clocks.MAX_LIMIT_DAYS
        and 1 <= statutory_days <= clocks.MAX_LIMIT_DAYS
        and committed_days > statutory_days
    ):
        errors.append(
            FieldError(
                "committed_days",
                _("承诺时限（%(c)d）不得长于法定时限（%(s)d）")
                % {"c": committed_days, "s": statutory_days},
            )
        )
    if not basis:
        errors.append(FieldError("basis", _("请填写设定依据")))
    elif len(basis) > BASIS_LENGTH:
        errors.append(FieldError("basis", _("设定依据不能超过 %(n)d 个字") % {"n": BASIS_LENGTH}))
    return errors


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


def save_item(
    *,
    actor: Officer | None,
    code: str,
    name: str,
    category: str,
    statutory_days: int | None,
    committed_days: int | None,
    basis: str,
    single_review: bool = False,
    materials: str = "",
    active: bool = True,
    item: ServiceItem | None = None,
) -> ServiceItem:
    """Create a service item, or change ``item``: code unique, committed ≤ statutory limit.

    Needs MANAGE_SERVICE_ITEMS (``actor`` None: the operator's command, without limits)."""
    if actor is not None:
        access.require(actor, access.MANAGE_SERVICE_ITEMS)
    code, name, basis = (code or "").strip(), (name or "").strip(), (basis or "").strip()
    errors = _item_errors(
        code=code,
        name=name,
        category=category,
        statutory_days=statutory_days,
        committed_days=committed_days,
        basis=basis,
        item=item,
    )
    _raise(errors)
    lines = [line.strip() for line in (materials or "").splitlines() if line.strip()]
    target = item or ServiceItem()
    target.code, target.name, target.category = code, name, category
    assert statutory_days is not None and committed_days is not None
    target.statutory_days, target.committed_days = statutory_days, committed_days
    target.basis, target.single_review = basis, bool(single_review)
    target.materials, target.active = "\n".join(lines), bool(active)
    with transaction.atomic(), audit.attributed(actor):
        target.save()
    return target


def material_lines(item: ServiceItem) -> list[str]:
    """The item's materials, one a line."""
    return [line.strip() for line in item.materials.splitlines() if line.strip()]


@dataclass(frozen=True)
class Loaded:
    """What loading a file did: items created, changed and left as they were."""

    created: int
    updated: int
    unchanged: int


def _days(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _row_errors(number: int, row: dict[str, str], seen: set[str]) -> list[FieldError]:
    """What is wrong with the file's row ``number`` (its header is row 1)."""
    where = _("第 %(n)d 行") % {"n": number}
    errors = []
    for column in ("法定时限", "承诺时限"):
        text = row[column].strip()
        if text and _days(text) is None:
            message = _("%(column)s应为整数（工作日）：%(v)s") % {"column": column, "v": text}
            errors.append(FieldError(where, message))
    if row["事项类别"].strip() not in CATEGORY_BY_LABEL:
        labels = "、".join(CATEGORY_BY_LABEL)
        message = _("事项类别应为 %(labels)s 之一：%(v)s") % {
            "labels": labels,
            "v": row["事项类别"],
        }
        errors.append(FieldError(where, message))
    if row["一审一核"].strip() not in (YES, NO):
        message = _("一审一核应为“是”或“否”：%(v)s") % {"v": row["一审一核"]}
        errors.append(FieldError(where, message))
    code = row["事项编码"].strip()
    if code and code in seen:
        errors.append(FieldError(where, _("事项编码在文件中重复：%(code)s") % {"code": code}))
    seen.add(code)
    if errors:
        return errors
    found = _item_errors(
        code=code,
        name=row["事项名称"].strip(),
        category=CATEGORY_BY_LABEL[row["事项类别"].strip()],
        statutory_days=_days(row["法定时限"]),
        committed_days=_days(row["承诺时限"]),
        basis=row["设定依据"].strip(),
        item=ServiceItem.objects.filter(code=code).first(),
    )
    return [FieldError(where, e.message) for e in found]


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file with the columns ``COLUMNS``; refused when a column is
    missing or the file cannot be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise InvalidInput.single(
                    "file", _("文件缺少列：%(columns)s") % {"columns": "、".join(missing)}
                )
            rows = [
                {k.strip(): (v or "") for k, v in row.items() if k is not None} for row in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidInput.single("file", _("无法读取文件：%(e)s") % {"e": error}) from None
    if not rows:
        raise InvalidInput.single("file", _("文件中没有事项"))
    return rows


def load_items(path: Path | None = None, *, actor: Officer | None = None) -> Loaded:
    """Create or update the items of a CSV file (the starter set by default), all or none:
    any row in error refuses the whole file, naming each row."""
    rows = read_rows(path or STARTER_FILE)
    seen: set[str] = set()
    errors = [e for n, row in enumerate(rows, start=2) for e in _row_errors(n, row, seen)]
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in rows:
            item = ServiceItem.objects.filter(code=row["事项编码"].strip()).first()
            values: dict[str, Any] = {
                "name": row["事项名称"].strip(),
                "category": CATEGORY_BY_LABEL[row["事项类别"].strip()],
                "statutory_days": _days(row["法定时限"]),
                "committed_days": _days(row["承诺时限"]),
                "basis": row["设定依据"].strip(),
                "single_review": row["一审一核"].strip() == YES,
                "materials": "\n".join(m.strip() for m in row["申请材料"].split("；") if m.strip()),
            }
            if item is not None and all(getattr(item, k) == v for k, v in values.items()):
                unchanged += 1
                continue
            save_item(actor=actor, code=row["事项编码"].strip(), item=item, **values)
            created, updated = created + (item is None), updated + (item is not None)
    return Loaded(created, updated, unchanged)
