from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tadamun.coalition.access import (
    held_to_their_organisations,
    of_their_organisations,
    organisations_for,
)
from tadamun.coalition.member_admin import TheirOrganisationsOnly
from tadamun.core.admin import ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.mailings import clicks, sending, services
from tadamun.mailings.audience import audience
from tadamun.mailings.models import Mailing, MailingTranslation, Suppression
from tadamun.mailings.rendering import LINK, NAME, edition
from tadamun.mailings.report import report

MAX_TEST_ADDRESSES = 10
SAMPLE_NAME = "Amal"


class MailingForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Empty: every language."),
    )

    class Meta:
        model = Mailing
        fields = [
            "title",
            "summary",
            "language",
            "body",
            "partner",
            "campaigns",
            "petitions",
            "days",
            "letter_campaigns",
            "countries",
            "languages",
            "tags",
            "send_at",
        ]


class TestSendForm(forms.Form):
    addresses = forms.CharField(
        label=gettext_lazy("Send a test to"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Up to 10 addresses, separated by commas or lines."),
    )
    language = forms.ChoiceField(label=gettext_lazy("language"), choices=settings.LANGUAGES)

    def clean_addresses(self):
        addresses = [a.strip() for a in self.cleaned_data["addresses"].replace(",", "\n").split()]
        addresses = [a for a in addresses if a]
        if len(addresses) > MAX_TEST_ADDRESSES:
            raise forms.ValidationError(_("Please give at most 10 addresses."))
        for address in addresses:
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(address)s” is not an email address.") % {"address": address}
                ) from None
        return addresses


def is_open(obj) -> bool:
    """Whether `obj` (a mailing or a translation of one; None: one being added) may still
    change: not once sending started (`Mailing.is_editable`)."""
    return obj is None or obj.is_editable


# What an organisation's organisers choose of their mailing's audience: always within the
# people who agreed to hear from their organisation, narrowed by its own actions, countries and
# languages (the coalition's campaigns, days and staff tags are the coalition's to use).
ORGANISERS_AUDIENCE = ["partner", "petitions", "letter_campaigns", "countries", "languages"]


class LockedOnceSending:
    """For every admin of a mailing's text: once sending started, no one changes or deletes
    the mailing or its translations (the workers send the copies frozen then)."""

    def has_change_permission(self, request, obj=None):
        return is_open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_open(obj) and super().has_delete_permission(request, obj)


class MailingTranslationInline(LockedOnceSending, TranslationInline):
    model = MailingTranslation

    def has_add_permission(self, request, obj=None):
        return is_open(obj) and super().has_add_permission(request, obj)


@admin.register(Mailing)
class MailingAdmin(TheirOrganisationsOnly, ReaderTitles, LockedOnceSending, admin.ModelAdmin):
    form = MailingForm
    list_display = ["title", "partner", "status", "send_at", "progress_bar"]
    list_filter = ["status", "partner"]
    search_fields = ["title"]
    filter_horizontal = ["campaigns", "petitions", "days", "letter_campaigns", "tags"]
    inlines = [MailingTranslationInline]
    change_form_template = "admin/mailings/mailing/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "summary", "language", "body"]}),
        (
            gettext_lazy("Audience"),
            {
                "fields": [
                    "partner",
                    "campaigns",
                    "petitions",
                    "days",
                    "letter_campaigns",
                    "countries",
                    "languages",
                    "tags",
                ],
                "description": gettext_lazy(
                    "Only supporters who agreed to hear from the coalition (or, for a partner "
                    "mailing, from that partner) are ever written to. Actions: anyone who did "
                    "any of those chosen; countries, languages and tags narrow it further."
                ),
            },
        ),
        (gettext_lazy("When"), {"fields": ["send_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # An organisation's organisers (who do not see all organisations) make, see and send only
    # their own organisations' mailings, to the people who agreed to hear from them
    # (mailings.audience); coalition admins see every mailing.
    reach = staticmethod(partial(of_their_organisations, path="partner"))

    def get_fieldsets(self, request, obj=None):
        if not held_to_their_organisations(request.user):
            return super().get_fieldsets(request, obj)
        (text, (audience_title, audience_part), when) = super().get_fieldsets(request, obj)
        mine = {**audience_part, "fields": ORGANISERS_AUDIENCE}
        return [text, (audience_title, mine), when]

    def get_list_filter(self, request):
        if not held_to_their_organisations(request.user):
            return super().get_list_filter(request)
        return ["status"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "partner" and held_to_their_organisations(request.user):
            kwargs["queryset"] = organisations_for(request.user)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.required = True  # for their organisation, never as the coalition
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        theirs = held_to_their_organisations(request.user)
        if db_field.name in ("petitions", "letter_campaigns") and theirs:
            related = db_field.related_model._default_manager
            kwargs["queryset"] = related.filter(organisation__in=organisations_for(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("progress"))
    def progress_bar(self, obj):
        counts = sending.progress(obj)
        if not counts["total"]:
            return "—"
        return format_html(
            '<progress max="{}" value="{}"></progress> {} / {}',
            counts["total"],
            counts["done"],
            counts["done"],
            counts["total"],
        )

    def get_urls(self):
        def view(function, name):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(function),
                name=f"mailings_mailing_{name}",
            )

        return [
            view(self.preview_view, "preview"),
            view(self.test_view, "test"),
            view(self.state_view, "state"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        mailing = self.reachable(request).filter(pk=object_id).first()
        if mailing is not None:
            extra_context = {
                **(extra_context or {}),
                **self._panel_context(request, mailing),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel_context(self, request, mailing, test_form=None):
        counts = sending.progress(mailing)
        follow = mailing.status in (Mailing.Status.SENDING, Mailing.Status.SCHEDULED)
        return {
            "mailing": mailing,
            "counts": counts,
            "audience_count": audience(mailing).count() if mailing.is_editable else None,
            "may_send": request.user.has_perm("mailings.send_mailing"),
            "test_form": test_form or TestSendForm(initial={"language": mailing.language}),
            "languages": sorted(sending.translated_languages(mailing)),
            "follow": follow,
            # Worked out when the page is opened, not at each refresh while sending.
            "report": None if follow or not counts["total"] else report(mailing),
            "links": clicks.totals(mailing),
        }

    def _mailing(self, request, pk, permission="mailings.view_mailing"):
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return get_object_or_404(self.reachable(request), pk=pk)

    def preview_view(self, request, pk):
        mailing = self._mailing(request, pk)
        language = request.GET.get("language", mailing.language)
        if language not in sending.translated_languages(mailing):
            language = mailing.language
        copy = edition(mailing, language)
        text = mailing.localized(language)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Preview"),
            "mailing": mailing,
            "text": text,
            "subject": copy.subject,
            # The body is Markdown rendered and sanitised on save.
            "html": mark_safe(text.body_html.replace(NAME, SAMPLE_NAME)),
            "plain": copy.text.replace(NAME, SAMPLE_NAME).replace(
                LINK, _("(their unsubscribe link)")
            ),
            "languages": sorted(sending.translated_languages(mailing)),
            "language": language,
        }
        return TemplateResponse(request, "admin/mailings/mailing/preview.html", context)

    def test_view(self, request, pk):
        mailing = self._mailing(request, pk, "mailings.change_mailing")
        if request.method != "POST":
            return redirect(reverse("admin:mailings_mailing_change", args=[pk]))
        form = TestSendForm(request.POST)
        if form.is_valid():
            sent = services.send_test(
                mailing, form.cleaned_data["addresses"], form.cleaned_data["language"]
            )
            self.message_user(
                request,
                ngettext(
                    "Test sent to %(count)d address.", "Test sent to %(count)d addresses.", sent
                )
                % {"count": sent},
            )
            return redirect(reverse("admin:mailings_mailing_change", args=[pk]))
        self.message_user(request, " ".join(form.errors.get("addresses", [])), messages.ERROR)
        return redirect(reverse("admin:mailings_mailing_change", args=[pk]))

    def state_view(self, request, pk):
        """Send now, schedule, unschedule, pause, resume or cancel (POST only)."""
        mailing = self._mailing(request, pk, "mailings.send_mailing")
        action = request.POST.get("action", "")
        if request.method == "POST":
            done = False
            if action == "send":
                done = services.send_now(mailing)
            elif action == "schedule":
                if mailing.send_at and mailing.send_at > timezone.now():
                    done = services.schedule(mailing, mailing.send_at)
                else:
                    self.message_user(
                        request, _("Choose a time in the future first."), messages.ERROR
                    )
                    return redirect(reverse("admin:mailings_mailing_change", args=[pk]))
            elif action in ("unschedule", "pause", "resume", "cancel"):
                done = getattr(services, action)(mailing)
            if done:
                self.message_user(
                    request,
                    _("The mailing is now: %(status)s.") % {"status": mailing.get_status_display()},
                )
            else:
                self.message_user(
                    request,
                    _("That cannot be done in the mailing's present state."),
                    messages.ERROR,
                )
        return redirect(reverse("admin:mailings_mailing_change", args=[pk]))


@admin.register(MailingTranslation)
class MailingTranslationAdmin(LockedOnceSending, TranslationAdmin):
    def get_queryset(self, request):
        found = super().get_queryset(request)
        return of_their_organisations(request.user, found, "mailing__partner")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mailing":  # a translation is added only to a mailing still open
            open_ones = Mailing.objects.editable()
            kwargs["queryset"] = of_their_organisations(request.user, open_ones, "partner")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Read-only: addresses enter through bounces and complaints, never by hand, and stay."""

    list_display = ["__str__", "reason", "created_at"]
    list_filter = ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a complaint stays suppressed
