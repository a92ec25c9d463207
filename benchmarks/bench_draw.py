"""Double-random draw: 5 % of 1,000,000 entities, 1,000 inspectors, every avoidance rule.

Figure: ``planning.draws.create_draw`` (commit: load the population, pool, conflicts and
previous inspectors, build the four canonical snapshots with their SHA-256 digests, try the
draw once with its seed) plus ``run_draw`` (read the snapshots back, check their digests,
rank a million entities by SHA-256, draw 5 % of each credit grade, assign a team of 2 to each
under the own-grid, 回避, previous-draw and workload-cap rules, write the result); target
≤ 5 s. The database holds 1,000 grids, each held by one of the 1,000 inspectors, 5,000
conflict declarations and a previous 5 % draw of the same population, so every rule bites.

Baseline, same process and database: a naive ORM draw — entities loaded as model instances
by credit grade, ``random.sample`` per grade, then for each chosen entity the officers in a
shuffled order, each candidate checked with its own queries (its grid, a conflict
declaration, the entity's previous draw) and each row saved with its own INSERT; timed on a
sample of 20,000 entities (2,000 with --quick) and scaled linearly to the population.

    python benchmarks/bench_draw.py [--quick] [--postgres] [--keep] [--entities N]
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import numpy as np

import common
from common import Figure, say, timed
from entities import entity_columns, write_entities

NAME = "draw"
LIMIT_SECONDS = 5.0
RATIO = "A=0.05,B=0.05,C=0.05,D=0.05"
TEAM, CAP = 2, 150
CONFLICTS_PER_OFFICER = 5
BASELINE_SAMPLE = 20_000


def fill(count: int, inspectors: int) -> common.Organisation:
    """Entities in ``inspectors`` grids, one inspector responsible for each grid."""
    from django.db import transaction

    from xiaoneng.org.models import Grid, Officer

    with transaction.atomic():
        organisation = common.build_organisation(inspectors, stations=6)
    spent, columns = timed(lambda: entity_columns(count, organisation, seed=1))
    say(f"generated {count:,} entities in {spent:.1f} s")
    # Registered in no particular USCC order, as a real register is (the generator's
    # USCCs ascend with the rows, which would flatter sorting the population).
    order = np.random.default_rng(2).permutation(count).tolist()
    write_entities({name: [values[i] for i in order] for name, values in columns.items()})
    grids = sorted(organisation.grids, key=lambda g: g.pk)
    with transaction.atomic():
        officers = Officer.objects.bulk_create(
            Officer(
                username=f"inspector{n:04d}",
                name=f"检查员{n}",
                unit=grid.station,
                certificate_number=f"65{n:06d}",
                password="!",
            )
            for n, grid in enumerate(grids, start=1)
        )
        for grid, officer in zip(grids, officers, strict=True):
            grid.officer = officer
        Grid.objects.bulk_update(grids, ["officer"])
    return organisation


def add_conflicts(per_officer: int) -> int:
    from django.db import transaction
    from django.utils import timezone

    from xiaoneng.core import bulk
    from xiaoneng.org.models import Officer
    from xiaoneng.planning.draws.models import ConflictDeclaration
    from xiaoneng.registry.models import Entity

    rng = np.random.default_rng(5)
    officers = list(
        Officer.objects.filter(username__startswith="inspector").values_list("id", flat=True)
    )
    top = Entity.objects.order_by("-id").values_list("id", flat=True).first() or 0
    pairs = {
        (officer, int(entity))
        for officer in officers
        for entity in rng.integers(1, top + 1, per_officer)
    }
    now = timezone.now()
    with transaction.atomic():
        bulk.insert(
            ConflictDeclaration,
            {
                "officer_id": [o for o, _e in pairs],
                "entity_id": [e for _o, e in pairs],
                "reason": ["亲属经营"] * len(pairs),
                "declared_at": [now] * len(pairs),
            },
            len(pairs),
        )
    return len(pairs)


def draw_once(bureau: Any, seed: str) -> tuple[float, float, Any]:
    """Commit and run one 5 % draw; the seconds of each, and the draw."""
    from xiaoneng.planning.draws import services as draws

    def commit() -> Any:
        return draws.create_draw(
            name=f"基准抽查 {seed}",
            unit=bureau,
            item_codes=["R01"],
            population_filter={},
            selection="ratio",
            ratios=RATIO,
            pool_units=[bureau],
            team_size=TEAM,
            workload_cap=CAP,
            inspections_end=dt.date.today() + dt.timedelta(days=60),
            actor=None,
        )

    committed, draw = timed(commit)
    ran, draw = timed(lambda: draws.run_draw(draw=draw, actor=None))
    return committed, ran, draw


class Rollback(Exception):
    pass


def naive_draw(bureau: Any, sample: int, previous: Any) -> tuple[float, int]:
    """The baseline on the first ``sample`` entities; rolled back. Seconds and entities drawn."""
    from django.db import transaction
    from django.utils import timezone

    from xiaoneng.org.models import Officer
    from xiaoneng.planning.draws.models import (
        ConflictDeclaration,
        DrawInspector,
        DrawSelection,
        RandomDraw,
    )
    from xiaoneng.registry.models import Entity

    rng = random.Random(7)
    drawn = 0

    def work() -> None:
        nonlocal drawn
        draw = RandomDraw.objects.create(
            name="naive",
            unit=bureau,
            selection="ratio",
            workload_cap=CAP,
            inspections_end=dt.date.today(),
            created_at=timezone.now(),
        )
        officers = list(Officer.objects.filter(certificate_number__startswith="65"))
        load: dict[int, int] = {}
        ids = Entity.objects.filter(archived_at__isnull=True).order_by("id")[:sample]
        entities = list(Entity.objects.filter(id__in=list(ids.values_list("id", flat=True))))
        order = 0
        for grade in "ABCD":
            group = [e for e in entities if e.credit_grade == grade]
            for entity in rng.sample(group, round(0.05 * len(group))):
                candidates = officers[:]
                rng.shuffle(candidates)
                team = []
                for officer in candidates:
                    holder = entity.grid.officer_id if entity.grid_id else None  # type: ignore[union-attr]
                    if holder == officer.pk or load.get(officer.pk, 0) >= CAP:
                        continue
                    if ConflictDeclaration.objects.filter(officer=officer, entity=entity).exists():
                        continue
                    if DrawInspector.objects.filter(
                        selection__draw=previous, selection__entity=entity, officer=officer
                    ).exists():
                        continue
                    team.append(officer)
                    if len(team) == TEAM:
                        break
                order += 1
                (row,) = DrawSelection.objects.bulk_create(
                    [
                        DrawSelection(
                            draw=draw, order=order, entity=entity, uscc=entity.uscc, stratum=grade
                        )
                    ]
                )
                for position, officer in enumerate(team, start=1):
                    load[officer.pk] = load.get(officer.pk, 0) + 1
                    DrawInspector.objects.bulk_create(
                        [
                            DrawInspector(
                                selection=row,
                                position=position,
                                officer=officer,
                                certificate_number=officer.certificate_number,
                            )
                        ]
                    )
        drawn = order

    def rolled_back() -> None:
        try:
            with transaction.atomic():
                work()
                raise Rollback
        except Rollback:
            pass

    seconds, _ = timed(rolled_back)
    return seconds, drawn


def measure(quick: bool, population_size: int) -> list[Figure]:
    from xiaoneng.org.models import Unit
    from xiaoneng.planning.draws.verify import verify_draw

    bureau = Unit.objects.get(code="BENCH")
    previous = draw_once(bureau, "上一次")
    say(f"previous draw (setup): commit {previous[0]:.1f} s, run {previous[1]:.1f} s")
    conflicts = add_conflicts(CONFLICTS_PER_OFFICER)
    say(f"{conflicts:,} conflict declarations")
    commit, run, draw = draw_once(bureau, "本次")
    total = commit + run
    say(
        f"draw: population {draw.population_count:,}, pool {draw.pool_count:,}, "
        f"{draw.selected_count:,} drawn; commit {commit:.2f} s + run {run:.2f} s = {total:.2f} s"
    )
    verified, outcome = timed(lambda: verify_draw(draw=draw))
    assert outcome.verified, outcome.problems
    say(f"verify: {verified:.2f} s, verified")
    sample = 2_000 if quick else BASELINE_SAMPLE
    naive, naive_drawn = naive_draw(bureau, sample, previous[2])
    scaled = naive * draw.population_count / sample
    say(f"naive ORM draw of {sample:,} entities ({naive_drawn} drawn): {naive:.1f} s")
    limit = LIMIT_SECONDS * population_size / 1_000_000
    return [
        Figure(
            benchmark=NAME,
            case=f"{common.vendor()} commit + run, 5 % of {draw.population_count:,}, "
            f"{draw.pool_count:,} inspectors",
            value=total,
            unit="s",
            limit=limit,
            baseline=scaled,
            baseline_label=f"naive ORM draw on {sample:,} entities, scaled",
            note=f"commit {commit:.2f} s, run {run:.2f} s; verify {verified:.2f} s; "
            f"naive {naive:.1f} s for {sample:,} entities",
        )
    ]


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, help="entities (default 1,000,000)")
    options = parser.parse_args()
    count = options.entities or (50_000 if options.quick else 1_000_000)
    inspectors = 100 if options.quick else 1_000
    common.fresh_django(NAME, postgres=options.postgres)
    spent, _ = timed(lambda: fill(count, inspectors))
    say(f"filled {count:,} entities, {inspectors:,} inspectors and grids in {spent:.0f} s")
    try:
        figures = measure(options.quick, count)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
    common.report(figures)


if __name__ == "__main__":
    main()
