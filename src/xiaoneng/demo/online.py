"""The demo county's online-trading monitoring (篇6): a year of captured listings on four
platforms imported month by month and scanned with the keyword library in force — mostly
ordinary goods, some prohibited goods and absolute claims — a few seller networks sharing IP
addresses and payment accounts, sellers claiming local entities' codes and a few invalid or
unknown ones; then the division's decisions on some flagged sellers.

Everything goes through ``online`` services, as the division would import and decide.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.org import Organisation
from xiaoneng.online.listings.importer import import_batch
from xiaoneng.online.models import Batch, Seller
from xiaoneng.online.sellers import services
from xiaoneng.org.models import Officer, Role
from xiaoneng.registry.models import Entity
from xiaoneng.registry.uscc import check_character

PLATFORMS = ("淘宝", "京东", "拼多多", "抖音小店")
SELLERS = 320
TRADE_NAMES = ("鑫源", "惠家", "百汇", "乐购", "恒达", "新禾", "佳品")
SHOP_KINDS = ("优选", "好物", "旗舰", "小铺", "特产")
LISTINGS = 3600
GOODS = (
    ("纯棉短袖T恤", "透气舒适，多色可选", 59),
    ("不锈钢保温杯 500ml", "304不锈钢内胆，保温12小时", 79),
    ("伊犁薰衣草精油", "本地种植，蒸馏提取", 68),
    ("新疆和田大枣 1kg", "颗粒饱满，产地直发", 45),
    ("儿童积木玩具", "大颗粒，益智拼装", 129),
    ("手工羊毛地毯", "纯手工编织，图案传统", 860),
    ("家用电热水壶", "1.7L大容量，自动断电", 99),
    ("蜂蜜 500g", "天山野花蜜，自然成熟", 88),
    ("运动跑鞋", "轻便减震，网面透气", 239),
    ("手机钢化膜", "高清防指纹，两片装", 19),
    ("奶粉储存罐", "密封防潮，带量勺", 35),
    ("民族风刺绣抱枕", "手工刺绣，棉麻面料", 76),
)
# Wording the keyword library catches (absolute claims, medical claims, prohibited goods).
BAD = (
    ("全网最好的保健茶", "根治失眠，三天见效", 198),
    ("国家级特效护肝片", "100%有效，无效退款", 268),
    ("处方药 阿莫西林胶囊", "无需处方，直接发货", 39),
    ("高仿名牌手表 A货", "一比一复刻，专柜品质", 450),
    ("第一品牌减肥茶", "月瘦二十斤，永不反弹", 158),
    ("管制刀具 户外开刃直刀", "锋利耐用，私信下单", 320),
    ("顶级极品虫草", "包治百病，延年益寿", 999),
)
BAD_SHARE = 0.07
NETWORKS = ((5, "ip"), (4, "payment_account"), (3, "ip"), (4, "payment_account"), (3, "domain"))
LOCAL_CLAIMS = 40
INVALID_CLAIMS = ("91654002MA7ABC1230", "9165400212345", "92654002MA0000000Z")
# Valid codes no entity of the county holds (registered elsewhere, or made up).
UNKNOWN_CLAIMS = tuple(b + check_character(b) for b in ("91650100MA77Q8K3R", "92654002MA7XX0012"))


def _staff() -> Officer | None:
    return Officer.objects.filter(roles__code=Role.DIVISION_STAFF).order_by("pk").first()


def _sellers(rng: np.random.Generator) -> list[dict[str, Any]]:
    """The sellers: platform, id, shop, claimed code, own IP, payment account and domain."""
    local = list(
        Entity.objects.filter(status=Entity.Status.OPERATING)
        .order_by("pk")
        .values_list("uscc", flat=True)[:5000]
    )
    claims = list(rng.choice(local, size=min(LOCAL_CLAIMS, len(local)), replace=False))
    gone = list(
        Entity.objects.exclude(status=Entity.Status.OPERATING).values_list("uscc", flat=True)[:3]
    )
    claims += gone + list(INVALID_CLAIMS) + list(UNKNOWN_CLAIMS)
    sellers = []
    for n in range(SELLERS):
        platform = PLATFORMS[int(rng.integers(len(PLATFORMS)))]
        sellers.append(
            {
                "platform": platform,
                "seller_id": f"{platform[:1]}{100000 + n}",
                # a shop's own name: the platform is shown beside it, not repeated in it
                "shop": f"{TRADE_NAMES[n % 7]}{SHOP_KINDS[n % 5]}店{n:03d}",
                "claimed_uscc": claims[n] if n < len(claims) else "",
                "ip": f"{int(rng.integers(1, 223))}.{n // 250}.{n % 250}.{n % 7 + 2}",
                "payment_account": f"6222{n:012d}",
                "domain": "",
                "bad": n >= SELLERS - 40,  # the last 40 sell forbidden things now and then
            }
        )
    # Networks: a few groups of the "bad" sellers share an IP, an account or a site.
    start = SELLERS - 40
    for size, attribute in NETWORKS:
        shared = {"ip": "103.45.67.89", "payment_account": "6217000099990001"}.get(
            attribute, "shop-outlet.example.cn"
        ) + str(start)
        for seller in sellers[start : start + size]:
            seller[attribute] = shared if attribute != "ip" else f"103.45.{start}.89"
        start += size
    return sellers


def _month_lines(
    rng: np.random.Generator, sellers: list[dict[str, Any]], month: int, year: int, last: dt.date
) -> list[str]:
    lines = []
    per_month = LISTINGS // 12
    for i in range(per_month):
        seller = sellers[int(rng.integers(len(sellers)))]
        day = dt.date(year, month, 1 + int(rng.integers(28)))
        if day > last:
            continue
        bad = (seller["bad"] and rng.random() < 0.5) or rng.random() < BAD_SHARE / 4
        title, description, price = (BAD if bad else GOODS)[
            int(rng.integers(len(BAD if bad else GOODS)))
        ]
        record = {
            "platform": seller["platform"],
            "shop": seller["shop"],
            "seller_id": seller["seller_id"],
            "claimed_uscc": seller["claimed_uscc"],
            "title": title,
            "description": description,
            "price": f"{price * (0.8 + 0.4 * rng.random()):.2f}",
            "url": f"https://item.example.com/{seller['seller_id']}/{month:02d}{i:04d}",
            "domain": seller["domain"],
            "ip": seller["ip"],
            "payment_account": seller["payment_account"],
            "logistics_company": ["顺丰速运", "中通快递", "圆通速递", "邮政EMS"][i % 4],
            "logistics_account": f"L{seller['seller_id']}",
            "captured_at": local_moment(day, 9 + i % 10).isoformat(),
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def _decide(actor: Officer, today: dt.date) -> dict[str, int]:
    """The division's decisions on some flagged sellers: tasks for local ones in business,
    referrals of the most hit others (some answered), dismissals of single hits."""
    done = {"task": 0, "referral": 0, "dismissed": 0}
    flagged = Seller.objects.filter(flagged=True, status=Seller.Status.PENDING)
    for seller in flagged.filter(uscc_check="active", hit_count__gt=0).order_by("pk")[:3]:
        with _quietly():
            services.decide_task(
                seller=seller, actor=actor, reason="网络监测发现违法线索", today=today
            )
            done["task"] += 1
    for n, seller in enumerate(
        flagged.filter(entity__isnull=True).order_by("-hit_count", "pk")[:8]
    ):
        to_kind = "platform" if n % 2 else "jurisdiction"
        name = f"{seller.platform}平台治理部门" if n % 2 else "卖家所在地市场监管局"
        with _quietly():
            referral = services.decide_referral(
                seller=seller, actor=actor, to_kind=to_kind, to_name=name, referred_on=today
            )
            done["referral"] += 1
            if n % 3 == 0:
                services.record_answer(
                    referral=referral,
                    actor=actor,
                    to="answered",
                    on=today,
                    answer="已下架违规商品并警示卖家",
                )
    for seller in flagged.filter(hit_count__lte=3, uscc_check__in=("none", "active")).order_by(
        "hit_count", "pk"
    )[:4]:
        with _quietly():
            services.dismiss(
                seller=seller, actor=actor, reason="经核实为正品授权经营，描述用语已整改"
            )
            done["dismissed"] += 1
    return done


@contextmanager
def _quietly() -> Iterator[None]:
    """A decision the rules refuse (an entity no longer in business…) is left undecided."""
    try:
        with transaction.atomic():
            yield
    except DomainError:
        pass


def build_online(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """A batch a month up to ``now``, each dated to its month's end; then the decisions."""
    actor = _staff()
    if actor is None:
        progress("网络交易监测：没有科室人员，跳过")
        return
    today = timezone.localdate(now)
    # Listings are captured and imported up to yesterday evening: nothing after now.
    yesterday = today - dt.timedelta(days=1)
    sellers = _sellers(rng)
    batches = 0
    with audit.acting_as(actor, source=AuditEvent.Source.IMPORT):
        for month in range(1, today.month + 1):
            lines = _month_lines(rng, sellers, month, today.year, yesterday)
            if not lines:
                continue
            with transaction.atomic():
                batch = import_batch(
                    data="\n".join(lines).encode(),
                    name=f"{today.year}-{month:02d}-listings.jsonl",
                    actor=actor,
                )
            last = min(dt.date(today.year, month, 28), yesterday)
            Batch.objects.filter(pk=batch.pk).update(imported_at=local_moment(last, 18))
            batches += 1
        with transaction.atomic():
            done = _decide(actor, today)
    flagged = Seller.objects.filter(flagged=True).count()
    progress(
        f"网络交易监测：{batches} 个批次，{Seller.objects.count()} 个卖家（标记 {flagged}），"
        f"转任务 {done['task']}、移送 {done['referral']}、排除 {done['dismissed']}"
    )
