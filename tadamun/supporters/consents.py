"""The consent questions, word for word, by version.

A consent record stores the version of the words the person saw. Never edit a wording in place:
add a new version and point CURRENT at it, so each record keeps meaning what was asked.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

WORDINGS = {
    "updates-1": _(
        "Keep me informed by email about this campaign and the coalition's next actions. "
        "I can unsubscribe at any time."
    ),
    "partner-1": _(
        "Share my name and email address with %(organisation)s, who brought me here, so "
        "they can contact me about their work for this campaign."
    ),
    "partner-activity-1": _(
        "Share my name, my email address and what I do on this site (the petitions I sign, "
        "the events I say I will come to, the letters I send) with %(organisation)s, so they "
        "can contact me about their work for this campaign."
    ),
    # Asked on a member organisation's own action (issue 19): its organisers then see the
    # person and that action (a partner consent whose organisation is the action's owner).
    "owner-1": _(
        "I agree to hear from %(organisation)s, who runs this action: share my name and email "
        "address with them so they can contact me about their work. I can withdraw at any time."
    ),
    # Not a question this site asked: the coalition stated, when importing a person from
    # another tool, that they had asked for its news there (supporters.imports). The site
    # mails them nothing on that word alone (HELD) until they confirm it themselves.
    "imported-1": _(
        "Stated by the coalition when importing this person from another tool: they asked "
        "there to be kept informed by email. Not yet confirmed on this site."
    ),
}

# The forms a partner brings people to ask the narrow question: the partner then sees the
# person and the actions it brought (a signature on its link). The question emailed when a
# partner submits someone asks the wider one; only it lets the partner see everything else.
CURRENT = {"updates": "updates-1", "partner": "partner-1"}
OWNER = "owner-1"
SHARE_REQUEST = "partner-activity-1"
SHARING_ACTIVITY = {"partner-activity-1"}
IMPORTED = "imported-1"
HELD = {IMPORTED}  # consents recorded, no mail sent on them (mailings.audience)


def wording(version: str, organisation=None) -> str:
    """The words as asked, in plain text: what a consent record keeps."""
    text = str(WORDINGS[version])
    return text % {"organisation": organisation.name} if organisation else text


def label(version: str, organisation=None) -> SafeString:
    """The words as a form shows them: the organisation's name isolated from the sentence
    around it (`<bdi dir="auto">`), so a name in another script never reorders the question."""
    text = conditional_escape(str(WORDINGS[version]))
    if organisation is None:
        return text
    name = format_html('<bdi dir="auto">{}</bdi>', organisation.name)
    return mark_safe(text % {"organisation": name})
