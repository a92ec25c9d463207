"""The grid map's entity points, gathered into clusters when too many are in view (ADR 0016).

A county holds some 20,000 entities: drawn one by one they hide the grids under a carpet of
dots and cost the browser seconds. The server gathers the points of each square of the
screen (``CELL_PIXELS`` wide at the map's zoom, in Web Mercator as Leaflet draws it) into one
cluster at their centre, so the browser draws a few hundred markers whatever the register's
size; a cluster holding a single entity is sent as that entity's point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet

CELL_PIXELS = 88  # a cluster gathers the points of one square this many screen pixels wide
SHOW_POINTS_UP_TO = 1500  # up to this many points in view are drawn one by one
POINT_ZOOM = 17  # from this zoom on (a street), points are drawn one by one
MAX_ZOOM = 22
TILE = 256  # Leaflet's world is 256 × 2**zoom pixels wide


@dataclass
class MapPoints:
    """What the map draws: single points ``[lon, lat, class, uscc]`` and clusters
    ``[lon, lat, entities, class Ⅰ entities]``; ``total`` is every point in view."""

    points: list[list[Any]] = field(default_factory=list)
    clusters: list[list[Any]] = field(default_factory=list)
    total: int = 0


def _pixels(lon: np.ndarray, lat: np.ndarray, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator pixel coordinates at ``zoom`` (as Leaflet's EPSG:3857 projects them)."""
    scale = TILE * 2.0**zoom
    x = (lon + 180.0) / 360.0 * scale
    phi = np.radians(np.clip(lat, -85.0511, 85.0511))
    y = (1.0 - np.log(np.tan(phi) + 1.0 / np.cos(phi)) / math.pi) / 2.0 * scale
    return x, y


def map_points(queryset: QuerySet[Any], *, zoom: int) -> MapPoints:
    """The entities of ``queryset`` (scoped, filtered, with coordinates) for a map at ``zoom``:
    one by one when few or zoomed in to a street, otherwise one cluster per square."""
    rows = list(queryset.values_list("longitude", "latitude", "risk_class", "uscc"))
    found = MapPoints(total=len(rows))
    if len(rows) <= SHOW_POINTS_UP_TO or zoom >= POINT_ZOOM:
        found.points = [list(row) for row in rows]
        return found
    lon = np.fromiter((r[0] for r in rows), dtype=np.float64, count=len(rows))
    lat = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
    high = np.fromiter((r[2] == "I" for r in rows), dtype=np.float64, count=len(rows))
    x, y = _pixels(lon, lat, zoom)
    cells = np.floor(x / CELL_PIXELS).astype(np.int64) << 32 | np.floor(y / CELL_PIXELS).astype(
        np.int64
    )
    _, which, counts = np.unique(cells, return_inverse=True, return_counts=True)
    mean_lon = np.bincount(which, weights=lon) / counts
    mean_lat = np.bincount(which, weights=lat) / counts
    highs = np.bincount(which, weights=high)
    found.points = [list(rows[i]) for i in np.flatnonzero(counts[which] == 1).tolist()]
    for position in np.flatnonzero(counts > 1).tolist():
        found.clusters.append(
            [
                round(float(mean_lon[position]), 6),
                round(float(mean_lat[position]), 6),
                int(counts[position]),
                int(highs[position]),
            ]
        )
    return found
