"""The starter library measured on the evaluation set: precision and recall per category.

A text counts as a true positive for a category when the category is expected and found, a
false positive when found and not expected, a false negative when expected and not found.
The floors sit just below what was measured (docs/textscan/quality.md); they keep the figures
from regressing. The evaluation set is not to be edited to fit the library.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from xiaoneng.textscan import AD_KINDS, CATEGORIES, TARGETS, Scanner, dump_yaml, load_yaml

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "src" / "xiaoneng" / "textscan" / "data" / "starter.yaml"
DATA = Path(__file__).resolve().parent / "data"

# category → (precision floor, recall floor) on evaluation.jsonl
FLOORS = {
    "absolute": (0.95, 0.95),
    "medical_claim": (0.95, 0.95),
    "guarantee": (0.92, 0.95),
    "state_organ": (0.95, 0.95),
    "false_misleading": (0.95, 0.85),
    "superstition": (0.95, 0.85),
    "minors": (0.95, 0.95),
    "prohibited_goods": (0.95, 0.95),
}
# The held-out set (real wording gathered after the library was written): overall floors only.
HOLDOUT_FLOORS = (0.90, 0.80)


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    target: str
    kind: str | None
    expected: frozenset[str]
    source: str


@dataclass
class Score:
    tp: Counter[str]
    fp: Counter[str]
    fn: Counter[str]
    lawful_flagged: int

    def precision(self, category: str) -> float:
        found = self.tp[category] + self.fp[category]
        return self.tp[category] / found if found else 1.0

    def recall(self, category: str) -> float:
        expected = self.tp[category] + self.fn[category]
        return self.tp[category] / expected if expected else 1.0

    def micro(self) -> tuple[float, float]:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        return tp / (tp + fp), tp / (tp + fn)


@cache
def scanner() -> Scanner:
    return Scanner.compile(load_yaml(STARTER.read_text(encoding="utf-8")))


def rows(name: str) -> list[Row]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        out.append(
            Row(
                item["id"],
                item["text"],
                item["target"],
                item["kind"],
                frozenset(item["expected"]),
                item["source"],
            )
        )
    return out


def score(name: str) -> Score:
    result = Score(Counter(), Counter(), Counter(), 0)
    data = rows(name)
    for row in data:
        found = {v.category for v in scanner().scan(row.text, target=row.target, kind=row.kind)}
        for category in found & row.expected:
            result.tp[category] += 1
        for category in found - row.expected:
            result.fp[category] += 1
        for category in row.expected - found:
            result.fn[category] += 1
        if found and not row.expected:
            result.lawful_flagged += 1
    return result


@cache
def evaluation() -> Score:
    return score("evaluation.jsonl")


def test_starter_library_is_large_and_covers_every_category() -> None:
    library = load_yaml(STARTER.read_text(encoding="utf-8"))
    assert len(library.rules) >= 25
    assert scanner().term_count >= 600
    assert {rule.category for rule in library.rules} == set(CATEGORIES)
    for rule in library.rules:
        assert rule.law.startswith("《"), rule.id
        assert rule.note, rule.id


def test_starter_library_round_trips_through_yaml() -> None:
    library = load_yaml(STARTER.read_text(encoding="utf-8"))
    assert load_yaml(dump_yaml(library)) == library


@pytest.mark.parametrize("name", ["evaluation.jsonl", "holdout.jsonl"])
def test_evaluation_set_is_well_formed(name: str) -> None:
    data = rows(name)
    assert len({row.id for row in data}) == len(data)
    assert len({row.text for row in data}) == len(data)
    for row in data:
        assert row.text.strip() and row.source.strip(), row.id
        assert row.target in TARGETS, row.id
        assert row.kind is None or row.kind in AD_KINDS, row.id
        assert row.expected <= set(CATEGORIES), row.id


def test_evaluation_set_is_large_and_about_half_lawful() -> None:
    data = rows("evaluation.jsonl")
    lawful = sum(1 for row in data if not row.expected)
    assert len(data) >= 300
    assert 0.4 <= lawful / len(data) <= 0.6
    assert {c for row in data for c in row.expected} == set(CATEGORIES)
    assert any(row.target == "listing" for row in data)


@pytest.mark.parametrize("category", list(FLOORS))
def test_precision_and_recall_do_not_regress(category: str) -> None:
    result = evaluation()
    precision_floor, recall_floor = FLOORS[category]
    assert result.precision(category) >= precision_floor, (category, result.fp[category])
    assert result.recall(category) >= recall_floor, (category, result.fn[category])


def test_lawful_texts_are_rarely_flagged() -> None:
    lawful = sum(1 for row in rows("evaluation.jsonl") if not row.expected)
    assert evaluation().lawful_flagged / lawful <= 0.03


def test_holdout_figures_do_not_regress() -> None:
    precision, recall = score("holdout.jsonl").micro()
    assert precision >= HOLDOUT_FLOORS[0]
    assert recall >= HOLDOUT_FLOORS[1]


@pytest.mark.parametrize("text", ["路口交通", "三黄片", "然后", "女装", "三黄片 清热解毒 OTC"])
@pytest.mark.parametrize("target", ["ad", "listing"])
def test_classic_false_positives_are_not_flagged(text: str, target: str) -> None:
    assert scanner().scan(text, target=target) == []


@pytest.mark.parametrize(
    "text",
    [
        "本品最佳食用期为开封后7天内",
        "最佳赏味期：生产之日起30天",
        "我们力争第一，服务至上",
        "质量第一，顾客第一",
        "本店最新款秋冬外套已上架",
        "西湖龙井特级",
        "第一次购买的顾客可领取新人券",
        "第一天打卡，第一步注册",
        "最近天气转凉",
        "最后，感谢各位顾客",
        "最初的梦想",
        "国家级非物质文化遗产",
        "最高人民法院发布典型案例",
        "保健食品不是药物，不能代替药物治疗疾病",
        "理财有风险，本产品不保本，不保证收益",
        "招财猫摆件",
        "快递已到达转运站",
        "象牙白 陶瓷餐具",
        "手枪钻 锂电",
        "床上用品四件套",
        "无毒无害 儿童积木",
        "解压神器 捏捏乐",
        "除螨喷雾 床上用",
        "违法事实及要求",
        "三体第一部 精装",
        "最大值与最小值之比",
    ],
)
def test_lawful_contexts_are_passed(text: str) -> None:
    assert scanner().scan(text, target="ad", kind="general") == []
    assert scanner().scan(text, target="listing") == []


@pytest.mark.parametrize(
    ("text", "category", "match"),
    [
        ("最*好的礼物", "absolute", "最*好"),
        ("ＮＯ．１品牌", "absolute", "ＮＯ．１"),
        ("最佳品質", "absolute", "最佳"),
        ("全网第-一", "absolute", "全网第-一"),
        ("有效率高达98%", "medical_claim", "有效率高达98%"),
        ("保 过 班", "guarantee", "保 过 班"),
    ],
)
def test_evasions_are_caught_at_their_original_span(text: str, category: str, match: str) -> None:
    found = scanner().scan(text, target="ad", kind="general")
    assert any(v.category == category and v.match == match for v in found), found
    for violation in found:
        assert text[violation.start : violation.end] == violation.match


def test_medical_claims_are_lawful_in_medical_ads_but_cure_rates_are_not() -> None:
    assert scanner().scan("白内障超声乳化手术", target="ad", kind="medical") == []
    assert [v.category for v in scanner().scan("白内障手术", target="ad", kind="food")]
    found = scanner().scan("治愈率达到95%以上", target="ad", kind="medical")
    assert {v.category for v in found} == {"medical_claim"}


def test_prohibited_goods_rules_apply_to_listings_only() -> None:
    assert scanner().scan("象牙手镯 老料", target="ad", kind="general") == []
    found = scanner().scan("象牙手镯 老料", target="listing")
    assert {v.rule for v in found} == {"PRO-003"}


@pytest.mark.parametrize(
    "text",
    [
        "2023年度京东平台空气炸锅品类销量第一（数据来源：京东商城销售统计）",
        "2022年国内市场占有率第一（据中国家用电器协会《2022年度行业报告》统计）",
        "荣获国家级技术创新示范企业称号（工业和信息化部2021年认定）",
        "国家级一等奖由国务院于2019年颁发",
        "累计销量突破1000万台（数据来源：奥维云网零售监测）",
        "92%的用户表示满意（数据来源：2023年第三方问卷调查，样本量2000）",
        # Sources and awarding bodies written before the claim (context exceptions, 2026.12.3).
        "据欧睿国际2023年统计，本品牌销量第一",
        "据歐睿國際2023年統計，本品牌銷量第一",
        "经工业和信息化部认定为国家级技术创新示范企业",
        "农业农村部2022年认定的国家级重点龙头企业",
        "据奥维云网2023年零售监测数据，累计销量突破1000万台",
        # A footnote mark and the source further on.
        "销量第一*。全屋智能规划，续航180分钟，适合大户型家庭。*数据来源：天猫平台2023年销售统计",
    ],
)
def test_facts_cited_with_their_source_are_passed(text: str) -> None:
    assert scanner().scan(text, target="ad", kind="general") == []


@pytest.mark.parametrize(
    ("text", "rule", "match"),
    [
        ("全网销量第一的空气炸锅", "ABS-004", "销量第一"),
        ("连续五年销量冠军", "ABS-004", "销量冠军"),
        ("国家级配方", "ABS-003", "国家级"),
        # A source before the claim must name it, in the same sentence.
        ("据统计，本品牌销量第一", "ABS-004", "销量第一"),
        ("据欧睿国际统计。另据本店测算，本品牌销量第一", "ABS-004", "销量第一"),
        ("本品牌销量第一。", "ABS-004", "销量第一"),
        ("国家级工艺，由我们自己打造", "ABS-003", "国家级"),
        ("国 家 级配方", "ABS-003", "国 家 级"),
        # A bracket that names no awarding body is not a citation.
        ("国家级品质（限时特惠）", "ABS-003", "国家级"),
        ("累计销量突破1000万台", "FAL-008", "销量突破1000万台"),
        ("已有500万家庭的选择", "FAL-008", "500万家庭的选择"),
        ("院士团队联合推荐", "FAL-007", "院士团队联合推荐"),
        ("患者王先生服用三个月后血糖稳定了", "MED-005", "患者王先生服用三个月后血糖稳定了"),
    ],
)
def test_facts_without_a_source_and_endorsements_are_reported(
    text: str, rule: str, match: str
) -> None:
    found = scanner().scan(text, target="ad", kind="general")
    assert any(v.rule == rule and v.match == match for v in found), found


def test_sales_figures_of_listings_are_not_checked_for_a_source() -> None:
    assert scanner().scan("月销1万+ 已售10万件", target="listing") == []
