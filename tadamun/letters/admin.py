from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tadamun.coalition.access import organisations_for, sees_all_organisations
from tadamun.coalition.member_admin import MemberActionAdmin
from tadamun.core.admin import HTTPS_BY_DEFAULT, ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.core.paths import this_page
from tadamun.core.tasks import enqueue_on_commit
from tadamun.letters import imports
from tadamun.letters.models import (
    Delivery,
    Letter,
    LetterCampaign,
    LetterCampaignTranslation,
    Target,
    TargetGroup,
    TargetImport,
)
from tadamun.letters.services import confirm_import
from tadamun.letters.tasks import run_target_import
from tadamun.questions.admin import QuestionInline


class ImportForm(forms.Form):
    file = forms.FileField(
        max_length=200,
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: reference, name, title, institution, country (code or English name), "
            "email, contact_form, groups (separated by |), active (yes or no). UTF-8; commas "
            "or semicolons."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB. Please split it."))
        return upload


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "official_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(official_count=Count("targets"))

    @admin.display(description=gettext_lazy("officials"), ordering="official_count")
    def official_count(self, obj):
        return obj.official_count


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "institution", "country", "email", "active"]
    list_filter = ["active", "groups", "country"]
    search_fields = ["name", "role", "institution", "reference"]
    filter_horizontal = ["groups"]
    formfield_overrides = HTTPS_BY_DEFAULT
    change_list_template = "admin/letters/target/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="letters_target_import",
            ),
            path(
                "import/<int:pk>/",
                self.admin_site.admin_view(self.import_progress_view),
                name="letters_target_import_progress",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a CSV file of officials; a worker checks and imports it (all or nothing)
        while its progress page follows along."""
        self._check_import_permission(request)
        return upload_officials(self, request)

    def import_progress_view(self, request, pk):
        self._check_import_permission(request)
        target_import = get_object_or_404(TargetImport, pk=pk, letter_campaign=None)
        return import_progress(self, request, target_import)

    def _check_import_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied


# The import pages, for the coalition's officials (TargetAdmin) and for the officials of one
# organisation's campaign (LetterCampaignAdmin: its organisers, scoped to their campaigns).


def _import_urls(campaign) -> dict:
    if campaign is None:
        return {
            "changelist": reverse("admin:letters_target_changelist"),
            "upload_url": reverse("admin:letters_target_import"),
        }
    return {
        "changelist": reverse("admin:letters_lettercampaign_change", args=[campaign.pk]),
        "upload_url": reverse("admin:letters_lettercampaign_officials", args=[campaign.pk]),
    }


def _progress_url(target_import) -> str:
    if target_import.letter_campaign_id is None:
        return reverse("admin:letters_target_import_progress", args=[target_import.pk])
    return reverse(
        "admin:letters_lettercampaign_officials_progress",
        args=[target_import.letter_campaign_id, target_import.pk],
    )


def upload_officials(model_admin, request, campaign=None):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        target_import = TargetImport.objects.create(
            uploaded_by=request.user,
            filename=upload.name[:200],
            data=upload.read(),
            language=get_language(),
            letter_campaign=campaign,
        )
        enqueue_on_commit(run_target_import, target_import.pk)
        return redirect(_progress_url(target_import))
    return _import_page(model_admin, request, campaign, form=form)


def import_progress(model_admin, request, target_import):
    """The import's progress, then its preview with a button to confirm it (a POST here),
    then its report."""
    if request.method == "POST":
        if "confirm" in request.POST and confirm_import(target_import, request.user):
            enqueue_on_commit(run_target_import, target_import.pk)
        return redirect(this_page(request, query=False))
    report = target_import.report
    problems = [imports.Problem(*problem) for problem in report.get("problems", [])]
    form = ImportForm() if target_import.status == TargetImport.Status.REFUSED else None
    return _import_page(
        model_admin,
        request,
        target_import.letter_campaign,
        form=form,
        job=target_import,
        problems=problems,
        refused=report.get("refused", ""),
        preview=report.get("preview") if target_import.status == "previewed" else None,
    )


def _import_page(model_admin, request, campaign, **context):
    title = (
        _("Import officials from a CSV file")
        if campaign is None
        else _("Import the officials of “%(campaign)s” from a CSV file") % {"campaign": campaign}
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "campaign": campaign,
        **_import_urls(campaign),
        **context,
    }
    return TemplateResponse(request, "admin/letters/target/import.html", context)


class LetterCampaignTranslationInline(TranslationInline):
    model = LetterCampaignTranslation
    fields = [
        "language",
        "title",
        "summary",
        "body",
        "subject",
        "letter",
        "outdated",
        "matches_source",
    ]


@admin.register(LetterCampaign)
class LetterCampaignAdmin(ReaderTitles, MemberActionAdmin):
    list_display = [
        "title",
        "campaign",
        "organisation",
        "review",
        "group",
        "choice",
        "delivery",
        "status",
        "letters",
    ]
    list_filter = ["status", "review", "delivery", "campaign"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["other_campaigns"]
    fields = [
        "campaign",
        "other_campaigns",
        "organisation",
        "review",
        "title",
        "slug",
        "status",
        "group",
        "choice",
        "delivery",
        "language",
        "summary",
        "body",
        "subject",
        "letter",
    ]
    inlines = [LetterCampaignTranslationInline, QuestionInline]
    actions = ["approve_actions", "reject_actions"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group" and not sees_all_organisations(request.user):
            # An organiser writes to the shared groups or to their own campaigns' officials,
            # never to another organisation's own (which its organisers may change).
            own = LetterCampaign.objects.filter(organisation__in=organisations_for(request.user))
            kwargs["queryset"] = TargetGroup.objects.filter(
                ~Q(slug__startswith=imports.OWN_GROUP_PREFIX) | Q(letter_campaigns__in=own)
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and obj.organisation_id and self._owns(request, obj):
            fields.insert(fields.index("group") + 1, "officials_import")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "officials_import"]

    @admin.display(description=gettext_lazy("its own officials"))
    def officials_import(self, campaign):
        url = reverse("admin:letters_lettercampaign_officials", args=[campaign.pk])
        return format_html('<a href="{}">{}</a>', url, _("Import officials from a CSV file"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/officials/",
                self.admin_site.admin_view(self.officials_view),
                name="letters_lettercampaign_officials",
            ),
            path(
                "<int:pk>/officials/<int:import_pk>/",
                self.admin_site.admin_view(self.officials_progress_view),
                name="letters_lettercampaign_officials_progress",
            ),
            *super().get_urls(),
        ]

    def _own_campaign(self, request, pk) -> LetterCampaign:
        """An organisation's campaign the staff member changes (its organisers'; coalition
        admins'); the coalition's own campaigns import into shared groups (TargetAdmin)."""
        owned = self.owned(request, LetterCampaign.objects.filter(organisation__isnull=False))
        campaign = get_object_or_404(owned, pk=pk)
        if not self.has_change_permission(request, campaign):
            raise PermissionDenied
        return campaign

    def officials_view(self, request, pk):
        return upload_officials(self, request, self._own_campaign(request, pk))

    def officials_progress_view(self, request, pk, import_pk):
        campaign = self._own_campaign(request, pk)
        target_import = get_object_or_404(TargetImport, pk=import_pk, letter_campaign=campaign)
        return import_progress(self, request, target_import)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(letter_count=Count("letters"))

    @admin.display(description=gettext_lazy("letters"), ordering="letter_count")
    def letters(self, obj):
        return obj.letter_count


@admin.register(LetterCampaignTranslation)
class LetterCampaignTranslationAdmin(TranslationAdmin):
    translated_fields = ["title", "summary", "body", "subject", "letter"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["target", "status", "attempts", "not_before", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(ReaderTitles, admin.ModelAdmin):
    """Letters are read here, never written: what the writer wrote is theirs."""

    list_display = ["__str__", "campaign", "state", "country", "language", "created_at"]
    list_filter = ["status", "campaign", "country"]
    fields = ["campaign", "state", "country", "language", "created_at", "confirmed_at"]
    readonly_fields = fields
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        deliveries = {
            f"{status}_count": Count("deliveries", filter=Q(deliveries__status=status))
            for status in (Delivery.Status.SENT, Delivery.Status.FAILED)
        }
        return (
            super().get_queryset(request).annotate(delivery_count=Count("deliveries"), **deliveries)
        )

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def state(self, letter):
        """A confirmed letter's status is its deliveries': sent once all of them are."""
        total, sent, failed = letter.delivery_count, letter.sent_count, letter.failed_count
        if letter.status != Letter.Status.CONFIRMED or not total:
            return letter.get_status_display()
        if sent == total:
            return Delivery.Status.SENT.label
        if failed:
            return _("Failed: %(failed)s of %(total)s") % {"failed": failed, "total": total}
        return _("Sending: %(sent)s of %(total)s sent") % {"sent": sent, "total": total}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the writer's erasure anonymises it
