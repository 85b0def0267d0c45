"""Outgoing requests (tadamun.core.outgoing): https to public addresses only, resolved once
and connected to, no redirects, time and size caps; and nothing else in the code opens a URL."""

import ast
import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tadamun.core import outgoing

ROOT = Path(__file__).resolve().parents[3]


class Server:
    """A real HTTP server on 127.0.0.1 whose POST handler is `answer(handler)`."""

    def __init__(self, answer):
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append(dict(self.headers))
                answer(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_port
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve(settings):
    """serve(answer) → a local Server; loopback and http allowed as for a test partner.
    `serve.done` is set when the test ends: a handler that stalls waits on it, not a clock."""
    settings.OUTGOING_ALLOW_HTTP = True
    settings.OUTGOING_ALLOW_LOOPBACK = True
    servers = []

    def start(answer):
        servers.append(Server(answer))
        return servers[-1]

    start.done = threading.Event()
    yield start
    start.done.set()
    for server in servers:
        server.close()


# A server that stalls holds on this long at most: far past each test's timeout, so a client
# still waiting when the answer ends would show its cap as missing, even on a loaded machine.
STALL_SECONDS = 30


def answer_with(status, body=b"", headers=()):
    def answer(handler):
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def post(url, **caps):
    return outgoing.post(url, b"{}", {"Content-Type": "application/json"}, **caps)


NOT_PUBLIC = [
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "10.0.0.5",  # private
    "172.16.3.4",
    "192.168.1.1",
    "100.64.0.1",  # shared (carrier-grade NAT)
    "169.254.169.254",  # link-local: cloud metadata
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "0.0.0.0",  # noqa: S104 (unspecified: a destination here, not a binding)
    "[::1]",
    "[::]",
    "[fe80::1]",
    "[fc00::1]",
    "[ff02::1]",
    "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
    "[::ffff:169.254.169.254]",
    "[2002:7f00:1::]",  # 6to4 around 127.0.0.1
    "2130706433",  # 127.0.0.1 as one decimal number
    "0177.0.0.1",  # octal
    "0x7f000001",  # hexadecimal
    "127.1",  # short form
    "017700000001",
]


@pytest.mark.parametrize("host", NOT_PUBLIC)
def test_every_address_that_is_not_public_is_refused(host, settings, monkeypatch):
    monkeypatch.setattr(outgoing, "connect_to", pytest.fail)  # never even tried
    with pytest.raises(outgoing.AddressRefused):
        post(f"https://{host}:8443/hooks")


@pytest.mark.parametrize("host", NOT_PUBLIC)
def test_saving_an_address_that_is_not_public_is_refused(host):
    with pytest.raises(ValidationError) as refused:
        outgoing.validate_outgoing_url(f"https://{host}/hooks")
    assert refused.value.code == "outgoing_address"


@pytest.mark.parametrize(
    "addresses", [["127.0.0.1"], ["10.1.2.3"], ["::1"], ["93.184.215.14", "192.168.0.7"]]
)
def test_a_name_that_resolves_to_an_address_that_is_not_public_is_refused(addresses, monkeypatch):
    monkeypatch.setattr(
        outgoing, "resolve", lambda host, port: [ipaddress.ip_address(a) for a in addresses]
    )
    monkeypatch.setattr(outgoing, "connect_to", pytest.fail)
    with pytest.raises(outgoing.AddressRefused):
        post("https://partner.example/hooks")


def test_the_connection_goes_to_the_address_checked_with_the_name_kept(serve, monkeypatch):
    """No DNS rebinding: the name is resolved once, and the socket goes to that address."""
    server = serve(answer_with(204))
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(outgoing, "resolve", resolve)
    response = post(f"http://partner.example:{server.port}/hooks")
    assert response.status == 204 and lookups == ["partner.example"]
    assert server.requests[0]["Host"] == f"partner.example:{server.port}"


@pytest.mark.parametrize(
    "url", ["http://partner.example/hooks", "ftp://partner.example/", "file:///etc/passwd"]
)
def test_https_is_required_unless_development_allows_http(url, monkeypatch):
    monkeypatch.setattr(outgoing, "resolve", pytest.fail)
    with pytest.raises(outgoing.SchemeRefused):
        post(url)
    with pytest.raises(ValidationError) as refused:
        outgoing.validate_outgoing_url(url)
    assert refused.value.code == "outgoing_scheme"


def test_loopback_is_refused_without_the_tests_allowance(serve, settings):
    server = serve(answer_with(200))
    settings.OUTGOING_ALLOW_LOOPBACK = False
    with pytest.raises(outgoing.AddressRefused):
        post(server.url)
    assert server.requests == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_refused_not_followed(status, serve):
    inside = serve(answer_with(200))
    redirector = serve(answer_with(status, headers=[("Location", inside.url)]))
    with pytest.raises(outgoing.RedirectRefused) as refused:
        post(redirector.url)
    assert refused.value.status == status
    assert len(redirector.requests) == 1 and inside.requests == []


def test_an_answer_within_the_size_cap_is_read(serve):
    server = serve(answer_with(200, b"x" * 1000))
    assert post(server.url, max_bytes=1000) == outgoing.Response(200, b"x" * 1000)


def test_an_answer_over_the_size_cap_is_refused(serve):
    server = serve(answer_with(200, b"x" * 1001))
    with pytest.raises(outgoing.ResponseTooLarge):
        post(server.url, max_bytes=1000)


def test_an_answer_over_the_size_cap_without_a_length_is_refused(serve):
    def endless(handler):
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b"x" * 5000)
        handler.close_connection = True

    server = serve(endless)
    with pytest.raises(outgoing.ResponseTooLarge):
        post(server.url, max_bytes=1000)


def test_a_server_that_never_answers_is_given_up_on_time(serve):
    server = serve(lambda handler: serve.done.wait(STALL_SECONDS))
    started = time.monotonic()
    with pytest.raises(outgoing.OutgoingTimeout):
        post(server.url, timeout=0.5)
    assert time.monotonic() - started < STALL_SECONDS / 3


def test_a_server_that_answers_drop_by_drop_is_given_up_on_time(serve):
    """Each byte comes before the socket's timeout; the whole still has its cap."""

    def drip(handler):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        deadline = time.monotonic() + STALL_SECONDS
        while time.monotonic() < deadline and not serve.done.wait(0.1):
            handler.wfile.write(b"X-Slow: 1\r\n")
            handler.wfile.flush()

    server = serve(drip)
    started = time.monotonic()
    with pytest.raises(outgoing.OutgoingTimeout):
        post(server.url, timeout=1)
    assert time.monotonic() - started < STALL_SECONDS / 3


def test_an_unresolvable_name_fails_and_may_be_retried(monkeypatch):
    def nothing(host, port):
        raise outgoing.OutgoingFailed("name not resolved")

    monkeypatch.setattr(outgoing, "resolve", nothing)
    with pytest.raises(outgoing.OutgoingFailed):
        post("https://partner.example/hooks")


def test_a_public_https_address_is_valid():
    outgoing.validate_outgoing_url("https://partner.example/hooks?k=1")
    outgoing.validate_outgoing_url("https://93.184.215.14/hooks")


# What may open a connection outside the helper, and why. Mail goes through Django's email
# backend to the server the operator set in EMAIL_URL: the mail modules name smtplib only for
# its exception classes and set a socket option on the backend's own connection.
# Tests and benchmarks (not server code) run their own local servers and clients.
HELPER = Path("tadamun/core/outgoing.py")
# The vault's agent and its clients speak over a Unix socket on the machine itself (checked
# below: no Internet address family), never to another host.
LOCAL_SOCKETS = Path("tadamun/vault/agent.py")
# A vault agent joining another dials the address a one-time join code names, on the
# coalition's own machines, over TLS pinned to the certificate the code names (tls.py makes
# the contexts; checked below): never a URL, never a third party (docs/security.md, "Joining").
VAULT_JOINS = (Path("tadamun/vault/joining.py"), Path("tadamun/vault/tls.py"))
NETWORK_MODULES = {
    "aiohttp",
    "ftplib",
    "http.client",
    "httpx",
    "imaplib",
    "nntplib",
    "poplib",
    "pycurl",
    "requests",
    "smtplib",
    "socket",
    "ssl",
    "telnetlib",
    "urllib.request",
    "urllib3",
    "xmlrpc.client",
}
# Names of those modules that open nothing: exceptions and constants.
HARMLESS = {
    ("smtplib", "SMTPException"),
    ("smtplib", "SMTPRecipientsRefused"),
    ("smtplib", "SMTPResponseException"),
    ("smtplib", "SMTPSenderRefused"),
    ("smtplib", "SMTPDataError"),
    ("smtplib", "SMTPServerDisconnected"),
    ("socket", "IPPROTO_TCP"),
    ("socket", "TCP_NODELAY"),
}


def server_modules():
    for path in sorted((ROOT / "tadamun").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" not in relative.parts and relative not in (HELPER, LOCAL_SOCKETS, *VAULT_JOINS):
            yield relative, ast.parse(path.read_text(), str(relative))


def network_uses(tree):
    """(module, name) of every use of a network module: imports and attribute reads."""
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in NETWORK_MODULES or alias.name.startswith("urllib.request"):
                    imported[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in NETWORK_MODULES:
                    yield full, "*"
                elif node.module in NETWORK_MODULES:
                    yield node.module, alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = ast.unparse(node.value)
            if dotted in imported:
                yield imported[dotted], node.attr
            elif dotted == "urllib" and node.attr == "request":
                yield "urllib.request", "*"


def test_nothing_but_the_helper_opens_a_connection():
    found = [
        f"{path}: {module}.{name}"
        for path, tree in server_modules()
        for module, name in network_uses(tree)
        if (module, name) not in HARMLESS
    ]
    assert found == [], "use tadamun.core.outgoing.post (docs/security.md, Outgoing requests)"


def test_the_vault_agent_uses_unix_sockets_only():
    uses = {name for module, name in network_uses(ast.parse((ROOT / LOCAL_SOCKETS).read_text()))}
    assert "AF_UNIX" in uses and not uses & {"AF_INET", "AF_INET6", "create_connection"}


def test_a_vault_join_dials_through_the_pinned_tls_only():
    joining = (ROOT / VAULT_JOINS[0]).read_text()
    uses = set(network_uses(ast.parse(joining)))
    assert ("socket", "create_connection") in uses
    assert {module for module, _name in uses} == {"socket"}  # no ssl context of its own
    assert "tls.client_context().wrap_socket(" in joining


def test_the_walk_finds_what_opens_a_connection():
    code = """
import urllib.request, socket, smtplib
from http.client import HTTPSConnection
import requests as r
urllib.request.urlopen("http://x")
socket.create_connection(("x", 1))
smtplib.SMTP("x")
r.get("http://x")
"""
    uses = set(network_uses(ast.parse(code)))
    assert {
        ("urllib.request", "urlopen"),
        ("socket", "create_connection"),
        ("smtplib", "SMTP"),
        ("http.client", "HTTPSConnection"),
        ("requests", "get"),
    } <= uses


@pytest.fixture
def tls_server(serve, tmp_path, monkeypatch):
    """A local https server whose certificate is for partner.example only, trusted here."""
    import datetime
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "partner.example")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("partner.example")]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = serve(answer_with(200, b"ok"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    trusting = ssl.create_default_context
    monkeypatch.setattr(
        outgoing.ssl, "create_default_context", lambda: trusting(cafile=str(cert_file))
    )
    monkeypatch.setattr(outgoing, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")])
    return server


def test_tls_is_checked_against_the_name_while_connecting_to_the_checked_address(tls_server):
    port = tls_server.port
    assert post(f"https://partner.example:{port}/hooks") == outgoing.Response(200, b"ok")
    with pytest.raises(outgoing.OutgoingFailed, match="SSLCertVerificationError"):
        post(f"https://impostor.example:{port}/hooks")
