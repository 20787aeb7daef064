"""Through the gateway, in German, French, Italian and English: problems, labels and the annual report's files.

`Accept-Language` travels to the services (forwarded calls and the views' own calls); without it problems stay
English and the files as they were.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from kit import i18n
from kit.ids import seed_uuid
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

AREAS = "/api/programme/v1/funding-areas"
KIP3 = str(seed_uuid("period", "KIP3"))
LANGUAGES = {
    "de-CH": (
        "de",
        "Ungültige Eingabe",
        "Nicht gefunden",
        "Die Periode hat bereits einen Förderbereich mit diesem Code",
        "Ungültige Felder: body.pillar.",
    ),
    "fr-CH, fr;q=0.9, en;q=0.5": (
        "fr",
        "Saisie invalide",
        "Introuvable",
        "La période a déjà un domaine d'encouragement avec ce code",
        "Champs invalides : body.pillar.",
    ),
    "it-CH": (
        "it",
        "Immissione non valida",
        "Non trovato",
        "Il periodo ha già un settore di promozione con questo codice",
        "Campi non validi: body.pillar.",
    ),
    "en": (
        "en",
        "Invalid input",
        "Not found",
        "The period has a funding area with this code already",
        "Invalid fields: body.pillar.",
    ),
    None: (
        "en",
        "Invalid input",
        "Not found",
        "The period has a funding area with this code already",
        "Invalid fields: body.pillar.",
    ),
}


FIELD_ERRORS = {
    "de": "Erwartet wird eine ganze Zahl.",
    "fr": "Un nombre entier est attendu.",
    "it": "È atteso un numero intero.",
    "en": "Input should be a valid integer",
}
NOT_FOUND_DETAILS = {
    "de": "Kein Förderbereich {id}.",
    "fr": "Aucun domaine d'encouragement {id}.",
    "it": "Nessun settore di promozione {id}.",
    "en": "No funding area {id}.",
}
CONFLICT_DETAILS = {
    "de": "Die Periode KIP3 hat bereits einen Förderbereich 'language'.",
    "fr": "La période KIP3 a déjà un domaine d'encouragement 'language'.",
    "it": "Il periodo KIP3 ha già un settore di promozione 'language'.",
    "en": "Period KIP3 has a funding area 'language' already.",
}


def _area(**changes: Any) -> dict[str, Any]:
    return {"period_id": KIP3, "code": "language", "position": 2, "name": {"de": "Sprache"}, "pillar": 2} | changes


@pytest.mark.parametrize("header", list(LANGUAGES))
async def test_problems_come_back_in_the_callers_language(
    client: httpx.AsyncClient, token: TokenFactory, header: str | None
) -> None:
    lang, invalid, not_found, conflict, detail = LANGUAGES[header]
    headers = token("sem") | ({"Accept-Language": header} if header else {})
    answers = {
        422: await client.post(AREAS, json=_area(pillar="two"), headers=headers),
        404: await client.get(f"{AREAS}/{uuid.uuid4()}", headers=headers),
        409: await client.post(AREAS, json=_area(), headers=headers),
    }
    for status, title in ((422, invalid), (404, not_found), (409, conflict)):
        response = answers[status]
        assert response.status_code == status, response.text
        assert response.json()["title"] == title
        assert response.headers["content-language"] == lang
        assert "accept-language" in response.headers["vary"].lower()
    assert answers[422].json()["detail"] == detail  # kit's generic detail is translated too
    assert answers[422].json()["errors"][0]["msg"] == FIELD_ERRORS[lang]  # so is pydantic's field message
    assert answers[404].json()["detail"] == NOT_FOUND_DETAILS[lang].format(id=answers[404].json()["instance"][-36:])
    assert answers[409].json()["detail"] == CONFLICT_DETAILS[lang]  # the service's own details too
    unknown = await client.get("/api/v1/nowhere", headers=headers)
    assert unknown.status_code == 404 and unknown.json()["title"] == not_found


async def test_the_gateways_own_generic_problems_are_translated(client: httpx.AsyncClient) -> None:
    response = await client.get(AREAS, headers={"Accept-Language": "fr"})
    assert response.status_code == 401
    assert response.json()["title"] == "Authentification requise"
    assert response.json()["detail"] == "Envoyez `Authorization: Bearer <token>` ; obtenez-en un avec `kip token`."
    assert response.headers["content-language"] == "fr"


@needs("funding", "evaluation")
async def test_a_view_passes_the_language_on_to_the_services(client: httpx.AsyncClient, token: TokenFactory) -> None:
    missing = f"/api/v1/views/sem/programmes/{uuid.uuid4()}/annual-report/2025"
    response = await client.get(missing, headers=token("sem") | {"Accept-Language": "it"})
    assert response.status_code == 404
    assert (response.json()["title"], response.headers["content-language"]) == ("Non trovato", "it")


async def test_the_labels_of_one_language_in_one_call(client: httpx.AsyncClient, token: TokenFactory) -> None:
    viewer = token("canton-viewer", canton="GE")
    french = await client.get("/api/v1/labels", params={"lang": "fr"}, headers=viewer)
    assert french.status_code == 200, french.text
    assert french.headers["content-language"] == "fr"
    body = french.json()
    assert body["labels"]["money_source"]["federal_integration_credit"].startswith("Crédit fédéral")
    assert body["labels"]["pillar"]["1"] == "Information et conseil"
    kinds = {"pillar", "money_source", "programme_status", "measure_status", "agreement_status", "evaluation_kind"}
    kinds |= {"evaluation_status", "partner_kind", "target_group", "goal_level", "indicator_level", "report_status"}
    assert kinds <= set(body["labels"]) and set(body["sources"]) == set(body["labels"])
    assert body["sources"]["pillar"]["illustrative"] and body["sources"]["pillar"]["reason"]
    kip3 = {a["code"]: a for a in body["funding_areas"] if a["period_id"] == KIP3}
    assert len(kip3) == 7 and all(a["name_language"] == "fr" for a in kip3.values())
    assert kip3["early_childhood"]["name"] == "Petite enfance" and kip3["early_childhood"]["illustrative"]
    italian = (await client.get("/api/v1/labels", headers=viewer | {"Accept-Language": "it-CH"})).json()
    assert italian["language"] == "it" and italian["labels"]["target_group"]["women"] == "Donne"
    german = (await client.get("/api/v1/labels", headers=viewer)).json()
    assert german["language"] == "de"  # labels default to German
    assert german["sources"]["pillar"]["source"].startswith("KdK") and not german["sources"]["pillar"]["illustrative"]
    assert german["labels"]["goal_level"]["outcome"] == "Wirkungsziel"
    english = (await client.get("/api/v1/labels", params={"lang": "en"}, headers=viewer)).json()
    assert {a["name_language"] for a in english["funding_areas"]} == {"de"}  # no English area names: German
    bad = await client.get("/api/v1/labels", params={"lang": "rm"}, headers=viewer)
    assert bad.status_code == 422


REPORT = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025"


@needs("funding", "evaluation")
async def test_the_annual_report_workbook_in_french(client: httpx.AsyncClient, token: TokenFactory) -> None:
    headers = token("sem") | {"Accept-Language": "fr-CH"}
    response = await client.get(f"{REPORT}.xlsx", headers=headers)
    assert response.status_code == 200 and response.headers["content-language"] == "fr"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:6] == [
        "Synthèse",
        "Objectifs",
        "Évaluations",
        "Chiffres clés",
        "Finances",
        "Cofinancement",
    ]
    finances = list(workbook["Finances"].iter_rows(values_only=True))
    assert finances[0][:3] == ("Domaine d'encouragement", "Nom", "Source de financement")
    sources = {row[2] for row in finances[1:] if row[2]}
    assert "Crédit fédéral d'encouragement de l'intégration (CII)" in sources
    assert not sources & {"federal_integration_credit", "canton", "communes"}  # words, not codes
    assert any(row[0] == "Total" for row in finances)
    summary = {row[0]: row[1] for row in workbook["Synthèse"].iter_rows(values_only=True)}
    assert "Légende" in summary and str(summary["Légende"]).startswith("Les cellules en italique")
    supervision = list(workbook["Surveillance financière"].iter_rows(min_row=2))
    dated = [c for row in supervision for c in row if c.is_date]
    assert dated and all(c.number_format == "DD.MM.YYYY" for c in dated)
    assert {row[0].value for row in supervision} == {"Approche", "Contrôle"}
    assert {row[5].value for row in supervision} >= {"Contrôle sur pièces", "Contrôle sur place"}
    goals = list(workbook["Objectifs"].iter_rows(min_row=2, values_only=True))
    assert {row[5] for row in goals if row[5]} <= {"Nombre", "Pour cent", "CHF", "Heures"}


@needs("funding", "evaluation")
async def test_the_annual_report_csv_opens_in_swiss_excel(client: httpx.AsyncClient, token: TokenFactory) -> None:
    response = await client.get(f"{REPORT}.csv", headers=token("sem") | {"Accept-Language": "de-CH"})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["# Übersicht"] and ["# Finanzen"] in rows
    header = rows[rows.index(["# Finanzen"]) + 1]
    assert header[:3] == ["Förderbereich", "Name", "Finanzierungsquelle"]


@needs("funding", "evaluation")
async def test_without_accept_language_the_files_speak_the_programmes_working_language(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    sem = token("sem")
    workbook = await client.get(f"{REPORT}.xlsx", headers=sem)
    assert workbook.status_code == 200 and workbook.headers["content-language"] == "de"  # BL works in German
    assert load_workbook(io.BytesIO(workbook.content)).sheetnames[:2] == ["Übersicht", "Ziele"]
    text = await client.get(f"{REPORT}.csv", headers=sem)
    assert text.content.startswith(b"\xef\xbb\xbf") and text.headers["content-language"] == "de"
    english = await client.get(f"{REPORT}.csv", headers=sem | {"Accept-Language": "en"})
    assert english.headers["content-language"] == "en"
    assert english.text.startswith("# Summary\r\nitem,value")  # English: the tables as scripts read them


@needs("evaluation")
@pytest.mark.parametrize(
    ("header", "sheet", "first", "target"),
    [
        ("fr-CH", "Grille des objectifs", "Domaine d'encouragement", "Valeur cible 2024"),
        ("it", "Griglia degli obiettivi", "Settore di promozione", "Valore obiettivo 2024"),
        ("en", "Goal grid", "Funding area", "Target 2024"),
        (None, "Zielraster", "Förderbereich", "Zielwert 2024"),
    ],
)
async def test_the_goal_grid_in_each_language(
    client: httpx.AsyncClient, token: TokenFactory, header: str | None, sheet: str, first: str, target: str
) -> None:
    headers = token("canton-viewer", canton="BL") | ({"Accept-Language": header} if header else {})
    response = await client.get(f"/api/v1/programmes/{BL_KIP3}/goal-grid.xlsx", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == (i18n.negotiate(header) or "de")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [sheet]
    rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
    assert (rows[0][0], rows[0][7]) == (first, target)
    levels = {row[3] for row in rows[1:]}
    assert levels and levels <= {
        i18n.label("goal_level", code, i18n.negotiate(header) or "de") for code in ("strategic", "outcome", "output")
    }
    if header == "fr-CH":
        assert "Langue" in {row[0] for row in rows[1:]}  # the area's French name


async def test_the_openapi_document_says_which_fields_are_localized(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    problem = schemas["ProblemDetail"]["properties"]
    for field in ("title", "detail"):
        assert "Localized by `Accept-Language`" in problem[field]["description"], field
    assert "Localized by `Accept-Language`" in schemas["FieldError"]["properties"]["msg"]["description"]
    labels = schemas["Labels"]["properties"]
    assert "Localized" in labels["labels"]["description"] and "sources" in labels
    programme = next(s for name, s in schemas.items() if name.endswith("ProgrammeRead"))
    assert "Accept-Language" in programme["properties"]["working_language"]["description"]
