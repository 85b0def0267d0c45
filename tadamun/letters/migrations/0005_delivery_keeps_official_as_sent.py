from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def name_past_deliveries(apps, schema_editor):
    """Past deliveries are named as their official is named now: the best record there is."""
    Delivery = apps.get_model("letters", "Delivery")
    Target = apps.get_model("letters", "Target")
    target = Target.objects.filter(pk=OuterRef("target_id"))
    Delivery.objects.update(
        target_name=Subquery(target.values("name")[:1]),
        target_title=Subquery(target.values("role")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0004_letter_template_optional_parts_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="target_name",
            field=models.CharField(
                default="",
                editable=False,
                max_length=120,
                verbose_name="official's name when sent",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="delivery",
            name="target_title",
            field=models.CharField(
                default="",
                editable=False,
                max_length=160,
                verbose_name="official's title when sent",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(name_past_deliveries, migrations.RunPython.noop),
    ]
