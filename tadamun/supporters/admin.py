from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _

from tadamun.core.audit import record_tagging
from tadamun.core.imports import Problem
from tadamun.core.tasks import enqueue_on_commit
from tadamun.core.text import validate_single_line
from tadamun.supporters import imports, reading, services
from tadamun.supporters.models import Consent, Supporter, SupporterImport, Tag
from tadamun.supporters.tasks import run_supporter_import


class ImportForm(forms.Form):
    tool = forms.CharField(
        label=gettext_lazy("Exported from"),
        max_length=40,
        validators=[validate_single_line],
        help_text=gettext_lazy("The tool the file comes from, e.g. Action Network."),
    )
    file = forms.FileField(
        max_length=200,
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns, by name in any case: email; name, or first and last name; country; "
            "postal code; language; tags (separated by commas); subscribed (subscribed or "
            "unsubscribed); created date. Other columns are ignored. UTF-8."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB. Please split it."))
        return upload


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

    list_display = [
        "name_or_number",
        "country",
        "language",
        "consents_given",
        "tag_names",
        "signature_count",
        "rsvp_count",
        "letter_count",
        "event_count",
        "created_at",
    ]
    list_filter = ["language", "country", "tags"]
    list_per_page = 50
    fields = ["email", "name", "country", "language", "source", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [ConsentInline]
    search_help_text = None
    actions = ["erase", "tag"]
    change_list_template = "admin/supporters/supporter/change_list.html"

    def get_queryset(self, request):
        return reading.with_activity(super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        reading.record_page(response, request.user)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        reading.record_record(response, request.user)
        return response

    @admin.display(description=_("name"))
    def name_or_number(self, supporter):
        return supporter.name or str(supporter)

    @admin.display(description=_("consents"))
    def consents_given(self, supporter):
        return ", ".join(
            consent.organisation.name if consent.organisation else consent.get_purpose_display()
            for consent in supporter.consents.all()
        )

    @admin.display(description=_("tags"))
    def tag_names(self, supporter):
        return ", ".join(tag.name for tag in supporter.tags.all())

    @admin.display(description=_("signatures"), ordering="signature_count")
    def signature_count(self, supporter):
        return supporter.signature_count

    @admin.display(description=_("RSVPs"), ordering="rsvp_count")
    def rsvp_count(self, supporter):
        return supporter.rsvp_count

    @admin.display(description=_("letters"), ordering="letter_count")
    def letter_count(self, supporter):
        return supporter.letter_count

    @admin.display(description=_("events organised"), ordering="event_count")
    def event_count(self, supporter):
        return supporter.event_count

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="supporters_import"),
            path(
                "import/<int:pk>/",
                self.admin_site.admin_view(self.import_progress_view),
                name="supporters_import_progress",
            ),
            path(
                "import/<int:pk>/ask/",
                self.admin_site.admin_view(self.ask_view),
                name="supporters_import_ask",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload another tool's CSV export; a worker checks and imports it (all or
        nothing) while its progress page follows along."""
        self._check_import_permission(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = SupporterImport.objects.create(
                uploaded_by=request.user,
                tool=form.cleaned_data["tool"],
                filename=upload.name[:200],
                data=upload.read(),
                language=get_language(),
            )
            enqueue_on_commit(run_supporter_import, job.pk)
            return redirect(reverse("admin:supporters_import_progress", args=[job.pk]))
        return self._import_page(request, form=form)

    def import_progress_view(self, request, pk):
        self._check_import_permission(request)
        job = get_object_or_404(SupporterImport, pk=pk)
        report = job.report
        return self._import_page(
            request,
            form=ImportForm() if job.status == SupporterImport.Status.REFUSED else None,
            job=job,
            problems=[Problem(*problem) for problem in report.get("problems", [])],
            held=imports.held_people(job).count() if job.status == job.Status.DONE else 0,
            refused=report.get("refused", ""),
        )

    def ask_view(self, request, pk):
        """The re-permission mailing, in one action: ask the import's people, once, whether
        they want the coalition's news."""
        self._check_import_permission(request)
        if request.method != "POST":
            raise PermissionDenied
        job = get_object_or_404(SupporterImport, pk=pk)
        count = imports.ask_to_confirm(job)
        self.message_user(
            request,
            ngettext(
                "%(count)d person is asked to confirm.",
                "%(count)d people are asked to confirm.",
                count,
            )
            % {"count": count},
        )
        return redirect(reverse("admin:supporters_import_progress", args=[job.pk]))

    def _check_import_permission(self, request):
        if not request.user.has_perm("supporters.import_supporters"):
            raise PermissionDenied

    def _import_page(self, request, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import supporters from another tool"),
            "changelist": reverse("admin:supporters_supporter_changelist"),
            "upload_url": reverse("admin:supporters_import"),
            **context,
        }
        return TemplateResponse(request, "admin/supporters/supporter/import.html", context)

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
