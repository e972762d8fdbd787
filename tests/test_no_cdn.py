"""Front-end assets come from the npm registry at install time and are served by Django:
no page loads anything from another host."""

import re

import pytest
from django.contrib.staticfiles import finders

ASSET = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("url", ["/login/", "/api/v1/docs", "/public/login/"])
def test_pages_load_assets_only_from_this_site(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assets = ASSET.findall(response.content.decode())
    assert assets
    assert [a for a in assets if not a.startswith("/")] == []


@pytest.mark.parametrize(
    "path",
    [
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
    ],
)
def test_front_end_packages_are_installed_and_found(path):
    assert finders.find(path) is not None, f"{path}: run `npm ci` (make does)"
