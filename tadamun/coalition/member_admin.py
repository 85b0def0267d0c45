"""The back office of actions a member organisation may make (models with `MemberAction`).

One mixin for every such admin, so the boundary is the same for each kind (events, moderated
by their own status, take the boundary alone: OwnedByOrganisationAdmin):
- staff who see all organisations (coalition admins, moderators) see every action;
- an organisation organiser sees the public ones and their own organisations' (never another
  organisation's drafts or its waiting ones), changes only their own organisations', and makes
  new ones only for an organisation they organise;
- only holders of `<app>.moderate_<model>` set the moderators' word; an organiser's change to
  the words of an approved action sends it back to them (member_actions.resubmit_if_reworded).
"""

from collections.abc import Callable

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.coalition import member_actions
from tadamun.coalition.access import actions_for, organisations_for, sees_all_organisations


class WithoutOrganisersFilter(admin.SimpleListFilter):
    """The organisations' actions hidden because no organiser is left to answer for them: a
    coalition admin re-assigns each to another organisation (its `organisation` field) or
    gives its organisation an organiser, and it is public again."""

    title = _("organisers")
    parameter_name = "orphaned"

    def lookups(self, request, model_admin):
        return [("yes", _("None left: hidden until re-assigned"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(member_actions.staffed_owner())
        return queryset


class OwnedByOrganisationAdmin(admin.ModelAdmin):
    """The boundary alone, for a kind with an `organisation` and its own moderation (events:
    their status); MemberActionAdmin adds the moderators' `review`."""

    def _moderates(self, request) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.moderate_{opts.model_name}")

    def has_moderate_permission(self, request):
        return self._moderates(request)

    def owned(self, request, queryset):
        """Of `queryset`, what the staff member may change (an action's own queryset holds
        other organisations' public actions too)."""
        if sees_all_organisations(request.user):
            return queryset
        return queryset.filter(organisation__in=organisations_for(request.user))

    def get_queryset(self, request):
        return actions_for(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        found = list(super().get_list_filter(request))
        if sees_all_organisations(request.user):  # the only staff who re-assign
            found.append(WithoutOrganisersFilter)
        return found

    def _owns(self, request, obj) -> bool:
        if obj is None or sees_all_organisations(request.user):
            return True
        return organisations_for(request.user).filter(pk=obj.organisation_id).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = organisations_for(request.user)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            # An organiser makes actions for their organisations only, never the coalition's.
            field.required = not sees_all_organisations(request.user)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MemberActionAdmin(OwnedByOrganisationAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if self._moderates(request) else [*readonly, "review"]

    def save_model(self, request, obj, form, change):
        if not self._moderates(request):
            if change:
                member_actions.resubmit_if_reworded(obj, form.changed_data)
            else:
                obj.review = member_actions.Review.PENDING
        super().save_model(request, obj, form, change)

    @admin.action(
        description=_("Approve the selected organisations' actions"), permissions=["moderate"]
    )
    def approve_actions(self, request, queryset):
        changed = member_actions.moderate(queryset, approve=True)
        said = ngettext("%d action approved.", "%d actions approved.", changed)
        self.message_user(request, said % changed)

    @admin.action(
        description=_("Reject the selected organisations' actions"), permissions=["moderate"]
    )
    def reject_actions(self, request, queryset):
        changed = member_actions.moderate(queryset, approve=False)
        said = ngettext("%d action rejected.", "%d actions rejected.", changed)
        self.message_user(request, said % changed)


class TheirOrganisationsOnly:
    """For the admins of what an organisation's organisers make beside its actions (its
    mailings, its actions' custom questions): each admin names its rule of coalition.access
    as `reach(user, queryset)`, the rows of the queryset that staff member reaches; the list
    shows those only, and no page views, changes or deletes another row, whatever its URL.
    An admin that names no rule is refused when its class is made, not on a request."""

    reach: Callable

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "reach", None)):
            raise TypeError(f"{cls.__qualname__} names no `reach` rule (coalition.access)")

    def reachable(self, request):
        return type(self).reach(request.user, self.model._default_manager.all())

    def get_queryset(self, request):
        found = super().get_queryset(request)
        return found.filter(pk__in=self.reachable(request).values("pk"))

    def _theirs(self, request, obj) -> bool:
        return obj is None or self.reachable(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._theirs(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._theirs(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._theirs(request, obj)
