"""Where the demo county 伊宁示范县 lies, its outline, and where its businesses are.

Modelled on 伊宁市 (篇2). Geometry is computed in a local kilometre frame centred on the
county (x east, y north) and turned into degrees at the end. Everything random comes from the
one ``numpy.random.Generator`` passed in, so one seed always gives the same county.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from xiaoneng.org.geo import KM_PER_DEGREE

COUNTY = "伊宁示范县"
REGION_CODE = "654002"
CENTRE = (81.30, 43.93)
KM_PER_LON = KM_PER_DEGREE * math.cos(math.radians(CENTRE[1]))
KM_PER_LAT = KM_PER_DEGREE
TOWN = (1.0, -2.0)
DEVELOPMENT_ZONE = (7.5, 1.0)
TOWNSHIPS = {
    "巴彦岱镇": (-7.0, 2.5),
    "潘津镇": (-2.5, 6.5),
    "英也尔镇": (4.5, 6.0),
    "达达木图乡": (-8.0, -4.0),
    "汉宾乡": (9.0, -4.0),
}
# (harmonic, relative amplitude, phase) of the outline's radius around a 25 × 20 km ellipse.
OUTLINE_HARMONICS = (
    (2, 0.06, 0.9),
    (3, 0.07, 2.3),
    (4, 0.04, 0.4),
    (5, 0.035, 4.1),
    (7, 0.02, 1.2),
    (11, 0.012, 5.0),
)


def to_degrees(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kilometre-frame coordinates as longitude and latitude."""
    return CENTRE[0] + np.asarray(x) / KM_PER_LON, CENTRE[1] + np.asarray(y) / KM_PER_LAT


def geometry_to_degrees(geometry: BaseGeometry) -> BaseGeometry:
    """A geometry of the kilometre frame in degrees."""
    scale = np.array([KM_PER_LON, KM_PER_LAT])
    return shapely.transform(geometry, lambda c: c / scale + np.array(CENTRE))


def km_frame(lon: float, lat: float) -> tuple[float, float]:
    """A longitude and latitude in the kilometre frame."""
    return (lon - CENTRE[0]) * KM_PER_LON, (lat - CENTRE[1]) * KM_PER_LAT


def outline_km() -> Polygon:
    """The county's outline: an irregular, slightly wavy ellipse of about 25 × 20 km."""
    theta = np.linspace(0, 2 * math.pi, 240, endpoint=False)
    radius = 1 / np.sqrt((np.cos(theta) / 12.5) ** 2 + (np.sin(theta) / 10.0) ** 2)
    for k, amplitude, phase in OUTLINE_HARMONICS:
        radius = radius * (1 + amplitude * np.sin(k * theta + phase))
    return Polygon(np.column_stack([radius * np.cos(theta), radius * np.sin(theta)]))


def _streets(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points along the town's street grid (rotated 8°), a few metres off the kerb."""
    along_ns = rng.random(n) < 0.5
    line = rng.integers(-5, 6, n).astype(float)
    position = rng.uniform(-3.8, 3.8, n)
    offset = rng.normal(0, 0.025, n)
    u = np.where(along_ns, line * 0.75 + offset, position)
    v = np.where(along_ns, position, line * 0.65 + offset)
    angle = math.radians(8)
    x = TOWN[0] + u * math.cos(angle) - v * math.sin(angle)
    y = TOWN[1] + u * math.sin(angle) + v * math.cos(angle)
    return x, y


def _around(
    rng: np.random.Generator, centre: tuple[float, float], n: int, sx: float, sy: float
) -> tuple[np.ndarray, np.ndarray]:
    return rng.normal(centre[0], sx, n), rng.normal(centre[1], sy, n)


def uniform_points(
    rng: np.random.Generator, n: int, bounds: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points drawn uniformly in ``bounds`` (min x, min y, max x, max y)."""
    return rng.uniform(bounds[0], bounds[2], n), rng.uniform(bounds[1], bounds[3], n)


def _draw_mixture(
    rng: np.random.Generator, n: int, bounds: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray]:
    # town 45 %, its streets 22 %, development zone 10 %, township seats 15 %, countryside 8 %
    component = rng.choice(5, size=n, p=[0.45, 0.22, 0.10, 0.15, 0.08])
    x, y = np.empty(n), np.empty(n)
    parts = [np.flatnonzero(component == c) for c in range(5)]
    x[parts[0]], y[parts[0]] = _around(rng, TOWN, parts[0].size, 2.2, 1.6)
    x[parts[1]], y[parts[1]] = _streets(rng, parts[1].size)
    x[parts[2]], y[parts[2]] = _around(rng, DEVELOPMENT_ZONE, parts[2].size, 1.1, 0.9)
    seats = np.array(list(TOWNSHIPS.values()))
    which = rng.integers(0, len(seats), parts[3].size)
    x[parts[3]] = rng.normal(seats[which, 0], 0.6)
    y[parts[3]] = rng.normal(seats[which, 1], 0.5)
    x[parts[4]], y[parts[4]] = uniform_points(rng, parts[4].size, bounds)
    return x, y


def sample_locations(
    rng: np.random.Generator, outline: Polygon, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` business locations inside the outline, clustered on the town, its streets and seats."""
    x, y = np.empty(n), np.empty(n)
    todo = np.arange(n)
    while todo.size:
        cx, cy = _draw_mixture(rng, todo.size, outline.bounds)
        inside = shapely.contains_xy(outline, cx, cy)
        x[todo[inside]], y[todo[inside]] = cx[inside], cy[inside]
        todo = todo[~inside]
    return x, y


def sample_outside(
    rng: np.random.Generator, outline: BaseGeometry, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` locations 0.2–1.5 km outside the outline (mis-geocoded or just over the border)."""
    x, y = np.empty(n), np.empty(n)
    todo = np.arange(n)
    ring = shapely.get_exterior_ring(outline)
    centre = shapely.centroid(outline)
    while todo.size:
        points = shapely.line_interpolate_point(ring, rng.random(todo.size), normalized=True)
        px, py = shapely.get_x(points), shapely.get_y(points)
        dx, dy = px - centre.x, py - centre.y
        norm = np.hypot(dx, dy)
        push = rng.uniform(0.2, 1.5, todo.size)
        cx, cy = px + dx / norm * push, py + dy / norm * push
        outside = ~shapely.intersects_xy(outline, cx, cy)
        x[todo[outside]], y[todo[outside]] = cx[outside], cy[outside]
        todo = todo[~outside]
    return x, y
