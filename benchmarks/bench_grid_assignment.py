"""Grid assignment: which grid holds each of 1,000,000 points, for 73 and for 10,000 grids.

Figure: building ``xiaoneng.org.geo.GridIndex`` plus ``assign`` over every point (target
≤ 3 s each). Baseline, in the same process: the naive loop, for each point
``polygon.contains(Point(x, y))`` over the grids until one answers, timed on a sample and
scaled linearly (target ≥ 50× faster). The sample's answers are checked against the index's.
Both sides are timed three times (a fresh index each time) and the best of each is kept, so
that a moment of load from another process does not decide the ratio.

    python benchmarks/bench_grid_assignment.py [--quick]
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Point

import common
from common import Figure, say, timed

LIMIT_SECONDS = 3.0
RATIO_TARGET = 50.0
# The naive loop is sampled until it has made about this many ``contains`` calls.
BASELINE_CALLS = 1_500_000
REPEATS = 3


def best_of(repeats: int, work: object) -> tuple[float, object]:
    """The shortest time of ``repeats`` runs of ``work()``, and its (last) result."""
    runs = [timed(work) for _ in range(repeats)]  # type: ignore[arg-type]
    return min(seconds for seconds, _ in runs), runs[-1][1]


def naive_assign(keys: list[int], polygons: list[object], x: np.ndarray, y: np.ndarray) -> list:
    found = []
    for lon, lat in zip(x.tolist(), y.tolist(), strict=True):
        point = Point(lon, lat)
        for key, polygon in zip(keys, polygons, strict=True):
            if polygon.contains(point):  # type: ignore[attr-defined]
                found.append(key)
                break
        else:
            found.append(-1)
    return found


def measure(grid_count: int, point_count: int, rng: np.random.Generator) -> Figure:
    from xiaoneng.org.geo import GridIndex

    cells = common.voronoi_cells(grid_count, seed=grid_count)
    keys = list(range(1, len(cells) + 1))
    minx, miny, maxx, maxy = common.BOX
    # A sliver around the box, so that about 2 % of the points fall outside every grid.
    x = rng.uniform(minx - 0.003, maxx + 0.003, point_count)
    y = rng.uniform(miny - 0.003, maxy + 0.003, point_count)

    def build_and_assign() -> tuple[float, float, np.ndarray]:
        build, index = timed(lambda: GridIndex(keys, cells))
        assign, result = timed(lambda: index.assign(x, y))
        return build, assign, result

    runs = [build_and_assign() for _ in range(REPEATS)]
    build, assign, result = min(runs, key=lambda run: run[0] + run[1])
    total = build + assign

    sample = max(100, min(5000, BASELINE_CALLS * 2 // len(cells)))
    # GridIndex prepared ``cells`` in place; the naive loop gets plain copies, as a loop would.
    plain = list(shapely.from_wkb(shapely.to_wkb(cells)))
    loop, naive = best_of(REPEATS, lambda: naive_assign(keys, plain, x[:sample], y[:sample]))
    if naive != result[:sample].tolist():
        raise SystemExit(f"GridIndex and the naive loop disagree on {grid_count} grids")
    baseline = loop * point_count / sample
    outside = int((result == -1).sum())
    say(
        f"{len(cells):,} grids, {point_count:,} points: index built in {build:.3f} s, "
        f"assigned in {assign:.3f} s ({outside:,} outside every grid); naive loop "
        f"{loop:.2f} s for {sample:,} points → {baseline:,.0f} s scaled to {point_count:,} "
        f"(best of {REPEATS} each)"
    )
    return Figure(
        benchmark="grid_assignment",
        case=f"{point_count:,} points → {len(cells):,} grids",
        value=total,
        unit="s",
        limit=LIMIT_SECONDS * point_count / 1_000_000,
        baseline=baseline,
        baseline_label=f"polygon.contains loop on {sample:,} points, scaled",
        ratio_target=RATIO_TARGET,
        note=f"index build {build:.3f} s + assign {assign:.3f} s; "
        f"baseline sampled on {sample:,} points and scaled linearly",
    )


def main() -> None:
    options = common.arguments(__doc__.splitlines()[0], database=False).parse_args()
    points = 100_000 if options.quick else 1_000_000
    rng = np.random.default_rng(1)
    figures = [measure(grids, points, rng) for grids in (73, 10_000)]
    common.report(figures)


if __name__ == "__main__":
    main()
