"""The back-office roles, as groups holding the least permissions each role needs.

Organisation organisers hold no `view_all_organisations` permission, so the admin scopes them
to the organisations they are listed as organisers of (see tadamun.coalition.access).
"""

from django.contrib.auth.models import Group, Permission

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
        "mailings.*",
        "rebuttals.*",
        "api.*",  # partners' API tokens
        "auditlog.view_logentry",  # the audit trail, read-only
        "supporters.view_supporter",
        "supporters.view_consent",
        "supporters.view_tag",
        "supporters.add_tag",
        "supporters.change_tag",
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
    ],
    ORGANISER: [
        "coalition.view_organisation",
        "coalition.change_organisation",
        "coalition.view_endorsement",
        "coalition.view_organisationchange",  # their proposed names, websites and logos
        # Sees the petitions and exports only supporters who agreed to share with them.
        "petitions.view_petition",
    ],
}


# What people wrote or asked for, and what the platform keeps for them: no role writes or
# deletes these by hand, whatever its patterns say. A person leaves through erasure (which
# anonymises their signatures, letters and answers), a complaint stays suppressed, and the
# audit trail stays as it was written.
NEVER_BY_HAND = [
    "delete_supporter",
    "delete_consent",
    "delete_signature",
    "delete_rsvp",
    *[
        f"{action}_{model}"
        for action in ("add", "change", "delete")
        for model in ("letter", "delivery", "recipient", "suppression", "logentry")
    ],
]


def permissions_for(patterns: list[str]):
    permissions = Permission.objects.select_related("content_type").exclude(
        codename__in=NEVER_BY_HAND
    )
    for pattern in patterns:
        app_label, codename = pattern.split(".")
        matching = permissions.filter(content_type__app_label=app_label)
        if codename != "*":
            matching = matching.filter(codename=codename)
        yield from matching


def ensure_roles(**kwargs):
    """Create or update the role groups (runs after every `migrate`)."""
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(list(permissions_for(patterns)))
