"""Every problem in the caller's language, and a budget grid in French there and back: the four real processes
on free ports, on SQLite and on PostgreSQL, reached through the gateway over real HTTP."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import httpx
import pytest
from openpyxl import load_workbook

from kit import testing
from kit.ids import seed_uuid
from support.platform import Platform, running_platform

PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
MEASURES = "/api/programme/v1/measures"
#: By language: the 422's title and its field message, the 404's title and detail, the 409's title and detail.
EXPECTED = {
    "de-CH": (
        "de",
        ("Ungültige Eingabe", "Der Text muss mindestens 1 Zeichen lang sein."),
        ("Nicht gefunden", "Keine Massnahme {id}."),
        (
            "Das Programm hat bereits eine Massnahme mit diesem Code",
            "Das Programm hat bereits eine Massnahme 'BL-1.01': {other}.",
        ),
    ),
    "fr-CH, fr;q=0.9": (
        "fr",
        ("Saisie invalide", "Longueur minimale du texte : 1 caractère(s)."),
        ("Introuvable", "Aucune mesure {id}."),
        ("Le programme a déjà une mesure avec ce code", "Le programme a déjà une mesure 'BL-1.01' : {other}."),
    ),
    "it": (
        "it",
        ("Immissione non valida", "Lunghezza minima del testo: 1 carattere/i."),
        ("Non trovato", "Nessuna misura {id}."),
        ("Il programma ha già una misura con questo codice", "Il programma ha già una misura 'BL-1.01': {other}."),
    ),
    "en": (
        "en",
        ("Invalid input", "String should have at least 1 character"),
        ("Not found", "No measure {id}."),
        (
            "The programme has a measure with this code already",
            "The programme has a measure 'BL-1.01' already: {other}.",
        ),
    ),
}


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    yield from running_platform(request.param, tmp_path_factory.mktemp("languages"), "languages")


def _measure(code: str, title: str) -> dict[str, object]:
    area = str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"))
    return {"programme_id": PROGRAMME, "funding_area_id": area, "code": code, "title": title}


@pytest.mark.parametrize("header", list(EXPECTED))
def test_a_validation_error_a_404_and_a_409_come_back_in_the_callers_language(platform: Platform, header: str) -> None:
    lang, invalid, not_found, conflict = EXPECTED[header]
    gateway = httpx.Client(base_url=platform.url("gateway"), timeout=30)
    editor = platform.headers("canton-editor", canton="BL") | {"Accept-Language": header}
    existing = gateway.get(MEASURES, params={"programme_id": PROGRAMME, "limit": 100}, headers=editor).json()
    other = next(m["id"] for m in existing["items"] if m["code"] == "BL-1.01")
    missing = str(uuid.uuid4())
    answers = {
        422: gateway.post(MEASURES, json=_measure("BL-9.99", ""), headers=editor),
        404: gateway.get(f"{MEASURES}/{missing}", headers=editor),
        409: gateway.post(MEASURES, json=_measure("BL-1.01", "Noch einmal"), headers=editor),
    }
    for status, response in answers.items():
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers["content-language"] == lang
        assert "accept-language" in response.headers["vary"].lower()
    title, message = invalid
    assert answers[422].json()["title"] == title
    assert [e["msg"] for e in answers[422].json()["errors"]] == [message]
    assert (answers[404].json()["title"], answers[404].json()["detail"]) == (
        not_found[0],
        not_found[1].format(id=missing),
    )
    assert (answers[409].json()["title"], answers[409].json()["detail"]) == (
        conflict[0],
        conflict[1].format(other=other),
    )


def test_a_french_budget_grid_goes_out_and_back_through_the_gateway(platform: Platform) -> None:
    gateway = httpx.Client(base_url=platform.url("gateway"), timeout=30)
    editor = platform.headers("canton-editor", canton="BL")
    url = f"/api/funding/v1/programmes/{PROGRAMME}/budget-grid"
    french = gateway.get(url, params={"format": "xlsx"}, headers=editor | {"Accept-Language": "fr-CH"})
    assert french.status_code == 200, french.text
    assert french.headers["content-language"] == "fr"
    book = load_workbook(io.BytesIO(french.content))
    assert book["Budget"]["A3"].value == "Année"
    german = gateway.get(url, params={"format": "xlsx"}, headers=editor)
    assert german.headers["content-language"] == "de"  # BL's working language without Accept-Language
    assert load_workbook(io.BytesIO(german.content))["Budget"]["A3"].value == "Jahr"
    back = gateway.post(
        url,
        params={"dry_run": "true"},
        content=french.content,
        headers=editor | {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    assert back.status_code == 200, back.text
    assert back.json()["changes"] == []
