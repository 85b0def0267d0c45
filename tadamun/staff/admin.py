from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.staff import enrolment

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, with the way back for a staff member who lost their phone."""

    actions = ["let_them_set_up_a_new_authenticator"]

    @admin.action(
        description=_("Let them set up a new authenticator (the old one stops working)"),
        permissions=["change"],
    )
    def let_them_set_up_a_new_authenticator(self, request, queryset):
        for user in queryset:
            enrolment.start_again(user)
        count, days = queryset.count(), enrolment.window_days()
        accounts = ngettext(
            "%(count)d account may set up a new authenticator at its next login.",
            "%(count)d accounts may set up a new authenticator at their next login.",
            count,
        ) % {"count": count}
        window = ngettext(
            "They have %(days)d day to do it.", "They have %(days)d days to do it.", days
        ) % {"days": days}
        self.message_user(request, f"{accounts} {window}")
