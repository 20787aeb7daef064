"""Funding areas carry French and Italian names with their source; SEM corrects names without moving anything else.

Also the data migration `0005_area_names`: a database made before it gets the names, and keeps a name SEM set.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from programme_factories import problem

from kit import migrations, testing
from kit.db import sync_url
from kit.ids import seed_uuid

KIP3_LANGUAGE = str(seed_uuid("funding-area", "KIP3/language"))
KIP3_INFORMATION = str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"))


async def _areas(client: httpx.AsyncClient, token: Any, period: str) -> list[dict[str, Any]]:
    response = await client.get("/v1/funding-areas", params={"period": period}, headers=token("sem"))
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_every_area_is_named_in_the_three_national_languages_with_its_source(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    kip3 = await _areas(client, token, "KIP3")
    kip2bis = await _areas(client, token, "KIP2bis")
    assert len(kip3) == 7 and len(kip2bis) == 8
    for area in kip3 + kip2bis:
        assert all(area["name"][lang] for lang in ("de", "fr", "it")), area
        assert area["name_source"], area
    # No official French or Italian KIP 3 title was found: every KIP 3 name says it is illustrative, and why.
    assert all(a["name_illustrative"] and "Illustrative" in a["name_source"] for a in kip3)
    counselling = next(a for a in kip2bis if a["code"] == "1.2")
    assert counselling["name"] == {"de": "Beratung", "fr": "Conseil", "it": "Consulenza"}
    assert not counselling["name_illustrative"] and "[INFOBOX-FR]" in counselling["name_source"]


async def test_sem_corrects_a_name_and_nothing_else_moves(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    sem = token("sem", subject="lea@sem.admin.ch")
    before = (await client.get(f"/v1/funding-areas/{KIP3_INFORMATION}", headers=sem)).json()
    body = {
        "name": {"fr": "Information, évaluation des besoins et conseil"},
        "name_source": "SEM, PIC 3 (fr)",
        "name_illustrative": False,
    }
    response = await client.patch(
        f"/v1/funding-areas/{KIP3_INFORMATION}", json=body, headers=sem | {"If-Match": f'"{before["version"]}"'}
    )
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["name"] == before["name"] | {"fr": "Information, évaluation des besoins et conseil"}
    assert (after["name_source"], after["name_illustrative"]) == ("SEM, PIC 3 (fr)", False)
    assert response.headers["etag"] == f'"{before["version"] + 1}"'
    unchanged = ("id", "period_id", "code", "position", "pillar", "predecessors", "aliases")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    records = (await client.get("/v1/audit", params={"limit": 5}, headers=sem)).json()["items"]
    record = records[0]
    assert (record["entity"], record["entity_id"], record["action"]) == ("funding_area", KIP3_INFORMATION, "update")
    assert record["actor"] == "lea@sem.admin.ch"
    assert record["before"]["name_fr"] == before["name"]["fr"]
    assert record["after"]["name_fr"] == "Information, évaluation des besoins et conseil"


async def test_only_sem_corrects_names_and_only_on_the_current_version(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    url = f"/v1/funding-areas/{KIP3_LANGUAGE}"
    body = {"name": {"it": "Lingua (PIC 3)"}}
    canton = token("canton-editor", canton="TI")
    problem(await client.patch(url, json=body, headers=canton | {"If-Match": '"1"'}), 403)
    problem(await client.patch(url, json=body, headers=token("sem")), 428)
    problem(await client.patch(url, json=body, headers=token("sem") | {"If-Match": '"7"'}), 412)
    null_de = await client.patch(url, json={"name": {"de": None}}, headers=token("sem") | {"If-Match": '"1"'})
    assert problem(null_de, 422)["errors"][0]["loc"] == ["body", "name", "de"]
    moved = await client.patch(url, json={"code": "lingua"}, headers=token("sem") | {"If-Match": '"1"'})
    problem(moved, 422)  # the code (and so every mapping) cannot change here
    area = (await client.get(url, headers=token("sem"))).json()
    assert (area["name"]["it"], area["code"], area["version"]) == ("Lingua", "language", 1)


@pytest.mark.parametrize("backend", testing.backends())
def test_the_migration_names_the_areas_of_an_existing_database(backend: str, tmp_path: Path) -> None:
    url = testing.fresh_database(backend, "programme_area_names", tmp_path)
    migrations.upgrade("programme", url, "0002")
    period = sa.table(
        "period",
        *(sa.column(c) for c in ("code", "title", "first_year", "last_year", "created_at", "updated_at")),
        sa.column("id", sa.Uuid),
    )
    area = sa.table(
        "funding_area",
        *(sa.column(c) for c in ("code", "position", "name_de", "name_fr", "name_it", "pillar", "created_at")),
        sa.column("updated_at"),
        sa.column("aliases", sa.JSON),
        sa.column("id", sa.Uuid),
        sa.column("period_id", sa.Uuid),
    )
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    kip3, language, interpreting = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(
                period.insert().values(
                    id=kip3, code="KIP3", title="KIP 3", first_year=2024, last_year=2027, created_at=now, updated_at=now
                )
            )
            common = {"period_id": kip3, "pillar": 2, "aliases": [], "created_at": now, "updated_at": now}
            conn.execute(area.insert().values(id=language, code="language", position=2, name_de="Sprache", **common))
            conn.execute(
                area.insert().values(
                    id=interpreting,
                    code="interpreting",
                    position=7,
                    name_de="Dolmetschen",
                    name_fr="Interprétariat",
                    name_it="Interpretariato (SEM)",
                    **common,
                )
            )
        migrations.upgrade("programme", url)
        with engine.connect() as conn:
            query = sa.text(
                "SELECT code, name_fr, name_it, name_source, name_illustrative FROM funding_area ORDER BY position"
            )
            rows = {r.code: r for r in conn.execute(query)}
    finally:
        engine.dispose()
    assert (rows["language"].name_fr, rows["language"].name_it) == ("Langue", "Lingua")
    assert rows["language"].name_illustrative and "Illustrative" in rows["language"].name_source
    assert rows["interpreting"].name_it == "Interpretariato (SEM)"  # a name already set is kept
    assert rows["interpreting"].name_source is None and not rows["interpreting"].name_illustrative
