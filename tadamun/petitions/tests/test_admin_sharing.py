"""The petition's admin page gives what a partner needs to spread it: the embed code and the
link, plain and with each partner's `source` code."""

from html import unescape

from django.conf import settings
from django.test import Client

from tadamun.staff import roles


def test_the_admin_shows_the_embed_code_and_links_with_source_codes(
    petition, make_endorsement, make_staff
):
    partner = make_endorsement("Amal Network", "FR").organisation
    partner.partner_code = "amal"
    partner.save()
    admin = Client()
    admin.force_login(make_staff(roles.COALITION_ADMIN))
    response = admin.get(f"/en/admin/petitions/petition/{petition.pk}/change/")
    page = unescape(response.content.decode())
    address = f"{settings.SITE_URL}/en/petitions/{petition.slug}/"
    assert f'value="{address}"' in page
    assert f'value="{address}?source=amal"' in page
    assert f'<iframe src="{address}embed/?source=amal"' in page
    assert f'<iframe src="{address}embed/"' in page
