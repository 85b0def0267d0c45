"""The OSDI entry point: /api/osdi/v1/, the links to every collection."""

from tadamun.api import schemas
from tadamun.api.osdi.common import MAX_PER_PAGE, hal, link
from tadamun.core.identity import site_identity


@hal("GET", "/", schemas.EntryPoint, url_name="osdi_entry")
def entry_point(request):
    return {
        "motd": site_identity().api_message,
        "vendor_name": "Tadamun",
        "product_name": "Tadamun",
        "osdi_version": "1.1",
        "max_pagesize": MAX_PER_PAGE,
        "_links": {
            "self": link(),
            "osdi:people": link("people"),
            "osdi:petitions": link("petitions"),
            "osdi:person_signup_helper": link("people/person_signup"),
            "osdi:tags": link("tags"),
            "osdi:events": link("events"),
            "osdi:advocacy_campaigns": link("advocacy_campaigns"),
        },
    }
