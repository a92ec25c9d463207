"""The names of the demo county: its streets and villages, its people, their phone numbers.

Data blocks are whitespace-separated words (``words``), or ``汉字:latin`` pairs (``pairs``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon

from xiaoneng.demo.geography import COUNTY, DEVELOPMENT_ZONE, TOWN, TOWNSHIPS, km_frame


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
    """``n`` mobile phone numbers."""
    prefixes = words("135 138 139 150 152 158 180 186 189 199")
    head = rng.integers(0, len(prefixes), n).tolist()
    tail = rng.integers(0, 10**8, n).tolist()
    return [f"{prefixes[h]}{t:08d}" for h, t in zip(head, tail, strict=True)]
