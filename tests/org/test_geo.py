"""Grid assignment of points in bulk, and the check that coordinates lie in China."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box, mapping

from tests.org.factories import BASE_LAT, BASE_LON, centre, square
from xiaoneng.org.geo import CHINA_OUTLINE, NO_GRID, GridIndex, area_km2, outside_china

needs_outline = pytest.mark.skipif(
    not CHINA_OUTLINE.exists(),
    reason="the China outline is absent: only the bounding box is checked",
)


def two_squares() -> GridIndex:
    return GridIndex.from_boundaries({10: square(0), 20: square(1)})


def test_points_inside_grids_get_their_keys_and_others_no_grid() -> None:
    index = two_squares()
    lon, lat = zip(
        centre(1), centre(0), centre(5), (BASE_LON + 0.005, BASE_LAT - 0.001), strict=True
    )
    assert index.assign(lon, lat).tolist() == [20, 10, NO_GRID, NO_GRID]


def test_nan_coordinates_get_no_grid_and_do_not_shift_the_others() -> None:
    index = two_squares()
    lon = [math.nan, centre(0)[0], centre(1)[0], math.nan]
    lat = [centre(0)[1], math.nan, centre(1)[1], math.nan]
    assert index.assign(lon, lat).tolist() == [NO_GRID, NO_GRID, 20, NO_GRID]


def test_no_points_and_no_grids() -> None:
    assert two_squares().assign([], []).tolist() == []
    assert GridIndex.from_boundaries({}).assign(*zip(centre(0), strict=True)).tolist() == [NO_GRID]


def test_assign_one_answers_none_outside_and_for_missing_coordinates() -> None:
    index = two_squares()
    assert index.assign_one(*centre(0)) == 10
    assert index.assign_one(*centre(7)) is None
    assert index.assign_one(None, BASE_LAT) is None


@pytest.mark.parametrize("keys", [(3, 7), (7, 3)])
def test_a_point_on_a_shared_border_goes_to_the_smaller_key_regardless_of_order(
    keys: tuple[int, int],
) -> None:
    left, right = box(0, 0, 1, 1), box(1, 0, 2, 1)
    index = GridIndex(list(keys), [left, right])
    smaller = 3
    assert index.assign([1.0, 1.0, 0.5], [0.5, 1.0, 0.5]).tolist() == [smaller, smaller, keys[0]]


def test_a_corner_shared_by_four_grids_goes_to_the_smallest_key() -> None:
    cells = {40: box(0, 0, 1, 1), 15: box(1, 0, 2, 1), 99: box(0, 1, 1, 2), 27: box(1, 1, 2, 2)}
    for order in (sorted(cells), sorted(cells, reverse=True), [99, 15, 40, 27]):
        index = GridIndex(order, [cells[k] for k in order])
        assert index.assign([1.0], [1.0]).tolist() == [15]


def test_a_point_in_a_hole_is_outside_the_grid() -> None:
    ring = box(0, 0, 4, 4).difference(box(1, 1, 3, 3))
    index = GridIndex.from_boundaries({5: mapping(ring)})  # type: ignore[dict-item]
    assert index.assign([2.0, 0.5], [2.0, 0.5]).tolist() == [NO_GRID, 5]


def voronoi_cells(rng: np.random.Generator, count: int) -> list[shapely.Geometry]:
    envelope = box(81.0, 43.5, 81.6, 44.0)
    seeds = shapely.multipoints(
        np.column_stack([rng.uniform(81.0, 81.6, count), rng.uniform(43.5, 44.0, count)])
    )
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=envelope))
    return [cell.intersection(envelope) for cell in cells]


def brute_force(cells: dict[int, shapely.Geometry], lon: np.ndarray, lat: np.ndarray) -> list[int]:
    result = []
    for x, y in zip(lon, lat, strict=True):
        point = Point(x, y)
        hits = [k for k, cell in cells.items() if cell.intersects(point)]
        result.append(min(hits) if hits else NO_GRID)
    return result


@pytest.mark.parametrize("seed", [1, 2])
def test_assign_equals_a_brute_force_loop_over_voronoi_cells(seed: int) -> None:
    rng = np.random.default_rng(seed)
    polygons = voronoi_cells(rng, 30)
    keys = [int(k) for k in rng.permutation(np.arange(100, 100 + len(polygons)))]
    cells = dict(zip(keys, polygons, strict=True))
    lon = rng.uniform(80.95, 81.65, 2000)
    lat = rng.uniform(43.45, 44.05, 2000)
    # Points exactly on cell vertices (shared by 2–3 cells) exercise the tie rule.
    vertices = np.unique(np.concatenate([shapely.get_coordinates(p) for p in polygons]), axis=0)[
        :50
    ]
    lon = np.concatenate([lon, vertices[:, 0], [np.nan]])
    lat = np.concatenate([lat, vertices[:, 1], [43.7]])

    assigned = GridIndex(keys, polygons).assign(lon, lat).tolist()

    assert len(polygons) == 30
    assert assigned == brute_force(cells, lon, lat)
    assert NO_GRID in assigned[:2000] and len(set(assigned)) > 25
    for key, x, y in zip(assigned[:2000], lon[:2000], lat[:2000], strict=True):
        containing = [k for k, cell in cells.items() if cell.contains(Point(x, y))]
        assert containing == ([] if key == NO_GRID else [key])


def test_area_of_a_grid_square() -> None:
    # 0.01° of longitude at 43.855° N is 1.1132 km × cos(43.855°); 0.01° of latitude is 1.1132 km.
    expected = 1.1132 * 1.1132 * math.cos(math.radians(BASE_LAT + 0.005))
    assert area_km2(square(0)) == pytest.approx(expected, rel=1e-9)


# Inside China -------------------------------------------------------------------------------

BEIJING = (116.40, 39.90)
YINING = (81.32, 43.92)
SEOUL = (126.98, 37.57)
TOKYO = (139.69, 35.69)


def outside(*points: tuple[float, float]) -> list[bool]:
    return outside_china([p[0] for p in points], [p[1] for p in points]).tolist()


def test_beijing_and_yining_are_inside_china() -> None:
    assert outside(BEIJING, YINING) == [False, False]


def test_yining_with_latitude_and_longitude_swapped_is_outside() -> None:
    assert outside((YINING[1], YINING[0])) == [True]


def test_points_beyond_chinas_envelope_are_outside() -> None:
    assert outside(TOKYO, (0.0, 0.0), (-81.32, 43.92), (81.32, -43.92)) == [True] * 4


@needs_outline
def test_seoul_and_tokyo_are_outside_china() -> None:
    assert outside(SEOUL, TOKYO) == [True, True]


@needs_outline
def test_neighbouring_capitals_inside_the_envelope_are_outside_china() -> None:
    ulaanbaatar, almaty, hanoi = (106.91, 47.92), (76.95, 43.24), (105.85, 21.03)
    kashgar, harbin, haikou, lhasa = (
        (75.99, 39.47),
        (126.63, 45.75),
        (110.35, 20.02),
        (91.13, 29.65),
    )
    assert outside(ulaanbaatar, almaty, hanoi) == [True, True, True]
    assert outside(kashgar, harbin, haikou, lhasa) == [False] * 4
