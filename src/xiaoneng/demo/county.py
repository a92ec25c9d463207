"""The demo county 伊宁示范县: its outline, grid cells, settlement pattern and names.

Modelled on 伊宁市 (篇2: 27 责任区, 54 区间, 73 网格). Geometry is computed in a local
kilometre frame centred on the county (x east, y north) and turned into degrees at the end.
Everything random comes from the one ``numpy.random.Generator`` passed in, so one seed
always gives the same county.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon
from shapely.geometry.base import BaseGeometry

from xiaoneng.org.geo import KM_PER_DEGREE

COUNTY = "伊宁示范县"
REGION_CODE = "654002"
CENTRE = (81.30, 43.93)
PASSWORD = "xiaoneng-demo"
KM_PER_LON = KM_PER_DEGREE * math.cos(math.radians(CENTRE[1]))
KM_PER_LAT = KM_PER_DEGREE
# About 1 cm: neighbouring grids share vertices exactly once snapped to it.
PRECISION = 1e-7
GRID_COUNT = 73

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
    return CENTRE[0] + np.asarray(x) / KM_PER_LON, CENTRE[1] + np.asarray(y) / KM_PER_LAT


def geometry_to_degrees(geometry: BaseGeometry) -> BaseGeometry:
    scale = np.array([KM_PER_LON, KM_PER_LAT])
    return shapely.transform(geometry, lambda c: c / scale + np.array(CENTRE))


def outline_km() -> Polygon:
    """The county's outline: an irregular, slightly wavy ellipse of about 25 × 20 km."""
    theta = np.linspace(0, 2 * math.pi, 240, endpoint=False)
    radius = 1 / np.sqrt((np.cos(theta) / 12.5) ** 2 + (np.sin(theta) / 10.0) ** 2)
    for k, amplitude, phase in OUTLINE_HARMONICS:
        radius = radius * (1 + amplitude * np.sin(k * theta + phase))
    return Polygon(np.column_stack([radius * np.cos(theta), radius * np.sin(theta)]))


# ---------------------------------------------------------------- where businesses are


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


def _uniform(
    rng: np.random.Generator, n: int, bounds: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray]:
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
    x[parts[4]], y[parts[4]] = _uniform(rng, parts[4].size, bounds)
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


# ---------------------------------------------------------------- grid cells


def _balanced_seeds(rng: np.random.Generator, outline: Polygon, count: int) -> np.ndarray:
    """Seeds whose Voronoi cells hold about equal workload (篇2: 区域划分均衡).

    Lloyd iterations over a sample of the business density mixed with 14 % uniform area, so
    town grids are small and country grids large but none is empty.
    """
    bx, by = sample_locations(rng, outline, 18000)
    ux, uy = np.empty(3000), np.empty(3000)
    todo = np.arange(3000)
    while todo.size:
        cx, cy = _uniform(rng, todo.size, outline.bounds)
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


def km_frame(lon: float, lat: float) -> tuple[float, float]:
    return (lon - CENTRE[0]) * KM_PER_LON, (lat - CENTRE[1]) * KM_PER_LAT


# ---------------------------------------------------------------- names


def words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a data block."""
    return tuple(text.split())


def pairs(text: str) -> tuple[tuple[str, str], ...]:
    """``汉字:latin`` words of a data block as pairs."""
    return tuple((w.split(":")[0], w.split(":")[1]) for w in words(text))


@dataclass(frozen=True)
class Place:
    """What a grid is named after and how addresses inside it read."""

    name: str  # 解放路 / 红旗村 / 兴业路
    township: str  # "" in town
    urban: bool

    def address(self, number: int, group: int) -> str:
        if self.urban:
            return f"{COUNTY}{self.name}{number}号"
        return f"{COUNTY}{self.township}{self.name}{group}组{number}号"


TOWN_STREETS = words("""
    解放路 新华路 斯大林街 飞机场路 阿合买提江路 红旗路 胜利街 英阿亚特路 人民路 公园路 天山路
    北京路 上海路 辽宁路 江苏路 黑龙江街 福州路 广州路 重庆路 经二路 经三路 经五路 经九路
    纬二路 纬三路 纬七路 伊犁河路 阿欣路 新源路 滨河路 环城路 文化路 团结路 友谊路 和平路
    光明路 幸福路 前进路 青年路 建设路 花城路 迎宾路 长春路 苏州路 南京路 杭州路 武汉路
    西安路 兰州路 汉人街 喀赞其路 卡坡路 塔什库勒克路 艾兰木巴格路 墩买里路 萨依布依路
    琼科瑞克路 达达木图路 边疆宾馆路 园林路
""")
ZONE_STREETS = words(
    "兴业路 创业路 科技路 工业园路 经开大道 物流园路 开发区一路 开发区二路 金桥路 丝路大道"
)
VILLAGES = words("""
    红旗村 团结村 胜利村 解放村 光明村 幸福村 和平村 五一村 八一村 东风村 前进村 新村 园艺村
    果园村 花园村 苏拉宫村 塔格巴格村 阔坦村 吉尔格朗村 托格拉克村 喀拉亚尕奇村 英买里村
    克伯克于孜村 阿热吾斯塘村 布力开村 干渠村 下河村 上河村 牧业村 新丰村 红星村 葡萄园村
""")


def name_places(rng: np.random.Generator, cells: list[Polygon]) -> list[Place]:
    """A distinct place per cell: streets in town and the development zone, villages outside."""
    pools = {
        "town": list(rng.permutation(TOWN_STREETS)),
        "zone": list(rng.permutation(ZONE_STREETS)),
        "village": list(rng.permutation(VILLAGES)),
    }
    places = []
    for number, cell in enumerate(cells, start=1):
        x, y = km_frame(cell.centroid.x, cell.centroid.y)
        township = min(TOWNSHIPS, key=lambda t: math.dist((x, y), TOWNSHIPS[t]))
        if math.dist((x, y), TOWN) < 5.0:
            wanted = ["town", "zone", "village"]
        elif math.dist((x, y), DEVELOPMENT_ZONE) < 3.0:
            wanted = ["zone", "town", "village"]
        else:
            wanted = ["village", "town", "zone"]
        kind = next((k for k in wanted if pools[k]), None)
        if kind is None:
            places.append(Place(f"第{number}片区", township, False))
        elif kind == "village":
            places.append(Place(str(pools[kind].pop()), township, False))
        else:
            places.append(Place(str(pools[kind].pop()), "", True))
    return places


# The common Han surnames, in order of frequency, with their pinyin.
HAN_SURNAMES = pairs("""
    王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 赵:zhao 黄:huang 周:zhou 吴:wu 徐:xu 孙:sun
    马:ma 胡:hu 朱:zhu 高:gao 林:lin 何:he 郭:guo 罗:luo 梁:liang 宋:song 郑:zheng 谢:xie
    韩:han 唐:tang 冯:feng 于:yu 董:dong 程:cheng 曹:cao 袁:yuan 邓:deng 许:xu 傅:fu 沈:shen
    曾:zeng 彭:peng 吕:lv 苏:su 卢:lu 蒋:jiang 蔡:cai 贾:jia 丁:ding 魏:wei 薛:xue 叶:ye
    闫:yan 白:bai
""")
SURNAME_WEIGHTS = 1 / (np.arange(len(HAN_SURNAMES)) + 4)
HAN_GIVEN = pairs("""
    伟:wei 芳:fang 娜:na 敏:min 静:jing 丽:li 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 艳:yan
    杰:jie 涛:tao 明:ming 超:chao 霞:xia 平:ping 刚:gang 华:hua 斌:bin 鹏:peng 辉:hui 宇:yu
    浩:hao 峰:feng 凯:kai 琳:lin 雪:xue 晨:chen 亮:liang 波:bo 婷:ting 慧:hui 丹:dan 欣:xin
    建国:jianguo 建华:jianhua 建军:jianjun 志强:zhiqiang 志明:zhiming 志刚:zhigang 国强:guoqiang
    国庆:guoqing 海燕:haiyan 海涛:haitao 秀英:xiuying 秀兰:xiulan 桂英:guiying 玉兰:yulan
    丽娟:lijuan 丽华:lihua 晓明:xiaoming 晓东:xiaodong 晓燕:xiaoyan 文静:wenjing 文杰:wenjie
    春梅:chunmei 春燕:chunyan 红梅:hongmei 新华:xinhua 新民:xinmin 卫东:weidong 永刚:yonggang
    子涵:zihan 子轩:zixuan 浩然:haoran 宇航:yuhang 佳怡:jiayi 欣怡:xinyi 梓萱:zixuan 一鸣:yiming
    俊杰:junjie 雅婷:yating 思远:siyuan 天佑:tianyou 明轩:mingxuan 嘉欣:jiaxin 立新:lixin
""")
# Uyghur and Kazakh personal and father's names (written 名·父名), with a Latin spelling.
TURKIC_GIVEN = pairs("""
    艾力:ali 阿力木:alim 买买提:mamat 艾合买提:ahmat 吐尔逊:tursun 努尔买买提:nurmamat
    阿不都热合曼:abdurahman 艾尔肯:erkin 热合曼:rahman 亚森:yasin 肉孜:rozi 伊力哈木:ilham
    阿迪力:adil 吾斯曼:osman 塔依尔:tahir 玉素甫:yusup 卡德尔:kadir 米吉提:mijit
    阿依古丽:aygul 古丽娜尔:gulnar 热依拉:reyila 帕提古丽:patigul 迪丽努尔:dilnur
    阿依努尔:aynur 努尔古丽:nurgul 米娜瓦尔:minawar 再努尔:zaynur 祖丽皮亚:zulpiya
    努尔兰:nurlan 叶尔兰:erlan 哈那提:hanat 阿依达娜:aydana 古丽巴哈尔:gulbahar
""")
TURKIC_FATHER = pairs("""
    艾力:ali 买买提:mamat 吐尔逊:tursun 阿不都拉:abdulla 肉孜:rozi 玉素甫:yusup
    司马义:ismail 尼亚孜:niyaz 热西提:rashit 赛买提:samat 吾守尔:oshur 哈力克:halik
    斯拉木:islam 托合塔尔:toqtar 加那提:janat 巴合提:bahit 叶尔肯:yerken 阿不力孜:abliz
""")


def person_names(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """``n`` personal names of the county's people (Han, Uyghur, Kazakh…) and a Latin spelling."""
    turkic = (rng.random(n) < 0.4).tolist()
    surname = rng.choice(len(HAN_SURNAMES), n, p=SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum()).tolist()
    first = rng.integers(0, len(HAN_GIVEN), n).tolist()
    given = rng.integers(0, len(TURKIC_GIVEN), n).tolist()
    father = rng.integers(0, len(TURKIC_FATHER), n).tolist()
    names, latin = [], []
    for i in range(n):
        if turkic[i]:
            g, f = TURKIC_GIVEN[given[i]], TURKIC_FATHER[father[i]]
            if g == f:  # nobody is named after himself: take the next father's name
                f = TURKIC_FATHER[(father[i] + 1) % len(TURKIC_FATHER)]
            names.append(f"{g[0]}·{f[0]}")
            latin.append(f"{g[1]}.{f[1]}")
        else:
            s, g = HAN_SURNAMES[surname[i]], HAN_GIVEN[first[i]]
            names.append(f"{s[0]}{g[0]}")
            latin.append(f"{s[1]}{g[1]}")
    return names, latin


def mobile_numbers(rng: np.random.Generator, n: int) -> list[str]:
    prefixes = words("135 138 139 150 152 158 180 186 189 199")
    head = rng.integers(0, len(prefixes), n).tolist()
    tail = rng.integers(0, 10**8, n).tolist()
    return [f"{prefixes[h]}{t:08d}" for h, t in zip(head, tail, strict=True)]


# ---------------------------------------------------------------- trades


@dataclass(frozen=True)
class Trade:
    """A line of business: its GB/T 4754 class, how common it is, how its shops are named.

    ``weights`` are relative frequencies among individual businesses, enterprises and
    cooperatives; ``licences`` the licence kinds it holds, each with a probability.
    """

    code: str
    weights: tuple[float, float, float]
    licences: tuple[tuple[str, float], ...]
    hot_note: str  # why entities of this trade may be marked hot (篇7: 重热点行业)
    stems: tuple[str, ...]  # an individual business's name ends with one (…牛肉面馆)
    words: tuple[str, ...]  # what it does: …餐饮有限公司 (enterprise), …蔬菜种植 (cooperative)


# Two lines a trade: "code individual/enterprise/cooperative licence:probability… !hot note",
# then "  individual name stems / enterprise or cooperative words".
TRADE_TABLE = """
H6210 70/25/0 food_business:1 alcohol:0.15 !校园周边食品经营
  饭店 餐厅 抓饭馆 大盘鸡店 烤肉店 清真餐厅 川菜馆 / 餐饮有限公司 餐饮管理有限公司
H6220 45/8/0 food_business:1 !校园周边食品经营
  快餐店 拌面馆 牛肉面馆 拉面馆 米粉店 包子铺 汉堡店 / 餐饮有限公司 快餐有限公司
H6291 45/2/0 food_business:1 !校园周边食品经营
  小吃店 烤包子店 凉皮店 馕坑 粉汤店 夜市小吃摊 / 餐饮有限公司
H6231 8/3/0 food_business:1
  茶馆 茶楼 奶茶店 / 茶业有限公司 餐饮有限公司
H6241 3/5/0 food_business:1 !校园周边食品经营
  配餐中心 送餐部 / 餐饮配送有限公司 团餐管理有限公司
H6299 10/2/0 food_business:1 !校园周边食品经营
  甜品店 冷饮店 酸奶店 / 餐饮有限公司
H6110 2/4/0 food_business:0.5
  宾馆 旅社 招待所 / 酒店有限公司 宾馆有限公司
F5212 20/20/0 food_business:1 tobacco:0.7 alcohol:0.5 !校园周边食品经营
  超市 便民超市 生活超市 / 商贸有限公司 超市有限公司 连锁超市有限公司
F5213 40/8/0 food_business:1 tobacco:0.8 alcohol:0.3 !校园周边食品经营
  便利店 便民店 小卖部 商店 / 便利店有限公司 商贸有限公司
F5221 15/6/0 food_business:1
  粮油店 粮油批发部 面粉店 / 粮油有限公司 粮油贸易有限公司
F5222 10/3/0 food_business:1 !校园周边食品经营
  蛋糕店 面包房 馕店 / 食品有限公司 烘焙有限公司
F5223 35/4/0 food_business:1
  果蔬店 水果店 蔬菜店 干果店 / 果蔬有限公司 农产品有限公司
F5224 25/3/0 food_business:1
  牛羊肉店 鲜肉铺 冷鲜肉店 鲜奶店 禽蛋店 / 肉业有限公司 乳业有限公司
F5225 3/3/0 food_business:1
  保健品店 / 保健品有限公司 健康科技有限公司
F5226 8/5/0 food_business:1 alcohol:0.8 tobacco:0.4
  烟酒店 茶叶店 酒行 / 酒业有限公司 茶业有限公司
F5227 8/1/0 tobacco:1 food_business:0.5
  烟酒店 烟草零售店 / 商贸有限公司
F5229 12/3/0 food_business:1 !校园周边食品经营
  干果店 调料店 土特产店 蜂蜜店 / 食品有限公司 土特产有限公司
F5124 3/3/0 food_business:1
  牛羊肉批发部 冻品批发部 / 肉食品有限公司 冷链食品有限公司
F5127 2/3/0 food_business:1 alcohol:0.6
  酒水批发部 饮料批发部 / 酒业有限公司 饮品贸易有限公司
F5251 6/12/0 drug_retail:1 medical_device:0.5 !药品安全专项重点
  药店 大药房 / 医药有限公司 大药房有限公司 医药连锁有限公司
F5252 4/3/0 drug_retail:1
  中药店 维吾尔医药店 中药房 / 中药材有限公司 医药有限公司
F5254 2/3/0 medical_device:1
  医疗器械店 / 医疗器械有限公司
F5253 3/1/0 other:1 !农资旺季重点
  兽药店 / 兽药有限公司
F5265 0.5/4/0 refined_oil:1 hazardous_chemicals:1 !加油站安全重点
  加油站 / 石油有限公司 能源有限公司 加油站有限公司
F5266 0/1/0 hazardous_chemicals:1 !加油站安全重点
  加气站 / 能源有限公司 燃气有限公司
F5296 4/2/0 hazardous_chemicals:0.5 !冬季燃气安全重点
  液化气站 煤炭销售点 燃料经销部 / 燃料有限公司 能源有限公司
F5169 1/3/0 hazardous_chemicals:0.8 !危险化学品专项整治
  化工经销部 / 化工有限公司 化工贸易有限公司
F5166 6/4/0.5 pesticide:0.5 !农资旺季重点
  农资店 化肥经销部 / 农资有限公司 农业生产资料有限公司
F5167 4/3/0 pesticide:1 !农资旺季重点
  农药门市部 植保农资店 / 农药有限公司 植保有限公司
F5112 3/3/0 seed:1 !农资旺季重点
  种子经销部 种苗店 / 种业有限公司 种业科技有限公司
F5171 2/2/0
  农机配件门市部 / 农机有限公司 农业机械有限公司
L7259 6/10/0 !广告发布重点监测
  广告部 广告制作部 图文广告店 / 广告有限公司 广告传媒有限公司 文化传媒有限公司
L7251 1/4/0 !广告发布重点监测
  网络广告工作室 / 网络科技有限公司 互联网广告有限公司
F5292 20/12/0 food_business:0.25 !网络交易重点监测
  网店 电商服务部 / 电子商务有限公司 网络科技有限公司
F5211 15/8/0 tobacco:0.2
  百货店 日杂店 百货商店 / 百货有限公司 商贸有限公司
F5219 5/4/0
  综合商店 批发零售部 / 商贸有限公司
F5232 45/8/0
  服装店 服饰店 童装店 民族服饰店 艾德莱斯绸店 / 服饰有限公司 服装有限公司
F5233 12/2/0
  鞋店 帽店 鞋帽店 / 鞋业有限公司
F5239 20/4/0
  日用品店 化妆品店 小商品店 五金日杂店 / 商贸有限公司 日用品有限公司
F5243 3/2/0 publication:1
  书店 文具书店 / 图书有限公司 文化用品有限公司
F5245 3/2/0
  金店 银饰店 珠宝店 / 珠宝有限公司 黄金珠宝有限公司
F5273 5/3/0
  电脑店 电脑耗材店 / 电脑科技有限公司 信息技术有限公司
F5274 12/3/0
  手机店 通讯店 / 通讯器材有限公司 通信科技有限公司
F5281 12/4/0
  五金店 五金建材店 水暖店 / 五金有限公司 建材有限公司
F5283 5/3/0
  家具店 家具城 / 家具有限公司
F5289 6/4/0
  建材店 装饰材料店 瓷砖店 / 建材有限公司 装饰工程有限公司
F5263 6/3/0
  汽配店 轮胎店 / 汽车配件有限公司
F5261 0/2/0
  汽车销售店 / 汽车销售服务有限公司
F5264 4/1/0
  摩托车行 电动车行 / 车业有限公司
F5291 8/0/0
  摊点 流动摊位 / 商贸有限公司
O8040 40/5/0
  理发店 美发店 美容院 美甲店 / 美容美发有限公司 美容有限公司
O8051 3/2/0
  浴池 洗浴中心 / 洗浴有限公司 休闲服务有限公司
O8030 4/1/0
  干洗店 洗衣店 / 洗涤服务有限公司
O8060 5/2/0
  照相馆 影楼 / 文化传媒有限公司 摄影有限公司
O8111 18/5/0
  汽车修理部 汽修厂 洗车店 / 汽车服务有限公司
O8122 5/0/0
  手机维修部 / 通讯服务有限公司
O8199 5/0/0
  修鞋配钥匙店 家电维修部 / 维修服务有限公司
O8010 2/4/0
  家政服务部 / 家政服务有限公司
K7020 0/5/0
  物业服务部 / 物业管理有限公司 物业服务有限公司
K7030 3/5/0
  房产中介部 / 房地产经纪有限公司
R9011 2/3/0 alcohol:0.6 !娱乐场所专项检查
  KTV 歌舞厅 / 娱乐有限公司 文化娱乐有限公司
G5431 8/6/0
  货运部 物流配送部 / 物流有限公司 运输有限公司
E4790 0/8/0
  建筑工程队 / 建筑工程有限公司 建设工程有限公司
C1351 0/1/0 food_production:1
  屠宰点 / 肉类加工有限公司 清真肉食品有限公司
C1411 1/2/0 food_production:1 !校园周边食品经营
  糕点加工坊 馕加工坊 / 食品有限公司
C1431 1/2/0 food_production:1
  面粉加工坊 / 面粉有限公司 粮油食品有限公司
C1469 0/1/0 food_production:1
  调料加工坊 / 调味品有限公司
C1512 0/1/0 food_production:1
  酿酒坊 / 酒业有限公司
C3021 0/2/0 industrial_product:0.5
  预制板厂 / 建材有限公司 水泥制品有限公司
C3311 2/2/0
  钢结构加工部 铁艺加工部 / 钢结构有限公司
A0141 2/1/30
  蔬菜种植户 / 蔬菜种植 设施农业 蔬菜产销
A0151 1/1/18
  果园 / 林果 果业 苹果种植
A0152 0/1/8
  葡萄园 / 葡萄种植 林果
A0311 2/1/18
  养牛场 / 奶牛养殖 肉牛养殖 畜牧养殖
A0314 2/1/10
  养羊场 / 肉羊养殖 畜牧养殖
A0321 1/1/6
  养鸡场 / 养鸡 家禽养殖
A0511 0/1/4 seed:1 !农资旺季重点
  育苗场 / 种子种苗 育苗
M7511 0/1/6
  农技服务部 / 农机服务 农业技术服务
"""


def _trades(table: str) -> tuple[Trade, ...]:
    lines = [line for line in table.strip("\n").splitlines() if line.strip()]
    trades = []
    for head, body in zip(lines[::2], lines[1::2], strict=True):
        code, weights, *rest = words(head)
        share = tuple(float(w) for w in weights.split("/"))
        licences = tuple((k, float(p)) for k, p in (w.split(":") for w in rest if ":" in w))
        note = next((w[1:] for w in rest if w.startswith("!")), "")
        stems, names = body.split("/")
        trades.append(
            Trade(code, (share[0], share[1], share[2]), licences, note, words(stems), words(names))
        )
    return tuple(trades)


TRADES = _trades(TRADE_TABLE)
BRAND_CHARS = (
    "鑫源恒达天润金桥丝路瑞丰华泰宏远盛世新德福兴隆佳和博航锦程汇通诚益康宁"
    "万家百信嘉禾荣利民昌永泽绿穗顺安悦祥美晨光阳星辰"
)
COOPERATIVE_WORDS = words("丰收 金穗 绿源 沃土 惠农 富民 兴农 丰泽 金果 鑫农")


def enterprise_word(word: str) -> str:
    return word if word.endswith("公司") else f"{word}有限公司"


def cooperative_word(word: str) -> str:
    return word.removesuffix("有限责任公司").removesuffix("有限公司")
