"""Importing a batch of captured listings (网络商品信息): read, check, skip duplicates, scan,
write — one transaction, in bulk (``core.bulk``).

A file with bad lines is refused as a whole, each bad line named with its number, unless the
user asks to import the good lines (``keep_good_lines``); the bad lines are then kept on the
batch. A listing already imported (same platform, URL and capture time, in the database or
earlier in the file) is skipped and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.keywords.scanning import scan_texts
from xiaoneng.online.listings.models import Batch, Hit, Listing
from xiaoneng.online.listings.reading import FileUnreadable, LineError, Row, read_rows
from xiaoneng.online.rows import update_rows
from xiaoneng.online.sellers import aggregate
from xiaoneng.online.sellers.models import Seller, SellerAttribute
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit

CHUNK = 500
SHOWN_ERRORS = 200  # bad lines kept on a batch imported with its good lines only
MAX_BYTES = 50 * 1024 * 1024
ATTRIBUTES = {
    "ip": SellerAttribute.Kind.IP,
    "payment_account": SellerAttribute.Kind.PAYMENT,
    "logistics_account": SellerAttribute.Kind.LOGISTICS,
    "domain": SellerAttribute.Kind.DOMAIN,
}
LISTING_FIELDS = (
    "platform",
    "shop",
    "title",
    "description",
    "price",
    "url",
    "domain",
    "ip",
    "payment_account",
    "logistics_company",
    "logistics_account",
    "captured_at",
)


@dataclass(frozen=True)
class Parsed:
    rows: list[Row]
    errors: list[LineError]


def line_message(error: LineError) -> str:
    return _("第 %(line)d 行：%(message)s") % {"line": error.line, "message": error.message}


def parse(data: bytes, name: str) -> Parsed:
    """The file's good rows and bad lines; a file that cannot be read is refused."""
    if len(data) > MAX_BYTES:
        raise InvalidInput.single("file", _("文件不能超过 50 MB"))
    rows: list[Row] = []
    errors: list[LineError] = []
    try:
        for item in read_rows(data, name):
            (rows if isinstance(item, Row) else errors).append(item)  # type: ignore[arg-type]
    except FileUnreadable as error:
        raise InvalidInput.single("file", str(error)) from error
    return Parsed(rows, errors)


def default_unit() -> Unit:
    unit = Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("depth", "pk").first()
    if unit is None:
        raise InvalidInput.single("unit", _("尚未建立单位"))
    return unit


def import_batch(
    *,
    data: bytes,
    name: str,
    actor: Officer | None,
    keep_good_lines: bool = False,
    unit: Unit | None = None,
) -> Batch:
    """Import one listing file as a batch; refuse it whole when a line is bad unless
    ``keep_good_lines``."""
    if actor is not None:
        access.require(actor, access.MONITOR_ONLINE)
        unit = unit or actor.unit
    unit = unit or default_unit()
    parsed = parse(data, name)
    if parsed.errors and not keep_good_lines:
        errors = [FieldError(f"line {e.line}", line_message(e)) for e in parsed.errors]
        raise InvalidInput(
            _("文件中有 %(n)d 行错误，未导入任何数据：%(first)s")
            % {"n": len(errors), "first": errors[0].message},
            errors=errors,
        )
    if not parsed.rows:
        raise InvalidInput.single("file", _("文件中没有可导入的商品信息"))
    with transaction.atomic(), audit.attributed(actor), bulk.paused_gc():
        return _write(parsed, name=name[:200], unit=unit, actor=actor)


def _existing_keys(rows: Sequence[Row]) -> set[tuple[str, str, Any]]:
    """The (platform, url, captured_at) of ``rows`` already stored (the unique index's
    columns, platform first, so that the lookup uses it)."""
    by_platform: dict[str, set[str]] = {}
    for row in rows:
        by_platform.setdefault(row.values["platform"], set()).add(row.values["url"])
    found: set[tuple[str, str, Any]] = set()
    for platform, wanted in by_platform.items():
        urls = sorted(wanted)
        for start in range(0, len(urls), CHUNK):
            found.update(
                Listing.objects.filter(
                    platform=platform, url__in=urls[start : start + CHUNK]
                ).values_list("platform", "url", "captured_at")
            )
    return found


def _fresh(rows: list[Row]) -> tuple[list[Row], int]:
    """The rows not imported before, and how many were skipped as duplicates."""
    seen = _existing_keys(rows)
    fresh = []
    for row in rows:
        key = (row.values["platform"], row.values["url"], row.values["captured_at"])
        if key not in seen:
            seen.add(key)
            fresh.append(row)
    return fresh, len(rows) - len(fresh)


def _sellers(rows: list[Row], unit: Unit) -> tuple[dict[tuple[str, str], int], int]:
    """Seller id of each (platform, seller_id); new sellers written. Returns (ids, new count)."""
    keys = {(r.values["platform"], r.values["seller_id"]): r for r in rows}
    ids: dict[tuple[str, str], int] = {}
    pairs = sorted(keys)
    wanted = sorted({seller for _platform, seller in pairs})
    for start in range(0, len(wanted), CHUNK):
        found = Seller.objects.filter(seller_id__in=wanted[start : start + CHUNK])
        for pk, platform, seller in found.values_list("pk", "platform", "seller_id"):
            if (platform, seller) in keys:
                ids[(platform, seller)] = pk
    new = [key for key in pairs if key not in ids]
    first: dict[tuple[str, str], Any] = {}
    for row in rows:
        key = (row.values["platform"], row.values["seller_id"])
        moment = row.values["captured_at"]
        first[key] = min(first.get(key, moment), moment)
    columns: dict[str, list[Any]] = {
        "platform": [k[0] for k in new],
        "seller_id": [k[1] for k in new],
        "shop": [keys[k].values["shop"] for k in new],
        "claimed_uscc": [keys[k].values["claimed_uscc"] for k in new],
        "unit_id": [unit.pk] * len(new),
        "first_seen": [first[k] for k in new],
        "last_seen": [first[k] for k in new],
    }
    new_ids = bulk.insert(Seller, columns, len(new))
    ids |= dict(zip(new, new_ids, strict=True))
    changes = audit.changes_from_columns(Seller, columns, len(new))
    audit.record_many(
        (
            (Seller(pk=pk, platform=k[0], seller_id=k[1], shop=keys[k].values["shop"]), "create", c)
            for pk, k, c in zip(new_ids, new, changes, strict=True)
        ),
        reason=_("导入商品信息"),
    )
    return ids, len(new)


def _write(parsed: Parsed, *, name: str, unit: Unit, actor: Officer | None) -> Batch:
    rows, duplicates = _fresh(parsed.rows)
    seller_ids, new_sellers = _sellers(rows, unit) if rows else ({}, 0)
    texts = [(f"{r.values['title']}\n{r.values['description']}", None) for r in rows]
    version, found = scan_texts(texts, target="listing")
    batch = Batch.objects.create(
        name=name,
        unit=unit,
        imported_by=actor if getattr(actor, "pk", None) else None,
        listing_count=len(rows),
        duplicate_count=duplicates,
        error_count=len(parsed.errors),
        hit_count=sum(1 for v in found if v),
        new_seller_count=new_sellers,
        library_version=version,
        errors=[line_message(e) for e in parsed.errors[:SHOWN_ERRORS]],
    )
    keys = [(r.values["platform"], r.values["seller_id"]) for r in rows]
    columns: dict[str, list[Any]] = {f: [r.values[f] for r in rows] for f in LISTING_FIELDS}
    columns |= {
        "batch_id": [batch.pk] * len(rows),
        "seller_id": [seller_ids[k] for k in keys],
        "library_version": [version] * len(rows),
        "hit_count": [len(v) for v in found],
        "categories": [
            f",{','.join(sorted({h.category for h in v}))}," if v else "" for v in found
        ],
    }
    listing_ids = bulk.insert(Listing, columns, len(rows))
    _write_hits(listing_ids, found, version)
    _write_attributes(rows, keys, seller_ids)
    _touch_sellers(rows, keys, seller_ids)
    aggregate.refresh(sorted(set(seller_ids.values())))
    return batch


def _write_hits(listing_ids: list[int], found: list[list[Any]], version: int) -> None:
    columns: dict[str, list[Any]] = {
        k: []
        for k in ("listing_id", "rule", "category", "severity", "law", "match", "start", "end")
    }
    for listing_id, violations in zip(listing_ids, found, strict=True):
        for v in violations:
            columns["listing_id"].append(listing_id)
            columns["rule"].append(v.rule[:80])
            columns["category"].append(v.category[:30])
            columns["severity"].append(v.severity[:10])
            columns["law"].append(v.law[:200])
            columns["match"].append(v.match[:200])
            columns["start"].append(v.start)
            columns["end"].append(v.end)
    count = len(columns["listing_id"])
    columns["library_version"] = [version] * count
    bulk.insert(Hit, columns, count)


def _write_attributes(
    rows: list[Row], keys: list[tuple[str, str]], seller_ids: dict[tuple[str, str], int]
) -> None:
    wanted = {
        (seller_ids[key], kind, row.values[field])
        for row, key in zip(rows, keys, strict=True)
        for field, kind in ATTRIBUTES.items()
        if row.values[field]
    }
    sellers = sorted({s for s, _k, _v in wanted})
    have: set[tuple[int, str, str]] = set()
    for start in range(0, len(sellers), CHUNK):
        have.update(
            SellerAttribute.objects.filter(
                seller_id__in=sellers[start : start + CHUNK]
            ).values_list("seller_id", "kind", "value")
        )
    new = sorted(wanted - have)
    columns: dict[str, list[Any]] = {
        "seller_id": [s for s, _k, _v in new],
        "kind": [k for _s, k, _v in new],
        "value": [v for _s, _k, v in new],
    }
    bulk.insert(SellerAttribute, columns, len(new))


def _touch_sellers(
    rows: list[Row], keys: list[tuple[str, str]], seller_ids: dict[tuple[str, str], int]
) -> None:
    """Widen each seller's first/last seen; take a claimed code or shop name first given now."""
    seen: dict[int, list[Any]] = {}
    for row, key in zip(rows, keys, strict=True):
        pk = seller_ids[key]
        moment = row.values["captured_at"]
        low, high, claim, shop = seen.get(pk, [moment, moment, "", ""])
        seen[pk] = [
            min(low, moment),
            max(high, moment),
            claim or row.values["claimed_uscc"],
            shop or row.values["shop"],
        ]
    sellers = []
    for start in range(0, len(seen), CHUNK):
        sellers += list(Seller.objects.filter(pk__in=list(seen)[start : start + CHUNK]))
    for seller in sellers:
        low, high, claim, shop = seen[seller.pk]
        seller.first_seen = min(seller.first_seen, low)
        seller.last_seen = max(seller.last_seen, high)
        seller.claimed_uscc = seller.claimed_uscc or claim
        seller.shop = seller.shop or shop
    update_rows(Seller, sellers, ["first_seen", "last_seen", "claimed_uscc", "shop"])
