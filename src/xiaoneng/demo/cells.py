"""The demo county cut into grid cells of about equal workload, and a path through them.

篇2 (伊宁市): 73 网格. The cells are Voronoi cells of balanced seeds clipped to the outline; the
path from neighbour to neighbour lets stations, zones and sections be split off it as
contiguous areas.
"""

from __future__ import annotations

import itertools

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon
from shapely.geometry.base import BaseGeometry

from xiaoneng.demo.geography import (
    geometry_to_degrees,
    outline_km,
    sample_locations,
    uniform_points,
)

# About 1 cm: neighbouring grids share vertices exactly once snapped to it.
PRECISION = 1e-7
GRID_COUNT = 73


def _balanced_seeds(rng: np.random.Generator, outline: Polygon, count: int) -> np.ndarray:
    """Seeds whose Voronoi cells hold about equal workload (篇2: 区域划分均衡).

    Lloyd iterations over a sample of the business density mixed with 14 % uniform area, so
    town grids are small and country grids large but none is empty.
    """
    bx, by = sample_locations(rng, outline, 18000)
    ux, uy = np.empty(3000), np.empty(3000)
    todo = np.arange(3000)
    while todo.size:
        cx, cy = uniform_points(rng, todo.size, outline.bounds)
        inside = shapely.contains_xy(outline, cx, cy)
        ux[todo[inside]], uy[todo[inside]] = cx[inside], cy[inside]
        todo = todo[~inside]
    sample = np.column_stack([np.concatenate([bx, ux]), np.concatenate([by, uy])])
    seeds = sample[rng.choice(sample.shape[0], count, replace=False)]
    for _ in range(25):
        distance = ((sample[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2)
        nearest = distance.argmin(axis=1)
        counts = np.bincount(nearest, minlength=count)
        for axis in (0, 1):
            sums = np.bincount(nearest, weights=sample[:, axis], minlength=count)
            seeds[:, axis] = np.where(counts > 0, sums / np.maximum(counts, 1), seeds[:, axis])
    return seeds


def _merge_fragments(cells: list[BaseGeometry]) -> list[BaseGeometry]:
    """Give each stray fragment of a clipped cell to the neighbour it shares most border with."""
    for i, cell in enumerate(cells):
        if cell.geom_type == "Polygon":
            continue
        parts = sorted(cell.geoms, key=lambda p: p.area, reverse=True)
        cells[i] = parts[0]
        for part in parts[1:]:
            shared = [
                (part.boundary.intersection(other.boundary).length, j)
                for j, other in enumerate(cells)
                if j != i
            ]
            _length, j = max(shared)
            cells[j] = shapely.union(cells[j], part)
    return cells


def grid_cells(rng: np.random.Generator, count: int = GRID_COUNT) -> tuple[list[Polygon], Polygon]:
    """``count`` polygons (degrees) that tile the county exactly, in space-filling-curve order.

    Returns the cells and the county outline (their union).
    """
    outline = outline_km()
    seeds = _balanced_seeds(rng, outline, count)
    voronoi = shapely.voronoi_polygons(
        MultiPoint(seeds), extend_to=outline.buffer(10), ordered=True
    )
    cells = [shapely.intersection(cell, outline) for cell in voronoi.geoms]
    for _ in range(3):
        if all(c.geom_type == "Polygon" for c in cells):
            break
        cells = _merge_fragments(cells)
    centroids = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    order = np.argsort(hilbert_keys(centroids))
    snapped = shapely.set_precision(
        np.array([geometry_to_degrees(cells[i]) for i in order], dtype=object), PRECISION
    )
    result = [shapely.normalize(c) for c in snapped]
    if any(c.geom_type != "Polygon" or not c.is_valid for c in result):
        raise RuntimeError("demo grid cells are not all simple polygons")
    return result, shapely.coverage_union_all(result)


def hilbert_keys(points: np.ndarray, order: int = 10) -> np.ndarray:
    """The position of each point along a Hilbert curve over the points' bounding box."""
    side = 2**order
    low, high = points.min(axis=0), points.max(axis=0)
    scaled = ((points - low) / np.maximum(high - low, 1e-9) * (side - 1)).astype(np.int64)
    keys = np.zeros(len(points), dtype=np.int64)
    for index, (x, y) in enumerate(scaled.tolist()):
        d, s = 0, side // 2
        while s > 0:
            rx, ry = int(x & s > 0), int(y & s > 0)
            d += s * s * ((3 * rx) ^ ry)
            if ry == 0:
                if rx == 1:
                    x, y = side - 1 - x, side - 1 - y
                x, y = y, x
            s //= 2
        keys[index] = d
    return keys


def adjacency(cells: list[Polygon]) -> list[set[int]]:
    """For each cell the cells sharing a stretch of border with it (not just a corner)."""
    tree = shapely.STRtree(cells)
    neighbours: list[set[int]] = [set() for _ in cells]
    for i, j in zip(*tree.query(cells, predicate="intersects").tolist(), strict=True):
        if i < j and shapely.intersection(cells[i].boundary, cells[j].boundary).length > 0:
            neighbours[i].add(j)
            neighbours[j].add(i)
    return neighbours


def walk(members: list[int], neighbours: list[set[int]]) -> list[int]:
    """Order ``members`` (given in curve order) so that consecutive cells are mostly neighbours.

    A greedy walk from the first member: step to the unvisited neighbour with the fewest
    unvisited neighbours of its own (Warnsdorff's rule, which avoids dead ends), the earlier
    on the curve on ties; jump to the first unvisited member only when stuck.
    """
    rank = {cell: position for position, cell in enumerate(members)}
    left = set(members)
    order: list[int] = []
    current: int | None = members[0]
    while left:
        if current is None:
            current = min(left, key=rank.__getitem__)
        order.append(current)
        left.discard(current)
        options = [n for n in neighbours[current] if n in left]
        current = min(options, key=lambda n: (len(neighbours[n] & left), rank[n]), default=None)
    return order


def path_order(cells: list[Polygon]) -> list[int]:
    """The cells (given in curve order) as a path from neighbour to neighbour.

    Any consecutive run of the path is a contiguous area, so stations, zones and sections
    split off it are too. Walks start from each cell in turn until one needs no jump.
    """
    neighbours = adjacency(cells)
    best: tuple[int, list[int]] | None = None
    for start in range(len(cells)):
        order = walk([*range(start, len(cells)), *range(start)], neighbours)
        jumps = sum(1 for a, b in itertools.pairwise(order) if b not in neighbours[a])
        if best is None or jumps < best[0]:
            best = (jumps, order)
        if jumps == 0:
            break
    assert best is not None
    return best[1]
