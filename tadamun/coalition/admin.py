import base64

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.coalition import access, reports, services
from tadamun.coalition.models import (
    IDENTITY_FIELDS,
    Campaign,
    CampaignTranslation,
    Endorsement,
    Feature,
    Organisation,
    OrganisationChange,
)
from tadamun.core.admin import ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.core.images import reencode_logo, validate_logo
from tadamun.staff import roles
from tadamun.supporters import partners


def logo_preview(logo) -> str:
    """A logo shown inline in the admin: a proposed one is not among the public files."""
    if not logo:
        return "—"
    with logo.open("rb") as file:
        encoded = base64.b64encode(file.read()).decode()
    return format_html('<img src="data:image/png;base64,{}" alt="" width="200">', encoded)


class CampaignTranslationInline(TranslationInline):
    model = CampaignTranslation


@admin.register(Campaign)
class CampaignAdmin(ReaderTitles, admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "featured_position",
        "starts_on",
        "ends_on",
        "language",
        "version",
    ]
    list_editable = ["featured_position"]
    list_filter = ["status"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "title",
        "slug",
        "status",
        "featured_position",
        "starts_on",
        "ends_on",
        "language",
        "summary",
        "body",
    ]
    inlines = [CampaignTranslationInline]


@admin.register(CampaignTranslation)
class CampaignTranslationAdmin(TranslationAdmin):
    pass


class OrganisationAdminForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = ["name", "country", "kind", "website", "logo", "partner_code", "organisers"]

    def clean_logo(self):
        logo = self.cleaned_data["logo"]
        if isinstance(logo, UploadedFile):
            validate_logo(logo)
        return logo


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "country", "kind", "endorsement_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    filter_horizontal = ["organisers"]
    readonly_fields = ["people"]

    @admin.display(description=_("People who share their details with it"))
    def people(self, obj):
        """A count (never who: the exports page lists them for those who may export them)."""
        return partners.people_count(obj) if obj.pk else 0

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(endorsement_count=Count("endorsements"))
        return access.organisations_for(request.user, queryset)

    def get_exclude(self, request, obj=None):
        # Naming organisers hands out access to an organisation's contacts, and a partner code
        # hands out the supporters who agree to share with it: coalition admins only.
        user = request.user
        return [
            *([] if user.has_perm("coalition.assign_organisers") else ["organisers"]),
            *([] if user.has_perm("coalition.set_partner_code") else ["partner_code"]),
        ]

    def save_model(self, request, obj, form, change):
        """Moderators change what the public sees at once; anyone else (an organisation's
        organisers) proposes the change, which waits for a moderator."""
        changed = [name for name in IDENTITY_FIELDS if name in form.changed_data]
        if change and changed and not request.user.has_perm("coalition.moderate_organisation"):
            self._propose(request, obj, changed, form.cleaned_data)
            return
        # Logos uploaded here are checked and re-encoded exactly like those of the public form.
        if "logo" in form.changed_data and isinstance(form.cleaned_data["logo"], UploadedFile):
            services.set_logo(obj, form.cleaned_data["logo"])
        super().save_model(request, obj, form, change)

    def _propose(self, request, obj, changed, data):
        current = Organisation.objects.get(pk=obj.pk)
        upload = data["logo"] if "logo" in changed else None
        services.propose_identity_change(
            current,
            name=data["name"] if "name" in changed else "",
            website=data["website"] if "website" in changed else "",
            logo=reencode_logo(upload) if isinstance(upload, UploadedFile) else None,
            by=request.user,
        )
        for name in IDENTITY_FIELDS:  # the rest of the form is saved, these stay as they were
            setattr(obj, name, getattr(current, name))
        obj.save()
        self.message_user(
            request,
            _("The new name, website or logo will be shown once a moderator approves it."),
            messages.INFO,
        )

    @admin.display(description=_("endorsements"), ordering="endorsement_count")
    def endorsement_count(self, obj):
        return obj.endorsement_count

    def get_urls(self):
        return [
            path(
                "<int:pk>/report/",
                self.admin_site.admin_view(self.report_view),
                name="coalition_organisation_report",
            ),
            path(
                "<int:pk>/report.csv",
                self.admin_site.admin_view(self.report_csv_view),
                name="coalition_organisation_report_csv",
            ),
            *super().get_urls(),
        ]

    def _reported(self, request, pk):
        """The organisation, if the staff member may read its report (its own organisers,
        and those who see every organisation); else 404."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(access.organisations_for(request.user), pk=pk)

    def report_view(self, request, pk):
        organisation = self._reported(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Report"),
            "original": organisation,
            **reports.page(organisation),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/coalition/organisation/report.html", context)

    def report_csv_view(self, request, pk):
        return reports.report_csv(self._reported(request, pk))


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(admin.ModelAdmin):
    """Proposed changes to organisations' names, websites and logos, for moderators."""

    list_display = ["organisation", "name", "website", "status", "proposed_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["organisation", "proposed_by"]
    search_fields = ["organisation__name", "name"]
    readonly_fields = [
        "organisation",
        "name",
        "website",
        "new_logo",
        "status",
        "proposed_by",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        organisations = access.organisations_for(request.user)
        return super().get_queryset(request).filter(organisation__in=organisations)

    def has_add_permission(self, request):
        return False  # proposed by organisers (in the organisation's page) or by the public form

    @admin.display(description=_("new logo"))
    def new_logo(self, obj):
        return logo_preview(obj.logo)

    def has_moderate_organisation_permission(self, request):
        return request.user.has_perm("coalition.moderate_organisation")

    @admin.action(
        description=_("Approve the selected changes"), permissions=["moderate_organisation"]
    )
    def approve(self, request, queryset):
        decided = services.moderate_identity_changes(queryset, approve=True, by=request.user)
        self.message_user(
            request, ngettext("%d change approved.", "%d changes approved.", decided) % decided
        )

    @admin.action(
        description=_("Reject the selected changes"), permissions=["moderate_organisation"]
    )
    def reject(self, request, queryset):
        decided = services.moderate_identity_changes(queryset, approve=False, by=request.user)
        self.message_user(
            request, ngettext("%d change rejected.", "%d changes rejected.", decided) % decided
        )


@admin.register(Endorsement)
class EndorsementAdmin(ReaderTitles, admin.ModelAdmin):
    list_display = [
        "organisation_name",
        "country",
        "campaign",
        "status",
        "created_at",
        "confirmed_at",
    ]
    list_filter = ["status", "campaign"]
    list_select_related = ["organisation", "campaign"]
    search_fields = ["organisation__name", "submitted_name"]
    actions = ["approve", "reject"]
    fields = [
        "campaign",
        "organisation",
        # What approving the endorsement makes public about the organisation.
        "organisation_website",
        "organisation_logo",
        "status",
        "public_message",
        "contact_name",
        "contact_email",
        "language",
        "created_at",
        "confirmed_at",
        "moderated_at",
        "moderated_by",
        "moderation_note",
    ]
    # Moderators edit only what the organisation shows and the note sent back to it.
    readonly_fields = [f for f in fields if f not in ("public_message", "moderation_note")]
    change_list_template = "admin/coalition/endorsement/change_list.html"

    def get_queryset(self, request):
        return access.endorsements_for(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        # The campaign filter would list every campaign, drafts included.
        return self.list_filter if access.sees_all_organisations(request.user) else ["status"]

    def get_fields(self, request, obj=None):
        """The contact's name and address for those who read people (the moderation note
        reaches the contact by email without a moderator seeing it); the moderation's who
        and why for those who moderate every organisation."""
        hidden = set()
        if not roles.reads_people(request.user):
            hidden |= {"contact_name", "contact_email"}
        if not access.sees_all_organisations(request.user):
            hidden |= {"moderated_by", "moderation_note"}
        return [f for f in self.fields if f not in hidden]

    def has_add_permission(self, request):
        return False  # endorsements come from the public form, confirmed by their contact

    def has_moderate_permission(self, request):
        return request.user.has_perm("coalition.moderate_endorsement")

    @admin.display(description=_("organisation"), ordering="organisation__name")
    def organisation_name(self, obj):
        return obj.organisation_name

    @admin.display(description=_("website"))
    def organisation_website(self, obj):
        return obj.organisation.website if obj.organisation else obj.submitted_website

    @admin.display(description=_("logo"))
    def organisation_logo(self, obj):
        return logo_preview(obj.organisation.logo if obj.organisation else None)

    @admin.display(description=_("country"), ordering="organisation__country")
    def country(self, obj):
        return (obj.organisation.country if obj.organisation else obj.submitted_country).name

    def changelist_view(self, request, extra_context=None):
        counts = dict(
            self.get_queryset(request).values_list("status").annotate(n=Count("pk")).order_by()
        )
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in Endorsement.Status.choices
            ],
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Approve the selected endorsements"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected endorsements"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, approve=False)

    def _moderate(self, request, queryset, *, approve):
        changed = services.moderate_endorsements(queryset, approve=approve, by=request.user)
        skipped = queryset.count() - changed
        if approve:
            message = ngettext("%d endorsement approved.", "%d endorsements approved.", changed)
        else:
            message = ngettext("%d endorsement rejected.", "%d endorsements rejected.", changed)
        self.message_user(request, message % changed, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d endorsement left as it was: email not confirmed, or already so.",
                    "%d endorsements left as they were: email not confirmed, or already so.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )


class WaitingForUs(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting for our answer"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            mine = access.organisations_for(request.user)
            return queryset.waiting().filter(access.owned_by(mine))
        return queryset


class FeatureForm(forms.ModelForm):
    class Meta:
        model = Feature
        fields = ["organisation", *Feature.ACTION_FIELDS]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        actions = [data[name] for name in Feature.ACTION_FIELDS if data.get(name)]
        if len(actions) != 1:
            raise forms.ValidationError(_("Choose one action: a petition, letters or an event."))
        if data.get("organisation") and actions[0].organisation_id == data["organisation"].pk:
            raise forms.ValidationError(
                _("Only another member organisation's action can be featured.")
            )
        return data


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    """An organisation's organisers ask to feature another member's public action on their
    page; the owner's organisers approve or decline (services.answer_feature), and no one
    else may answer for them."""

    form = FeatureForm
    list_display = ["__str__", "status", "created_at"]
    list_filter = [WaitingForUs, "status"]
    actions = ["approve_features", "decline_features", "withdraw_features"]

    def get_queryset(self, request):
        return access.features_for(request.user, super().get_queryset(request)).select_related(
            "organisation", "petition", "letter_campaign", "event"
        )

    def get_readonly_fields(self, request, obj=None):
        # Answered by the actions below (the owner's organisers), never edited.
        return ["organisation", *Feature.ACTION_FIELDS, "status"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = access.organisations_for(request.user)
        elif db_field.name in Feature.ACTION_FIELDS:
            model = db_field.related_model
            kwargs["queryset"] = model._default_manager.public().exclude(organisation=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        feature = services.request_feature(request.user, obj.organisation, obj.action)
        obj.pk = feature.pk

    def _answer(self, request, queryset, *, approve):
        answered = 0
        for feature in queryset.waiting():
            try:
                services.answer_feature(request.user, feature, approve=approve)
                answered += 1
            except PermissionDenied:
                continue  # another organisation's request: theirs to answer
        if approve:
            said = ngettext("%d request approved.", "%d requests approved.", answered)
        else:
            said = ngettext("%d request declined.", "%d requests declined.", answered)
        self.message_user(request, said % answered)

    @admin.action(
        description=_("Approve the selected requests for our actions"), permissions=["change"]
    )
    def approve_features(self, request, queryset):
        self._answer(request, queryset, approve=True)

    @admin.action(
        description=_("Decline the selected requests for our actions"), permissions=["change"]
    )
    def decline_features(self, request, queryset):
        self._answer(request, queryset, approve=False)

    @admin.action(description=_("Withdraw the selected requests we made"), permissions=["add"])
    def withdraw_features(self, request, queryset):
        withdrawn = 0
        for feature in queryset:
            try:
                withdrawn += services.withdraw_feature(request.user, feature)
            except PermissionDenied:
                continue  # a request for our action: ours to answer, not to withdraw
        said = ngettext("%d request withdrawn.", "%d requests withdrawn.", withdrawn)
        self.message_user(request, said % withdrawn)
