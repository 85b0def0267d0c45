"""A machine's agent unlocked by an already unlocked agent, over TLS (docs/scale.md).

The serving agent (`vault_agent --join-listen HOST:PORT`, or VAULT_JOIN_LISTEN) listens on a
TLS port with a certificate made at its start (tadamun.vault.tls). A keyholder or coalition
admin makes a one-time code on an unlocked machine (tadamun.vault.joincodes): the Vault page or
`manage.py vault_join_code`. The joining machine's agent, given the code
(`manage.py vault_unlock --join`):

1. connects, checks that the certificate's SHA-256 is the code's fingerprint before it sends
   a byte (a wrong one: nothing sent, "wrong fingerprint");
2. sends, inside TLS, the code's secret and the public half of an X25519 key pair made for
   this join alone. The secret travels (inside TLS to the pinned certificate) rather than an
   HMAC over a nonce: the server keeps only a keyed digest of the code, so it could not check
   such a proof, and a code is spent by its first use anyway;
3. receives the key bundle sealed to that ephemeral key (a PyNaCl sealed box), opens it,
   checks that it is this vault's (its public key is the seal's), and holds it as after an
   unlock with shares (the lock epoch noted first: lock now reaches it like any agent).

The server refuses a wrong, used or expired code ("refused", one word for the three), while
locked ("locked", also when a lock now was ordered that its watcher has not seen yet) or
destroyed, and past ATTEMPTS_PER_MINUTE attempts in the last minute
("too many attempts"). Each join given is in the audit trail (no address, no person).
"""

import base64
import collections
import hmac
import json
import logging
import socket
import socketserver
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from tadamun import vault
from tadamun.core.audit import record_access_given
from tadamun.vault import joincodes, keyring, store, tls
from tadamun.vault.agent import AgentUnreachable, Client
from tadamun.vault.everywhere import epoch
from tadamun.vault.holder import Locked
from tadamun.vault.models import JoinCode

logger = logging.getLogger(__name__)
TIMEOUT = 5.0
MAX_REQUEST = 4096
MAX_ANSWER = 64 * 1024
ATTEMPTS_PER_MINUTE = 10
# Joins served at once: a connection beyond these is closed at once (each holds a thread,
# whose stack the agent's locked memory holds too).
MAX_CONNECTIONS = 4
THREAD_STACK_BYTES = 1024 * 1024

EXPLAINED = {
    "not a code": "This is not a join code (mistyped or cut short?).",
    "refused": "Refused: this join code is wrong, used or expired. Make a new one on an "
    "unlocked machine.",
    "wrong fingerprint": "Refused: the machine at the code's address is not the one that made "
    "the code (its certificate differs). Nothing was sent to it.",
    "unreachable": "The machine the code names does not answer (address, port, firewall?).",
    "locked": "The machine that made the code is locked now.",
    "destroyed": "The vault's keys were destroyed.",
    "too many attempts": "The machine that made the code takes no more attempts this minute.",
    "not this vault": "The keys received are not this vault's: refused.",
    "not sealed": "This installation is not sealed: run manage.py vault_init.",
    "failed": "The join failed (a database not answering?): nothing was unlocked.",
}


class JoinRefused(Exception):
    """The join did not happen; `reason` is one of EXPLAINED's keys."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def explain(self) -> str:
        return EXPLAINED.get(self.reason, f"Refused: {self.reason}.")


class NotServing(Exception):
    """This machine's agent serves no joins (started without --join-listen), or none answers."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# --- The joining side ----------------------------------------------------------------------


def fetch_keys(text: str) -> keyring.KeyBundle:
    """The key bundle, from the unlocked agent the code names; raises JoinRefused."""
    try:
        code = joincodes.Code.parse(text)
    except joincodes.NotACode:
        raise JoinRefused("not a code") from None
    ephemeral = PrivateKey.generate()
    request = {"code": _b64(code.secret), "public_key": _b64(bytes(ephemeral.public_key))}
    where = joincodes.split_address(code.address)
    try:
        with (
            socket.create_connection(where, timeout=TIMEOUT) as raw,
            tls.client_context().wrap_socket(raw) as conn,
        ):
            presented = tls.fingerprint(conn.getpeercert(binary_form=True))
            if not hmac.compare_digest(presented, code.fingerprint):
                raise JoinRefused("wrong fingerprint")
            conn.sendall(json.dumps(request).encode() + b"\n")
            answer = json.loads(conn.makefile("rb").readline(MAX_ANSWER))
    except (OSError, ValueError):  # ssl.SSLError is an OSError
        raise JoinRefused("unreachable") from None
    if not answer.get("ok"):
        raise JoinRefused(str(answer.get("error", "refused")))
    try:
        plain = SealedBox(ephemeral).decrypt(base64.b64decode(answer["sealed"]))
        bundle = keyring.KeyBundle.from_json(plain.decode())
    except (CryptoError, KeyError, ValueError):
        raise JoinRefused("not this vault") from None
    if bundle.public_key != store.public_key():
        raise JoinRefused("not this vault")
    return bundle


# --- The serving side ----------------------------------------------------------------------


class Attempts:
    """At most `limit` attempts in any minute, whoever makes them (joins are rare: a flood
    of guesses only delays the next real one by a minute)."""

    def __init__(self, limit: int = ATTEMPTS_PER_MINUTE):
        self.limit = limit
        self.times: collections.deque[float] = collections.deque()
        self.lock = threading.Lock()

    def allow(self) -> bool:
        now = time.monotonic()
        with self.lock:
            while self.times and now - self.times[0] > 60:
                self.times.popleft()
            if len(self.times) >= self.limit:
                return False
            self.times.append(now)
            return True


def read_line(sock, deadline: float) -> bytes:
    """One line of at most MAX_REQUEST bytes, all of it before `deadline` (a client sending
    a byte at a time cannot hold the connection longer than TIMEOUT in all)."""
    line = b""
    while not line.endswith(b"\n") and len(line) < MAX_REQUEST:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long")
        sock.settimeout(left)
        chunk = sock.recv(MAX_REQUEST - len(line))
        if not chunk:
            break
        line += chunk
    return line


class JoinHandler(socketserver.BaseRequestHandler):
    def setup(self):
        self.deadline = time.monotonic() + TIMEOUT  # the handshake and the request, in all
        self.request.settimeout(TIMEOUT)
        self.request.do_handshake()  # here, in the connection's thread, not in accept()

    def handle(self):
        close_old_connections()
        try:
            answer = self.server.answer(json.loads(read_line(self.request, self.deadline)))
        except (ValueError, TypeError, AttributeError):
            answer = {"ok": False, "error": "bad request"}
        except DatabaseError:
            logger.error("vault join: the database does not answer")
            answer = {"ok": False, "error": "failed"}
        finally:
            connection.close()  # a thread per join: no connection left behind
        self.request.sendall(json.dumps(answer).encode() + b"\n")


class JoinServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Serves joins for `agent` (a tadamun.vault.agent.Server), from its holder's keys."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, listen: str, agent):
        self.agent = agent
        self.context, self.fingerprint = tls.server_context()
        self.attempts = Attempts()
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        threading.stack_size(THREAD_STACK_BYTES)  # the connections' threads: small stacks
        host, port = joincodes.split_address(listen)
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), JoinHandler)

    def get_request(self):
        conn, address = self.socket.accept()
        wrapped = self.context.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        return wrapped, address

    def verify_request(self, request, client_address) -> bool:
        return self.slots.acquire(blocking=False)  # refused: closed at once, no thread

    def shutdown_request(self, request):
        try:
            super().shutdown_request(request)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address):
        logger.warning("vault join: a connection failed (no TLS, or cut)")  # no address logged

    def answer(self, request: dict) -> dict:
        if not self.attempts.allow():
            return {"ok": False, "error": "too many attempts"}
        try:
            bundle = self.agent.holder.keys()
        except Locked:
            return {"ok": False, "error": "locked"}
        if store.destroyed():
            return {"ok": False, "error": "destroyed"}
        if epoch() != self.agent.unlocked_epoch:  # lock now ordered, not yet seen by the watcher
            self.agent.holder.lock()
            return {"ok": False, "error": "locked"}
        try:
            secret = base64.b64decode(str(request["code"]), validate=True)
            joining = PublicKey(base64.b64decode(str(request["public_key"]), validate=True))
        except (KeyError, ValueError, CryptoError):
            return {"ok": False, "error": "bad request"}
        row = joincodes.redeem(bundle, self.fingerprint, secret)
        if row is None:
            logger.warning("vault join refused: a wrong, used or expired code")
            return {"ok": False, "error": "refused"}
        record_access_given(row, "vault keys given to a joining machine")
        logger.warning("vault keys given to a joining machine")
        return {"ok": True, "sealed": _b64(SealedBox(joining).encrypt(bundle.to_json().encode()))}


def make_code_here() -> tuple[joincodes.Code, JoinCode]:
    """A new code for this machine's agent (which must serve joins); raises NotServing, and
    Locked when this machine is locked (only an unlocked machine can let another join)."""
    if settings.VAULT_MODE != "agent":
        raise NotServing
    try:
        served = Client(settings.VAULT_SOCKET).ask("join_info")
    except AgentUnreachable:
        raise NotServing from None
    if not served.get("ok"):
        raise NotServing
    code, row = joincodes.make(vault.keys(), served["address"], served["fingerprint"])
    record_access_given(row, "vault join code made")  # by the staff member of the request
    return code, row


def serve(agent, listen: str, address: str = "") -> JoinServer:
    """Serve joins for `agent` on `listen` (HOST:PORT; port 0 for any) in a thread; the codes
    name `address` (default: the listen address, this machine's name for a wildcard)."""
    joins = JoinServer(listen, agent)
    if not address:
        host, _port = joincodes.split_address(listen)
        if host in ("", "0.0.0.0", "::"):  # noqa: S104 - the operator's choice of interface
            host = socket.getfqdn()
        port = joins.server_address[1]
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    agent.join_info = {"address": address, "fingerprint": joins.fingerprint}
    threading.Thread(target=joins.serve_forever, args=(0.5,), daemon=True).start()
    return joins
