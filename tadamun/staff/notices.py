"""Emails that tell a staff member their second step changed or was used in an unusual way.

A stolen password is enough to set up an authenticator on an account that has none yet, and
a stolen recovery code is enough to log in: the owner hears of either at once, at the address
on their account, and can have a coalition admin lock it. No address or device is named.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django_tasks import task

from tadamun.core.mail import send_templated_mail
from tadamun.core.tasks import enqueue_on_commit, retry_mail_on_failure
from tadamun.staff import languages

AUTHENTICATOR_SET_UP = "authenticator-set-up"
RECOVERY_CODE_USED = "recovery-code-used"
RECOVERY_CODES_RENEWED = "recovery-codes-renewed"


def tell(user, notice: str) -> None:
    """Queue the notice for `user`, in their language (staff.languages), else that of the
    page they are on."""
    if user.email:
        when = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
        enqueue_on_commit(send_notice, user.pk, notice, when, translation.get_language())


@task()
def send_notice(user_id: int, notice: str, when: str, language: str, attempt: int = 0) -> None:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    # The owner's own language: whoever used a stolen code may read the site in another.
    written_in = languages.language_of(user, otherwise=language)
    context = {"user": user, "notice": notice, "when": when}
    with retry_mail_on_failure(send_notice, user_id, notice, when, language, attempt=attempt):
        send_templated_mail("staff/email/notice", context, to=user.email, language=written_in)
