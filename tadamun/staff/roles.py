"""The back-office roles, as groups holding the least permissions each role needs.

`ROLE_PERMISSIONS` (less `NEVER_BY_HAND`) is the one table of the roles' rights: it writes the
groups, `stated_rights()` expands it model by model, `manage.py roles_table` prints that as the
table in docs/security.md, and tadamun/staff/tests/test_role_matrix.py checks every admin of the
site against it over HTTP, role by role.

Organisation organisers hold no `view_all_organisations` permission, so the admin scopes them
to the organisations they are listed as organisers of (see tadamun.coalition.access).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission

from tadamun.supporters import registry

SUPERUSER = "Superuser"
NO_ROLE = "Staff without a role"
COALITION_ADMIN = "Coalition admin"
MODERATOR = "Moderator"
TRANSLATOR = "Translator"
ORGANISER = "Organisation organiser"

ROLE_PERMISSIONS = {
    COALITION_ADMIN: [
        "coalition.*",
        "publications.*",
        "petitions.*",
        "events.*",
        "aid.*",
        "watch.*",
        "letters.*",
        "questions.*",  # custom questions (their answers are never edited by hand)
        "mailings.*",
        "rebuttals.*",
        "api.*",  # partners' API tokens
        "core.view_siteidentity",  # the site's name, texts, colours and images
        "core.change_siteidentity",
        "core.view_siteidentitytranslation",
        "core.add_siteidentitytranslation",
        "core.change_siteidentitytranslation",
        "core.delete_siteidentitytranslation",
        "auditlog.view_logentry",  # the audit trail, read-only
        "supporters.view_supporter",
        "supporters.view_consent",
        "supporters.view_tag",
        "supporters.add_tag",
        "supporters.change_tag",
        "supporters.tag_supporter",  # not erase_supporter: erasure is a superuser's act
        "supporters.export_supporters",  # supporters, answers (organisers: theirs, scoped)
        "supporters.import_supporters",  # from another tool's CSV (supporters.imports)
        "vault.lock_vault",  # lock now (panic), and see the vault's state
        "vault.unlock_vault",  # type a keyholder's share on the vault's page
    ],
    MODERATOR: [
        "coalition.view_campaign",
        "coalition.view_organisation",
        "coalition.change_organisation",
        "coalition.view_all_organisations",
        "coalition.view_endorsement",
        "coalition.change_endorsement",
        "coalition.moderate_endorsement",
        "coalition.view_organisationchange",
        "coalition.moderate_organisation",
        "petitions.view_petition",
        "petitions.moderate_petition",  # organisations' own petitions (coalition.member_actions)
        "letters.view_lettercampaign",
        "letters.moderate_lettercampaign",  # and their own letter campaigns
        "petitions.view_signature",
        "petitions.review_abuse",
        "events.view_dayofaction",
        "events.view_event",
        "events.change_event",
        "events.moderate_event",
        "events.view_organisermessage",
        "places.view_city",  # to pick an event's city in the gazetteer (autocomplete)
    ],
    TRANSLATOR: [
        "core.view_siteidentity",
        "core.add_siteidentitytranslation",
        "core.change_siteidentitytranslation",
        "core.view_siteidentitytranslation",
        "coalition.view_campaign",
        "coalition.add_campaigntranslation",
        "coalition.change_campaigntranslation",
        "coalition.view_campaigntranslation",
        "publications.view_publication",
        "publications.add_publicationtranslation",
        "publications.change_publicationtranslation",
        "publications.view_publicationtranslation",
        "petitions.view_petition",
        "petitions.add_petitiontranslation",
        "petitions.change_petitiontranslation",
        "petitions.view_petitiontranslation",
        "watch.view_watchitem",
        "watch.add_watchitemtranslation",
        "watch.change_watchitemtranslation",
        "watch.view_watchitemtranslation",
        "aid.view_aidorganisation",
        "aid.add_aidorganisationtranslation",
        "aid.change_aidorganisationtranslation",
        "aid.view_aidorganisationtranslation",
        "aid.view_appeal",
        "aid.add_appealtranslation",
        "aid.change_appealtranslation",
        "aid.view_appealtranslation",
        "rebuttals.view_claim",
        "rebuttals.add_claimtranslation",
        "rebuttals.change_claimtranslation",
        "rebuttals.view_claimtranslation",
        "mailings.view_mailing",
        "mailings.add_mailingtranslation",
        "mailings.change_mailingtranslation",
        "mailings.view_mailingtranslation",
        "letters.view_lettercampaign",
        "letters.add_lettercampaigntranslation",
        "letters.change_lettercampaigntranslation",
        "letters.view_lettercampaigntranslation",
        "events.view_dayofaction",
        "events.add_dayofactiontranslation",
        "events.change_dayofactiontranslation",
        "events.view_dayofactiontranslation",
        "questions.view_question",
        "questions.add_questiontranslation",
        "questions.change_questiontranslation",
        "questions.view_questiontranslation",
    ],
    ORGANISER: [
        "coalition.view_organisation",
        "coalition.change_organisation",
        "coalition.view_endorsement",
        "coalition.view_organisationchange",  # their proposed names, websites and logos
        # Sees the petitions and exports only supporters who agreed to share with them.
        "petitions.view_petition",
        # Makes and edits their organisations' own petitions, public once a moderator
        # approved them (coalition.member_admin scopes them to their organisations).
        "petitions.add_petition",
        "petitions.change_petition",
        "letters.view_lettercampaign",  # and letter campaigns, likewise
        "letters.add_lettercampaign",
        "letters.change_lettercampaign",
        # and events and weekly series, moderated by the events' own status (EventAdmin);
        # their time slots too (removing one tells the people who chose it: EventAdmin)
        "events.view_event",
        "events.add_event",
        "events.change_event",
        "events.view_shift",
        "events.add_shift",
        "events.change_shift",
        "events.delete_shift",
        # Asks to feature other members' actions on their page and answers those asking to
        # feature theirs (coalition.access.features_for scopes both).
        "coalition.view_feature",
        "coalition.add_feature",
        "coalition.change_feature",  # the answer (approve, decline) only: nothing else changes
        # Custom questions on their organisations' own actions (questions.admin scopes them).
        "questions.view_question",
        "questions.add_question",
        "questions.change_question",
        "questions.delete_question",
        "questions.view_questiontranslation",
        "questions.add_questiontranslation",
        "questions.change_questiontranslation",
        "questions.delete_questiontranslation",
        # Mailings to the people who agreed to hear from their organisation, throttled and
        # with one-click unsubscribe like the coalition's (mailings.admin scopes them).
        "mailings.view_mailing",
        "mailings.add_mailing",
        "mailings.change_mailing",
        "mailings.delete_mailing",
        "mailings.send_mailing",
        "mailings.view_mailingtranslation",
        "mailings.add_mailingtranslation",
        "mailings.change_mailingtranslation",
        "mailings.delete_mailingtranslation",
    ],
}


# What no one, not even a superuser, adds, changes or deletes by hand in the admin, whatever a
# role's patterns say (the admins refuse it; the role matrix test checks they do): what people
# wrote or asked for, as the apps declare it with their personal data (a person leaves through
# erasure, which anonymises their signatures, letters and answers; a complaint stays
# suppressed), and what the platform records below.
PLATFORM_RECORDS = {
    # The audit trail, the task queue's results, the gazetteer (imported by a command).
    "logentry": registry.EVERYTHING,
    "dbtaskresult": registry.EVERYTHING,
    "city": registry.EVERYTHING,
    # Proposed by an organiser's edit of their organisation or by the endorsement form.
    "organisationchange": ("add",),
    # How often a mailing's links were followed: counted by the site (mailings.clicks).
    "countedlink": registry.EVERYTHING,
    # The one record of the site's identity, made by its migration: edited, never replaced.
    "siteidentity": ("add", "delete"),
}
NEVER_BY_HAND = [
    f"{action}_{model}"
    for model, actions in [
        *(
            (declared.model._meta.model_name, declared.never_by_hand)
            for declared in registry.personal_data_models()
        ),
        *PLATFORM_RECORDS.items(),
    ]
    for action in actions
]


# The right to read people: their names, addresses, consents and tags (the supporters list).
# Roles without it see counts of people, never who they are (test_people_in_the_back_office.py
# crawls the back office for each of them).
READS_PEOPLE = "supporters.view_supporter"


def reads_people(user) -> bool:
    return user.has_perm(READS_PEOPLE)


def model_permissions(model) -> list[str]:
    """The codenames Django makes for `model` (its default ones, then its Meta's)."""
    opts = model._meta
    return [f"{action}_{opts.model_name}" for action in opts.default_permissions] + [
        codename for codename, _name in opts.permissions
    ]


def granted(patterns: list[str], model, codename: str) -> bool:
    if codename in NEVER_BY_HAND:
        return False
    app_label = model._meta.app_label
    return bool({"*", f"{app_label}.*", f"{app_label}.{codename}"} & set(patterns))


def stated_rights() -> dict[str, dict[type, list[str]]]:
    """For each role, superusers and staff without a role included, the codenames it holds
    on each model. A superuser holds every permission but, like every role, none of
    NEVER_BY_HAND (the admins refuse those even to a superuser)."""
    patterns = {SUPERUSER: ["*"], NO_ROLE: [], **ROLE_PERMISSIONS}
    return {
        role: {
            model: [
                codename
                for codename in model_permissions(model)
                if granted(role_patterns, model, codename)
            ]
            for model in apps.get_models()
        }
        for role, role_patterns in patterns.items()
    }


def action_permission(model, name: str) -> str:
    """The permission an admin action's `permissions=[name]` stands for: the model's own
    `<name>_<model>` when it has one (`moderate` on Event: events.moderate_event), else the
    app's `<name>` (`review_abuse` on Signature: petitions.review_abuse)."""
    opts = model._meta
    if f"{name}_{opts.model_name}" in model_permissions(model):
        return f"{opts.app_label}.{name}_{opts.model_name}"
    return f"{opts.app_label}.{name}"


def rights_table() -> str:
    """The stated rights as a Markdown table: a row for every model of the admin or on which a
    role holds a right, a column for every role (what `manage.py roles_table` prints)."""
    rights = stated_rights()
    roles = [SUPERUSER, *ROLE_PERMISSIONS]
    models = sorted(
        (
            model
            for model in apps.get_models()
            if model in admin.site._registry or any(rights[role][model] for role in roles[1:])
        ),
        key=lambda model: model._meta.label,
    )
    lines = [f"| Model | {' | '.join(roles)} |", "|---" * (len(roles) + 1) + "|"]
    for model in models:
        cells = [_short(model, rights[role][model]) for role in roles]
        lines.append(f"| `{model._meta.label}` | {' | '.join(cells)} |")
    return "\n".join(lines)


def _short(model, codenames: list[str]) -> str:
    suffix = f"_{model._meta.model_name}"
    return ", ".join(c.removesuffix(suffix) for c in codenames) or "—"


def ensure_roles(**kwargs):
    """Create or update the role groups (runs after every `migrate`)."""
    rights = stated_rights()
    for role in ROLE_PERMISSIONS:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(
            [
                permission
                for permission in Permission.objects.select_related("content_type")
                if permission.codename
                in rights[role].get(permission.content_type.model_class(), [])
            ]
        )
