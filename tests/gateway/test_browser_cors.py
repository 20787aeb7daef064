"""A canton's web app on another origin calls the gateway in a real browser (headless Chromium), and only from an
origin `GATEWAY_CORS_ORIGINS` names.

The programme service and the gateway run as real processes (tests/support/platform.py) on SQLite; the same static
page is served from two local origins, one of them allowed. Its script reads the programmes with a bearer token (a
preflighted request) and writes what it got, or why `fetch` rejected, into the DOM that Chromium dumps.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from tests.gateway.conftest import needs
from tests.support.browser import dump_dom, needs_chromium, static_origin
from tests.support.platform import Platform, running_platform

pytestmark = [needs_chromium, needs("programme")]
CLOSED = "http://127.0.0.1:9"  # nothing listens there

#: The web app: gateway and token from its query string; the outcome as JSON in `#outcome`.
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>KIP web app</title></head>
<body><pre id="outcome">pending</pre>
<script>
const query = new URLSearchParams(location.search);
const out = document.getElementById("outcome");
fetch(query.get("api") + "/api/programme/v1/programmes", {
  headers: {Authorization: "Bearer " + query.get("token"), "Accept-Language": "de"},
})
  .then(async (answer) => {
    const body = await answer.json();
    out.textContent = JSON.stringify({
      status: answer.status,
      cantons: body.items.map((programme) => programme.canton),
      total: body.total,
      etag: answer.headers.get("ETag"),
      ratelimit: answer.headers.get("RateLimit"),
      link: answer.headers.get("Link"),
    });
  })
  .catch((error) => { out.textContent = JSON.stringify({rejected: error.name + ": " + error.message}); });
</script></body></html>
"""


@pytest.fixture(scope="module")
def allowed_origin() -> Iterator[str]:
    with static_origin(PAGE) as origin:
        yield origin


@pytest.fixture(scope="module")
def other_origin() -> Iterator[str]:
    with static_origin(PAGE) as origin:
        yield origin


@pytest.fixture(scope="module")
def platform(allowed_origin: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """The programme service and the gateway, the gateway allowing `allowed_origin` only."""
    yield from running_platform(
        "sqlite",
        tmp_path_factory.mktemp("cors-browser"),
        "cors_browser",
        ["programme"],
        env={
            "GATEWAY_CORS_ORIGINS": allowed_origin,
            "GATEWAY_FUNDING_URL": CLOSED,
            "GATEWAY_EVALUATION_URL": CLOSED,
            "GATEWAY_DOCS_PREFETCH": "false",
        },
    )


def _outcome(platform: Platform, origin: str) -> tuple[dict[str, Any], str]:
    """What the page served from `origin` got from the gateway, and Chromium's log."""
    token = platform.token("canton-viewer", canton="BL")
    query = urllib.parse.urlencode({"api": platform.url("gateway"), "token": token})
    result = dump_dom(f"{origin}/?{query}", budget_ms=10000)
    assert result.returncode == 0, result.stderr[-2000:]
    found = re.search(r'<pre id="outcome">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, result.stdout[-2000:]
    text = html.unescape(found.group(1))
    assert text != "pending", f"the page's fetch did not settle:\n{result.stderr[-2000:]}"
    outcome: dict[str, Any] = json.loads(text)
    return outcome, result.stderr


def test_a_web_app_on_an_allowed_origin_reads_programmes_and_exposed_headers(
    platform: Platform, allowed_origin: str
) -> None:
    outcome, log = _outcome(platform, allowed_origin)
    assert "rejected" not in outcome, f"{outcome}\n{log[-2000:]}"
    assert outcome["status"] == 200
    assert outcome["total"] >= 1 and outcome["cantons"] and set(outcome["cantons"]) == {"BL"}
    # Headers a cross-origin script can read only because the gateway exposes them.
    assert outcome["etag"] and outcome["etag"].startswith('"'), outcome
    assert outcome["ratelimit"] and ";r=" in outcome["ratelimit"], outcome
    assert outcome["link"] and 'rel="first"' in outcome["link"], outcome


def test_a_web_app_on_an_origin_not_allowed_is_refused_by_the_browser(platform: Platform, other_origin: str) -> None:
    outcome, log = _outcome(platform, other_origin)
    assert outcome.get("rejected", "").startswith("TypeError"), outcome
    assert "blocked by CORS policy" in log and "preflight" in log, log[-2000:]  # the preflight was refused
