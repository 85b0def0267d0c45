"""The confirm-by-email kit (core.confirmation): every emailed link goes through it, and no
app's services and tasks import each other."""

import ast
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tadamun

APPS = Path(tadamun.__file__).parent


def _modules_imported(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
    return imported


def _apps_with_services_and_tasks() -> list[str]:
    return sorted(
        folder.name
        for folder in APPS.iterdir()
        if (folder / "services.py").exists() and (folder / "tasks.py").exists()
    )


@pytest.mark.parametrize("app", _apps_with_services_and_tasks())
def test_an_apps_tasks_do_not_import_its_services_when_its_services_import_its_tasks(app):
    """Services queue tasks, so tasks must not reach back into services (for a token or
    anything else): the shared pieces live in the app's models or links modules. (The
    petitions intake worker is the other way round: its task records through the services,
    and the services never queue it; the sign form does, through petitions.submissions.)"""
    services, tasks = f"tadamun.{app}.services", f"tadamun.{app}.tasks"
    services_import_tasks = tasks in _modules_imported(APPS / app / "services.py")
    tasks_import_services = services in _modules_imported(APPS / app / "tasks.py")
    assert not (services_import_tasks and tasks_import_services)


def _reached(app: str, start: str) -> set[str]:
    """The app's own modules that `start` imports, directly or through its other modules."""
    modules = {f"tadamun.{app}.{path.stem}": path for path in (APPS / app).glob("*.py")}
    reached: set[str] = set()
    waiting = [start]
    while waiting:
        for module in _modules_imported(modules[waiting.pop()]) & modules.keys() - reached:
            reached.add(module)
            waiting.append(module)
    return reached


@pytest.mark.parametrize("app", _apps_with_services_and_tasks())
def test_no_import_cycle_between_an_apps_services_and_tasks_through_its_other_modules(app):
    """Not through a third module either (tasks importing a module that imports services)."""
    services, tasks = f"tadamun.{app}.services", f"tadamun.{app}.tasks"
    assert not (tasks in _reached(app, services) and services in _reached(app, tasks))


def test_the_walk_finds_the_apps_that_have_both():
    assert {"petitions", "coalition", "events", "letters", "supporters", "mailings"} <= set(
        _apps_with_services_and_tasks()
    )


def _token_routes(resolver=None, prefix=""):
    """(route, view) of every URL that takes an emailed link's token."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _token_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and "<str:token>" in route:
            yield route, pattern.callback


TOKEN_ROUTES = sorted(_token_routes(), key=lambda item: item[0])


def test_the_walk_finds_every_emailed_link():
    assert len(TOKEN_ROUTES) >= 12


@pytest.mark.parametrize("route,view", TOKEN_ROUTES, ids=[route for route, _ in TOKEN_ROUTES])
def test_every_emailed_link_is_read_through_the_kit(route, view):
    """A view reached by a token is declared with core.confirmation.link_view (or
    confirm_view): one reader of tokens, one invalid-link page."""
    assert getattr(view, "confirm_link", None) is not None, route


@pytest.mark.django_db
@pytest.mark.parametrize("route,view", TOKEN_ROUTES, ids=[route for route, _ in TOKEN_ROUTES])
def test_a_forged_link_gets_the_one_invalid_link_page(client, route, view):
    path = "/en/" + route.split("/", 1)[1].replace("<str:token>", "forged-token")
    response = client.get(path)
    if response.status_code == 405:  # a link's form posts here
        response = client.post(path)
    assert response.status_code == 400
    assert [t.name for t in response.templates][0] == "core/link_invalid.html"
    assert "no-cache" in response["Cache-Control"]


def test_every_honeypot_field_comes_from_the_mixin():
    """The field bots fill is declared once (core.confirmation.HoneypotMixin)."""
    from django import forms

    from tadamun.core.confirmation import HoneypotMixin

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    honeypots = [
        form
        for form in subclasses(forms.Form)
        if hasattr(form, "is_bot") and form.__module__.startswith("tadamun.")
    ]
    assert honeypots
    for form in honeypots:
        assert issubclass(form, HoneypotMixin), form


@pytest.mark.django_db
def test_a_link_names_its_object_until_what_it_was_sent_for_changes(sign, settings):
    from tadamun.petitions.links import CONFIRM_SIGNATURE
    from tadamun.petitions.models import Signature

    signature = sign("amal@example.org")
    token = CONFIRM_SIGNATURE.token(signature)
    assert CONFIRM_SIGNATURE.read(token) == signature
    assert CONFIRM_SIGNATURE.read(token + "x") is None  # mangled
    Signature.objects.filter(pk=signature.pk).update(comment="resubmitted")
    assert CONFIRM_SIGNATURE.read(token) is None  # sent for other content
    Signature.objects.filter(pk=signature.pk).update(status=Signature.Status.CONFIRMED)
    assert CONFIRM_SIGNATURE.read(token) == signature  # confirmed: the link just says so
    settings.CONFIRMATION_LINK_MAX_AGE = -1  # read when the link is read
    assert CONFIRM_SIGNATURE.read(token) is None


@pytest.mark.django_db
def test_a_link_without_max_age_never_expires(sign, settings):
    from tadamun.supporters.links import MY_DATA, UNSUBSCRIBE

    supporter = sign("amal@example.org", confirm=True).supporter
    settings.MY_DATA_LINK_MAX_AGE = settings.CONFIRMATION_LINK_MAX_AGE = -1
    assert MY_DATA.read(MY_DATA.token(supporter)) is None
    assert UNSUBSCRIBE.read(UNSUBSCRIBE.token(supporter)) == supporter


@pytest.mark.django_db
def test_a_honeypot_is_the_last_field_and_a_filled_one_marks_a_bot():
    from tadamun.petitions.forms import SignForm

    form = SignForm({"name": "Amal", "email": "a@example.org", "country": "FR", "website": "x"})
    assert list(form.fields)[-1] == "website"
    assert form.is_valid() and form.is_bot()
