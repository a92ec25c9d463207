"""The kinds of case in the demo county: how common each is, how big, whose, for what."""

from __future__ import annotations

from decimal import Decimal

from xiaoneng.cases.models import CaseKind

K = CaseKind
CENT = Decimal("0.01")
# Kind: (share of the other cases, median case value in yuan, trades of the parties, what the
# party did).
KINDS: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...]]] = {
    K.COUNTERFEIT: (
        0.26,
        20000,
        ("F5232", "F5226", "F5233", "F5211", "F5212"),
        ("销售侵犯注册商标专用权商品",),
    ),
    K.AGRICULTURAL: (
        0.15,
        60000,
        ("F5166", "F5167", "F5112"),
        ("销售不合格化肥", "销售假冒种子", "销售不合格农药"),
    ),
    K.FOOD: (0.1, 5000, ("F521", "F522", "H62"), ("经营超过保质期食品", "经营无中文标签进口食品")),
    K.ADVERTISING: (0.09, 15000, ("L725",), ("发布虚假违法广告",)),
    K.COMMERCIAL_BRIBERY: (0.05, 150000, ("F525", "K70", "E47"), ("商业贿赂",)),
    K.THREE_FALSE_ONE_FLIGHT: (0.04, 500000, ("",), ("虚报注册资本", "抽逃出资")),
    K.BID_RIGGING: (0.03, 800000, ("E47",), ("串通投标",)),
    K.UNLICENSED: (0.06, 3000, ("",), ("无照经营",)),
    K.PRODUCT_QUALITY: (0.07, 20000, ("F5281", "F5289", "F5263"), ("销售不合格产品",)),
    K.PRICE: (0.06, 5000, ("F52", "H62"), ("不明码标价",)),
    K.CONSUMER: (0.08, 8000, ("F5274", "F5232", "O80"), ("拒不履行退换货义务，侵害消费者权益",)),
    K.OTHER: (0.04, 10000, ("",), ("违反市场监管法规",)),
}
GAINS_KINDS = (K.COMMERCIAL_BRIBERY, K.COUNTERFEIT, K.PRICE, K.ADVERTISING)
ALWAYS_MAJOR = (K.COMMERCIAL_BRIBERY, K.THREE_FALSE_ONE_FLIGHT, K.BID_RIGGING)
MAJOR_VALUE = Decimal("50000")
