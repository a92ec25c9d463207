"""``record_many`` writes an import's ads and hits in one INSERT each per batch, with the same
trace as recording each ad alone."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from tests.ads.factories import CLEAN_TEXT, ad_input, east_entity, library, make_ad
from tests.conftest import County
from xiaoneng.ads.monitoring import services
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def inserts(queries: CaptureQueriesContext, model: type[Model]) -> int:
    table = model._meta.db_table
    return sum(1 for q in queries.captured_queries if q["sql"].startswith(f'INSERT INTO "{table}"'))


def events(ad: MonitoredAd) -> list[tuple[str, str, dict[str, object], str, str]]:
    found = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(MonitoredAd), object_id=str(ad.pk)
    )
    return [(e.action, e.actor_name, e.changes, e.source, e.object_repr) for e in found]


def test_an_import_is_two_inserts_per_batch_and_traced_as_one_by_one(county: County) -> None:
    library()
    entity = east_entity(county)
    ads = [
        ad_input(external_id="A-1"),
        ad_input(external_id="A-2", text=CLEAN_TEXT),
        ad_input(external_id="A-3", advertiser=entity, advertiser_name=""),
    ]
    with CaptureQueriesContext(connection) as queries:
        made = services.record_many(actor=county.east_officer, ads=ads, source="导入：a.jsonl")
    assert inserts(queries, MonitoredAd) == 1 and inserts(queries, AdHit) == 1
    assert [ad.pk is not None for ad in made] == [True, True, True]
    assert [ad.hits.count() for ad in made] == [3, 0, 3]
    assert [ad.review for ad in made] == ["pending", "clean", "pending"]
    assert made[2].unit == county.east and made[2].advertiser_name == entity.name
    # The trace of each imported ad is what recording it alone writes (bar the id and source).
    alone = make_ad(county, external_id="A-1")
    (bulk_event,) = events(made[0])
    (single_event,) = events(alone)
    assert bulk_event[:2] == single_event[:2] == ("create", county.east_officer.name)
    drop = {"id", "source"}
    assert {k: v for k, v in bulk_event[2].items() if k not in drop} == {
        k: v for k, v in single_event[2].items() if k not in drop
    }
    assert bulk_event[2]["source"] == [None, "导入：a.jsonl"]


def test_a_large_import_is_written_in_batches(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    library()
    monkeypatch.setattr(services, "BATCH", 2)
    ads = [ad_input(external_id=f"B-{n}") for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        made = services.record_many(actor=county.east_officer, ads=ads, source="导入：b.jsonl")
    assert inserts(queries, MonitoredAd) == 3 and inserts(queries, AdHit) == 3
    assert len({ad.pk for ad in made}) == 5
    assert AdHit.objects.filter(ad__in=made).count() == 15
    assert (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(MonitoredAd)
        ).count()
        == 5
    )
