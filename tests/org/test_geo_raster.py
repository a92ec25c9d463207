"""The raster shortcut of bulk grid assignment gives exactly the tree's answers."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import box

from xiaoneng.org import geo
from xiaoneng.org.geo import GridIndex


def voronoi_grids(count: int, seed: int) -> list[shapely.Geometry]:
    rng = np.random.default_rng(seed)
    extent = box(81.15, 43.80, 81.45, 44.05)
    seeds = shapely.multipoints(
        shapely.points(rng.uniform(81.15, 81.45, count), rng.uniform(43.80, 44.05, count))
    )
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=extent))
    return [cell.intersection(extent) for cell in cells]


def exact(index: GridIndex, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result = np.full(x.size, geo.NO_GRID, dtype=np.int64)
    index._assign_exactly(x, y, np.arange(x.size), result)
    return result


def test_raster_lookup_agrees_with_the_exact_test_everywhere() -> None:
    grids = voronoi_grids(73, seed=3)
    index = GridIndex(list(range(101, 174)), grids)
    rng = np.random.default_rng(4)
    x = rng.uniform(81.14, 81.46, geo.RASTER_MIN_POINTS)
    y = rng.uniform(43.79, 44.06, geo.RASTER_MIN_POINTS)
    # Points exactly on grid borders and vertices, and on the extent's far edges.
    vertices = shapely.get_coordinates(shapely.boundary(np.asarray(grids, dtype=object)))
    x[: len(vertices)], y[: len(vertices)] = vertices[:, 0], vertices[:, 1]
    x[-3:], y[-3:] = [81.45, 81.30, 81.45], [43.90, 44.05, 44.05]
    raster = index.assign(x, y)
    assert "raster" in index.__dict__, "the raster path must have been taken"
    assert (raster == exact(index, x, y)).all()


def test_many_grids_skip_the_raster(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(geo, "RASTER_MAX_GRIDS", 10)
    index = GridIndex(list(range(1, 74)), voronoi_grids(73, seed=5))
    rng = np.random.default_rng(6)
    x, y = (
        rng.uniform(81.15, 81.45, geo.RASTER_MIN_POINTS),
        rng.uniform(43.8, 44.05, geo.RASTER_MIN_POINTS),
    )
    result = index.assign(x, y)
    assert "raster" not in index.__dict__
    assert (result == exact(index, x, y)).all()
