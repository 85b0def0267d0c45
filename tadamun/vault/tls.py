"""TLS for joins (tadamun.vault.joining) without a certificate authority: the serving agent
makes a self-signed certificate at its start, kept in memory only, and the join code carries
the SHA-256 fingerprint of that certificate, which the joining agent pins.

A restarted agent has a new certificate, so the codes made for the one before stop working.
"""

import base64
import hashlib
import os
import ssl
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from cryptography.x509.oid import NameOID


def fingerprint(der: bytes) -> str:
    """A certificate's SHA-256, as the join code writes it (unpadded URL-safe base64)."""
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()


def server_context() -> tuple[ssl.SSLContext, str]:
    """A TLS 1.3 server context holding a new self-signed certificate, and its fingerprint."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tadamun vault agent")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=3650))  # the agent's lifetime: the pin decides
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(Encoding.PEM) + key.private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    _load_from_memory(context, pem)
    return context, fingerprint(certificate.public_bytes(Encoding.DER))


def _load_from_memory(context: ssl.SSLContext, pem: bytes) -> None:
    """`load_cert_chain` reads only a path: give it an anonymous in-memory file (Linux's
    memfd), so the private key never touches a disk."""
    descriptor = os.memfd_create("tadamun-vault-join", os.MFD_CLOEXEC)
    try:
        os.write(descriptor, pem)
        context.load_cert_chain(f"/proc/self/fd/{descriptor}")
    finally:
        os.close(descriptor)


def client_context() -> ssl.SSLContext:
    """TLS 1.3, no CA: the caller checks the pinned fingerprint right after the handshake,
    before it sends a byte."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
