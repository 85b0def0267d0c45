"""The back office's first page: what needs a person and what is happening, per role.

Each panel is shown only to a user holding the permission of the list its figures link to
(`PANELS`), so a role sees only what it may open; tadamun/staff/tests/test_dashboard_roles.py
walks every role against every panel and every link. Figures come from the counters (a petition's
`confirmed_count`, its per-day and per-country counts) and from small queues, never from a
count over the signatures: the page's cost does not grow with them. No panel shows a
supporter's or an organisation contact's name or email address.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, F, Min, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.coalition import access
from tadamun.coalition.models import Campaign, Endorsement, OrganisationChange
from tadamun.core import intake as sealed_intake
from tadamun.core import outbox
from tadamun.core.models import Translation
from tadamun.events.models import Event, Rsvp
from tadamun.health.queue import queue_state
from tadamun.letters.models import Delivery
from tadamun.mailings.models import Mailing
from tadamun.mailings.sending import progress
from tadamun.petitions import intake
from tadamun.petitions.models import CountryCount, DailyCount, Petition

CHART_DAYS = 14
CHART_HEIGHT = 40
TOP = 5  # countries and officials listed per campaign


@dataclass
class Figure:
    label: str
    value: int
    url: str
    oldest: object = None  # when the oldest waiting item arrived (queues)


def changelist(model, **filters) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"{url}?{query}" if query else url


def _queue(label, model, queryset, **filters) -> Figure:
    found = queryset.aggregate(count=Count("pk"), oldest=Min("created_at"))
    return Figure(label, found["count"], changelist(model, **filters), found["oldest"])


def moderation(user) -> list[Figure]:
    """The moderation queues a user may work on, with how long the oldest item waits."""
    queues = []
    if user.has_perm("events.moderate_event"):
        queues.append(
            _queue(
                _("Events awaiting moderation"),
                Event,
                Event.objects.filter(status=Event.Status.PENDING),
                status__exact=Event.Status.PENDING,
            )
        )
        edited = Event.objects.filter(edited_at__isnull=False)
        found = edited.aggregate(count=Count("pk"), oldest=Min("edited_at"))
        queues.append(
            Figure(
                _("Events changed since a moderator saw them"),
                found["count"],
                changelist(Event, edited="yes"),
                found["oldest"],
            )
        )
    if user.has_perm("coalition.moderate_endorsement"):
        queues.append(
            _queue(
                _("Endorsements awaiting moderation"),
                Endorsement,
                Endorsement.objects.awaiting_moderation(),
                status__exact=Endorsement.Status.PENDING,
            )
        )
    if user.has_perm("coalition.moderate_organisation"):
        queues.append(
            _queue(
                _("Organisation changes awaiting moderation"),
                OrganisationChange,
                OrganisationChange.objects.pending(),
                status__exact=OrganisationChange.Status.PENDING,
            )
        )
    return queues


@dataclass
class Bar:
    x: int
    height: int
    day: object
    count: int

    @property
    def y(self) -> int:
        return CHART_HEIGHT - self.height


def chart(daily: dict, today) -> list[Bar]:
    """The last CHART_DAYS days as bars of an SVG drawn on the server (no script)."""
    days = [today - timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
    highest = max((daily.get(day, 0) for day in days), default=0) or 1
    return [
        Bar(x=i * 10, height=round(CHART_HEIGHT * daily.get(day, 0) / highest), day=day, count=n)
        for i, day in enumerate(days)
        for n in [daily.get(day, 0)]
    ]


def petition_figures(petitions: list[Petition], today) -> list[dict]:
    """Each petition's total, today, last 7 days, chart and top countries, from its counters:
    two queries whatever the number of petitions or signatures."""
    ids = [petition.pk for petition in petitions]
    daily = {pk: {} for pk in ids}
    since = today - timedelta(days=CHART_DAYS - 1)
    for pk, day, count in DailyCount.objects.filter(petition__in=ids, day__gte=since).values_list(
        "petition", "day", "count"
    ):
        daily[pk][day] = count
    countries = {pk: [] for pk in ids}
    for row in CountryCount.objects.filter(petition__in=ids, count__gt=0).order_by("-count"):
        if len(countries[row.petition_id]) < TOP:
            countries[row.petition_id].append(row)
    week = {today - timedelta(days=n) for n in range(7)}
    return [
        {
            "petition": petition,
            "total": petition.confirmed_count,
            "today": daily[petition.pk].get(today, 0),
            "week": sum(n for day, n in daily[petition.pk].items() if day in week),
            "chart": chart(daily[petition.pk], today),
            "countries": countries[petition.pk],
            "url": changelist(petition.signatures.model, petition__id__exact=petition.pk),
        }
        for petition in petitions
    ]


def events_figures(campaign: Campaign) -> dict:
    approved = Event.objects.filter(day__campaign=campaign, status=Event.Status.APPROVED)
    return {
        "events": approved.count(),
        "going": Rsvp.objects.filter(event__in=approved, status=Rsvp.Status.GOING).count(),
        "url": changelist(Event, status__exact=Event.Status.APPROVED),
    }


SENT = (Delivery.Status.SENT, Delivery.Status.HANDED_OVER)
WAITING = (Delivery.Status.QUEUED, Delivery.Status.SENDING)


def letters_figures(campaign: Campaign) -> list[dict]:
    """Letters sent and waiting for the officials written to most in this campaign."""
    rows = (
        Delivery.objects.filter(campaign__campaign=campaign)
        .values("target", "target__name", "target__role")
        .annotate(sent=Count("pk", filter=Q(status__in=SENT)))
        .annotate(waiting=Count("pk", filter=Q(status__in=WAITING)))
        .order_by("-sent", "-waiting")[:TOP]
    )
    return [
        {
            "official": row["target__name"],
            "role": row["target__role"],
            "sent": row["sent"],
            "waiting": row["waiting"],
            "url": reverse("admin:letters_target_change", args=[row["target"]]),
        }
        for row in rows
    ]


def campaigns(user) -> list[dict]:
    """Each running campaign's figures, for those who run campaigns."""
    today = timezone.localdate()
    running = list(Campaign.objects.running())
    petitions = list(
        Petition.objects.filter(campaign__in=running, status=Petition.Status.OPEN).order_by("pk")
    )
    figures = petition_figures(petitions, today)
    return [
        {
            "campaign": campaign,
            "url": reverse("admin:coalition_campaign_change", args=[campaign.pk]),
            "petitions": [f for f in figures if f["petition"].campaign_id == campaign.pk],
            "events": events_figures(campaign),
            "letters": letters_figures(campaign),
        }
        for campaign in running
    ]


def mailings(user) -> list[dict]:
    """The mailings being sent, of the user's organisations only for an organiser (as the
    mailings' own list shows them)."""
    sending = Mailing.objects.filter(status__in=[Mailing.Status.SENDING, Mailing.Status.PAUSED])
    return [
        {"mailing": mailing, "progress": progress(mailing)}
        for mailing in access.of_their_organisations(user, sending, "partner")
    ]


def system(user) -> list[Figure]:
    """Webhook failures of the last 7 days, and the queue's health as /healthz reports it."""
    from tadamun.api.models import WebhookDelivery

    since = timezone.now() - timedelta(days=7)
    failed = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.FAILED, created_at__gte=since
    ).count()
    state = queue_state()
    oldest = state.get("queue_oldest_seconds")
    task_results = apps.get_model("django_tasks_database", "DBTaskResult")
    return [
        Figure(
            _("Webhook deliveries failed in 7 days"),
            failed,
            changelist(WebhookDelivery, status__exact=WebhookDelivery.Status.FAILED),
        ),
        Figure(
            QUEUE_STATES[state["queue"]],
            state.get("queue_waiting") or 0,
            changelist(task_results)
            if user.has_perm("django_tasks_database.view_dbtaskresult")
            else "",
            oldest and timezone.now() - timedelta(seconds=oldest),
        ),
    ] + backlogs()


def backlogs() -> list[Figure]:
    """The backlogs /healthz also reports (issues 15 and 22): how much waits, since when;
    and, once there are any, the intake rows that failed for good and need a person."""
    signatures, sealed = intake.backlog_state(), sealed_intake.backlog_state()
    figures = [
        _backlog(_("Signatures waiting to be recorded"), signatures, "intake"),
        _backlog(_("Forms sent while locked, waiting to be recorded"), sealed, "sealed"),
        _backlog(_("Confirmation emails waiting"), outbox.pending_links_state(), "outbox"),
    ]
    failed = [
        (_("Signatures that failed: a person must look"), signatures["intake_failed"]),
        (_("Forms sent while locked that failed: a person must look"), sealed["sealed_failed"]),
    ]
    return figures + [Figure(label, count, "") for label, count in failed if count]


def _backlog(label, state: dict, name: str) -> Figure:
    age = state[f"{name}_oldest_seconds"]
    since = age and timezone.now() - timedelta(seconds=age)
    return Figure(label, state[f"{name}_waiting"], "", since)


QUEUE_STATES = {
    "ok": _("Task queue working; tasks waiting"),
    "stalled": _("Task queue stalled; tasks waiting"),
    "error": _("Task queue unreachable"),
}


def translation_models(user):
    """The translation models this user may add translations to. None for an organiser:
    the counts would take in every organisation's questions and mailings, and they
    translate their own on each one's page."""
    if access.held_to_their_organisations(user):
        return []
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Translation)
        and user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}")
    ]


def translations(user) -> dict:
    """Per content type (rows) and language (columns): how many sources have no translation
    in that language, and how many translations are outdated, each linking to its list. Two
    queries (one UNION over the sources, one over the translations) for every content type."""
    models = translation_models(user)
    if not models:
        return {"languages": [], "rows": []}
    sources = {(kind, language): n for kind, language, n in _union(models, _sources_by_language)}
    translated = {
        (kind, language): (done, outdated)
        for kind, language, done, outdated in _union(models, _translations_by_language)
    }
    rows = []
    for kind, model in enumerate(models):
        source = _source_of(model)
        total = sum(n for (k, _language), n in sources.items() if k == kind)
        missing_url, translations_url = changelist(source), changelist(model)
        cells = []
        for code, _name in settings.LANGUAGES:
            done, outdated = translated.get((kind, code), (0, 0))
            cells.append(
                {
                    "missing": total - sources.get((kind, code), 0) - done,
                    "missing_url": missing_url,
                    "outdated": outdated,
                    "outdated_url": f"{translations_url}?language__exact={code}&state=outdated",
                }
            )
        if any(cell["missing"] or cell["outdated"] for cell in cells):
            rows.append({"what": source._meta.verbose_name_plural, "cells": cells})
    return {"languages": [name for _code, name in settings.LANGUAGES], "rows": rows}


def _union(models, query):
    first, *rest = [query(model, kind) for kind, model in enumerate(models)]
    return first.union(*rest, all=True) if rest else first


def _source_of(model):
    return model._meta.get_field(model.source_field).related_model


def _sources_by_language(model, kind: int):
    return (
        _source_of(model)
        .objects.annotate(dashboard_kind=Value(kind))
        .values_list("dashboard_kind", "language")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _translations_by_language(model, kind: int):
    outdated = Q(source_version__lt=F(f"{model.source_field}__version"))
    return (
        model.objects.annotate(dashboard_kind=Value(kind))
        .values_list("dashboard_kind", "language")
        .annotate(done=Count("pk"), outdated=Count("pk", filter=outdated))
        .order_by()
    )


def organisations(user) -> list[dict]:
    """An organiser's organisations: their endorsements by state, and where to export."""
    endorsements = access.endorsements_for(user).values("status").annotate(n=Count("pk"))
    by_status = {row["status"]: row["n"] for row in endorsements}
    labels = dict(Endorsement.Status.choices)
    return [
        {
            "label": labels[status],
            "value": by_status.get(status, 0),
            "url": changelist(Endorsement, status__exact=status),
        }
        for status in Endorsement.Status.values
        if by_status.get(status)
    ] + [
        {
            "label": _("Petitions and their exports"),
            "value": None,
            "url": changelist(Petition),
        }
    ]


@dataclass
class Panel:
    name: str
    title: str
    visible: object  # user -> bool: the user holds the rights the panel's lists need
    figures: object  # user -> what the panel's template shows
    template: str = ""  # default: admin/staff/panel_<name>.html

    def __post_init__(self):
        self.template = self.template or f"admin/staff/panel_{self.name}.html"


def moderates(user) -> bool:
    return any(
        user.has_perm(right)
        for right in (
            "events.moderate_event",
            "coalition.moderate_endorsement",
            "coalition.moderate_organisation",
        )
    )


def runs_campaigns(user) -> bool:
    return user.has_perm("coalition.change_campaign")


def organiser_only(user) -> bool:
    """Scoped to the organisations they organise (not a moderator nor an admin)."""
    return user.has_perm("coalition.view_endorsement") and not access.sees_all_organisations(user)


FIGURES = "admin/staff/figures.html"  # a panel that is a list of `Figure`s
PANELS = [
    Panel("moderation", _("Moderation"), moderates, moderation, FIGURES),
    Panel("campaigns", _("Running campaigns"), runs_campaigns, campaigns),
    Panel(
        "mailings",
        _("Mailings being sent"),
        lambda user: user.has_perm("mailings.change_mailing"),
        mailings,
    ),
    Panel(
        "system",
        _("Partners and system"),
        lambda user: user.has_perm("api.view_webhookdelivery"),
        system,
        FIGURES,
    ),
    Panel(
        "translations",
        _("Translations to do"),
        lambda user: bool(translation_models(user)),
        translations,
    ),
    Panel("organisations", _("Your organisation"), organiser_only, organisations),
]


def panels_for(user) -> list[dict]:
    return [
        {
            "name": panel.name,
            "title": panel.title,
            "template": panel.template,
            "figures": panel.figures(user),
        }
        for panel in PANELS
        if panel.visible(user)
    ]
