"""The audit trail named suppressed addresses by the first characters of their hash, which
outlived the person's erasure: entries already written are named by number instead."""

from django.db import migrations


def rename_suppressions_in_the_trail(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    suppression = ContentType.objects.filter(app_label="mailings", model="suppression").first()
    if suppression is None:
        return
    for entry in LogEntry.objects.filter(content_type=suppression).only("object_pk"):
        LogEntry.objects.filter(pk=entry.pk).update(object_repr=f"#{entry.object_pk}")


class Migration(migrations.Migration):
    dependencies = [
        ('mailings', '0003_frozen_editions'),
        ("auditlog", "__latest__"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(rename_suppressions_in_the_trail, migrations.RunPython.noop),
    ]
