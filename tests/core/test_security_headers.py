"""Security headers: a Content-Security-Policy without 'unsafe-inline' on every page, and pages
that need none (no inline script, style attribute, <style> element or on* handler);
X-Frame-Options, nosniff and Referrer-Policy everywhere; in production secure cookies, HSTS
and the redirect to HTTPS (behind a TLS proxy by its header)."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.factories import PASSWORD, ReplyFactory, user_with_role
from zhengxie.core.models import Role
from zhengxie.proposals.models import ProposalState

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


class InlineFinder(HTMLParser):
    """Everything a strict CSP would refuse in a page."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            inline = "src" not in attrs and attrs.get("type") != "application/json"
            self._script = inline

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def inline_code(html):
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def _policy(response):
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def _assert_strict(response, url):
    assert response["Content-Type"].startswith("text/html"), url
    assert _policy(response) == POLICY, url
    assert "unsafe-inline" not in response["Content-Security-Policy"], url
    assert inline_code(response.content.decode()) == [], url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url


def test_the_finder_sees_what_the_policy_refuses():
    html = (
        '<p style="color:red" onclick="x()">a</p><style>p{}</style><script>alert(1)</script>'
        '<script src="/static/a.js"></script><script type="application/json">{"a":1}</script>'
        '<a href="javascript:void(0)">b</a>'
    )
    assert inline_code(html) == [
        "<p style=…>",
        "<p onclick=…>",
        "<style>",
        "<script>alert(1)",
        "<a href=javascript:…>",
    ]


@pytest.fixture
def replied(county):
    return ReplyFactory(
        assignment__proposal__committee=county.committee,
        assignment__proposal__session=county.session,
        assignment__proposal__state=ProposalState.REPLIED,
        assignment__proposal__publish_consent=True,
    )


def test_main_pages_carry_the_policy_and_no_inline_code(client, county, replied):
    code = county.committee.code
    proposal = replied.assignment.proposal
    public = [
        reverse("core:login"),
        reverse("proposals:public_list", args=[code]),
        reverse("proposals:public_detail", args=[code, proposal.pk]),
        reverse("portal:public_home", args=[code]),
        reverse("places:public_list", args=[code]),
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response, url)
    client.login(username=county.staff.username, password=PASSWORD)
    signed_in = [
        reverse("core:home"),
        reverse("proposals:list"),
        reverse("proposals:detail", args=[proposal.pk]),
        reverse("reports:dashboard") + f"?year={county.session.opens_on.year}",
        reverse("core:password_change"),
    ]
    for url in signed_in:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response, url)
    dashboard = client.get(signed_in[3]).content.decode()
    assert 'class="zx-chart"' in dashboard  # the charts are there, drawn by site.js


def _plain_routes():
    """Every named page route without parameters (not the API or Django's admin)."""

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, ":".join(filter(None, [ns, p.namespace])))
            elif p.name and not getattr(p.pattern, "converters", None):
                yield f"{ns}:{p.name}" if ns else p.name

    for name in walk(get_resolver().url_patterns):
        if name.startswith(("api:", "admin:")):
            continue
        try:
            yield reverse(name)
        except Exception:  # noqa: BLE001 - a regex route needing arguments
            continue


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.MEMBER])
def test_every_page_without_parameters_has_no_inline_code(client, county, role):
    user = county.staff if role == Role.STAFF else user_with_role(county.committee, role)
    client.force_login(user)
    checked = 0
    for url in _plain_routes():
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        _assert_strict(response, url)
        checked += 1
    assert checked > 20


def _production_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "ZHENGXIE_DEMO", "SECRET_KEY"} and not k.startswith("SECURE_")
    }
    clean.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "ZHENGXIE_TESTING": "0",
            "SECRET_KEY": "a-real-secret-key-for-production-0123456789",
            **env,
        }
    )
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
    ]
    script = (
        "import json, zhengxie.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_production_turns_on_secure_cookies_hsts_and_https():
    assert _production_settings() == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }


def test_behind_a_tls_proxy_its_header_is_trusted():
    values = _production_settings(SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_development_and_demo_keep_plain_http():
    values = _production_settings(ZHENGXIE_DEMO="1")
    assert (values["SECURE_SSL_REDIRECT"], values["SECURE_HSTS_SECONDS"]) == (None, None)


@pytest.fixture
def production(settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def test_plain_http_is_redirected_to_https_except_the_health_check(client, db, production):
    response = client.get(reverse("core:login"))
    assert (response.status_code, response["Location"]) == (301, "https://testserver/login/")
    assert client.get("/api/v1/health").status_code == 200


def test_over_https_pages_carry_hsts_and_secure_cookies(client, staff_user, production):
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    page = client.get(reverse("core:login"), **https)
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert page.cookies["csrftoken"]["secure"] is True
    response = client.post(
        reverse("core:login"), {"username": staff_user.username, "password": PASSWORD}, **https
    )
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
