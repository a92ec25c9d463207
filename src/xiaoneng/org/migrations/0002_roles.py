"""The five roles of DESIGN.md."""

from django.db import migrations

ROLES = {
    "grid_officer": "责任区干部",
    "station_director": "所长",
    "division_staff": "科室人员",
    "bureau_leader": "局领导",
    "administrator": "系统管理员",
}


def create_roles(apps, schema_editor):
    role = apps.get_model("org", "Role")
    role.objects.bulk_create(
        [role(code=c, name=n) for c, n in ROLES.items()], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
