import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from tadamun.vault.agent import Server, harden_process
from tadamun.vault.everywhere import Watcher


class Command(BaseCommand):
    help = (
        "The key-holding agent: one per machine, on a Unix socket (VAULT_SOCKET, mode 0600). "
        "Starts locked; SIGUSR1 locks now (this machine); SIGTERM or SIGINT locks and stops. "
        "A lock now ordered on any machine (vault_lock, the staff page) locks it within "
        "VAULT_LOCK_POLL_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--socket", default=None, help="default: settings.VAULT_SOCKET")

    def handle(self, *args, socket=None, **options):
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
        self.stdout.write(
            f"vault agent on {server.path}, locked ({', '.join(hardened) or 'memory not locked'})"
        )
        self.stdout.flush()
        watcher = Watcher(server)
        watcher.start()
        try:
            server.serve_forever(poll_interval=0.5)
        finally:
            watcher.stop()
            server.holder.lock()
            server.server_close()
