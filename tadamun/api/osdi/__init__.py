"""OSDI v1 (the Open Supporter Data Interface that Action Network speaks) for partners, under
/api/osdi/v1/, in HAL+JSON.

A partner authenticates with its token in the `OSDI-API-Token` header. What it reads of
people and their actions is decided in one place, tadamun.supporters.partners: the people it
submitted, with only what it submitted, and the people who confirmed, themselves, that they
share with it, with their confirmed actions. Writes go through the helpers and follow the web
forms' rules: submitting a person grants nothing (they are asked, by email, whether to share
with the partner) and answers echo only what the partner sent; a signature or an answer
recorded by a partner counts once its person confirms it from the email we send, exactly as
one made on the site.

One module by resource: people (people.py), petitions and signatures (petitions.py), tags and
taggings (tags.py), events and attendances (events.py, their time slots in shifts.py), advocacy
campaigns and outreaches (advocacy.py); what they share in common.py (the token, the router,
links, paging, filters), person.py (a person as shown and as sent, and the helpers' checks) and
recording.py (what the helpers recording an action do alike).
"""

# The resources' routes register on the one router as these modules are imported, in this order:
# the order of the OpenAPI document and the docs page (keep it).
# isort: off
from tadamun.api.osdi import entry, people, petitions, tags, events, advocacy  # noqa: F401

# isort: on
from tadamun.api.osdi.common import router

__all__ = ["router"]
