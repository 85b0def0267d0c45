"""The path of the page asked for, to build links, redirects and headers from: the one place
that reads it, so that every such link stays on this site."""

from django.utils.encoding import escape_uri_path


def on_site(path: str) -> str:
    """`path` as a path on this site. Browsers read a link that begins with two slashes or
    backslashes (`//evil.example`, `/\\evil.example`) as one to another host, and a path asked
    for as `/%2F%2Fevil.example` arrives as `//evil.example`: it keeps a single slash."""
    return "/" + path.lstrip("/\\")


def this_page(request, *, query: bool = True) -> str:
    """The path (and query string) of the page asked for, safe in a link or a Location."""
    path = request.get_full_path() if query else escape_uri_path(request.path)
    return on_site(path)
