from urllib.parse import quote

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.coalition.member_admin import MemberActionAdmin
from tadamun.coalition.models import Organisation
from tadamun.core import sharing
from tadamun.core.admin import ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.petitions import abuse, access, counters, exports, services
from tadamun.petitions.models import Goal, Petition, PetitionTranslation, Signature
from tadamun.questions.admin import QuestionInline


def source_query(code: str) -> str:
    return f"?source={quote(code)}" if code else ""


def embed_code(petition: Petition, code: str = "") -> str:
    """The HTML a partner pastes into its own site: the petition's widget in a frame."""
    src = sharing.absolute(reverse("petitions:embed", args=[petition.slug])) + source_query(code)
    return str(
        format_html(
            '<iframe src="{}" title="{}" width="100%" height="240" loading="lazy"></iframe>',
            src,
            petition.title,
        )
    )


class PetitionTranslationInline(TranslationInline):
    model = PetitionTranslation
    fields = ["language", "title", "target", "summary", "body", "outdated", "matches_source"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 1
    verbose_name_plural = _("goals (the page shows the next one to reach)")


def erased_signatures(petition_id) -> int:
    """Confirmed signatures whose signer asked to be erased: counted, but with no one to
    export (personal_data.anonymise keeps the row without its supporter)."""
    return Signature.objects.filter(
        petition_id=petition_id, supporter__isnull=True, status=Signature.Status.CONFIRMED
    ).count()


@admin.register(Petition)
class PetitionAdmin(ReaderTitles, MemberActionAdmin):
    list_display = [
        "title",
        "campaign",
        "organisation",
        "review",
        "status",
        "confirmed_count",
        "opens_at",
        "closes_at",
    ]
    list_filter = ["status", "review", "campaign"]
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
        "target",
        "status",
        "opens_at",
        "closes_at",
        "language",
        "summary",
        "body",
        "confirmed_count",
        "sharing",
    ]
    readonly_fields = ["confirmed_count", "sharing"]
    inlines = [GoalInline, PetitionTranslationInline, QuestionInline]
    actions = ["reconcile", "approve_actions", "reject_actions"]
    change_form_template = "admin/petitions/petition/change_form.html"

    @admin.display(description=_("Sharing and embedding"))
    def sharing(self, petition):
        """The petition's address and embed code, plain and with each partner's `source`
        code (its signatures are then counted for that partner)."""
        if not petition.pk:
            return "—"
        partners = Organisation.objects.filter(partner_code__gt="").order_by("name")[:50]
        codes = [("", _("Without a partner"))] + [
            (organisation.partner_code, organisation.name) for organisation in partners
        ]
        return format_html_join(
            "",
            '<p><strong>{}</strong><br>{}<br><input type="text" readonly dir="ltr" '
            'value="{}" size="80"><br>{}<br><textarea readonly dir="ltr" rows="2" '
            'cols="80">{}</textarea></p>',
            (
                (name, _("Link"), link, _("Embed code"), embed_code(petition, code))
                for code, name in codes
                for link in [sharing.absolute(petition.get_absolute_url()) + source_query(code)]
            ),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/export.csv",
                self.admin_site.admin_view(self.export_view),
                name="petitions_petition_export",
            ),
            path(
                "<int:pk>/sources/",
                self.admin_site.admin_view(self.sources_view),
                name="petitions_petition_sources",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "erased_count": erased_signatures(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def export_view(self, request, pk):
        if not access.can_export(request.user):
            raise PermissionDenied
        petition = get_object_or_404(self.get_queryset(request), pk=pk)
        return exports.signatures_csv(request.user, petition)

    def sources_view(self, request, pk):
        """The busiest networks and email domains of the last hour, with a way to invalidate
        the signatures of one of them."""
        if not request.user.has_perm("petitions.review_abuse"):
            raise PermissionDenied
        petition = get_object_or_404(Petition, pk=pk)
        if request.method == "POST":
            network = request.POST.get("network", "")[:32]
            domain = request.POST.get("domain", "")[:255]
            if network or domain:
                reason = _("Flood from one source, invalidated by %(user)s") % {
                    "user": request.user.get_username()
                }
                changed = services.invalidate(
                    abuse.signatures_from(petition, network=network, domain=domain), reason
                )
                self.message_user(
                    request,
                    ngettext("%d signature invalidated.", "%d signatures invalidated.", changed)
                    % changed,
                    messages.SUCCESS,
                )
            return redirect(reverse("admin:petitions_petition_sources", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "petition": petition,
            "title": _("Sources of signatures in the last hour"),
            **abuse.busiest_sources(petition),
        }
        return TemplateResponse(request, "admin/petitions/petition/sources.html", context)

    @admin.action(
        description=_("Recount the selected petitions from their signatures"),
        permissions=["change"],
    )
    def reconcile(self, request, queryset):
        drifted = sum(counters.reconcile(petition) for petition in queryset)
        self.message_user(
            request,
            ngettext(
                "%d petition had drifted and was recounted.",
                "%d petitions had drifted and were recounted.",
                drifted,
            )
            % drifted,
        )


@admin.register(PetitionTranslation)
class PetitionTranslationAdmin(TranslationAdmin):
    translated_fields = ["title", "target", "summary", "body"]


@admin.register(Signature)
class SignatureAdmin(ReaderTitles, admin.ModelAdmin):
    """Signatures are read and invalidated here, never typed in or edited."""

    list_display = [
        "petition",
        "status",
        "country",
        "public_name",
        "source",
        "created_at",
        "confirmed_at",
    ]
    list_filter = ["status", "petition", "country"]
    list_select_related = ["petition"]
    fields = [
        "petition",
        "supporter",
        "status",
        "country",
        "public_name",
        "comment",
        "source",
        "language",
        "email_domain",
        "ip_hash",
        "invalidated_reason",
        "created_at",
        "confirmed_at",
    ]
    readonly_fields = fields
    actions = ["invalidate"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_abuse_permission(self, request):
        return request.user.has_perm("petitions.review_abuse")

    @admin.action(description=_("Invalidate the selected signatures"), permissions=["review_abuse"])
    def invalidate(self, request, queryset):
        reason = _("Invalidated by %(user)s") % {"user": request.user.get_username()}
        changed = services.invalidate(queryset, reason)
        self.message_user(
            request,
            ngettext("%d signature invalidated.", "%d signatures invalidated.", changed) % changed,
        )
