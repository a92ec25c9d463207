"""Fill the working-day calendar with the years the installed chinesecalendar knows."""

from django.db import migrations


def load(apps, schema_editor):
    from xiaoneng.core.calendar import load_from_chinesecalendar

    load_from_chinesecalendar(
        apps.get_model("core", "CalendarYear"), apps.get_model("core", "CalendarException")
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
