"""The demo county's trades: GB/T 4754 classes, how common each is, its licences and names."""

from __future__ import annotations

from dataclasses import dataclass

from xiaoneng.demo.names import words


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
    """A trade word as the end of an enterprise's name (…有限公司)."""
    return word if word.endswith("公司") else f"{word}有限公司"


def cooperative_word(word: str) -> str:
    """A trade word as the middle of a cooperative's name (without 有限公司)."""
    return word.removesuffix("有限责任公司").removesuffix("有限公司")
