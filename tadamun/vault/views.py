"""The vault's staff page (admin/vault/): its state, unlock with shares, lock now, re-wrap
under a new secret (tadamun.vault.rotation), a join code for another machine
(tadamun.vault.joining)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from tadamun import vault
from tadamun.vault import keyring, store
from tadamun.vault.everywhere import lock_everywhere

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


class RewrapForm(UnlockForm):
    threshold = forms.IntegerField(label=_("New shares needed"), min_value=1, max_value=16)
    count = forms.IntegerField(label=_("New shares made"), min_value=1, max_value=16)

    def clean(self):
        data = super().clean()
        threshold, count = data.get("threshold"), data.get("count")
        if threshold and count:
            try:
                keyring.split(b"\0" * keyring.SECRET_BYTES, threshold, count)
            except ValueError:
                raise forms.ValidationError(
                    _("Choose at least as many shares as are needed, and 1 of 1 or 2 or more.")
                ) from None
        return data


def rewrap(form):
    """New shares for the same keys, shown once in the answer (never in a message stored in
    the session); None when refused, with the reason on the form."""
    from tadamun.vault import rotation

    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return rotation.rewrap(
            data["shares"].splitlines(), threshold=data["threshold"], shares=data["count"]
        )
    except keyring.WrongSecret:
        form.add_error("shares", _("These shares do not open the vault."))
    except rotation.SealChanged:
        form.add_error(None, _("The vault changed meanwhile: nothing was done, try again."))
    except (store.NotSealed, vault.Locked) as error:  # destroyed, or never sealed
        form.add_error(None, getattr(error, "message", STATES["unsealed"]))
    return None


def make_join_code(request):
    """A one-time join code for this machine's agent, shown once in the answer; None (with
    the reason in a message) when this machine cannot serve joins."""
    from tadamun.vault import joining

    try:
        code, _row = joining.make_code_here()
    except joining.NotServing:
        messages.error(
            request,
            _("This machine's agent serves no joins: start it with VAULT_JOIN_LISTEN set."),
        )
    except vault.Locked:
        messages.error(request, _("Only an unlocked machine can let another join."))
    else:
        return code.readable()
    return None


def can_see(user) -> bool:
    return user.has_perm("vault.lock_vault") or user.has_perm("vault.unlock_vault")


def page(site, request):
    if not can_see(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    form = UnlockForm(request.POST if action == "unlock" else None)
    rewrap_form = RewrapForm(request.POST if action == "rewrap" else None, prefix="rewrap")
    new_shares = join_code = None
    if request.method == "POST":
        if request.POST.get("action") == "lock" and request.user.has_perm("vault.lock_vault"):
            if lock_everywhere():
                messages.success(request, _("The vault is locked."))
            else:
                messages.error(request, _("No key-holding agent answers on this machine."))
            return redirect("admin:vault")
        if not request.user.has_perm("vault.unlock_vault"):
            raise PermissionDenied
        if action == "rewrap":
            new_shares = rewrap(rewrap_form)
        elif action == "join_code":
            join_code = make_join_code(request)
        elif form.is_valid():
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
        "can_rewrap": request.user.has_perm("vault.unlock_vault")
        and state in ("unlocked", "locked"),
        "rewrap_form": rewrap_form,
        "new_shares": new_shares,
        "join_code": join_code,
        "can_join": request.user.has_perm("vault.unlock_vault") and state == "unlocked",
    }
    return TemplateResponse(request, "vault/page.html", context)
