"""Shared test set-up: fast hashing, tasks run at once, plain static files, small factories."""

import os
import socket
import tempfile
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.signals import setting_changed
from django.db import transaction


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run inside the request that enqueues them, so a test sees their effect (mail in
    # the outbox) at once; tests of the queue itself switch to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Django is already set up (the admin's import made the task backends): let them reload.
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    # Tests read static files from the source tree, not from a collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    # Keys from the settings (tadamun.vault.holder), even where var/ was sealed by `make demo`;
    # the vault's own tests switch to its in-process holder.
    if settings.VAULT_MODE != "settings":
        from cryptography.fernet import Fernet

        settings.VAULT_MODE = "settings"
        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
        settings.HASH_KEY = "a test hash key"
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # A file, not memory: concurrent writers then queue on SQLite's lock (WAL, busy
        # timeout) as they do in production, so the concurrency tests run on SQLite too.
        test_db = Path(tempfile.mkdtemp(prefix="tadamun-test-db-")) / "test.sqlite3"
        settings.DATABASES["default"]["TEST"]["NAME"] = str(test_db)
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="tadamun-test-media-")
    # Pages show what the test just did; caching is tested on its own.
    settings.PETITION_PAGE_CACHE_SECONDS = 0
    settings.EVENTS_PAGE_CACHE_SECONDS = 0
    settings.INTAKE_KICK_SECONDS = 0  # every signature is recorded at once
    settings.OUTBOX_KICK_SECONDS = 0  # and every link sent at once
    # Argon2id at its lowest cost wherever a test seals or unlocks the vault (64 MiB and 3
    # passes each time would cost seconds): here, and in the processes tests start.
    for name, value in (("VAULT_ARGON2_TIME_COST", 1), ("VAULT_ARGON2_MEMORY_KIB", 1024)):
        setattr(settings, name, value)
        os.environ[name] = str(value)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        _empty_tables_by_delete()


def _empty_tables_by_delete():
    """After each test that commits (transaction=True), pytest-django empties the tables with
    Django's flush: on PostgreSQL one TRUNCATE of ~100 tables, which recreates each table's
    files and costs seconds. DELETE of the few rows a test leaves, all foreign keys deferred
    to the commit (Django makes them DEFERRABLE), empties the same tables in a tenth of that."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"DELETE FROM {self.quote_name(table)}"  # noqa: S608 - the schema's own names
            for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


@pytest.fixture
def drawn_plainly(monkeypatch):
    """`with drawn_plainly():` pages drawn inside take none of the shortcuts that make them
    cheaper (widgets written in Python; layout parts, unbound forms, charts, link previews
    and share links drawn once per process): a test compares the bytes of both drawings."""
    from django.test import override_settings

    from tadamun.core.templatetags import tadamun
    from tadamun.core.templatetags.tadamun import LayoutNode
    from tadamun.petitions import charts

    @contextmanager
    def plainly():
        with (
            monkeypatch.context() as patch,
            override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"),
        ):
            plain = lambda node, context: node.nodelist.render(context)  # noqa: E731
            patch.setattr(LayoutNode, "render", plain)
            patch.setattr(tadamun.UnboundFormNode, "render", plain)
            patch.setattr(charts, "_drawn", charts._drawn.__wrapped__)
            patch.setattr(tadamun, "_share_meta", tadamun._share_meta.__wrapped__)
            patch.setattr(tadamun, "_share_box", tadamun._share_box.__wrapped__)
            yield

    return plainly


@pytest.fixture
def campaign(db):
    from tadamun.coalition.models import Campaign

    return Campaign.objects.create(
        slug="open-borders",
        title="Open the borders",
        summary="Protect the civilians.",
        body="We call on governments to **open the borders**.",
        status=Campaign.Status.ACTIVE,
        featured_position=1,  # it leads the home page
    )


@pytest.fixture
def make_endorsement(campaign):
    """make_endorsement("Org name", "FR", status="approved") → an Endorsement."""
    from tadamun.coalition.models import Endorsement, Organisation

    def make(name="Amal Network", country="FR", *, status="approved", on=None, message=""):
        organisation, _ = Organisation.objects.get_or_create(
            name=name, country=country, defaults={"kind": Organisation.Kind.NGO}
        )
        return Endorsement.objects.create(
            campaign=on or campaign,
            organisation=organisation,
            contact_name="Rania",
            contact_email=f"contact@{name.split()[0].lower()}.example",
            language="en",
            status=status,
            public_message=message,
        )

    return make


@pytest.fixture
def make_staff(db):
    """make_staff("Moderator") → an active staff user in that role group."""
    from django.contrib.auth import get_user_model

    def make(role=None, username=None, **extra):
        user = get_user_model().objects.create_user(
            username or (role or "staff").lower().replace(" ", "-"),
            password="a-long-test-password",
            is_staff=True,
            **extra,
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture(autouse=True)
def _force_login_passes_both_steps(monkeypatch):
    """In tests `force_login` stands for a finished login: for staff, the password and the
    authenticator's code (tadamun/staff/tests tests the two steps themselves)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    force_login = Client.force_login

    def force_verified_login(self, user, backend=None):
        force_login(self, user, backend)
        if user.is_staff:
            device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_verified_login)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def petition(campaign):
    from tadamun.petitions.models import Petition

    petition = Petition.objects.create(
        campaign=campaign,
        slug="open-the-borders",
        title="Open the borders",
        target="the interior ministers of the EU member states",
        body="Let them in.",
        status=Petition.Status.OPEN,
    )
    for signatures in (10, 100, 1000):
        petition.goals.create(signatures=signatures)
    return petition


@pytest.fixture
def sign(petition):
    """sign("amal@example.org", "FR", confirm=True) through the signing service."""

    from tadamun.petitions import services

    def sign_(email, country="FR", *, confirm=False, on=None, **extra):
        signature = services.sign(
            on or petition,
            services.SignatureRequest(
                name=extra.pop("name", "Amal Haddad"), email=email, country=country, **extra
            ),
        )
        return services.confirm(signature) if confirm else signature

    return sign_


# The gazetteer's towns of 15,000 people or more in the countries the tests use.
GAZETTEER_COUNTRIES = [
    "DE",
    "FR",
    "TR",
    "CA",
    "SY",
    "SE",
    "ES",
    "LB",
    "NL",
    "IT",
    "GB",
    "JO",
    "EG",
    "LY",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the gazetteer once into the test database: tests run in transactions that roll
    back, so the cities stay for all of them."""
    from tadamun.places import services

    with django_db_blocker.unblock():
        services.load_cities(15000, countries=GAZETTEER_COUNTRIES)


@pytest.fixture(scope="session")
def session_demo(django_db_setup, django_db_blocker):
    """The demo site (a tenth of its signers) loaded once for the whole run, in a transaction
    rolled back at its end: loading it costs seconds, and many modules only read it. The
    tests that use it run last (pytest_collection_modifyitems below): a test that commits
    empties the tables, which must not happen under it, and no other test may see it."""
    from tadamun.demo.loader import load
    from tadamun.places import services

    with django_db_blocker.unblock(), transaction.atomic():
        # The suite's cities (django_db_setup), again if a test that commits emptied them.
        services.ensure_loaded(15000, countries=GAZETTEER_COUNTRIES)
        load(signers=0.1)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_demo(session_demo, django_db_blocker):
    """The demo site for a module: what the module's own fixtures change on it is rolled back
    (to a savepoint) after the module, so each module starts from the demo as loaded."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(module_demo, db):
    """The demo site: a campaign, its publications in several languages, organisations,
    signers, events, letters... Each test's own changes are rolled back after it."""


def pytest_collection_modifyitems(items):
    """The tests on the demo site (session_demo) run after all the others, each group in its
    files' order, so the demo is loaded once (a stable partition)."""
    on_demo = [item for item in items if "session_demo" in item.fixturenames]
    if on_demo:
        others = [item for item in items if "session_demo" not in item.fixturenames]
        items[:] = others + on_demo


@pytest.fixture
def gazetteer(db):
    """The cities, loaded again if a test that commits (and so empties the tables) ran."""
    from tadamun.places import services

    services.ensure_loaded(15000, countries=GAZETTEER_COUNTRIES)


REDIS_FOR_TESTS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def rq_queue(settings):
    """The tasks queue on RQ (Redis), emptied before and after; a worker runs it with
    `SimpleWorker([rq_queue], ...).work(burst=True)`. CI (CI=1) fails without Redis."""
    import redis

    try:
        redis.Redis.from_url(REDIS_FOR_TESTS).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not reachable, and CI must test the RQ queue")
        pytest.skip("Redis is not running here")
    settings.RQ_QUEUES = {"default": {"URL": REDIS_FOR_TESTS}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


@pytest.fixture
def form_rate(settings):
    """form_rate("sign", address="3/h", network="1/h"): one form's limits for this test (the
    FORM_RATES setting read by tadamun.core.limits)."""

    def set_rates(name, **rates):
        settings.FORM_RATES = {**settings.FORM_RATES, name: {**settings.FORM_RATES[name], **rates}}

    return set_rates


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread (LocaleMiddleware does not reset
    it): the next test starts in the default one, whatever page the last one read."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def coalition_identity(db):
    """A coalition's own identity (core.models.SiteIdentity) in English, translated into
    French; German and the others read the English."""
    from tadamun.core.models import SiteIdentity, SiteIdentityTranslation

    record = SiteIdentity.objects.get(pk=1)
    for name, value in {
        "title": "North Solidarity",
        "summary": "A coalition for the north.",
        "sender_name": "North Solidarity team",
        "sender_address": "hello@north.example",
        "sign_off": "With you, the North team",
        "letter_footer": "Sent for {name} by the North coalition.",
        "letters_intro": "Write to them.",
        "rebuttals_intro": "What they say, and what is true.",
        "aid_intro": "Where to give.",
        "api_message": "North Solidarity's API.",
    }.items():
        setattr(record, name, value)
    record.save()
    SiteIdentityTranslation.objects.create(
        identity=record,
        language="fr",
        title="Solidarité Nord",
        summary="Une coalition pour le Nord.",
        sender_name="L’équipe Solidarité Nord",
        sign_off="Avec vous, l’équipe du Nord",
        letter_footer="Envoyée pour {name} par la coalition du Nord.",
        letters_intro="Écrivez-leur.",
        rebuttals_intro="Ce qu’ils disent, et ce qui est vrai.",
        aid_intro="Où donner.",
        api_message="L’API de Solidarité Nord.",
    )
    return record


class Sink:
    """An SMTP server that keeps what it accepts; `refuse` maps an address to a reply."""

    def __init__(self):
        self.messages = []
        self.refuse = {}
        self.hang_up_after = set()  # addresses whose message is kept, then the line cut

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos[0], message_from_bytes(envelope.content, policy=policy.default))
        )
        if envelope.rcpt_tos[0] in self.hang_up_after:
            server.transport.close()
        return "250 Message accepted"

    def to(self, address):
        return [message for rcpt, message in self.messages if rcpt == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.MAILING_RATE_PER_SECOND = 10_000
    yield sink
    controller.stop()
