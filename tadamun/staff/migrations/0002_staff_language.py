import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0001_enrolment_window"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffLanguage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(choices=[("en", "English"), ("ar", "Arabic"), ("fr", "French"), ("de", "German"), ("es", "Spanish"), ("tr", "Turkish")], max_length=8, verbose_name="language")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="staff_language", to=settings.AUTH_USER_MODEL, verbose_name="staff account")),
            ],
            options={
                "verbose_name": "staff member's language",
                "verbose_name_plural": "staff members' languages",
                "default_permissions": (),
            },
        ),
    ]
