from django.contrib import admin
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.core.audit import record_tagging
from tadamun.supporters import services
from tadamun.supporters.models import Consent, Supporter, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """The coalition's own tags; a partner's tags are its labels, read by it alone."""

    search_fields = ["name"]
    exclude = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(organisation=None)


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "organisation", "wording", "source", "given_at", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    """Supporters are read here, never typed in: they come from the public forms."""

    list_display = ["__str__", "country", "language", "source", "created_at"]
    list_filter = ["language", "country", "tags"]
    fields = ["email", "name", "country", "language", "source", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [ConsentInline]
    search_help_text = None
    actions = ["erase", "tag"]
    change_list_template = "admin/supporters/supporter/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would leave their signatures' names and comments behind: erase instead.
        return False

    @admin.action(
        description=_("Erase the selected supporters (their signatures stay counted)"),
        permissions=["erase"],
    )
    def erase(self, request, queryset):
        count = 0
        for supporter in queryset:
            services.erase(supporter)
            count += 1
        self.message_user(
            request, ngettext("%d supporter erased.", "%d supporters erased.", count) % count
        )

    @admin.action(description=_("Tag the selected supporters"), permissions=["tag"])
    def tag(self, request, queryset):
        """Asks for a tag's name, then puts it on every selected supporter."""
        if "tag_name" in request.POST:
            name = " ".join(request.POST["tag_name"].split())[:60]
            if name:
                tag, _created = Tag.objects.get_or_create(name=name, organisation=None)
                with transaction.atomic():
                    newly_tagged = list(queryset.exclude(tags=tag))
                    tag.supporters.add(*newly_tagged)
                    record_tagging(newly_tagged, tag)
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d supporter tagged “%(tag)s”.",
                        "%(count)d supporters tagged “%(tag)s”.",
                        queryset.count(),
                    )
                    % {"count": queryset.count(), "tag": tag.name},
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Tag the selected supporters"),
            "supporters": queryset,
            "tags": Tag.objects.filter(organisation=None),
        }
        return TemplateResponse(request, "admin/supporters/supporter/tag.html", context)

    def has_erase_permission(self, request):
        return request.user.has_perm("supporters.erase_supporter")

    def has_tag_permission(self, request):
        return request.user.has_perm("supporters.tag_supporter")

    def get_search_results(self, request, queryset, search_term):
        """Search by exact email address, through its keyed hash."""
        if search_term and "@" in search_term:
            return queryset.with_email(search_term), False
        return super().get_search_results(request, queryset, search_term)

    search_fields = ["source"]
