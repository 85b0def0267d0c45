"""The demo's mailbox page: there only when settings.DEMO is on (`make demo`), a 404
everywhere else, so no production site can show its mail."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tadamun.demo import mailbox


def _demo_only():
    if not settings.DEMO:
        raise Http404


@require_GET
def mail_list(request):
    _demo_only()
    context = {"messages": mailbox.messages(), "folder": mailbox.folder()}
    return render(request, "demo/mailbox.html", context)


@require_GET
def mail_detail(request, file, index):
    _demo_only()
    message = mailbox.message(file, index)
    if message is None:
        raise Http404
    return render(request, "demo/message.html", {"message": message})
