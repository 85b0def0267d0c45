import os
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from tadamun.vault import joining
from tadamun.vault.agent import Server, harden_process
from tadamun.vault.everywhere import Watcher


class Command(BaseCommand):
    help = (
        "The key-holding agent: one per machine, on a Unix socket (VAULT_SOCKET, mode 0600). "
        "Starts locked; SIGUSR1 locks now (this machine); SIGTERM or SIGINT locks and stops. "
        "A lock now ordered on any machine (vault_lock, the staff page) locks it within "
        "VAULT_LOCK_POLL_SECONDS. With --join-listen it also lets other machines' agents join "
        "over TLS with a one-time code (vault_join_code; docs/scale.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--socket", default=None, help="default: settings.VAULT_SOCKET")
        parser.add_argument(
            "--join-listen",
            default=os.environ.get("VAULT_JOIN_LISTEN", ""),
            metavar="HOST:PORT",
            help="serve joins over TLS there, e.g. 0.0.0.0:8790 (env VAULT_JOIN_LISTEN)",
        )
        parser.add_argument(
            "--join-address",
            default=os.environ.get("VAULT_JOIN_ADDRESS", ""),
            metavar="HOST:PORT",
            help="how other machines reach it, written in the codes (env VAULT_JOIN_ADDRESS; "
            "default: the listen address, this machine's name for 0.0.0.0)",
        )

    def handle(self, *args, socket=None, join_listen="", join_address="", **options):
        server = Server(socket or settings.VAULT_SOCKET)

        def lock_now(*_):
            server.holder.lock()

        def stop(*_):
            server.holder.lock()
            sys.exit(0)

        signal.signal(signal.SIGUSR1, lock_now)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        hardened = harden_process()
        joins = joining.serve(server, join_listen, join_address) if join_listen else None
        self.stdout.write(
            f"vault agent on {server.path}, locked ({', '.join(hardened) or 'memory not locked'})"
        )
        if joins:
            info = server.join_info
            self.stdout.write(
                f"serving joins over TLS as {info['address']}, certificate {info['fingerprint']}"
            )
        self.stdout.flush()
        watcher = Watcher(server)
        watcher.start()
        try:
            server.serve_forever(poll_interval=0.5)
        finally:
            watcher.stop()
            if joins:
                joins.shutdown()
                joins.server_close()
            server.holder.lock()
            server.server_close()
