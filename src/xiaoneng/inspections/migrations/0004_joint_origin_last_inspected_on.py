"""A joint departmental inspection (部门联合检查) is an origin of its own, no longer 日常巡查
(its records are relabelled); and the register's ``Entity.last_inspected_on`` is filled from
the records signed before it existed: the latest visit day of each entity's signed records
(amendments included: the day only grows)."""

from django.db import migrations, models
from django.db.models import Max


def relabel_joint(apps, schema_editor):
    """Records of a joint inspection plan's tasks were labelled 日常巡查: their plan's kind."""
    Inspection = apps.get_model("inspections", "Inspection")
    Inspection.objects.filter(origin="patrol", task__plan__kind="joint").update(origin="joint")


def backfill(apps, schema_editor):
    """One grouped read of the latest day per entity, then one UPDATE per day and chunk of
    ids (a correlated sub-query per entity took minutes on SQLite at 20,000 entities)."""
    Entity = apps.get_model("registry", "Entity")
    Inspection = apps.get_model("inspections", "Inspection")
    latest = (
        Inspection.objects.filter(status="signed")
        .order_by()
        .values_list("entity_id")
        .annotate(day=Max("visited_on"))
    )
    by_day: dict = {}
    for entity_id, day in latest:
        if day is not None:
            by_day.setdefault(day, []).append(entity_id)
    for day, ids in by_day.items():
        for start in range(0, len(ids), 500):
            Entity.objects.filter(pk__in=ids[start : start + 500]).update(last_inspected_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_oversight_moved_out"),
        ("registry", "0006_entity_last_inspected_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inspection",
            name="origin",
            field=models.CharField(
                choices=[
                    ("patrol", "日常巡查"),
                    ("draw", "双随机抽查"),
                    ("campaign", "专项整治"),
                    ("joint", "部门联合检查"),
                    ("reinspection", "整改复查"),
                    ("complaint", "投诉举报"),
                    ("ad_hoc", "临时检查"),
                ],
                max_length=12,
                verbose_name="检查来源",
            ),
        ),
        migrations.RunPython(relabel_joint, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
