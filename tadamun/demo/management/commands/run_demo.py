"""`make demo`'s last step: the vault's agent (unlocked), the site, its task worker and its
scheduler, stopped together by one Ctrl-C.

The worker and the scheduler write their logs to var/log/ (the terminal keeps the site's
address and the staff accounts, printed last, where a newcomer looks). Each runs in its
own session, so the terminal's Ctrl-C reaches only this command, which stops them in turn
and waits for them: nothing is killed by process group, nothing is left running.
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tadamun.demo.loader import load
from tadamun.vault import demo as vault_demo

ADDRESS = "127.0.0.1:8000"
STOP_WAIT_SECONDS = 10
SERVER_START_SECONDS = 60
SERVER_READY = b"Quit the server with"  # runserver's last line once it listens


class Command(BaseCommand):
    help = "Run the demo: load its content, start the site, the worker and the scheduler."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address", default=ADDRESS, help=f"where to serve (default {ADDRESS})"
        )

    def handle(self, *args, address, **options):
        log_dir = Path(settings.VAR_DIR) / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        vault_demo.seal_once()
        vault_demo.use_the_agent()
        agent = self._start(["vault_agent"], log_dir / "vault.log")
        try:
            shares = vault_demo.unlock(agent)
            accounts = load()
        except BaseException:
            self._stop([agent])
            raise
        server_log = log_dir / "server.log"
        server_log.touch()
        logged_before = server_log.stat().st_size
        children = [
            agent,
            self._start(["db_worker", "--interval", "1"], log_dir / "worker.log"),
            self._start(["scheduler"], log_dir / "scheduler.log"),
            self._start(["runserver", "--noreload", address], server_log),
        ]
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            self._wait_for(children[-1], server_log, logged_before)
            self._banner(accounts, log_dir, address, shares, agent.pid)
            while all(child.poll() is None for child in children):
                try:
                    children[-1].wait(timeout=1)
                except subprocess.TimeoutExpired:
                    continue
            self.stderr.write(f"A demo process stopped: see {log_dir}/.")
        except KeyboardInterrupt:
            self.stdout.write("")
        finally:
            self._stop(children)
        self.stdout.write("Tadamun demo stopped.")

    def _start(self, command: list[str], log: Path) -> subprocess.Popen:
        with log.open("a") as out:
            return subprocess.Popen(  # noqa: S603 - our own manage.py, no shell
                [sys.executable, "manage.py", *command],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # the terminal's Ctrl-C is for this command only
            )

    def _wait_for(self, server: subprocess.Popen, log: Path, logged_before: int) -> None:
        """Until runserver says it serves (the accounts are printed when they can be used)."""
        deadline = time.monotonic() + SERVER_START_SECONDS
        while server.poll() is None and time.monotonic() < deadline:
            with log.open("rb") as written:
                written.seek(logged_before)
                if SERVER_READY in written.read():
                    return
            time.sleep(0.5)

    def _stop(self, children: list[subprocess.Popen]) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=STOP_WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def _banner(self, accounts, log_dir: Path, address: str, shares, agent_pid) -> None:
        site = f"http://{address}"
        lines = [
            "",
            f"Tadamun demo: {site}/",
            f"  mail it sends: {site}/en/demo/mail/  (files in {settings.EMAIL_FILE_PATH}/)",
            f"  logs: {log_dir}/",
            "  staff accounts (back office: " + f"{site}/en/admin/):",
            *(f"    {a.username:<16} {a.password}   {a.role}" for a in accounts),
            "  the vault (supporters' data sealed; 2 of these 3 shares unlock it; the demo keeps",
            f"  them in {vault_demo.shares_path()}, a real coalition never does):",
            *(f"    share {number}: {share}" for number, share in enumerate(shares, 1)),
            f"  lock now: {site}/en/admin/vault/, `manage.py vault_lock` or "
            f"`kill -USR1 {agent_pid}`; unlock there with two shares",
            "Ctrl-C stops everything.",
            "",
        ]
        self.stdout.write("\n".join(lines))
