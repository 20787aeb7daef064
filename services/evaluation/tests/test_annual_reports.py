"""Annual-report snapshots: each submission is a new immutable version, with a checksum, and diffable."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from evaluation.annual_report.models import AnnualReportVersion, ImmutableVersion

#: The sections a report must have besides those these tests vary.
OTHERS = {"key_figures": [], "finances": {}, "coordination": {"overall": "…"}, "financial_supervision": {}}
FIRST = {
    "year": 2025,
    "goals": [{"code": "1.1", "achievement": "0.9"}],
    "evaluations": ["ald"],
    "note": "Entwurf",
    **OTHERS,
}
SECOND = {"year": 2025, "goals": [{"code": "1.1", "achievement": "0.95"}], "evaluations": ["ald", "MUU"], **OTHERS}


@pytest.fixture(autouse=True)
def after_the_year(app: FastAPI) -> None:
    """Reports of 2024 and 2025 may be submitted: both years have ended."""
    app.state.get_today = lambda: dt.date(2026, 3, 1)


def canonical_sha(content: dict[str, Any]) -> str:
    data = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()


async def _submit(client: httpx.AsyncClient, headers: dict[str, str], ids: Any, content: Any, year: int = 2025) -> Any:
    return await client.post(
        f"/v1/programmes/{ids.programme}/annual-reports/{year}", json={"content": content}, headers=headers
    )


async def test_each_submission_is_a_new_version_with_its_checksum(
    client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str], ids: Any
) -> None:
    first = await _submit(client, editor, ids, FIRST)
    assert first.status_code == 201, first.text
    second = await _submit(client, editor, ids, SECOND)
    v1, v2 = first.json(), second.json()
    assert (v1["number"], v2["number"]) == (1, 2)
    assert v1["sha256"] == canonical_sha(FIRST) and v2["sha256"] == canonical_sha(SECOND)
    assert v1["submitted_by"].startswith("canton-editor") and v1["canton"] == "BL"
    base = f"/v1/programmes/{ids.programme}/annual-reports/2025"
    listed = (await client.get(base, headers=sem)).json()
    assert [(v["number"], v["sha256"]) for v in listed] == [(1, v1["sha256"]), (2, v2["sha256"])]
    one = (await client.get(base + "/versions/1", headers=editor)).json()
    assert one["content"] == FIRST  # the first version is untouched by the second
    assert (await client.get(base + "/versions/3", headers=editor)).status_code == 404


async def test_versions_are_diffable(client: httpx.AsyncClient, editor: dict[str, str], ids: Any) -> None:
    await _submit(client, editor, ids, FIRST)
    await _submit(client, editor, ids, SECOND)
    base = f"/v1/programmes/{ids.programme}/annual-reports/2025/diff"
    diff = (await client.get(base, params={"from": 1, "to": 2}, headers=editor)).json()
    assert diff["identical"] is False
    ops = {(o["op"], o["path"]) for o in diff["operations"]}
    assert ("replace", "/goals/0/achievement") in ops
    assert ("add", "/evaluations/1") in ops
    assert ("remove", "/note") in ops
    import jsonpatch

    assert jsonpatch.apply_patch(FIRST, diff["operations"]) == SECOND
    same = (await client.get(base, params={"from": 2, "to": 2}, headers=editor)).json()
    assert same["identical"] is True and same["operations"] == []
    missing = await client.get(base, params={"from": 1}, headers=editor)
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == ["query", "to"]
    # A version number no database column holds is invalid input, not a server error.
    huge = "11916395345774758055562704846848"
    too_far = await client.get(base, params={"from": 1, "to": huge}, headers=editor)
    assert too_far.status_code == 422 and too_far.json()["errors"][0]["loc"] == ["query", "to"]
    version = await client.get(base.replace("/diff", f"/versions/{huge}"), headers=editor)
    assert version.status_code == 422 and version.json()["errors"][0]["loc"] == ["path", "number"]


async def test_nothing_changes_or_deletes_a_version(
    app: FastAPI, client: httpx.AsyncClient, editor: dict[str, str], ids: Any
) -> None:
    await _submit(client, editor, ids, FIRST)
    url = f"/v1/programmes/{ids.programme}/annual-reports/2025/versions/1"
    for method in ("PUT", "PATCH", "DELETE"):
        response = await client.request(method, url, json={"content": {}}, headers=editor)
        assert response.status_code == 405
    async with app.state.session_factory() as session:
        version = (await session.scalars(select(AnnualReportVersion))).one()
        version.content = {"forged": True}
        with pytest.raises(ImmutableVersion):
            await session.flush()
        await session.rollback()
    async with app.state.session_factory() as session:
        version = (await session.scalars(select(AnnualReportVersion))).one()
        with pytest.raises(ImmutableVersion):
            await session.delete(version)
            await session.flush()
        await session.rollback()
    assert (await client.get(url, headers=editor)).json()["content"] == FIRST


async def test_who_submits_and_reads_reports(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    viewer: dict[str, str],
    sem: dict[str, str],
    token: Any,
    as_partner: Any,
    ids: Any,
) -> None:
    for headers in (viewer, sem, as_partner("ald")):
        assert (await _submit(client, headers, ids, FIRST)).status_code == 403
    zh = await _submit(client, token("canton-editor", canton="ZH"), ids, FIRST)
    assert zh.status_code == 422 and zh.json()["errors"][0]["loc"] == ["path", "programme_id"]
    outside = await _submit(client, editor, ids, FIRST, year=2023)
    assert outside.status_code == 422 and outside.json()["errors"][0]["loc"] == ["path", "year"]
    not_object = await client.post(
        f"/v1/programmes/{ids.programme}/annual-reports/2025", json={"content": [1]}, headers=editor
    )
    assert not_object.status_code == 422 and not_object.json()["errors"][0]["loc"] == ["body", "content"]

    await _submit(client, editor, ids, FIRST)
    await _submit(client, editor, ids, SECOND)
    await _submit(client, editor, ids, FIRST, year=2024)
    for headers in (sem, viewer):
        page = (await client.get("/v1/annual-reports", params={"year": 2025}, headers=headers)).json()
        assert page["total"] == 1
        assert (page["items"][0]["versions"], page["items"][0]["latest"]["number"]) == (2, 2)
    everything = (await client.get("/v1/annual-reports", headers=sem)).json()
    assert [(r["year"], r["versions"]) for r in everything["items"]] == [(2025, 2), (2024, 1)]
    assert (await client.get("/v1/annual-reports", headers=token("canton-viewer", canton="ZH"))).json()["total"] == 0
    assert (await client.get("/v1/annual-reports", headers=as_partner("ald"))).status_code == 403
    foreign = await client.get(
        f"/v1/programmes/{ids.programme}/annual-reports/2025", headers=token("canton-viewer", canton="ZH")
    )
    assert foreign.status_code == 404


async def test_the_latest_version_is_the_highest_number(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    viewer: dict[str, str],
    sem: dict[str, str],
    token: Any,
    as_partner: Any,
    ids: Any,
) -> None:
    latest = f"/v1/programmes/{ids.programme}/annual-reports/2025/versions/latest"
    none_yet = await client.get(latest, headers=sem)
    assert none_yet.status_code == 404
    assert none_yet.headers["content-type"].startswith("application/problem+json")
    assert "2025" in none_yet.json()["detail"]
    await _submit(client, editor, ids, FIRST)
    await _submit(client, editor, ids, SECOND)
    await _submit(client, editor, ids, FIRST, year=2024)
    for headers in (sem, viewer, editor):
        answer = await client.get(latest, headers=headers)
        assert answer.status_code == 200, answer.text
        assert (answer.json()["number"], answer.json()["content"]) == (2, SECOND)
        assert answer.headers["etag"]
        again = await client.get(latest, headers={**headers, "If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304
    of_2024 = await client.get(f"/v1/programmes/{ids.programme}/annual-reports/2024/versions/latest", headers=sem)
    assert (of_2024.json()["number"], of_2024.json()["content"]) == (1, FIRST)
    # Another canton is answered as if there were nothing; partners read no programme's report.
    assert (await client.get(latest, headers=token("canton-viewer", canton="ZH"))).status_code == 404
    for slug in ("ald", "srk-bl"):
        assert (await client.get(latest, headers=as_partner(slug))).status_code == 403
    bad_year = await client.get(f"/v1/programmes/{ids.programme}/annual-reports/1999/versions/latest", headers=sem)
    assert bad_year.status_code == 422 and bad_year.json()["errors"][0]["loc"] == ["path", "year"]
