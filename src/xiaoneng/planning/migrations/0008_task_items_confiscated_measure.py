from django.db import migrations, models


# Tasks recorded before the measure was asked for counted their goods in 件, as the campaign
# page then labelled them; new tasks leave it blank until something is confiscated.
class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0007_draw_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="items_confiscated_measure",
            field=models.CharField(
                blank=True,
                default="件",
                help_text="如：件、份、千克、箱",
                max_length=10,
                verbose_name="计量单位",
            ),
            preserve_default=False,
        ),
    ]
