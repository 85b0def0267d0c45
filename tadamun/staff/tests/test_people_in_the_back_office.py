"""People in the back office (issue 18 item 4): those who read people see each supporter's
name, consents, tags and activity, find them by exact email address, and leave a line in the
audit trail for each person shown; every other role crawls the whole back office, dashboard
included, and meets no name and no email address of anyone."""

import re
from collections import Counter
from html import unescape

import pytest

from tadamun.core.crypto import EncryptedTextField
from tadamun.staff import roles
from tadamun.staff.tests.test_dashboard import ADMIN, client_for
from tadamun.staff.tests.test_role_matrix import ROLES, user_in
from tadamun.supporters import registry
from tadamun.supporters.models import Supporter

SUPPORTERS = "/en/admin/supporters/supporter/"
MARKER = "qzxv"  # in every name and address below, and in no word of any language
LINK = re.compile(r'href="(/en/admin/[^"#]*)"')
NOT_A_PAGE = ("/en/admin/logout/", "/en/admin/jsi18n/")


def people_fields():
    """Every encrypted name or address of the personal data about supporters (as the apps
    declare it): the fields a role that may not read people must never be shown."""
    for declared in registry.personal_data_models():
        if declared.about_supporters:
            for field in declared.model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField) and re.search("name|email", field.name):
                    yield declared.model, field.name


def mark_everyone():
    for model, field in people_fields():
        value = f"{MARKER}@people.example" if "email" in field else f"{MARKER.title()} Person"
        model.objects.update(**{field: value})


def crawl(client, start=ADMIN, per_kind=2) -> dict[str, str]:
    """Every back-office page reachable from `start` by links, at most `per_kind` of each kind
    (the same path with other numbers or another query)."""
    seen, kinds, pages, todo = set(), Counter(), {}, [start]
    while todo:
        url = todo.pop(0)
        kind = re.sub(r"\d+", "N", url.split("?")[0]) + ("?" if "?" in url else "")
        if url in seen or kinds[kind] >= per_kind or url.startswith(NOT_A_PAGE):
            continue
        seen.add(url)
        kinds[kind] += 1
        response = client.get(url)
        assert response.status_code in (200, 302, 403), f"{url} → {response.status_code}"
        if response.status_code == 200 and "html" in response["Content-Type"]:
            pages[url] = response.content.decode()
            todo += [unescape(link) for link in LINK.findall(pages[url])]
    return pages


ROLES_WITHOUT_PEOPLE = [
    role
    for role in ROLES
    if role != roles.SUPERUSER and roles.READS_PEOPLE not in roles.ROLE_PERMISSIONS.get(role, [])
]


@pytest.mark.parametrize("role", ROLES_WITHOUT_PEOPLE)
def test_a_role_that_may_not_read_people_meets_no_name_or_email_anywhere(
    role, demo, make_staff, make_endorsement
):
    make_endorsement("Amal Network", status="pending")
    mark_everyone()
    assert set(people_fields()) >= {(Supporter, "name"), (Supporter, "email")}
    pages = crawl(client_for(user_in(role, make_staff)))
    assert ADMIN in pages
    leaks = [url for url, content in pages.items() if MARKER in content.lower()]
    assert not leaks, leaks


def test_the_crawl_finds_people_where_a_reader_may_see_them(demo, make_staff):
    """The crawl above would see a name if one were shown: a coalition admin's crawl does."""
    mark_everyone()
    pages = crawl(client_for(user_in(roles.COALITION_ADMIN, make_staff)))
    assert any(MARKER in content.lower() for content in pages.values())
