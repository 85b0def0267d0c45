"""Who may see which coalition records in the back office.

Every admin query for organisations and endorsements goes through these helpers, so an
organisation organiser never sees another organisation's contacts.
"""

from django.db.models import Q

from tadamun.coalition.models import Endorsement, Feature, Organisation


def sees_all_organisations(user) -> bool:
    return user.is_active and user.has_perm("coalition.view_all_organisations")


def organisations_for(user, queryset=None):
    queryset = Organisation.objects.all() if queryset is None else queryset
    if sees_all_organisations(user):
        return queryset
    return queryset.filter(organisers=user) if user.is_active else queryset.none()


def endorsements_for(user, queryset=None):
    queryset = Endorsement.objects.all() if queryset is None else queryset
    if sees_all_organisations(user):
        return queryset
    return queryset.filter(organisation__organisers=user) if user.is_active else queryset.none()


def actions_for(user, queryset):
    """Of `queryset` (petitions, letter campaigns: models with coalition.member_actions.
    MemberAction; events, with an `organisation` and their own moderation), what the staff
    member may list in the back office: everything for those who see all organisations; else
    the public ones and their own organisations' (never another organisation's waiting or
    rejected actions)."""
    if sees_all_organisations(user):
        return queryset
    public = queryset.model._default_manager.public().values("pk")
    return queryset.filter(Q(pk__in=public) | Q(organisation__in=organisations_for(user)))


def held_to_their_organisations(user) -> bool:
    """Organisation organisers (the role) who do not see all organisations: in the back
    office of mailings and custom questions, which other staff (translators) see whole, they
    reach their own organisations' only."""
    from tadamun.staff.roles import ORGANISER

    return not sees_all_organisations(user) and user.groups.filter(name=ORGANISER).exists()


def of_their_organisations(user, queryset, path: str = "organisation"):
    """Of `queryset`, the rows whose organisation (at `path`) an organiser organises (their
    organisations' mailings: `partner`); all of them for the other staff."""
    if not held_to_their_organisations(user):
        return queryset
    return queryset.filter(**{f"{path}__in": organisations_for(user)})


def can_manage_organisation(user, organisation: Organisation) -> bool:
    return organisations_for(user).filter(pk=organisation.pk).exists()


def owned_by(organisations) -> Q:
    """The features (coalition.models.Feature) of the actions these organisations own."""
    return (
        Q(petition__organisation__in=organisations)
        | Q(letter_campaign__organisation__in=organisations)
        | Q(event__organisation__in=organisations)
    )


def questions_for(user, queryset):
    """The custom questions the staff member may list and change: an organiser only those of
    their organisations' own actions; the other staff all."""
    if not held_to_their_organisations(user):
        return queryset
    return queryset.filter(owned_by(organisations_for(user)))


def features_for(user, queryset=None):
    """The features the staff member may list: all for those who see all organisations; else
    those their organisations asked for and those of their organisations' actions (the
    requests waiting for their answer)."""
    queryset = Feature.objects.all() if queryset is None else queryset
    if sees_all_organisations(user):
        return queryset
    mine = organisations_for(user)
    return queryset.filter(Q(organisation__in=mine) | owned_by(mine))
