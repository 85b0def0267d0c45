"""Staff login in two steps: the password, then a code from an authenticator or a recovery code.

Between the steps nobody is logged in: the session only remembers, for a few minutes, whose
password was right. A staff member without an authenticator sets one up in the second step,
and receives recovery codes once it works.
"""

import time
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from tadamun.core.paths import this_page
from tadamun.staff import devices, enrolment, lockout, notices
from tadamun.staff.forms import CodeForm

PENDING = "staff_password_ok"
PENDING_SECONDS = 300


def lockout_message():
    return _(
        "Too many failed attempts for this account. Wait a quarter of an hour, then try again."
    )


@method_decorator([sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch")
class StaffStep(FormView):
    site = None
    title = gettext_lazy("Log in")

    def get_context_data(self, **kwargs):
        return {
            **self.site.each_context(self.request),
            "next": self.next_url(),
            "title": self.title,
            "app_path": this_page(self.request),
            "username": self.request.user.get_username(),
            **super().get_context_data(**kwargs),
        }

    def next_url(self):
        wanted = self.request.POST.get(REDIRECT_FIELD_NAME) or self.request.GET.get(
            REDIRECT_FIELD_NAME, ""
        )
        allowed = url_has_allowed_host_and_scheme(
            wanted, {self.request.get_host()}, self.request.is_secure()
        )
        return wanted if allowed else reverse("admin:index", current_app=self.site.name)

    def step_url(self, name):
        url = reverse(f"admin:{name}", current_app=self.site.name)
        return f"{url}?{urlencode({REDIRECT_FIELD_NAME: self.next_url()})}"

    def pending_user(self):
        pending = self.request.session.get(PENDING)
        if not pending or time.time() - pending["at"] > PENDING_SECONDS:
            return None
        return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()

    def finish(self, user, device):
        """Both steps passed: log in and mark the session verified by this device."""
        backend = self.request.session.pop(PENDING)["backend"]
        login(self.request, user, backend=backend)
        django_otp.login(self.request, device)


class PasswordStep(StaffStep):
    template_name = "admin/login.html"
    form_class = AdminAuthenticationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get(self, request, *args, **kwargs):
        if self.site.has_permission(request):
            return redirect(self.next_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if lockout.is_locked(request, username):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, lockout_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        lockout.record_failure(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
        }
        step = "login_code" if devices.has_authenticator(user) else "login_enrol"
        return redirect(self.step_url(step))


class SecondStep(StaffStep):
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        self.user = self.pending_user()
        if self.user is None:
            messages.info(request, _("Please log in again."))
            return redirect(self.step_url("login"))
        return super().dispatch(request, *args, **kwargs)

    def refuse(self, form, message):
        form.add_error("code", message)
        return self.form_invalid(form)

    def code_refused(self, form):
        username = self.user.get_username()
        lockout.record_failure(self.request, username)
        if lockout.is_locked(self.request, username):
            self.request.session.pop(PENDING, None)
            return self.refuse(form, lockout_message())
        return self.refuse(form, _("That code is not right, or it has expired. Try again."))


class CodeStep(SecondStep):
    template_name = "staff/code.html"
    title = gettext_lazy("Second step")

    def get(self, request, *args, **kwargs):
        if not devices.has_authenticator(self.user):
            return redirect(self.step_url("login_enrol"))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if lockout.is_locked(self.request, self.user.get_username()):
            return self.refuse(form, lockout_message())
        device = devices.verify(self.user, form.cleaned_data["code"])
        if device is None:
            return self.code_refused(form)
        self.finish(self.user, device)
        if devices.is_recovery(device):
            notices.tell(self.user, notices.RECOVERY_CODE_USED)
            left = devices.recovery_codes_left(self.user)
            messages.warning(
                self.request,
                ngettext(
                    "You used a recovery code; %(count)d is left. Make new ones if your "
                    "authenticator is lost.",
                    "You used a recovery code; %(count)d are left. Make new ones if your "
                    "authenticator is lost.",
                    left,
                )
                % {"count": left},
            )
        return redirect(self.next_url())


class Enrolment(SecondStep):
    """Set up the authenticator: scan the code (or type the key), then prove it works."""

    template_name = "staff/enrol.html"
    title = gettext_lazy("Set up your second step")

    def dispatch(self, request, *args, **kwargs):
        user = self.pending_user()
        if user is not None and devices.has_authenticator(user):
            # A password alone may never replace an authenticator that is already set up.
            return redirect(self.step_url("login_code"))
        if user is not None and not enrolment.is_open(user):
            request.session.pop(PENDING, None)
            context = {
                **self.site.each_context(request),
                "title": self.title,
                "days": enrolment.window_days(),
            }
            return render(request, "staff/enrolment_closed.html", context, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = devices.authenticator_to_confirm(self.user)
        secret = b32encode(device.bin_key).decode()
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        return {
            **super().get_context_data(**kwargs),
            # The SVG is drawn here from the device's own key: nothing in it comes from a user.
            "qr_code": mark_safe(image.to_string(encoding="unicode")),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        }

    def form_valid(self, form):
        if lockout.is_locked(self.request, self.user.get_username()):
            return self.refuse(form, lockout_message())
        device = devices.authenticator_to_confirm(self.user)
        if not device.verify_token("".join(form.cleaned_data["code"].split())):
            return self.code_refused(form)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = devices.new_recovery_codes(self.user)
        self.finish(self.user, device)
        notices.tell(self.user, notices.AUTHENTICATOR_SET_UP)
        return show_recovery_codes(self, codes)


def show_recovery_codes(view, codes):
    """Recovery codes are shown once, on a page no cache keeps."""
    context = {
        **view.site.each_context(view.request),
        "title": _("Your recovery codes"),
        "codes": codes,
        "next": view.next_url(),
    }
    view.template_name = "staff/recovery_codes.html"
    return view.render_to_response(context)


class RecoveryCodes(StaffStep):
    """For a logged-in staff member: how many recovery codes are left, and new ones."""

    template_name = "staff/recovery_codes_manage.html"
    title = gettext_lazy("Recovery codes")
    form_class = None

    def get_form(self, form_class=None):
        return None

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "left": devices.recovery_codes_left(self.request.user),
        }

    def post(self, request, *args, **kwargs):
        codes = devices.new_recovery_codes(request.user)
        notices.tell(request.user, notices.RECOVERY_CODES_RENEWED)
        return show_recovery_codes(self, codes)
