"""Migration inspections 0004 fills ``Entity.last_inspected_on`` from the signed records."""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps

from tests.conftest import County
from tests.inspections.factories import make_inspection
from tests.inspections.records.helpers import east_entity
from xiaoneng.registry.models import Entity

migration = importlib.import_module(
    "xiaoneng.inspections.migrations.0004_joint_origin_last_inspected_on"
)


def test_the_backfill_takes_each_entitys_latest_signed_visit_and_skips_drafts(
    county: County,
) -> None:
    twice, draft_only, never = (
        east_entity(county, registered_on=dt.date(2020, 1, 6)) for _ in range(3)
    )
    make_inspection(entity=twice, officers=[county.east_officer], visited_on=dt.date(2026, 3, 2))
    make_inspection(entity=twice, officers=[county.east_officer], visited_on=dt.date(2026, 9, 14))
    make_inspection(
        entity=draft_only,
        officers=[county.east_officer],
        visited_on=dt.date(2026, 5, 5),
        signed=False,
    )
    Entity.objects.update(last_inspected_on=None)  # as before the field existed

    migration.backfill(apps, None)

    days = dict(Entity.objects.values_list("pk", "last_inspected_on"))
    assert days[twice.pk] == dt.date(2026, 9, 14)
    assert days[draft_only.pk] is None
    assert days[never.pk] is None
