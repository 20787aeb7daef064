"""The gateway's rows of the authorization matrix: every view and export, for the same 13 callers as the
services' matrix (`tests/authz`), and the gateway refusing bad tokens itself before it forwards anything."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from authz_callers import BAD_TOKENS, ROLES, caller_headers

from tests.gateway.conftest import BL_KIP3, needs

pytestmark = needs("funding", "evaluation")

REPORT = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2024"
#: (method, path) → outcome per caller in ROLES order: bl_editor, bl_viewer, bs_editor, sem, partner_a, partner_b.
#: `ok` is a 2xx. A canton user of another canton meets BL's programme as missing (404); a role a view is not
#: made for is refused (403); the seven bad tokens get 401 on every row.
MATRIX: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", f"/api/v1/views/canton/programmes/{BL_KIP3}"): ("ok", "ok", "404", "ok", "403", "403"),
    ("GET", "/api/v1/views/sem/programmes?period=KIP3&year=2024"): ("403", "403", "403", "ok", "403", "403"),
    ("GET", REPORT): ("ok", "ok", "404", "ok", "403", "403"),
    ("GET", REPORT + "?format=xlsx"): ("ok", "ok", "404", "ok", "403", "403"),
    ("GET", REPORT + "?format=csv"): ("ok", "ok", "404", "ok", "403", "403"),
    ("GET", "/api/v1/views/partners/me"): ("403", "403", "403", "403", "ok", "ok"),
    ("GET", "/api/programme/v1/programmes"): ("ok", "ok", "ok", "ok", "403", "403"),
    ("GET", f"/api/funding/v1/programmes/{BL_KIP3}/financial-report?year=2024"): (
        "ok",
        "ok",
        "404",
        "ok",
        "404",
        "404",
    ),
    ("GET", "/api/evaluation/v1/evaluations"): ("ok", "ok", "ok", "ok", "ok", "ok"),
}


def outcome(response: httpx.Response) -> str:
    return "ok" if response.status_code < 300 else str(response.status_code)


async def test_every_view_answers_each_caller_as_the_matrix_says(client: httpx.AsyncClient, key_dir: Path) -> None:
    headers = caller_headers(key_dir)
    differences = []
    cells = 0
    for (method, path), expected in MATRIX.items():
        wanted = dict(zip(ROLES, expected, strict=True)) | dict.fromkeys(BAD_TOKENS, "401")
        for caller, want in wanted.items():
            got = outcome(await client.request(method, path, headers=headers[caller]))
            cells += 1
            if got != want:
                differences.append(f"{caller:16} {method} {path}: expected {want}, got {got}")
    assert not differences, "\n".join(differences)
    assert cells == len(MATRIX) * 13


@pytest.mark.usefixtures("changes_data")
async def test_only_the_cantons_editor_submits_its_report(client: httpx.AsyncClient, key_dir: Path) -> None:
    headers = caller_headers(key_dir)
    submit = f"/api/v1/views/canton/programmes/{BL_KIP3}/annual-report/2024/submit"
    expected = {"bl_viewer": "403", "bs_editor": "404", "sem": "403", "partner_a": "403", "partner_b": "403"}
    expected |= dict.fromkeys(BAD_TOKENS, "401")
    got = {caller: outcome(await client.post(submit, headers=headers[caller])) for caller in expected}
    assert got == expected
    acknowledged = {"acknowledged_warnings": ["illustrative_figures", "national_value_missing"]}
    assert outcome(await client.post(submit, json=acknowledged, headers=headers["bl_editor"])) == "ok"
