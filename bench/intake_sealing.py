"""What sealing costs the sign form: a typical submission (the JSON the intake row holds)
sealed to the vault's public key (X25519 sealed box, vault/sealing.py) against the Fernet
encryption it replaced, and opened by the worker (unseal against decrypt). No database: the
public key is a generated one, the field keys the settings' ones.

    .venv/bin/python bench/intake_sealing.py [--rounds 20000]
"""

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tadamun.settings")

import django

django.setup()

from django.test import override_settings  # noqa: E402
from nacl.public import PrivateKey  # noqa: E402

from tadamun.core import crypto  # noqa: E402
from tadamun.petitions.services import SignatureRequest  # noqa: E402
from tadamun.vault import holder, keyring, sealing  # noqa: E402


def microseconds(function, values) -> float:
    start = time.perf_counter()
    for value in values:
        function(value)
    return (time.perf_counter() - start) / len(values) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20000)
    rounds = parser.parse_args().rounds
    box = PrivateKey.generate()
    bundle = keyring.KeyBundle.generate()
    bundle = keyring.KeyBundle(bundle.field_keys, bundle.hash_key, box_secret=bytes(box))
    sealing._public.update(key=box.public_key, until=float("inf"), mode="memory")
    holder._memory.put(bundle)
    texts = [
        json.dumps(
            asdict(
                SignatureRequest(
                    name=f"Rania Haddad {number}",
                    email=f"supporter{number}@example.org",
                    country="FR",
                    comment="Open the borders.",
                    show_name=True,
                    wants_updates=True,
                )
            )
        )
        for number in range(rounds)
    ]
    with override_settings(VAULT_MODE="memory"):
        sealed = [sealing.seal(text) for text in texts]
        encrypted = [crypto.encrypt(text) for text in texts]
        figures = {
            "rounds": rounds,
            "bytes_plain": len(texts[0]),
            "bytes_sealed": len(sealed[0]),
            "bytes_fernet": len(encrypted[0]),
            "seal_us": round(microseconds(sealing.seal, texts), 1),
            "fernet_encrypt_us": round(microseconds(crypto.encrypt, texts), 1),
            "unseal_us": round(microseconds(sealing.unseal, sealed), 1),
            "fernet_decrypt_us": round(microseconds(crypto.decrypt, encrypted), 1),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
