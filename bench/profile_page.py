"""Profile one action page drawn from scratch (the page cache off), in one process.

Loads the petition spike's two petitions (10 and `--large` signatures) into a fresh SQLite
database with production settings, renders the page `--requests` times through Django's WSGI
handler (as gunicorn calls it) and prints the milliseconds per page, the queries one page
makes, cProfile's top functions by cumulative time, and the function calls a page makes (the
steadiest figure on a shared machine). See bench/README.md.

    .venv/bin/python bench/profile_page.py [--path /en/petitions/small/] [--requests 200]
"""

import argparse
import shutil
import sys
from pathlib import Path

if not __package__:  # run as a file, not with -m: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, environment, manage, run
from bench.petition_spike import SETUP

# Run in a child process with the benchmark's environment; argv: path, method, requests, top.
PROFILE = """
import cProfile, io, pstats, sys, time
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

path, method, requests, top = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# Through Django's WSGI handler, as gunicorn calls it (the test client keeps the database
# connection open across requests, which hid what opening one costs).
application = WSGIHandler()
# As bench/invalid_sign.lua sends it: url-encoded, as a browser posts the form.
invalid = b"name=Bench+Signer&country=FR&email=not+an+address&comment=&website=&source="

def page():
    body = invalid if method == "post" else b""
    environ = {
        "REQUEST_METHOD": method.upper(), "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
    }
    status = []
    response = application(environ, lambda line, headers, *_: status.append(line))
    try:
        b"".join(response)
    finally:
        response.close()  # as the server does: the end of the request
    assert status[0].startswith("200"), status[0]

for _ in range(20):  # warm up: imports, compiled templates, translations
    page()
queries = []
def record(execute, sql, *args):
    queries.append(sql)
    return execute(sql, *args)

with connection.execute_wrapper(record):
    page()
start = time.perf_counter()
for _ in range(requests):
    page()
elapsed = (time.perf_counter() - start) * 1000 / requests
print(f"{method.upper()} {path}: {elapsed:.2f} ms a page, {len(queries)} queries")
for sql in queries:
    print("  ", sql[:150])
profiler = cProfile.Profile()
profiler.runcall(lambda: [page() for _ in range(requests)])
stats = pstats.Stats(profiler)
print(f"{method.upper()} {path}: {stats.total_calls / requests:,.0f} calls a page")
if not top:  # --top 0: only the figures
    sys.exit()
stats.sort_stats("cumulative").print_stats(top)
stats.sort_stats("cumulative").print_stats("tadamun/|defaulttags|i18n|loader_tags", top)
stats.sort_stats("tottime").print_stats(top)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", action="append", help="default: the two petition pages")
    parser.add_argument("--post", action="store_true", help="POST an invalid signature instead")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=40, help="0: only the figures")
    args = parser.parse_args()
    env, var = environment("profile", None, PETITION_PAGE_CACHE_SECONDS="0")
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        run([PYTHON, "-c", SETUP, "10", str(args.large), "INTEGER"], env)
        method = "post" if args.post else "get"
        default = ["/en/petitions/small/sign/"] if args.post else ["/en/petitions/small/"]
        for path in args.path or default:
            run([PYTHON, "-c", PROFILE, path, method, str(args.requests), str(args.top)], env)
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
