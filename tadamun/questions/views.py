"""An event organiser's page for the questions of their RSVP form (through the link emailed
to them, like their other pages: events.organiser_views)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tadamun.events import organisers
from tadamun.events.organiser_views import organiser_link
from tadamun.questions import services
from tadamun.questions.forms import OrganiserQuestionForm


@require_http_methods(["GET", "POST"])
@organiser_link
def event_questions(request, event, token):
    if not organisers.can_edit(event):
        return redirect("events:manage", token=token)
    form = OrganiserQuestionForm(request.POST if "add" in request.POST else None)
    if request.method == "POST":
        if "remove" in request.POST:
            services.remove_from_event(event, _number(request.POST["remove"]))
            messages.success(request, _("The question is removed."))
            return redirect("events:manage_questions", token=token)
        if form.is_valid():
            services.add_to_event(event, **form.cleaned_data)
            messages.success(request, _("The question is added to the RSVP form."))
            return redirect("events:manage_questions", token=token)
    context = {"event": event, "token": token, "form": form, "questions": event.questions.all()}
    return render(request, "questions/event_questions.html", context)


def _number(value: str) -> int:
    return int(value) if value.isdigit() else 0
