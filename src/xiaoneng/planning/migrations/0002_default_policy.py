"""Policy version 1, the documented defaults (docs/policy.md), in force since 2000-01-01."""

import datetime as dt

from django.db import migrations


def create(apps, schema_editor):
    from xiaoneng.planning.policy.services import DEFAULTS

    policy_model = apps.get_model("planning", "Policy")
    cell_model = apps.get_model("planning", "PolicyCell")
    if policy_model.objects.exists():
        return
    policy = policy_model.objects.create(
        version=1, effective_from=dt.date(2000, 1, 1), note="默认政策（来源见 docs/policy.md）"
    )
    cell_model.objects.bulk_create(
        cell_model(
            policy=policy,
            risk_class=risk_class,
            credit_grade=grade,
            distance=t.distance,
            patrol_interval_days=t.patrol_interval_days,
            draw_ratio=t.draw_ratio,
        )
        for risk_class, grades in DEFAULTS.items()
        for grade, t in grades.items()
    )


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
