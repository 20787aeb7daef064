"""The views' part cache between real processes: a change written straight to a service, past the gateway, shows in
the canton cockpit within a second (with its event), and the cockpit's old ETag no longer matches."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kit import testing
from tests.gateway.conftest import BL_KIP3, needs
from tests.support.platform import Platform, running_platform

pytestmark = needs("programme", "funding", "evaluation")
COCKPIT = f"/api/v1/views/canton/programmes/{BL_KIP3}"


@pytest.fixture(scope="module", params=testing.backends())
def real(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    tmp: Path = tmp_path_factory.mktemp(f"cache-{request.param}")
    yield from running_platform(request.param, tmp, "cache_proc")


def test_a_write_straight_to_a_service_shows_in_the_cockpit_within_a_second(real: Platform) -> None:
    headers = real.headers("canton-editor", canton="BL")
    with httpx.Client(base_url=real.url("gateway"), timeout=10) as gateway:
        first = gateway.get(COCKPIT, params={"year": 2025}, headers=headers)
        assert first.status_code == 200, first.text
        again = gateway.get(COCKPIT, params={"year": 2025}, headers={**headers, "If-None-Match": first.headers["etag"]})
        assert again.status_code == 304  # the parts were kept and confirmed by the services
        with httpx.Client(base_url=real.url("programme"), timeout=10) as programme:
            listed = programme.get("/v1/measures", params={"programme_id": str(BL_KIP3)}, headers=headers)
            measure = listed.json()["items"][0]
            etag = programme.get(f"/v1/measures/{measure['id']}", headers=headers).headers["etag"]
            changed = programme.patch(
                f"/v1/measures/{measure['id']}",
                json={"title": "Direkt geschrieben"},
                headers={**headers, "If-Match": etag},
            )
        assert changed.status_code == 200, changed.text
        written = time.monotonic()
        while True:  # the gateway learns of it from the programme service's event feed
            elapsed = time.monotonic() - written  # when the read is sent, not how long it took
            after = gateway.get(
                COCKPIT, params={"year": 2025}, headers={**headers, "If-None-Match": first.headers["etag"]}
            )
            if after.status_code != 304 or elapsed >= 1.0:
                break
            time.sleep(0.05)
    assert after.status_code == 200 and "Direkt geschrieben" in after.text
    assert after.headers["etag"] != first.headers["etag"]  # shown by a read sent at most a second after the write
