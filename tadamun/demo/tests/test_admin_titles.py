"""The back office lists translatable content in the staff member's language (issue 18,
item 3): a petition and its campaign read in Arabic on the Arabic admin, as on the site."""

from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tadamun.core.admin import ReaderTitles
from tadamun.core.models import Translatable
from tadamun.events.models import Event
from tadamun.petitions.models import Petition
from tadamun.staff import roles


def test_every_list_of_translatable_titles_reads_them_in_the_staff_language():
    """A new admin listing translatable titles (or columns naming translatable objects) fails
    here until it takes ReaderTitles."""
    missing = []
    for model, model_admin in admin.site._registry.items():
        names = [name for name in model_admin.list_display if isinstance(name, str)]
        own_title = issubclass(model, Translatable) and "title" in names
        related = [
            name
            for name in names
            if name in {f.name for f in model._meta.get_fields()}
            and (field := model._meta.get_field(name)).is_relation
            and issubclass(field.related_model or object, Translatable)
        ]
        if (own_title or related) and not isinstance(model_admin, ReaderTitles):
            missing.append(model._meta.label)
    assert missing == []


def test_the_arabic_admin_lists_petitions_and_events_with_arabic_titles(
    demo_loaded, db, make_staff
):
    client = Client()
    client.force_login(make_staff(roles.COALITION_ADMIN, username="arabic-admin"))

    page = client.get("/ar" + reverse("admin:petitions_petition_changelist")[3:])
    html = page.content.decode()
    assert page.status_code == 200
    for petition in Petition.objects.select_related("campaign"):
        assert escape(petition.localized("ar").title) in html
        assert escape(petition.campaign.localized("ar").title) in html

    html = client.get("/ar" + reverse("admin:events_event_changelist")[3:]).content.decode()
    for event in Event.objects.select_related("day")[:5]:
        assert escape(event.day.localized("ar").title) in html
