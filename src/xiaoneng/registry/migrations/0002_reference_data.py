"""GB/T 4754-2017 industries, and the default risk-class rule table (篇2)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754_2017.csv"

# 篇2: Ⅰ类 涉及食品、危险化学品等行业; Ⅱ类 涉及前置审批; Ⅲ类 其余。
INDUSTRY_RULES = [
    ("C13", "I", "农副食品加工业：食品"),
    ("C14", "I", "食品制造业：食品"),
    ("C15", "I", "酒、饮料和精制茶制造业：食品"),
    ("C26", "I", "化学原料和化学制品制造业：危险化学品"),
    ("F512", "I", "食品、饮料及烟草制品批发：食品"),
    ("F5167", "I", "农药批发：危险化学品"),
    ("F5169", "I", "其他化工产品批发：危险化学品"),
    ("F5212", "I", "超级市场零售：食品"),
    ("F5213", "I", "便利店零售：食品"),
    ("F522", "I", "食品、饮料及烟草制品专门零售：食品"),
    ("F5265", "I", "机动车燃油零售：危险化学品"),
    ("F5266", "I", "机动车燃气零售：危险化学品"),
    ("F5296", "I", "生活用燃料零售：危险化学品"),
    ("H62", "I", "餐饮业：食品"),
    ("F5112", "II", "种子批发：种子生产经营许可（前置审批）"),
    ("F515", "II", "医药及医疗器材批发：药品经营许可（前置审批）"),
    ("F525", "II", "医药及医疗器材专门零售：药品经营许可（前置审批）"),
]
LICENCE_RULES = [
    ("food_business", "I", "食品经营许可"),
    ("food_production", "I", "食品生产许可"),
    ("hazardous_chemicals", "I", "危险化学品经营许可"),
    ("refined_oil", "I", "成品油零售经营批准"),
    ("drug_retail", "II", "前置审批：药品经营许可"),
    ("medical_device", "II", "前置审批：医疗器械经营许可"),
    ("pesticide", "II", "前置审批：农药经营许可"),
    ("seed", "II", "前置审批：种子生产经营许可"),
    ("tobacco", "II", "前置审批：烟草专卖许可"),
    ("alcohol", "II", "前置审批：酒类商品零售许可"),
    ("publication", "II", "前置审批：出版物经营许可"),
    ("industrial_product", "II", "前置审批：工业产品生产许可"),
    ("other", "II", "其他前置审批许可"),
]


def load(apps, schema_editor):
    industry = apps.get_model("registry", "Industry")
    with open(DATA, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    industry.objects.bulk_create(
        [
            industry(
                code=r["code"], name=r["name"], level=int(r["level"]), parent_id=r["parent"] or None
            )
            for r in rows
        ],
        batch_size=500,
    )
    rule = apps.get_model("registry", "RiskClassRule")
    rule.objects.bulk_create(
        [rule(match="industry", pattern=p, risk_class=c, note=n) for p, c, n in INDUSTRY_RULES]
        + [rule(match="licence", pattern=p, risk_class=c, note=n) for p, c, n in LICENCE_RULES]
    )


def unload(apps, schema_editor):
    apps.get_model("registry", "RiskClassRule").objects.all().delete()
    apps.get_model("registry", "Industry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
