"""Every role against the dashboard, on the demo site: each panel it is shown, and every link
in it, is a page the role may open."""

import re

import pytest

from tadamun.staff import dashboard, roles
from tadamun.staff.tests.test_dashboard import ADMIN, client_for
from tadamun.staff.tests.test_role_matrix import ROLES, user_in

PANEL = re.compile(r'<section class="module dashboard-panel".*?</section>', re.S)


def panel_links(content: str) -> list[str]:
    panels = "".join(PANEL.findall(content))
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', panels)]


def panels(content: str) -> set[str]:
    return set(re.findall(r'id="panel-([a-z]+)"', content))


@pytest.mark.parametrize("role", ROLES)
def test_every_figure_of_every_role_opens_the_list_behind_it(role, demo, make_staff):
    """The class test: every panel a role is shown, and every link in it, is a page the role
    may open (a panel appears only with the rights its lists need)."""
    user = user_in(role, make_staff)
    client = client_for(user)
    response = client.get(ADMIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert panels(content) == {p.name for p in dashboard.PANELS if p.visible(user)}
    for link in panel_links(content):
        assert client.get(link).status_code == 200, link


def test_each_role_sees_its_own_dashboard(demo, make_staff):
    seen = {
        role: panels(client_for(user_in(role, make_staff)).get(ADMIN).content.decode())
        for role in ROLES
    }
    assert seen[roles.MODERATOR] == {"moderation"}
    assert {"campaigns", "mailings", "system", "moderation"} <= seen[roles.COALITION_ADMIN]
    assert seen[roles.TRANSLATOR] == {"translations"}
    # Their organisations' mailings being sent; no translation counts over everyone's.
    assert seen[roles.ORGANISER] == {"organisations", "mailings"}
    assert seen[roles.NO_ROLE] == set()
