"""The vault's staff page (admin/vault/): its state, unlock with shares, lock now."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from tadamun import vault
from tadamun.vault import keyring

STATES = {
    "unlocked": _("Unlocked: personal data can be read and written."),
    "locked": _("Locked: personal data cannot be read until keyholders unlock the vault."),
    "destroyed": _("Destroyed: personal data can never be read again."),
    "unsealed": _("Not sealed: the keys are still in this server's settings."),
}


class UnlockForm(forms.Form):
    shares = forms.CharField(
        label=_("Secret or shares, one a line"),
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false", "dir": "ltr"}
        ),
    )


def can_see(user) -> bool:
    return user.has_perm("vault.lock_vault") or user.has_perm("vault.unlock_vault")


def page(site, request):
    if not can_see(request.user):
        raise PermissionDenied
    form = UnlockForm(request.POST if request.POST.get("action") == "unlock" else None)
    if request.method == "POST":
        if request.POST.get("action") == "lock" and request.user.has_perm("vault.lock_vault"):
            try:
                vault.lock()
                messages.success(request, _("The vault is locked."))
            except vault.Locked:
                messages.error(request, _("No key-holding agent answers on this machine."))
            return redirect("admin:vault")
        if not request.user.has_perm("vault.unlock_vault"):
            raise PermissionDenied
        if form.is_valid():
            try:
                vault.unlock(form.cleaned_data["shares"].splitlines())
            except keyring.WrongSecret:
                form.add_error("shares", _("These shares do not open the vault."))
            except vault.Locked:
                form.add_error(None, _("No key-holding agent answers on this machine."))
            else:
                messages.success(request, _("The vault is unlocked."))
                return redirect("admin:vault")
    state = vault.state()
    context = {
        **site.each_context(request),
        "title": _("Vault"),
        "state": state,
        "state_text": STATES.get(state, state),
        "form": form,
        "can_lock": request.user.has_perm("vault.lock_vault") and state == "unlocked",
        "can_unlock": request.user.has_perm("vault.unlock_vault") and state == "locked",
    }
    return TemplateResponse(request, "vault/page.html", context)
