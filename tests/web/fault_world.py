"""The records tests/web/test_faults.py needs, written into the fault stack's own database.

Run in the stack's environment by the CLI, as an operator's script would be:

    xiaoneng manage shell -c "from tests.web.fault_world import build; build()"

On the test suite's county (tests/conftest.py) it builds a draft inspection ready to be signed
and another for photos;
records signed last month by both stations' officers, for the monthly review draw; open
time-limit clocks started long enough ago to be yellow or red today, with their warnings not
yet raised (opened under ``deferred()``: the hourly recompute raises them); and an entity file
of new entities to import. What the test must know is printed as one JSON line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.utils import timezone

from tests.conftest import County, make_county
from tests.inspections.factories import make_checklist, make_inspection
from tests.registry.factories import make_entity, make_uscc
from tests.timeliness.clocks.factories import make_clock
from xiaoneng.oversight.reviews.services import last_month
from xiaoneng.timeliness.clocks.warnings import deferred

IMPORT_ROWS = 40
# Signed last month, by lead officer: the review draw samples each officer's records.
SIGNED_LAST_MONTH = {"east_officer": 6, "west_officer": 4}


def _signed_last_month(county: County, checklist: object) -> int:
    month_start = dt.date.fromisoformat(last_month() + "-01")
    count = 0
    for username, records in SIGNED_LAST_MONTH.items():
        officer = getattr(county, username)
        point = county.east_point() if username.startswith("east") else county.west_point()
        entity = make_entity(
            name=f"{officer.unit.name}抽查对象", longitude=point[0], latitude=point[1]
        )
        for day in range(records):
            make_inspection(
                entity=entity,
                officers=[officer],
                checklist=checklist,  # type: ignore[arg-type]
                visited_on=month_start + dt.timedelta(days=day + 1),
            )
            count += 1
    return count


def _clocks(county: County) -> int:
    """Clocks that the recompute finds yellow or red today (none of them evaluated yet)."""
    today = timezone.localdate()
    with deferred():
        for age, limit in [(40, 10), (30, 15), (25, 20), (12, 10), (3, 30)]:
            make_clock(county, started_on=today - dt.timedelta(days=age), limit_days=limit)
    return 5


def _import_file(county: County, first: int) -> str:
    """A CSV of ``IMPORT_ROWS`` new entities, their USCCs numbered from ``first``."""
    longitude, latitude = county.east_point()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["统一社会信用代码", "名称", "主体类型", "行业代码", "经度", "纬度"])
    for number in range(IMPORT_ROWS):
        uscc = make_uscc(first + number)
        writer.writerow(
            [uscc, f"导入测试商店{first + number}", "个体工商户", "F5251", longitude, latitude]
        )
    return out.getvalue()


def build() -> None:
    county = make_county()
    longitude, latitude = county.east_point()
    entity = make_entity(name="城东便民超市", longitude=longitude, latitude=latitude)
    checklist = make_checklist(items=3, code="fault")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    draft, photo_draft = (
        make_inspection(
            entity=entity,
            officers=[county.east_officer],
            checklist=checklist,
            visited_on=yesterday,
            signed=False,
        )
        for _ in range(2)
    )
    print(
        json.dumps(
            {
                "draft": draft.pk,
                "photo_draft": photo_draft.pk,
                "uscc": entity.uscc,
                "checklist_id": checklist.pk,
                "signed_last_month": _signed_last_month(county, checklist),
                "clocks": _clocks(county),
                "web_import": _import_file(county, 8_000_000),
                "cli_import": _import_file(county, 8_100_000),
                "import_rows": IMPORT_ROWS,
                "officer": county.east_officer.get_username(),
                "admin": county.admin.get_username(),
            }
        )
    )
