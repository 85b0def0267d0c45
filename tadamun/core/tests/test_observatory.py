"""The headers Mozilla's HTTP Observatory scores, as its A+ rules demand them, on every public
page the crawler reaches (and the files those pages load), not only on the home page.

The site is crawled once per module over HTTPS, in English and Arabic, with an Origin header
from another site (as a script on another site would send); each rule is one test reading the
recorded responses and naming every page that breaks it.
"""

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django.utils import translation

from tadamun.core.tests.pages import collect, crawl, public_paths
from tadamun.publications.models import Publication

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ar"]
ELSEWHERE = "https://elsewhere.example"
SIX_MONTHS = 15768000
PRIVATE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
# The one page partner websites may frame (petitions/views.py: embed): it says so on purpose.
FRAMEABLE = {"petitions:embed"}
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def fetch_all(client, language: str) -> dict:
    """Every page of one language the crawler reaches, the pages no link leads to (error
    pages, filters), and every file those pages make a browser load: {path: response}."""
    request = {"secure": True, "headers": {"Origin": ELSEWHERE}}
    responses = crawl(client, language, **request)
    slugs = list(Publication.objects.values_list("slug", flat=True))
    static = [
        settings.STATIC_URL + file.relative_to(STATIC_DIR).as_posix()
        for file in sorted(STATIC_DIR.rglob("*"))
        if file.is_file()
    ]
    for path in [
        *public_paths(language, "idlib-solidarity", slugs),
        f"/{language}/no-such-page/",
        *static,  # pow.js too, which a page loads only with a challenge
    ]:
        if path not in responses:
            responses[path] = client.get(path, **request)
    # The page a form sent from elsewhere meets: the CSRF check's refusal.
    endorse = f"/{language}/campaigns/idlib-solidarity/endorse/"
    responses[f"{endorse} (POST without a CSRF token)"] = client.post(endorse, {}, **request)
    for path, response in list(responses.items()):
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for url in collect(response.content.decode()).urls:
            for candidate in url.split(","):  # srcset
                parts = urlsplit(urljoin(path, candidate.strip().split(" ")[0]))
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if not parts.netloc and parts.scheme in ("", "https") and target not in responses:
                    responses[target] = client.get(target, **request)
    return responses


@pytest.fixture(scope="module")
def responses(module_demo):
    """{language: {path: response}}, fetched once. Static files are served from the source
    tree by WhiteNoise (as from STATIC_ROOT in production), behind the same middleware."""
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        return {
            language: fetch_all(Client(enforce_csrf_checks=True), language)
            for language in LANGUAGES
        }


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def html_pages(responses, language):
    return {path: r for path, r in responses[language].items() if is_html(r)}


def route(path: str, language: str) -> str:
    """The name of the URL pattern a path matches ("petitions:embed"); "" for none."""
    with translation.override(language):
        try:
            return resolve(urlsplit(path).path).view_name
        except Resolver404:
            return ""


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0].lower(): part.split()[1:] for part in policy.split(";") if part.strip()}


def report(problems: list[str]) -> str:
    return f"{len(problems)} page(s):\n" + "\n".join(problems)


def csp_problems(policy: str | None) -> list[str]:
    if not policy:
        return ["no Content-Security-Policy"]
    found = directives(policy)
    problems = []
    if found.get("default-src") not in (["'none'"], ["'self'"]):
        problems.append(f"default-src is {found.get('default-src')}")
    if "'unsafe-inline'" in policy or "'unsafe-eval'" in policy:
        problems.append("allows unsafe-inline or unsafe-eval")
    for name in ("default-src", "script-src", "object-src"):
        loose = {"*", "http:", "https:", "data:", "blob:"} & set(found.get(name, []))
        if loose:
            problems.append(f"{name} allows {sorted(loose)}")
    objects = found.get("object-src", found.get("default-src"))
    if objects != ["'none'"]:
        problems.append(f"object-src is {objects}")
    for name, allowed in (("base-uri", ("'none'", "'self'")), ("form-action", ("'self'",))):
        if name in found and not set(found[name]) <= set(allowed):
            problems.append(f"{name} is {found[name]}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_a_strict_content_security_policy(responses, language):
    problems = [
        f"{path}: {problem}"
        for path, response in html_pages(responses, language).items()
        for problem in csp_problems(response.get("Content-Security-Policy"))
    ]
    assert not problems, report(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_can_be_framed_by_another_site(responses, language):
    problems = []
    for path, response in html_pages(responses, language).items():
        if route(path, language) in FRAMEABLE:
            continue
        ancestors = directives(response.get("Content-Security-Policy", "")).get("frame-ancestors")
        frame_options = response.get("X-Frame-Options", "").upper()
        if ancestors != ["'none'"] and frame_options not in ("DENY", "SAMEORIGIN"):
            problems.append(f"{path}: frame-ancestors {ancestors}, X-Frame-Options {frame_options}")
    assert not problems, report(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_https_response_has_hsts_for_six_months_at_least(responses, language):
    assert settings.SECURE_HSTS_SECONDS >= SIX_MONTHS  # the production default, DEBUG off
    problems = []
    for path, response in responses[language].items():
        hsts = response.get("Strict-Transport-Security", "")
        max_age = dict(
            (part.strip().split("=") + [""])[:2] for part in hsts.split(";") if part.strip()
        ).get("max-age", "")
        if not max_age.isdigit() or int(max_age) < SIX_MONTHS:
            problems.append(f"{path}: Strict-Transport-Security {hsts!r}")
    assert not problems, report(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_response_forbids_content_sniffing(responses, language):
    problems = [
        f"{path} ({response.status_code} {response.get('Content-Type')})"
        for path, response in responses[language].items()
        if response.get("X-Content-Type-Options", "").lower() != "nosniff"
    ]
    assert not problems, report(problems)


def test_static_files_are_among_the_responses_checked(responses):
    served = [
        path
        for path, response in responses["en"].items()
        if path.startswith(settings.STATIC_URL) and response.status_code == 200
    ]
    assert any(path.endswith(".css") for path in served), served
    assert any(path.endswith(".js") for path in served), served
    assert any(path.endswith((".svg", ".png", ".ico")) for path in served), served


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_response_keeps_the_referrer_private(responses, language):
    problems = []
    for path, response in responses[language].items():
        # Browsers use the last policy they understand in a comma-separated list.
        policy = response.get("Referrer-Policy", "").split(",")[-1].strip().lower()
        if policy not in PRIVATE_REFERRER_POLICIES:
            problems.append(f"{path}: Referrer-Policy {policy!r}")
    assert not problems, report(problems)


def cookie_problems(morsel) -> list[str]:
    problems = []
    if not morsel["secure"]:
        problems.append("not Secure")
    if morsel["samesite"].lower() not in ("lax", "strict"):
        problems.append(f"SameSite {morsel['samesite']!r}")
    must_be_http_only = {
        settings.SESSION_COOKIE_NAME: settings.SESSION_COOKIE_HTTPONLY,
        settings.LANGUAGE_COOKIE_NAME: settings.LANGUAGE_COOKIE_HTTPONLY,
        settings.CSRF_COOKIE_NAME: settings.CSRF_COOKIE_HTTPONLY,
        "messages": True,
    }
    if must_be_http_only.get(morsel.key, True) and not morsel["httponly"]:
        problems.append("not HttpOnly")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_cookie_is_secure_samesite_and_out_of_scripts_reach(responses, language):
    cookies = [
        (path, morsel)
        for path, response in responses[language].items()
        for morsel in response.cookies.values()
    ]
    assert cookies, "no page set a cookie: the forms' CSRF cookie was expected"
    problems = [
        f"{path}: cookie {morsel.key} {problem}"
        for path, morsel in cookies
        for problem in cookie_problems(morsel)
    ]
    assert not problems, report(problems)


def test_the_staff_session_cookie_is_secure_httponly_and_samesite(make_staff):
    make_staff("Moderator", username="observatory")
    client = Client(enforce_csrf_checks=True)
    login = "/en/admin/login/"
    page = client.get(login, secure=True)
    response = client.post(
        login,
        {
            "username": "observatory",
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": page.context["csrf_token"],
            "next": "/en/admin/",
        },
        secure=True,
        headers={"Origin": "https://testserver", "Referer": "https://testserver" + login},
    )
    assert response.status_code == 302, response.content[:500]
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie_problems(session) == []
    assert session["httponly"]
    assert not session["expires"] and not session["max-age"]  # ends when the browser closes
    for morsel in response.cookies.values():
        assert cookie_problems(morsel) == [], morsel.key


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_is_open_to_every_origin(responses, language):
    """Pages only: the public static files carry WhiteNoise's `*`, which shares nothing."""
    problems = [
        f"{path}: Access-Control-Allow-Origin {response['Access-Control-Allow-Origin']!r}"
        for path, response in html_pages(responses, language).items()
        if response.has_header("Access-Control-Allow-Origin")
    ]
    assert not problems, report(problems)


def test_the_read_api_is_open_to_other_sites_on_purpose(client, module_demo):
    """The control for the test above: the Origin header it sends is the one CORS answers."""
    response = client.get("/api/campaigns", headers={"Origin": ELSEWHERE}, secure=True)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_isolates_its_browsing_context(responses, language):
    problems = [
        f"{path}: Cross-Origin-Opener-Policy {response.get('Cross-Origin-Opener-Policy')!r}"
        for path, response in html_pages(responses, language).items()
        if response.get("Cross-Origin-Opener-Policy") != "same-origin"
    ]
    assert not problems, report(problems)


@pytest.mark.parametrize(
    "path",
    ["/", "/en/", "/ar/petitions/", "/en/aid/?sector=winter", "/static/css/site.css"],
)
def test_plain_http_is_sent_to_https(settings, path):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(path)
    assert response.status_code == 301, path
    assert response["Location"] == f"https://testserver{path}"
