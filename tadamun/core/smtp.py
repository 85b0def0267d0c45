"""Sending over SMTP so that a message is never sent twice nor lost when a worker dies: the
envelope and the whole message go first, the final "." that makes the server accept it only
after the caller has marked the message sent (see mailings.sending and core.outbox, the two
users, for the claims around it)."""

import re
import smtplib
import socket

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

LEADING_DOT = re.compile(rb"(?m)^\.")


class ClaimLost(Exception):
    """The row was given to another worker while this one was slow: do not send."""


class OutcomeUnknown(Exception):
    """The connection broke after the final ".": the server may have the message. The copy
    stays marked sent; sending it again could deliver it twice."""


class Sender:
    """Delivers messages over one connection of the configured email backend."""

    def __init__(self):
        self.backend = get_connection()
        self.is_smtp = isinstance(self.backend, SMTPBackend)

    def close(self):
        self.backend.close()

    def deliver(self, copy, on_point_of_no_return) -> None:
        """Send `copy` (an EmailMessage, or for SMTP `Edition.raw()`'s (sender, recipient,
        bytes)); `on_point_of_no_return()` runs just before the server is told to accept it
        and returns False when the copy must not go (its claim was lost)."""
        if not self.is_smtp:
            if not on_point_of_no_return():
                raise ClaimLost
            self.backend.send_messages([copy])
            return
        if self.backend.connection is None:
            self.backend.open()
            # The final "." goes in a write of its own: without this, Nagle's algorithm holds
            # it until the server acknowledges the message (tens of milliseconds a copy).
            self.backend.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        smtp = self.backend.connection
        try:
            self._held_dot(smtp, *copy, on_point_of_no_return)
        except (ClaimLost, OutcomeUnknown, smtplib.SMTPServerDisconnected, OSError):
            # Dropping the connection (no QUIT: the server is reading a message) is the only
            # way to abandon a started DATA; the next message opens a new one.
            smtp.close()
            self.backend.connection = None
            raise

    @staticmethod
    def _held_dot(smtp, sender, recipient, data, on_point_of_no_return) -> None:
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        code, reply = smtp.docmd("data")
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, reply)
        data = LEADING_DOT.sub(b"..", data)
        smtp.send(data if data.endswith(b"\r\n") else data + b"\r\n")
        if not on_point_of_no_return():
            raise ClaimLost
        try:
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise OutcomeUnknown from error
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)


def is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
