from django.db import migrations
from django.utils import timezone


def withdraw(apps, schema_editor):
    """Before the partner rule, the OSDI person_signup helper recorded a partner consent for
    any address a partner sent (source "osdi:<token>"): the person never chose it. Withdrawn,
    so such partners see only what they submitted until the person confirms (docs/security.md,
    "Partners and the API")."""
    Consent = apps.get_model("supporters", "Consent")
    Consent.objects.filter(
        purpose="partner", source__startswith="osdi:", withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("supporters", "0005_partner_people")]

    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
