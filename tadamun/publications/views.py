from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from tadamun.publications.queries import readable


def detail(request, slug):
    """A publication in the reader's language, or the original when asked (`?original`)."""
    publication = get_object_or_404(readable().select_related("campaign"), slug=slug)
    show_original = "original" in request.GET
    text = publication.localized(publication.language if show_original else get_language())
    return render(
        request,
        "publications/detail.html",
        {"publication": publication, "text": text, "show_original": show_original},
    )


def index(request):
    return render(
        request,
        "publications/index.html",
        {"publications": readable().select_related("campaign")[:100]},
    )
