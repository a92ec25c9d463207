"""The default credit feedback table: which events lower a credit grade, and how far."""

from django.db import migrations

# (trigger, grade at most, automatic, basis). A person confirms all but the clearest cases.
RULES = [
    ("finding_major", "B", False, "检查发现较重问题：基本诚信（篇2 信用分类）"),
    ("finding_critical", "C", False, "检查发现严重问题：轻微失信，经确认"),
    ("rectification_overdue", "C", False, "责令整改逾期未改：轻微失信，经确认"),
    ("case_filed", "C", False, "立案查处：轻微失信，经确认"),
    ("case_penalised", "C", True, "受到行政处罚：轻微失信（处罚决定即为依据）"),
    ("major_case", "D", False, "大要案：严重失信，经确认"),
    ("sample_failed", "C", False, "监督抽查不合格：轻微失信，经确认"),
    ("exit_operating", "D", False, "注销（吊销）后仍在经营：严重失信，经确认"),
]


def load(apps, schema_editor):
    CreditRule = apps.get_model("registry", "CreditRule")
    for trigger, grade, automatic, note in RULES:
        CreditRule.objects.update_or_create(
            trigger=trigger, defaults={"grade": grade, "automatic": automatic, "note": note}
        )


def unload(apps, schema_editor):
    apps.get_model("registry", "CreditRule").objects.filter(
        trigger__in=[r[0] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_creditrule_creditproposal")]
    operations = [migrations.RunPython(load, unload)]
