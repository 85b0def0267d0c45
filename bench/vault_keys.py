"""What the vault costs a field read: encrypt + decrypt + an email hash, with the keys from
settings (unsealed), from the agent through the process cache (VAULT_CACHE_SECONDS), and from
the agent on every call (no cache: the socket round trip). The agent runs in a thread here,
on a real Unix socket, holding generated keys (no database needed).

    .venv/bin/python bench/vault_keys.py [--reads 20000]
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tadamun.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from tadamun.core import crypto, privacy  # noqa: E402
from tadamun.vault import holder, keyring  # noqa: E402
from tadamun.vault.agent import Server  # noqa: E402


def per_read(reads: int) -> float:
    start = time.perf_counter()
    for number in range(reads):
        crypto.decrypt(crypto.encrypt(f"supporter{number}@example.org"))
        privacy.email_hash(f"supporter{number}@example.org")
    return (time.perf_counter() - start) / reads * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=20000)
    reads = parser.parse_args().reads
    socket = Path(tempfile.mkdtemp()) / "vault.sock"
    server = Server(socket)
    server.holder.put(keyring.KeyBundle.generate())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.VAULT_SOCKET = str(socket)
    figures = {}
    if settings.FIELD_ENCRYPTION_KEYS:
        settings.VAULT_MODE = "settings"
        figures["settings_us"] = per_read(reads)
    settings.VAULT_MODE = "agent"
    settings.VAULT_CACHE_SECONDS = 3.0
    figures["agent_cached_us"] = per_read(reads)
    settings.VAULT_CACHE_SECONDS = 0.0
    holder._agent._cached = None
    figures["agent_every_call_us"] = per_read(max(1, reads // 10))
    server.shutdown()
    server.server_close()
    for name, value in figures.items():
        print(f"{name:>22}: {value:8.1f} µs per encrypt + decrypt + email hash")
    print(json.dumps({name: round(value, 1) for name, value in figures.items()}))


if __name__ == "__main__":
    main()
