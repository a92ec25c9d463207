"""The risk model on the register's own records: train on 1,000,000 inspections, score the register.

Figures (issue 12): ``risk.services.train_model`` end to end — read the signed inspections, their
findings and entities from the database, build the features, fit both candidates and store the
version — target ≤ 120 s; and ``risk.services.score_register`` of every entity in business on
the day after the last inspection — read, features, predict, write ``RiskScore`` —
target ≤ 10 s. Each is split into database read (rows fetched by the ORM), features (and
predict) and fit (or the write of the scores).

The database holds 1,000,000 entities (``entities.py``), 1,000 officers and 1,000,000 signed
inspections over 22 months (``signed_inspections.py``) with findings of severity minor, major
and critical: each entity has a latent propensity (a normal draw, plus its neighbourhood's,
its risk class's and its credit grade's shares), and about 10 % of the inspections find a
critical problem, so the model has something to learn. 2 % of the entities changed credit
grade in the window and the class-Ⅰ trades hold licences.

Baselines, same process and database: the features read as a per-row ORM loop (for each
inspection, its entity and its earlier inspections and findings by their own queries; for
each entity scored, the same plus an UPDATE of its score), timed on 2,000 rows and scaled; and
one plain ``values_list`` of the same rows (the floor any read pays).

    python benchmarks/bench_risk.py [--quick] [--postgres] [--keep] [--reuse]
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

import common
from common import Figure, say, timed
from signed_inspections import FIRST_DAY, fill_register, inspection_columns, write_rows

NAME = "risk"
TRAIN_LIMIT = 120.0
SCORE_LIMIT = 10.0
SAMPLE = 2_000
CRITICAL_SHARE = 0.10
# (severity, items of the checklist, mean findings per inspection at an average propensity)
SEVERITIES = (("minor", 3, 0.45), ("major", 2, 0.2), ("critical", 2, 0.0))


# Filling ------------------------------------------------------------------------------------


def _items(checklist: Any) -> dict[str, list[int]]:
    from xiaoneng.inspections.models import ChecklistItem

    items: dict[str, list[int]] = {}
    for severity, count, _mean in SEVERITIES:
        for k in range(count):
            item = ChecklistItem.objects.create(
                checklist=checklist,
                number=f"{severity[:2]}{k + 1}",
                position=len(items) * 10 + k,
                title=f"{severity} 检查事项 {k + 1}",
                method="现场查看",
                legal_basis="《食品安全法》第三十三条",
                severity=severity,
            )
            items.setdefault(severity, []).append(item.pk)
    return items


def _propensity(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(entity ids, latent log-odds) of every entity: own draw, neighbourhood, class, grade."""
    from xiaoneng.registry.models import Entity

    rows = list(
        Entity.objects.order_by("id").values_list("id", "risk_class", "credit_grade", "latitude")
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    klass = np.array([r[1] for r in rows])
    grade = np.array([r[2] for r in rows])
    cell = np.floor(np.array([r[3] or 0.0 for r in rows]) / 0.02).astype(np.int64)
    neighbourhood = rng.normal(0, 0.5, cell.max() - cell.min() + 1)[cell - cell.min()]
    latent = rng.normal(0, 1.0, ids.size) + neighbourhood
    latent += np.select([klass == "I", klass == "II"], [0.7, 0.35], 0.0)
    latent += np.select([grade == "C", grade == "D"], [0.6, 1.2], 0.0)
    return ids, latent


def _calibrated(latent: np.ndarray, share: float) -> np.ndarray:
    """Probabilities from log-odds, shifted so that their mean is ``share`` (bisection)."""
    low, high = -12.0, 4.0
    for _ in range(40):
        middle = (low + high) / 2
        if (1 / (1 + np.exp(-(latent + middle)))).mean() > share:
            high = middle
        else:
            low = middle
    return 1 / (1 + np.exp(-(latent + low)))


def finding_columns(
    columns: dict[str, list[Any]], items: dict[str, list[int]], seed: int = 5
) -> tuple[dict[str, list[Any]], np.ndarray]:
    """Findings of the inspections by their entities' propensity; also findings per record."""
    rng = np.random.default_rng(seed)
    ids, latent = _propensity(rng)
    entity = np.array(columns["entity_id"], dtype=np.int64)
    visit = latent[np.searchsorted(ids, entity)] + rng.normal(0, 0.3, entity.size)
    counts = {"critical": (rng.random(entity.size) < _calibrated(visit, CRITICAL_SHARE)) * 1}
    for severity, most, mean in SEVERITIES[:2]:
        counts[severity] = np.minimum(rng.poisson(mean * np.exp(0.5 * visit)), most)
    counts["critical"] += counts["critical"] * (rng.random(entity.size) < 0.1)
    owners, severities, item_ids = [], [], []
    for severity, count in counts.items():
        for k in range(1, count.max() + 1):
            chosen = np.flatnonzero(count >= k)
            owners.append(chosen)
            severities += [severity] * chosen.size
            item_ids += [items[severity][k - 1]] * chosen.size
    owner = np.concatenate(owners)
    day = {d: dt.date.fromisoformat(d) for d in set(columns["visited_on"])}
    visited = [day[columns["visited_on"][i]] for i in owner.tolist()]
    found = {
        "inspection_id": (owner + 1).tolist(),
        "item_id": item_ids,
        "entity_id": entity[owner].tolist(),
        "unit_id": [columns["unit_id"][i] for i in owner.tolist()],
        "severity": severities,
        "description": ["检查发现的问题"] * owner.size,
        "status": ["open"] * owner.size,
        "found_on": visited,
    }
    per_record: np.ndarray = counts["critical"] + counts["major"] + counts["minor"]
    return found, per_record


def context_columns(
    entity_ids: np.ndarray, seed: int = 6
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Credit-grade changes of 2 % of the entities in the window, licences of class Ⅰ trades."""
    from xiaoneng.registry.models import Entity

    rng = np.random.default_rng(seed)
    changed = rng.choice(entity_ids, entity_ids.size // 50, replace=False)
    when = rng.integers(0, 670, changed.size)
    changes: dict[str, list[Any]] = {
        "entity_id": changed.tolist(),
        "field": ["credit_grade"] * changed.size,
        "old_value": rng.choice(["A", "B", "C"], changed.size).tolist(),
        "new_value": rng.choice(["B", "C", "D"], changed.size).tolist(),
        "reason": ["检查发现问题，信用等级调整"] * changed.size,
        "changed_at": [
            dt.datetime.combine(FIRST_DAY + dt.timedelta(days=int(d)), dt.time(3), dt.UTC)
            for d in when.tolist()
        ],
    }
    food = list(Entity.objects.filter(risk_class="I").values_list("id", "registered_on"))
    licences: dict[str, list[Any]] = {
        "entity_id": [e for e, _on in food],
        "kind": ["food_business"] * len(food),
        "number": [f"JY165{e:011d}" for e, _on in food],
        "issued": [on for _e, on in food],
    }
    return changes, licences


def fill(count: int, entities: int, postgres: bool) -> None:
    from django.db import connection, transaction

    from xiaoneng.core import bulk
    from xiaoneng.inspections.models import Finding
    from xiaoneng.registry.models import ClassificationChange, Licence

    checklist, officer_ids = fill_register(entities)
    items = _items(checklist)
    columns = inspection_columns(count, checklist.pk, officer_ids, postgres=postgres)
    found, per_record = finding_columns(columns, items)
    columns["items_failed"] = per_record.tolist()
    write_rows("inspections_inspection", {"id": list(range(1, count + 1)), **columns})
    say(f"  {count:,} inspections written, {len(found['severity']):,} findings to write")
    changes, licences = context_columns(np.array(columns["entity_id"]))
    for model, rows in ((Finding, found), (ClassificationChange, changes), (Licence, licences)):
        n = len(next(iter(rows.values())))
        for start in range(0, n, 100_000):
            with transaction.atomic():
                part = {k: v[start : start + 100_000] for k, v in rows.items()}
                bulk.insert(model, part, len(part["entity_id"]))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('inspections_inspection', 'id'), %s)",
                [count],
            )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


# Splitting the time -------------------------------------------------------------------------


class Split:
    """Seconds spent fetching rows through the ORM, and in named steps, while measuring."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.read = 0.0
        self.steps: dict[str, float] = {}
        self.began: dict[str, float] = {}  # when each step was last called

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Time every fetch of rows: the ORM's (fetched at once, then handed out) and the plain
        cursor's of ``core.arrays``."""
        from django.db.models import query

        kinds: list[Any] = [
            query.ModelIterable,
            query.ValuesListIterable,
            query.FlatValuesListIterable,
        ]
        originals = {kind: kind.__iter__ for kind in kinds}

        def fetched(original: Callable[[Any], Iterator[Any]]) -> Callable[[Any], Iterator[Any]]:
            def iterate(iterable: Any) -> Iterator[Any]:
                started = time.perf_counter()
                rows = list(original(iterable))
                self.read += time.perf_counter() - started
                yield from rows

            return iterate

        for kind, original in originals.items():
            kind.__iter__ = fetched(original)
        from xiaoneng.core import arrays

        plain, aggregated = arrays._fetch, arrays._aggregated

        def reading(original: Callable[..., Any]) -> Callable[..., Any]:
            def read(*args: Any) -> Any:
                started = time.perf_counter()
                result = original(*args)
                self.read += time.perf_counter() - started
                return result

            return read

        # the plain-cursor reads of core.arrays, and its arrays read whole on PostgreSQL
        arrays._fetch, arrays._aggregated = reading(plain), reading(aggregated)
        try:
            yield
        finally:
            for kind, original in originals.items():
                kind.__iter__ = original
            arrays._fetch, arrays._aggregated = plain, aggregated

    def step(self, owner: Any, name: str) -> None:
        """Time calls of ``owner.name`` (a function the service calls by its module's name)."""
        original = getattr(owner, name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            started, reading = time.perf_counter(), self.read
            self.began[name] = started
            result = original(*args, **kwargs)
            spent = time.perf_counter() - started - (self.read - reading)
            self.steps[name] = self.steps.get(name, 0.0) + spent
            return result

        setattr(owner, name, wrapped)


# Baselines ----------------------------------------------------------------------------------


def per_row(limit: int, *, score: bool) -> float:
    """A per-row ORM loop over the latest ``limit`` inspections (or entities): seconds."""
    from django.db import transaction

    from xiaoneng.inspections.models import Finding, Inspection
    from xiaoneng.registry.models import Entity, RiskScore

    signed = Inspection.objects.filter(status="signed", amends__isnull=True)
    visits = list(signed.order_by("-visited_on", "-id").values_list("entity_id", "visited_on"))
    if score:
        ids = Entity.objects.filter(status="operating").values_list("id", flat=True)
        visits = [(e, dt.date(2027, 1, 1)) for e in ids.order_by("id")[:limit]]
    visits = visits[:limit]

    def work() -> None:
        with transaction.atomic():
            for entity_id, day in visits:
                entity = Entity.objects.get(pk=entity_id)
                past = list(
                    signed.filter(entity_id=entity_id, visited_on__lt=day).values_list(
                        "id", "visited_on"
                    )
                )
                severities = list(
                    Finding.objects.filter(inspection__in=[p[0] for p in past]).values_list(
                        "severity", flat=True
                    )
                )
                if score:
                    RiskScore.objects.update_or_create(
                        entity=entity,
                        defaults={
                            "score": len(severities) / 10,
                            "model_version": 1,
                            "scored_on": day,
                        },
                    )
            transaction.set_rollback(True)

    return timed(work)[0]


def plain_read(*, score: bool) -> float:
    """One ``values_list`` of the columns the read needs, for every row."""
    from xiaoneng.inspections.models import Inspection
    from xiaoneng.registry.models import Entity

    rows: Any
    if score:
        rows = Entity.objects.filter(status="operating", archived_at__isnull=True).values_list(
            "id", "risk_class", "credit_grade", "industry_id", "established", "latitude",
            "longitude", "unit_id",
        )  # fmt: skip
    else:
        rows = Inspection.objects.filter(status="signed", amends__isnull=True).values_list(
            "id", "entity_id", "visited_on", "entity__latitude", "entity__longitude", "unit_id"
        )
    return timed(lambda: len(list(rows)))[0]


# Measuring ----------------------------------------------------------------------------------


def measure(count: int) -> list[Figure]:
    from django.db.models import Max

    from xiaoneng.inspections.models import Inspection
    from xiaoneng.registry.models import Entity
    from xiaoneng.risk import services

    vendor, load = common.vendor(), f"load {time.strftime('%H:%M UTC', time.gmtime())} {_load()}"
    split = Split()
    for name in ("read_training", "_fit", "set_risk_scores"):
        split.step(services, name)
    with split.watching():
        trained, record = timed(lambda: services.train_model(until=None, actor=None))
    read, features, fit = split.read, split.steps["read_training"], split.steps["_fit"]
    say(f"train_model: {trained:.1f} s on {record.inspections:,} inspections ({load})")
    say(f"  read {read:.1f} s, features {features:.1f} s, fit {fit:.1f} s; {record.algorithm}, "
        f"validation AUC {record.validation_auc:.3f}")  # fmt: skip
    last = Inspection.objects.aggregate(d=Max("visited_on"))["d"]
    split.reset()
    cpu = _cpu()
    with split.watching():
        scored, (_record, entities) = timed(
            lambda: services.score_register(on=last + dt.timedelta(days=1), actor=None)
        )
        finished = time.perf_counter()
    cpu = _cpu() - cpu
    # The write runs from the call of set_risk_scores to the commit that ends score_register:
    # on PostgreSQL the foreign keys of inserted rows are checked at the commit.
    written = finished - split.began["set_risk_scores"]
    predict = scored - split.read - written
    say(f"score_register: {scored:.1f} s for {entities:,} entities ({_load()})")
    say(f"  read {split.read:.1f} s, features + predict {predict:.1f} s, write {written:.1f} s; "
        f"this process's CPU time {cpu:.1f} s (both threads)")  # fmt: skip
    figures = []
    register = Entity.objects.count()
    for score, seconds, rows, size, limit, case in (
        (False, trained, count, count, TRAIN_LIMIT, f"train_model(), {count:,} inspections"),
        (
            True,
            scored,
            entities,
            register,
            SCORE_LIMIT,
            f"score_register(), {entities:,} of {register:,} entities",
        ),
    ):
        loop = per_row(SAMPLE, score=score) * rows / SAMPLE
        floor = plain_read(score=score)
        say(f"  per-row ORM loop, scaled: {loop:.0f} s ({loop / seconds:.1f}×); one values_list "
            f"of the rows: {floor:.1f} s ({floor / seconds:.2f}×)")  # fmt: skip
        split_note = (
            f"read {read:.1f} s, features {features:.1f} s, fit {fit:.1f} s"
            if not score
            else f"read {split.read:.1f} s, features + predict {predict:.1f} s, "
            f"write {written:.1f} s, CPU {cpu:.1f} s"
        )
        figures.append(
            Figure(
                benchmark=NAME,
                case=f"{vendor} {case}",
                value=seconds,
                unit="s",
                limit=limit * min(1.0, size / 1_000_000),
                baseline=loop,
                baseline_label=f"per-row ORM loop on {SAMPLE:,} rows, scaled",
                note=f"{split_note}; one values_list of the rows {floor:.1f} s; {load}",
            )
        )
    return figures


def _cpu() -> float:
    """This process's CPU time (every thread's), in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    threads = os.environ.get("OMP_NUM_THREADS", "all cores")
    averages = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    return f"{averages}, OpenMP threads: {threads}"


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, help="inspections (default 1,000,000)")
    parser.add_argument("--entities", type=int, help="entities (default 1,000,000)")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database a --keep run left, unfilled"
    )
    options = parser.parse_args()
    count = options.inspections or (50_000 if options.quick else 1_000_000)
    entities = options.entities or (50_000 if options.quick else 1_000_000)
    if options.reuse:
        common.setup_django(common.database_url(NAME, postgres=options.postgres))
        from xiaoneng.inspections.models import Inspection

        count = Inspection.objects.count()
    else:
        common.fresh_django(NAME, postgres=options.postgres)
    try:
        if not options.reuse:
            spent, _none = timed(lambda: fill(count, entities, options.postgres))
            say(f"filled {entities:,} entities, {count:,} inspections in {spent:.0f} s")
        figures = measure(count)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
    common.report(figures)


if __name__ == "__main__":
    main()
