"""The one way the server opens a URL: webhook deliveries (and anything later) go through
`post()`, so an address typed by a partner cannot make the server reach inside its network.

The rule, checked again on every request (what was valid when saved may not be now):
- https only; http only when settings.OUTGOING_ALLOW_HTTP (development);
- the host is resolved once, here (`resolve`), and every address it resolves to must be
  public: loopback, private, link-local, multicast, reserved and unspecified addresses are
  refused, also when written as a number (`http://2130706433/`) or wrapped in IPv6
  (`::ffff:127.0.0.1`, 6to4, Teredo);
- the connection goes to the address that was checked, not to the name again (no DNS
  rebinding), while the Host header, TLS SNI and certificate check use the name;
- redirects are not followed: a 3xx answer is refused;
- the whole exchange has a time cap and the answer a size cap.

settings.OUTGOING_ALLOW_LOOPBACK lets tests reach servers they run on 127.0.0.1.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TIMEOUT = 10  # seconds for the whole exchange: connecting, sending, the answer
MAX_RESPONSE_BYTES = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class OutgoingError(Exception):
    """A request not made or not completed; `reason` is short and fit for a log (it names
    no address), `status` the answer's code when there was one."""

    reason = "failed"

    def __init__(self, reason: str | None = None, status: int | None = None):
        super().__init__(reason or self.reason)
        self.reason = reason or self.reason
        self.status = status


class OutgoingRefused(OutgoingError):
    """The rule refuses this request: trying again will not help."""

    reason = "refused"


class SchemeRefused(OutgoingRefused):
    reason = "https required"


class AddressRefused(OutgoingRefused):
    reason = "address not public"


class RedirectRefused(OutgoingRefused):
    reason = "redirect not followed"


class OutgoingFailed(OutgoingError):
    """The other end failed (no answer, too slow, too much): it may work later."""


class ResponseTooLarge(OutgoingFailed):
    reason = "answer too large"


class OutgoingTimeout(OutgoingFailed):
    reason = "timed out"


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


def allowed_schemes() -> set[str]:
    return {"https", "http"} if settings.OUTGOING_ALLOW_HTTP else {"https"}


def unwrap(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo), else itself."""
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            return embedded
    return address


def is_public(address: IPAddress) -> bool:
    """Both the address and the IPv4 address it may carry are public ones."""
    return all(is_public_itself(each) for each in {address, unwrap(address)})


def is_public_itself(address: IPAddress) -> bool:
    if settings.OUTGOING_ALLOW_LOOPBACK and address.is_loopback:
        return True
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as a number stands for, in any of the forms resolvers
    accept (`127.0.0.1`, `2130706433`, `0177.0.0.1`, `0x7f.1`, `::1`), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host name resolves to (the only name lookup of outgoing requests)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise OutgoingFailed("name not resolved") from error
    return [ipaddress.ip_address(sockaddr[0].split("%")[0]) for *_, sockaddr in found]


def split(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of a URL the rule allows, or OutgoingRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise OutgoingRefused("malformed address") from error
    if parts.scheme not in allowed_schemes():
        raise SchemeRefused
    if not parts.hostname or parts.username or parts.password:
        raise OutgoingRefused("malformed address")
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def checked_addresses(host: str, port: int) -> list[IPAddress]:
    """The addresses to connect to, all public, or AddressRefused."""
    literal = literal_address(host)
    addresses = [literal] if literal is not None else resolve(host, port)
    if not addresses or not all(is_public(address) for address in addresses):
        raise AddressRefused
    return addresses


def validate_outgoing_url(url: str) -> None:
    """For forms and models: the scheme and, when the host is written as an address, the
    address; names are only resolved when a request is made (`post`)."""
    try:
        _scheme, host, port, _path = split(url)
        literal = literal_address(host)
        if literal is not None and not is_public(literal):
            raise AddressRefused
    except SchemeRefused as refused:
        raise ValidationError(_("Use an https:// address."), code="outgoing_scheme") from refused
    except OutgoingRefused as refused:
        raise ValidationError(
            _("This address is inside a private network; use a public https:// address."),
            code="outgoing_address",
        ) from refused


def connect_to(addresses: list[IPAddress], port: int, timeout: float) -> socket.socket:
    """A connection to the first of the checked addresses that answers."""
    error = OutgoingFailed("connection failed")
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout=timeout)
        except OSError as failure:
            error.__cause__ = failure
    raise error


def pinned_connection(scheme, host, port, addresses, timeout) -> http.client.HTTPConnection:
    """A connection whose socket goes to a checked address, not to a second lookup of the
    name; the Host header, TLS SNI and the certificate check still use the name."""
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
    connection._create_connection = lambda _address, timeout, _source=None: connect_to(
        addresses, port, timeout
    )
    return connection


def read_capped(response: http.client.HTTPResponse, limit: int) -> bytes:
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge
    body = response.read(limit + 1)
    if len(body) > limit:
        raise ResponseTooLarge
    return body


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_RESPONSE_BYTES,
) -> Response:
    """POST `body` to `url` under the rule above. Raises OutgoingRefused when the rule
    refuses, OutgoingFailed when the other end fails; any answer else is returned."""
    scheme, host, port, path = split(url)
    addresses = checked_addresses(host, port)
    connection = pinned_connection(scheme, host, port, addresses, timeout)
    deadline = time.monotonic() + timeout
    # The socket's own timeout bounds each wait; this bounds their sum (a slow drip).
    watchdog = threading.Timer(timeout, cut, [connection])
    watchdog.start()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise RedirectRefused(status=response.status)
        body = read_capped(response, max_bytes)
        if time.monotonic() >= deadline:
            raise OutgoingTimeout  # cut off while reading: the body may be incomplete
        return Response(response.status, body)
    except (OSError, http.client.HTTPException) as failure:
        if time.monotonic() >= deadline or isinstance(failure, TimeoutError):
            raise OutgoingTimeout from failure
        raise OutgoingFailed(type(failure).__name__) from failure
    finally:
        watchdog.cancel()
        connection.close()


def cut(connection: http.client.HTTPConnection) -> None:
    """Stop a request past its time: shutting the socket down wakes the blocked read."""
    sock = connection.sock
    if sock is not None:
        # The plain socket's shutdown, also under TLS: the reading thread keeps its state.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
