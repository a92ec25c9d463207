"""The starter checklists (监管检查项目清单, 篇8): version 1 of each file in checklists/data/.

Reversing removes those versions 1 only; a version an inspection has used is protected and the
reversal stops there.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "checklists" / "data"


def starter_files():
    return sorted(DATA.glob("*.json"))


def load(apps, schema_editor):
    checklist_model = apps.get_model("inspections", "Checklist")
    item_model = apps.get_model("inspections", "ChecklistItem")
    for path in starter_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        if checklist_model.objects.filter(code=data["code"]).exists():
            continue
        checklist = checklist_model.objects.create(
            code=data["code"],
            version=data.get("version", 1),
            title=data["title"],
            kind=data["kind"],
            industry_prefixes=data.get("industry_prefixes", ""),
            description=data.get("description", ""),
            effective_on=dt.date.fromisoformat(data["effective_on"]),
        )
        item_model.objects.bulk_create(
            item_model(
                checklist=checklist,
                number=item["number"],
                position=position,
                title=item["title"],
                method=item["method"],
                legal_basis=item["legal_basis"],
                severity=item["severity"],
            )
            for position, item in enumerate(data["items"], start=1)
        )


def unload(apps, schema_editor):
    checklist_model = apps.get_model("inspections", "Checklist")
    codes = [json.loads(p.read_text(encoding="utf-8"))["code"] for p in starter_files()]
    for checklist in checklist_model.objects.filter(code__in=codes, version=1):
        checklist.items.all().delete()
        checklist.delete()


class Migration(migrations.Migration):
    # 0001_initial is what this needs; 0002_sampling_follow_up_dates was made alongside it in
    # the same issue, and depending on it keeps the app's migrations one line (a single leaf).
    dependencies = [
        ("inspections", "0001_initial"),
        ("inspections", "0002_sampling_follow_up_dates"),
    ]
    operations = [migrations.RunPython(load, unload)]
