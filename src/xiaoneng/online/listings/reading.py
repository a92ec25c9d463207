"""Reading a listing file: JSONL (one object a line) or CSV (a header row), decoded as the
scanner's files are (``textscan.io.decode``: UTF-8, a BOM allowed, else GB18030), each line
checked and typed on its own.

A line that fails is answered with its line number and the reason; the good lines still
come, so that the importer can report every bad line at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from xiaoneng.textscan.io import FileUnreadable, decode

COLUMNS = (
    "platform",
    "shop",
    "seller_id",
    "claimed_uscc",
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
REQUIRED = ("platform", "seller_id", "title", "url", "captured_at")
LIMITS = {
    "platform": 60,
    "shop": 200,
    "seller_id": 100,
    "claimed_uscc": 40,
    "title": 300,
    "description": 5000,
    "url": 500,
    "domain": 200,
    "ip": 45,
    "payment_account": 100,
    "logistics_company": 100,
    "logistics_account": 100,
}
LABELS = {
    "platform": "平台",
    "shop": "店铺",
    "seller_id": "卖家编号",
    "claimed_uscc": "统一社会信用代码",
    "title": "商品标题",
    "description": "商品描述",
    "price": "价格",
    "url": "链接",
    "domain": "域名",
    "ip": "IP 地址",
    "payment_account": "收款账户",
    "logistics_company": "物流公司",
    "logistics_account": "物流账户",
    "captured_at": "采集时间",
}
MAX_PRICE = Decimal("1e10")
IP = re.compile(r"^[0-9A-Fa-f:.]{3,45}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Row:
    """A listing line, checked and typed."""

    line: int
    values: dict[str, Any]


@dataclass(frozen=True)
class LineError:
    """A line that cannot be imported, and why."""

    line: int
    message: str


def read_rows(data: bytes, name: str) -> Iterator[Row | LineError]:
    """Each line of the file ``name`` as a ``Row`` or a ``LineError``."""
    text = decode(data)
    if name.lower().endswith(".csv"):
        yield from _csv_rows(text)
    elif name.lower().endswith((".jsonl", ".json", ".ndjson")):
        yield from _json_rows(text)
    else:
        raise FileUnreadable(_("文件应为 .jsonl 或 .csv：%(name)s") % {"name": name})


def _json_rows(text: str) -> Iterator[Row | LineError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield LineError(number, _("不是有效的 JSON：%(e)s") % {"e": error.msg})
            continue
        if not isinstance(value, dict):
            yield LineError(number, _("每行应为一个 JSON 对象"))
            continue
        yield checked(number, value)


def _csv_rows(text: str) -> Iterator[Row | LineError]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise FileUnreadable(_("文件为空"))
    names = [cell.strip().lower() for cell in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FileUnreadable(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    for cells in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            yield LineError(
                number,
                _("应有 %(n)d 列，实有 %(m)d 列") % {"n": len(names), "m": len(cells)},
            )
            continue
        yield checked(number, dict(zip(names, cells, strict=True)))


def checked(line: int, raw: dict[str, Any]) -> Row | LineError:
    """One line's values checked and typed, or the first problem found."""
    values: dict[str, Any] = {}
    for column in COLUMNS:
        value = raw.get(column)
        text = "" if value is None else str(value).strip()
        if CONTROL.search(text):
            return LineError(line, _("%(c)s含有控制字符") % {"c": LABELS[column]})
        if column in REQUIRED and not text:
            return LineError(line, _("缺少%(c)s（%(k)s）") % {"c": LABELS[column], "k": column})
        limit = LIMITS.get(column)
        if limit and len(text) > limit:
            return LineError(
                line, _("%(c)s不能超过 %(n)d 个字") % {"c": LABELS[column], "n": limit}
            )
        values[column] = text
    try:
        values["price"] = _price(values["price"])
        values["captured_at"] = _moment(values["captured_at"])
    except ValueError as error:
        return LineError(line, str(error))
    if values["ip"] and not IP.match(values["ip"]):
        return LineError(line, _("IP 地址格式不正确：%(v)s") % {"v": values["ip"]})
    # The domain is the seller's own site when given; never the platform's, read from the
    # URL, which every seller of the platform shares.
    values["domain"] = values["domain"].lower()
    values["claimed_uscc"] = values["claimed_uscc"].upper().replace(" ", "")
    return Row(line, values)


def _price(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        price = Decimal(text)
    except InvalidOperation:
        price = None
    if price is None or not price.is_finite():
        raise ValueError(_("价格应为金额（元）：%(v)s") % {"v": text})
    if price < 0 or price >= MAX_PRICE:
        raise ValueError(_("价格超出范围（0 至 100 亿元）：%(v)s") % {"v": text})
    return price.quantize(Decimal("0.01"))


def _moment(text: str) -> dt.datetime:
    try:
        moment = parse_datetime(text.replace("/", "-"))
        day = None if moment else parse_date(text.replace("/", "-"))
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = dt.datetime.combine(day, dt.time())
    if moment is None:
        raise ValueError(_("采集时间应为 YYYY-MM-DD HH:MM:SS：%(v)s") % {"v": text})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if not 2000 <= moment.year <= timezone.now().year + 1:
        raise ValueError(_("采集时间超出范围：%(v)s") % {"v": text})
    if moment > timezone.now() + dt.timedelta(days=1):
        raise ValueError(_("采集时间不能晚于今天：%(v)s") % {"v": text})
    return moment
