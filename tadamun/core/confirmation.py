"""One way to confirm by email: the kit every "we email you a link" form uses.

- `ConfirmLink`: one kind of emailed link. Its token holds the id of one object and a
  fingerprint of what the link was sent for (an address, a submission, a key), signed with the
  site's key and a salt per purpose. Reading it looks the object up and compares the
  fingerprint, so a link stops working when what it was sent for changes, without any table of
  issued links. Each app declares its links in its `links.py` (models only: the services and
  the tasks both import them, and neither imports the other for a token).
- `link_view`: a view reached through a link gets the object, or the one invalid-link page.
- `confirm_view`: "GET shows a button, POST acts": mail scanners open links, they do not post.
- The link a form promises (confirm a signature, an RSVP...) is sent through `core.outbox`,
  exactly once whatever dies; `send_link_mail` is the body of a task that mails a link no
  form promised (a partner's share request).
- `HoneypotMixin`: the field people never see and bots fill.

The mail limit on such forms is `core.limits.hold_back(request, form, "<form name>")`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django import forms
from django.conf import settings
from django.core import signing
from django.db.models import Model, QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tadamun.core.mail import send_templated_mail
from tadamun.core.tasks import retry_mail_on_failure


@dataclass(frozen=True)
class InvalidLink:
    """What the invalid-link page says, and where it sends the person instead."""

    message: str
    next_url: str
    next_label: str


def _always(_obj) -> bool:
    return True


@dataclass(frozen=True)
class ConfirmLink:
    """One kind of emailed link. `max_age` is the name of a setting (read when the link is
    read, so a changed setting applies to links already sent), or None: the link never
    expires. `fingerprint_counts(obj)` says whether the fingerprint must still match: a
    confirmed answer no longer changes, so any of its links just says so."""

    salt: str
    url_name: str
    objects: Callable[[], QuerySet]
    fingerprint: Callable[[Model], str]
    invalid: InvalidLink
    max_age: str | None = "CONFIRMATION_LINK_MAX_AGE"
    fingerprint_counts: Callable[[Model], bool] = field(default=_always)

    def token(self, obj: Model) -> str:
        return signing.dumps([obj.pk, self.fingerprint(obj)], salt=self.salt)

    def path(self, obj: Model) -> str:
        """The link's path in the active language."""
        return reverse(self.url_name, args=[self.token(obj)])

    def read(self, token: str) -> Model | None:
        """The object the token names, or None when the token is forged, mangled, expired,
        or what it was sent for has changed (or is gone)."""
        max_age = getattr(settings, self.max_age) if self.max_age else None
        try:
            pk, fingerprint = signing.loads(token, salt=self.salt, max_age=max_age)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        obj = self.objects().filter(pk=pk).first()
        if obj is None or (self.fingerprint_counts(obj) and self.fingerprint(obj) != fingerprint):
            return None
        return obj


def invalid_link_page(request, link: ConfirmLink):
    return render(request, "core/link_invalid.html", {"invalid": link.invalid}, status=400)


def link_view(link: ConfirmLink):
    """Decorate a view `(request, obj, token)`: it gets the object `link`'s token names, or the
    person gets the page saying the link does not work (400). Never cached: the pages hold
    what the link is the key to."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, token):
            if (obj := link.read(token)) is None:
                return invalid_link_page(request, link)
            return view(request, obj, token)

        wrapper.confirm_link = link  # for the test that walks every emailed link's route
        return never_cache(wrapper)

    return decorator


def confirm_view(
    link: ConfirmLink,
    *,
    template: str,
    act: Callable[[Model], Model],
    context: Callable[[Model], dict],
    done_url: Callable[[Model], str] | None = None,
    done_template: str | None = None,
):
    """The view of a link that acts: GET renders `template` with a button (mail scanners open
    links, they do not post); only the POST calls `act(obj)`. Then it redirects to
    `done_url(obj)`, or renders `done_template` (default `template`) with the acted-on object."""

    @require_http_methods(["GET", "POST"])
    @link_view(link)
    def view(request, obj, token):
        if request.method != "POST":
            return render(request, template, context(obj))
        obj = act(obj)
        if done_url is not None:
            return redirect(done_url(obj))
        return render(request, done_template or template, {**context(obj), "done": True})

    return view


def send_link_mail(
    task, *task_args, attempt: int, link: ConfirmLink, obj: Model, template: str, to: str,
    language: str, context: dict | None = None,
) -> None:  # fmt: skip
    """Mail `obj`'s `link` (as `path`, in `language`) to `to`, from inside `task(*task_args)`:
    a mail server failure queues the task again later (core.tasks.retry_mail_on_failure)."""
    with translation.override(language):
        path = link.path(obj)
    with retry_mail_on_failure(task, *task_args, attempt=attempt):
        send_templated_mail(template, {**(context or {}), "path": path}, to=to, language=language)


class HoneypotMixin(forms.Form):
    """A field people never see (the stylesheet hides `.hp`, see core/honeypot.html) and bots
    that fill every field do: such a submission is answered as if it worked, and dropped."""

    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"] = self.fields.pop("website")  # last, wherever the form declares
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
