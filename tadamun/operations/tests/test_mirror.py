"""The static mirror of the demo site: served by a plain file server, every internal link
resolves, and no form is left."""

import re
import threading
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

LINK = re.compile(r'(?:href|src)="(/[^"#?]*)')


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.django_db(transaction=True)
def test_the_exported_site_stands_on_a_plain_file_server(tmp_path, settings):
    from tadamun.demo.loader import load

    settings.SECURE_SSL_REDIRECT = True  # as in production: the export reads pages as https

    load(signers=0.05)
    call_command("export_static", str(tmp_path), stdout=StringIO())
    pages = list(tmp_path.rglob("index.html"))
    expected_pages = [
        "en/index.html",
        "ar/petitions/open-the-borders/index.html",
        "fr/rebuttals/syria-is-safe/index.html",
        "de/watch/index.html",
        "tr/aid/index.html",
        "es/letters/write-to-your-minister/index.html",
    ]
    for expected in expected_pages:
        assert (tmp_path / expected).exists(), expected
    assert not any("<form" in page.read_text() for page in pages)
    assert "live site" in (tmp_path / "en/petitions/open-the-borders/index.html").read_text()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        links = {link for page in pages for link in LINK.findall(page.read_text())}
        broken = []
        for link in sorted(links):
            try:
                urllib.request.urlopen(base + link, timeout=5).read()  # noqa: S310 - our server
            except OSError:
                broken.append(link)
        assert broken == [], broken[:20]
    finally:
        server.shutdown()
