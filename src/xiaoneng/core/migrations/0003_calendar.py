"""Fill the working-day calendar with the years the installed chinesecalendar knows."""

from django.db import migrations


def load(apps, schema_editor):
    from chinese_calendar import constants

    from xiaoneng.core.calendar import HOLIDAY_NAMES

    year_model = apps.get_model("core", "CalendarYear")
    exception_model = apps.get_model("core", "CalendarException")
    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    year_model.objects.bulk_create(
        [year_model(year=y, source="chinesecalendar") for y in years], ignore_conflicts=True
    )
    rows = [
        exception_model(date=d, is_working_day=False, name=HOLIDAY_NAMES.get(n, n))
        for d, n in constants.holidays.items()
        if d.weekday() < 5
    ] + [
        exception_model(date=d, is_working_day=True, name=HOLIDAY_NAMES.get(n, n))
        for d, n in constants.workdays.items()
        if d.weekday() >= 5
    ]
    exception_model.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
