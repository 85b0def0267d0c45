import gzip


def test_pages_are_compressed_for_browsers_that_accept_it(client, demo):
    plain = client.get("/en/days/global-day-of-solidarity/")
    packed = client.get("/en/days/global-day-of-solidarity/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content).startswith(b"<!doctype html>")
    assert len(packed.content) < len(plain.content) / 2
