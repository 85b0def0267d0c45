"""The key-holding agent's protocol: one JSON line asked, one JSON line answered, per
connection, over a Unix socket that only the site's own user can open (mode 0600, and the
peer's uid checked with SO_PEERCRED).

    {"op": "state"}                      -> {"ok": true, "state": "locked" | "unlocked"}
    {"op": "keys"}                       -> {"ok": true, "keys": {KeyBundle}}
                                          | {"ok": false, "error": "locked"}
    {"op": "unlock", "mnemonics": [...]} -> {"ok": true} | {"ok": false, "error": "wrong secret"}
    {"op": "lock"}                       -> {"ok": true}
    {"op": "join", "code": "..."}        -> {"ok": true} | {"ok": false, "error": "refused" | ...}
    {"op": "join_info"}                  -> {"ok": true, "address": ..., "fingerprint": ...}
                                          | {"ok": false, "error": "not serving joins"}

The agent unwraps the keys itself (it reads the `Seal` row), or gets them itself from an
unlocked agent over TLS with a join code (tadamun.vault.joining); keys leave it only in
answers to "keys", to processes of the same user, and sealed to a joining agent. `Server` is
run by `manage.py vault_agent`.
"""

import contextlib
import json
import logging
import os
import socket
import socketserver
import struct

from tadamun.vault import keyring
from tadamun.vault.holder import Locked, MemoryHolder

logger = logging.getLogger(__name__)
MAX_REQUEST = 64 * 1024
TIMEOUT = 5.0


class AgentUnreachable(Locked):
    """No agent answers on the socket: as good as locked."""


class Client:
    def __init__(self, path):
        self.path = str(path)

    def ask(self, op: str, timeout: float = TIMEOUT, **fields) -> dict:
        request = json.dumps({"op": op, **fields}).encode() + b"\n"
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(timeout)
                conn.connect(self.path)
                conn.sendall(request)
                answer = b""
                while not answer.endswith(b"\n"):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
        except OSError:
            raise AgentUnreachable from None
        try:
            return json.loads(answer)
        except ValueError:
            raise AgentUnreachable from None

    def keys(self) -> keyring.KeyBundle:
        answer = self.ask("keys")
        if not answer.get("ok"):
            raise Locked
        return keyring.KeyBundle.from_json(json.dumps(answer["keys"]))

    def state(self) -> str:
        try:
            return self.ask("state").get("state", "locked")
        except AgentUnreachable:
            return "locked"

    def unlock(self, mnemonics: list[str]) -> None:
        answer = self.ask("unlock", mnemonics=mnemonics)
        if not answer.get("ok"):
            raise keyring.WrongSecret(answer.get("error", "refused"))

    def lock(self) -> None:
        self.ask("lock")

    def join(self, code: str) -> None:
        from tadamun.vault.joining import JoinRefused

        answer = self.ask("join", timeout=3 * TIMEOUT, code=code)  # it dials another machine
        if not answer.get("ok"):
            raise JoinRefused(answer.get("error", "refused"))


def _refusal(error: Exception) -> str:
    from tadamun.vault.joining import JoinRefused

    if isinstance(error, keyring.WrongSecret):
        return "wrong secret"
    if isinstance(error, JoinRefused):
        logger.warning("vault join refused: %s", error.reason)
        return error.reason
    if isinstance(error, Locked):
        return "destroyed"
    logger.error("vault unlock failed")  # e.g. the database unreachable; never the shares
    return "failed"


def _peer_uid(conn: socket.socket) -> int | None:
    if not hasattr(socket, "SO_PEERCRED"):
        return None
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


class Handler(socketserver.StreamRequestHandler):
    timeout = TIMEOUT

    def handle(self):
        uid = _peer_uid(self.connection)
        if uid is not None and uid not in (os.getuid(), 0):
            return
        line = self.rfile.readline(MAX_REQUEST)
        try:
            request = json.loads(line)
            answer = self.server.answer(request)
        except ValueError:
            answer = {"ok": False, "error": "bad request"}
        self.wfile.write(json.dumps(answer).encode() + b"\n")


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(self, path, holder: MemoryHolder | None = None):
        self.path = str(path)
        self.holder = holder or MemoryHolder()
        self.unlocked_epoch = None  # the lock epoch at the last unlock (vault.everywhere)
        self.join_info = None  # {"address", "fingerprint"} while serving joins (vault.joining)
        if os.path.exists(self.path):
            os.unlink(self.path)
        old = os.umask(0o177)  # the socket is born 0600
        try:
            super().__init__(self.path, Handler)
        finally:
            os.umask(old)
        os.chmod(self.path, 0o600)

    def answer(self, request: dict) -> dict:
        op = request.get("op")
        if op == "state":
            return {"ok": True, "state": self.holder.state()}
        if op == "keys":
            try:
                return {"ok": True, "keys": json.loads(self.holder.keys().to_json())}
            except Locked:
                return {"ok": False, "error": "locked"}
        if op == "lock":
            self.holder.lock()
            logger.warning("vault locked")
            return {"ok": True}
        if op == "unlock":
            mnemonics = request.get("mnemonics", [])
            return self.open(lambda: self.holder.unlock([str(m) for m in mnemonics][:16]))
        if op == "join":
            code = str(request.get("code", ""))[:512]
            return self.open(lambda: self.holder.join(code))
        if op == "join_info":
            if self.join_info is None:
                return {"ok": False, "error": "not serving joins"}
            return {"ok": True, **self.join_info}
        return {"ok": False, "error": "unknown op"}

    def open(self, unlock) -> dict:
        """Unlock with the shares or a join code (`unlock`), after noting the lock epoch: a
        lock ordered meanwhile wins. A failed attempt cancels no lock ordered before it."""
        from tadamun.vault.everywhere import epoch

        before = self.unlocked_epoch
        try:
            self.unlocked_epoch = epoch()
            unlock()
        except Exception as error:  # noqa: BLE001 - answered, never raised near the shares
            self.unlocked_epoch = before
            return {"ok": False, "error": _refusal(error)}
        logger.warning("vault unlocked")
        return {"ok": True}

    def server_close(self):
        super().server_close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


def harden_process() -> list[str]:
    """Lock memory against swap and refuse core dumps / ptrace where the OS allows;
    returns what worked (for the agent's start message)."""
    import ctypes
    import resource

    done = []
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        done.append("no core dumps")
    except (ValueError, OSError):
        pass
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return done
    PR_SET_DUMPABLE, MCL_CURRENT, MCL_FUTURE = 4, 1, 2
    if hasattr(libc, "prctl") and libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0:
        done.append("not dumpable")
    if hasattr(libc, "mlockall") and libc.mlockall(MCL_CURRENT | MCL_FUTURE) == 0:
        done.append("memory locked")
    return done
