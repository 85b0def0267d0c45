"""The back office's menu by job, not by model: the admin's app list regrouped.

Each registered model sits under the job people open it for (`JOBS`); a model no job names
goes under "More", last, out of the way. Django's own permission filtering still decides
which models a user sees; a job with none of them is not shown.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

JOBS = [
    (
        "moderation",
        _("Moderation"),
        ["events.event", "coalition.endorsement", "coalition.organisationchange"],
    ),
    (
        "campaigns",
        _("Campaigns and content"),
        [
            "coalition.campaign",
            "petitions.petition",
            "events.dayofaction",
            "letters.lettercampaign",
            "letters.target",
            "letters.targetgroup",
            "publications.publication",
            "watch.watchitem",
            "aid.aidorganisation",
            "aid.appeal",
            "rebuttals.claim",
            "rebuttals.tag",
            "core.siteidentity",
        ],
    ),
    (
        "translations",
        _("Translations"),
        [
            "coalition.campaigntranslation",
            "petitions.petitiontranslation",
            "events.dayofactiontranslation",
            "letters.lettercampaigntranslation",
            "publications.publicationtranslation",
            "watch.watchitemtranslation",
            "aid.aidorganisationtranslation",
            "aid.appealtranslation",
            "rebuttals.claimtranslation",
            "mailings.mailingtranslation",
            "core.siteidentitytranslation",
        ],
    ),
    (
        "people",
        _("People and consent"),
        ["supporters.supporter", "supporters.tag", "petitions.signature"],
    ),
    (
        "sending",
        pgettext_lazy("back office job", "Sending"),
        ["mailings.mailing", "letters.letter", "mailings.suppression"],
    ),
    (
        "partners",
        _("Partners and API"),
        ["coalition.organisation", "api.apitoken", "api.webhookendpoint", "api.webhookdelivery"],
    ),
    (
        "system",
        _("Safety and system"),
        ["auth.user", "auditlog.logentry", "django_tasks_database.dbtaskresult"],
    ),
]
MORE = ("more", _("More"))
JOB_OF = {label: slug for slug, _title, labels in JOBS for label in labels}
TITLES = dict([(slug, title) for slug, title, _labels in JOBS] + [MORE])


def by_job(app_list: list[dict]) -> list[dict]:
    """Django's app list (apps holding models) as the same structure, one entry per job."""
    models = {slug: [] for slug in TITLES}
    for app in app_list:
        for model in app["models"]:
            models[JOB_OF.get(model["model"]._meta.label_lower, MORE[0])].append(model)
    return [
        {
            "name": TITLES[slug],
            "app_label": slug,
            "app_url": reverse("admin:job", args=[slug]),
            "has_module_perms": True,
            "models": sorted(found, key=lambda model: order(slug, model)),
        }
        for slug, found in models.items()
        if found
    ]


def order(slug: str, model: dict):
    """A job's models in the order JOBS lists them; the rest alphabetically."""
    labels = next((labels for job, _title, labels in JOBS if job == slug), [])
    label = model["model"]._meta.label_lower
    return (labels.index(label) if label in labels else len(labels), str(model["name"]))
