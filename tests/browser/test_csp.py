"""The Content-Security-Policy holds in a real browser: the pages with charts and htmx swaps
run without one violation (no inline script or style is refused, because there is none)."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, ProposalFactory
from zhengxie.proposals.models import ProposalState

pytestmark = pytest.mark.django_db(transaction=True)

# Every violation the page reports, whatever logs it (the console or the DOM event).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _watch(page):
    console = []
    page.on(
        "console",
        lambda msg: (
            console.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    page.add_init_script(WATCH)
    return console


def _violations(page, console):
    return console + page.evaluate("window.__cspViolations || []")


@pytest.fixture
def proposals(county):
    for n in range(3):
        ProposalFactory(
            committee=county.committee,
            session=county.session,
            category=county.category,
            state=ProposalState.ASSIGNED,
            title=f"关于加强农村公路养护的建议{n}",
        )


def test_dashboard_and_htmx_pages_run_without_a_csp_violation(live_server, page, county, proposals):
    base = live_server.url
    console = _watch(page)
    response = page.goto(f"{base}/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    sign_in(page, base, county.staff.username, PASSWORD)

    # The statistics dashboard draws its charts (ECharts on canvas), tooltips included (HTML
    # tooltips would carry inline styles: site.js draws them on the canvas).
    page.goto(f"{base}/reports/?year={county.session.opens_on.year}")
    chart = page.wait_for_selector(".zx-chart canvas")
    chart.hover()
    page.mouse.move(*_centre(chart))
    page.wait_for_timeout(300)

    # The home page's roster charts, and an htmx filter swap on the proposal list.
    page.goto(f"{base}/")
    page.goto(f"{base}/proposals/")
    page.click("details.card > summary")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.click("form[hx-get] button.btn-danger")
    page.wait_for_selector("#proposal-results")

    # The public portal, as a resident sees it.
    page.goto(f"{base}/portal/c/{county.committee.code}/")
    assert _violations(page, console) == []


def _centre(handle):
    box = handle.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
