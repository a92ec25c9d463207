"""Geometry: grid boundaries, bulk grid assignment of points, the China coordinate check.

Assignment runs on arrays: one STRtree over the prepared grid polygons and one bulk query
with the ``intersects`` predicate for all points (shapely 2), never a Python loop of
``polygon.contains``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from xiaoneng.core.errors import InvalidInput

NO_GRID = -1
UNSURE = -2
# The raster pays off from this many points (its cells are labelled once per index).
RASTER_MIN_POINTS = 50_000
RASTER_SIZE = 1024
# With many small grids most cells are crossed by a border and the raster no longer helps.
RASTER_MAX_GRIDS = 2_000
CHINA_OUTLINE = Path(__file__).parent / "data" / "china_outline.geojson"
# The envelope of China's territory; points outside it are rejected before the outline test.
CHINA_BOUNDS = (73.4, 3.4, 135.1, 53.6)
KM_PER_DEGREE = 111.32


class GridIndex:
    """A spatial index over grid polygons that assigns many points at once."""

    def __init__(self, keys: Sequence[int], geometries: Sequence[BaseGeometry]) -> None:
        self.keys = np.asarray(keys, dtype=np.int64)
        self.geometries = np.asarray(geometries, dtype=object)
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)

    @classmethod
    def from_boundaries(cls, boundaries: dict[int, dict[str, Any]]) -> GridIndex:
        """Index ``{grid id: GeoJSON geometry}``."""
        keys = sorted(boundaries)
        return cls(keys, [shape(boundaries[k]) for k in keys])

    def assign(self, longitudes: Any, latitudes: Any) -> np.ndarray:
        """For each point the key of the grid containing it, or ``NO_GRID``.

        A point on a border shared by two grids goes to the grid with the smaller key, so
        the result never depends on the order of the index. Many points are first looked up
        in a raster of the grids (see ``Raster``); only those near a border meet the tree.
        """
        x = np.asarray(longitudes, dtype=np.float64)
        y = np.asarray(latitudes, dtype=np.float64)
        result = np.full(x.shape[0], NO_GRID, dtype=np.int64)
        if x.size == 0 or self.keys.size == 0:
            return result
        present = np.flatnonzero(~(np.isnan(x) | np.isnan(y)))
        if present.size >= RASTER_MIN_POINTS and self.keys.size <= RASTER_MAX_GRIDS:
            labels = self.raster.lookup(x[present], y[present])
            sure = labels != UNSURE
            result[present[sure]] = labels[sure]
            present = present[~sure]
        self._assign_exactly(x, y, present, result)
        return result

    def _assign_exactly(
        self, x: np.ndarray, y: np.ndarray, present: np.ndarray, result: np.ndarray
    ) -> None:
        points = shapely.points(x[present], y[present])
        point_index, grid_index = self.tree.query(points, predicate="intersects")
        keys = self.keys[grid_index]
        order = np.lexsort((keys, point_index))
        point_index, keys = point_index[order], keys[order]
        first = np.ones(point_index.size, dtype=bool)
        first[1:] = point_index[1:] != point_index[:-1]
        result[present[point_index[first]]] = keys[first]

    @cached_property
    def raster(self) -> Raster:
        return Raster(self)

    def assign_one(self, longitude: float | None, latitude: float | None) -> int | None:
        if longitude is None or latitude is None:
            return None
        key = int(self.assign([longitude], [latitude])[0])
        return None if key == NO_GRID else key


class Raster:
    """The grids' extent cut into cells, each labelled once with the grid that holds all of it.

    A cell that no grid border crosses lies wholly inside one grid (or outside all), so its
    points take the label of its centre by arithmetic alone; points in cells a border may
    cross are ``UNSURE`` and go to the exact test.

    Which cells a border may cross is found without geometry predicates: the borders are
    sampled at half a cell's width (every vertex included), and the cells of the samples,
    grown by one cell all round, hold every border. The remaining cells are labelled like a
    quadtree, a whole block at a time, so only a few thousand centres meet the exact test.
    """

    def __init__(self, index: GridIndex, size: int = RASTER_SIZE, base: int = 32) -> None:
        minx, miny, maxx, maxy = shapely.total_bounds(index.geometries)
        self.origin = (float(minx), float(miny))
        self.size = size
        self.step = ((maxx - minx) / size or 1.0, (maxy - miny) / size or 1.0)
        crossed = self._crossed(index)
        labels = np.full((base, base), UNSURE, dtype=np.int64)
        candidate = np.ones((base, base), dtype=bool)
        resolution = base
        while True:
            scale = size // resolution
            blocked = crossed.reshape(resolution, scale, resolution, scale).any(axis=(1, 3))
            column, row = np.nonzero(candidate & ~blocked)
            width, height = self.step[0] * scale, self.step[1] * scale
            inner = np.full(column.size, NO_GRID, dtype=np.int64)
            index._assign_exactly(
                minx + (column + 0.5) * width, miny + (row + 0.5) * height,
                np.arange(column.size), inner,
            )  # fmt: skip
            labels[column, row] = inner
            if resolution == size:
                break
            labels = labels.repeat(2, axis=0).repeat(2, axis=1)
            candidate = (candidate & blocked).repeat(2, axis=0).repeat(2, axis=1)
            resolution *= 2
        self.labels = labels

    def _crossed(self, index: GridIndex) -> np.ndarray:
        """Cells a grid border may cross (a superset, never missing one)."""
        step = min(self.step) / 2
        samples = shapely.get_coordinates(
            shapely.segmentize(shapely.boundary(index.geometries), max_segment_length=step)
        )
        column = np.clip(
            ((samples[:, 0] - self.origin[0]) // self.step[0]).astype(np.int64), 0, self.size - 1
        )
        row = np.clip(
            ((samples[:, 1] - self.origin[1]) // self.step[1]).astype(np.int64), 0, self.size - 1
        )
        # Each sample's cell and its eight neighbours (a border lying on a cell's edge, or a
        # float rounding at one, then still counts as crossing both cells).
        grown = np.zeros((self.size + 2, self.size + 2), dtype=bool)
        for dx in (0, 1, 2):
            for dy in (0, 1, 2):
                grown[column + dx, row + dy] = True
        return grown[1:-1, 1:-1]

    def lookup(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The label of each point's cell; points beyond the extent lie in no grid."""
        column = np.clip(np.floor((x - self.origin[0]) / self.step[0]), -1, self.size + 1)
        row = np.clip(np.floor((y - self.origin[1]) / self.step[1]), -1, self.size + 1)
        flat = (column.astype(np.int64) + 1) * (self.size + 3) + row.astype(np.int64) + 1
        return self.framed.ravel()[flat]

    @cached_property
    def framed(self) -> np.ndarray:
        """The labels in a frame of cells beyond the extent, where no grid is; only the first
        row and column past the far edges are unsure (a point exactly on an edge is there)."""
        framed = np.full((self.size + 3, self.size + 3), NO_GRID, dtype=np.int64)
        framed[1 : self.size + 1, 1 : self.size + 1] = self.labels
        framed[self.size + 1, 1 : self.size + 2] = UNSURE
        framed[1 : self.size + 2, self.size + 1] = UNSURE
        return framed


def parse_boundary(value: Any) -> dict[str, Any]:
    """A GeoJSON Polygon/MultiPolygon (or a Feature holding one), checked; returns the geometry."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise InvalidInput.single(
                "boundary", _("不是有效的 JSON：%(error)s") % {"error": error}
            ) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in {"Polygon", "MultiPolygon"}:
        raise InvalidInput.single("boundary", _("边界必须是 GeoJSON 的 Polygon 或 MultiPolygon"))
    try:
        geometry = shape(value)
    except Exception as error:
        raise InvalidInput.single(
            "boundary", _("边界坐标无效：%(error)s") % {"error": error}
        ) from None
    if geometry.is_empty or not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise InvalidInput.single("boundary", _("边界多边形无效：%(reason)s") % {"reason": reason})
    if not intersects_china(geometry):
        raise InvalidInput.single("boundary", _("边界不在中国境内"))
    # Through JSON, so that coordinates are lists exactly as they are stored and compared.
    return json.loads(shapely.to_geojson(geometry))


def area_km2(geometry: dict[str, Any]) -> float:
    """Approximate area in km² (degrees scaled at the polygon's mean latitude)."""
    shp = shape(geometry)
    lat = (shp.bounds[1] + shp.bounds[3]) / 2
    return float(shp.area * KM_PER_DEGREE**2 * math.cos(math.radians(lat)))


@cache
def _china() -> BaseGeometry | None:
    if not CHINA_OUTLINE.exists():
        return None
    with open(CHINA_OUTLINE, encoding="utf-8") as handle:
        data = json.load(handle)
    geometry = shapely.union_all([shape(f["geometry"]) for f in data["features"]])
    shapely.prepare(geometry)
    return geometry


def intersects_china(geometry: BaseGeometry) -> bool:
    """Whether a polygon lies at least partly in China (a border grid may cross the outline)."""
    china = _china()
    if china is None:
        return bool(shapely.intersects(geometry, shapely.box(*CHINA_BOUNDS)))
    return bool(shapely.intersects(china, geometry))


def outside_china(longitudes: Any, latitudes: Any) -> np.ndarray:
    """For each point whether it lies outside China's territory (a coarse buffered outline)."""
    x = np.asarray(longitudes, dtype=np.float64)
    y = np.asarray(latitudes, dtype=np.float64)
    minx, miny, maxx, maxy = CHINA_BOUNDS
    outside = ~((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
    china = _china()
    if china is not None:
        candidates = np.flatnonzero(~outside)
        if candidates.size:
            outside[candidates] = ~shapely.intersects_xy(china, x[candidates], y[candidates])
    return outside
