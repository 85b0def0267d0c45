from django import forms
from django.utils.translation import gettext_lazy as _


class MyDataRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my details are deleted and cannot be restored."),
        error_messages={"required": _("Please tick the box to confirm the erasure.")},
    )
