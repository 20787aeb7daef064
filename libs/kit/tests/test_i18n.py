"""The message catalogue is complete and consistent, and `Accept-Language` chooses the language of problems.

The completeness check reads every catalogue entry of every language, every problem type's title (each
`Problem` class of kit, the gateway and the services) and every message the code marks (`Msg(...)` and literal
titles of `problem_response(...)`, extracted from the sources by Babel).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Annotated, Literal

import httpx
import pytest
from babel.messages.extract import extract_from_dir
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kit import field_messages, i18n
from kit.i18n import Msg
from kit.problems import InvalidInput, NotFound, Problem, install_problem_handlers

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "libs/kit/src", ROOT / "gateway/src", *sorted((ROOT / "services").glob("*/src"))]
PACKAGES = ["kit", "gateway", "programme", "funding", "evaluation"]
TRANSLATED = ("de", "fr", "it")


def _messages() -> set[str]:
    return {str(m.id) for lang in TRANSLATED for m in i18n.catalog(lang) if m.id and not m.context}


def _labels() -> set[tuple[str, str]]:
    return {(str(m.context), str(m.id)) for lang in i18n.SUPPORTED for m in i18n.catalog(lang) if m.id and m.context}


@pytest.mark.parametrize("lang", i18n.SUPPORTED)
def test_every_catalogue_entry_is_translated_with_the_same_placeholders(lang: str) -> None:
    catalog = i18n.catalog(lang)
    problems = []
    messages = _messages() if lang != "en" else set()  # English messages are their msgid
    for msgid in sorted(messages):
        entry = catalog.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            problems.append(f"{lang}: no translation of {msgid!r}")
        elif i18n.placeholders(str(entry.string)) != i18n.placeholders(msgid):
            problems.append(f"{lang}: placeholders of {msgid!r} differ: {entry.string!r}")
    for context, code in sorted(_labels()):
        entry = catalog.get(code, context=context)
        if entry is None or not entry.string:
            problems.append(f"{lang}: no label for {context}/{code}")
        elif i18n.placeholders(str(entry.string)) != i18n.placeholders(code):
            problems.append(f"{lang}: placeholders of {context}/{code} differ")
    assert not problems, "\n".join(problems)


def _problem_classes() -> set[type[Problem]]:
    for name in PACKAGES[1:]:  # the apps first: their import order is the one the packages are built for
        importlib.import_module(f"{name}.main")
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, name + "."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    found: set[type[Problem]] = set()
    pending = [Problem]
    while pending:
        cls = pending.pop()
        found.add(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_problem_type_has_its_title_in_every_language() -> None:
    classes = _problem_classes()
    assert len(classes) > 20  # kit's, the gateway's and the services' typed problems were found
    messages = _messages()
    missing = sorted({c.title for c in classes} - messages)
    assert not missing, f"problem titles without translations: {missing}"


def test_every_marked_message_of_the_code_is_in_the_catalogue() -> None:
    keywords = {"Msg": None, "problem_response": (3,)}
    found = set()
    for source in SOURCES:
        for _, _, message, _, _ in extract_from_dir(source, method_map=[("**.py", "python")], keywords=keywords):
            found.add(message if isinstance(message, str) else message[0])
    assert {"Invalid fields: {names}.", "Malformed JSON", "Internal error"} <= found
    found |= {*field_messages.MESSAGES.values(), field_messages.OR}  # the field errors by pydantic type
    missing = sorted(found - _messages())
    assert not missing, f"messages without translations: {missing}"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
        ("de-CH", "de"),
        ("gsw", "de"),
        ("rm, it;q=0.5", "it"),
        ("en;q=0, fr;q=0.1", "fr"),
        ("es, pt;q=0.8", None),
        ("it;q=0.4, de;q=0.9", "de"),
        ("*", None),
        ("fr;q=nonsense, it", "it"),
    ],
)
def test_negotiation_honours_q_values_and_regional_fallbacks(header: str | None, expected: str | None) -> None:
    assert i18n.negotiate(header) == expected


class _Body(BaseModel):
    amount: int


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=3)]
    count: Annotated[int, Field(ge=1)]
    kind: Literal["study", "evaluation", "survey"]
    first_date: str

    @field_validator("first_date")
    @classmethod
    def _iso(cls, value: str) -> str:
        if value != "2024-01-01":
            raise ValueError(Msg("{value} is not a day of the calendar", value=value))
        return value


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(i18n.LanguageMiddleware)

    @app.post("/things")
    async def create(body: _Body) -> dict[str, int]:
        return {"amount": body.amount}

    @app.get("/things/{thing}")
    async def read(thing: str) -> dict[str, str]:
        raise NotFound(f"No thing {thing}.")

    @app.get("/measures/{measure}")
    async def measure(measure: str) -> dict[str, str]:
        raise NotFound(Msg("No measure {measure_id}.", measure_id=measure))

    @app.post("/forms")
    async def form(body: _Form) -> dict[str, str]:
        raise InvalidInput(Msg("{key} cannot be null.", key="name"), field=["body", "name"])

    return app


async def _call(method: str, path: str, lang: str | None, **kw: object) -> httpx.Response:
    headers = {"Accept-Language": lang} if lang else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://kit") as client:
        return await client.request(method, path, headers=headers, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "title", "detail"),
    [
        (None, "Invalid input", "Invalid fields: body.amount."),
        ("de-CH", "Ungültige Eingabe", "Ungültige Felder: body.amount."),
        ("fr-CH,fr;q=0.9", "Saisie invalide", "Champs invalides : body.amount."),
        ("it", "Immissione non valida", "Campi non validi: body.amount."),
        ("en-GB", "Invalid input", "Invalid fields: body.amount."),
    ],
)
async def test_a_validation_problem_speaks_the_callers_language(lang: str | None, title: str, detail: str) -> None:
    response = await _call("POST", "/things", lang, json={"amount": "many"})
    assert response.status_code == 422
    assert (response.json()["title"], response.json()["detail"]) == (title, detail)
    assert response.headers["content-language"] == (i18n.negotiate(lang) or "en")
    assert "Accept-Language" in response.headers["vary"]


async def test_a_typed_problem_gets_its_title_translated_and_keeps_an_unmarked_detail() -> None:
    response = await _call("GET", "/things/x", "it")
    assert response.status_code == 404
    assert response.json()["title"] == "Non trovato"
    assert response.json()["detail"] == "No thing x."  # a detail not marked with Msg stays as raised


@pytest.mark.parametrize(
    ("lang", "detail"),
    [
        ("fr", "Aucune mesure M-7."),
        ("it", "Nessuna misura M-7."),
        ("de", "Keine Massnahme M-7."),
        (None, "No measure M-7."),
    ],
)
async def test_a_services_detail_marked_with_msg_speaks_the_callers_language(lang: str | None, detail: str) -> None:
    response = await _call("GET", "/measures/M-7", lang)
    assert (response.status_code, response.json()["detail"]) == (404, detail)


BAD_FORM = {"name": "ab", "count": 0, "kind": "poll", "first_date": "2024-02-30", "colour": "red"}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "de",
            {
                "name": "Der Text muss mindestens 3 Zeichen lang sein.",
                "count": "Der Wert muss grösser oder gleich 1 sein.",
                "kind": "Erwartet wird 'study', 'evaluation' oder 'survey'.",
                "first_date": "Ungültiger Wert: 2024-02-30 ist kein Kalendertag",
                "colour": "Zusätzliche Felder sind nicht erlaubt.",
            },
        ),
        (
            "fr",
            {
                "name": "Longueur minimale du texte : 3 caractère(s).",
                "count": "La valeur doit être supérieure ou égale à 1.",
                "kind": "Valeur attendue : 'study', 'evaluation' ou 'survey'.",
                "first_date": "Valeur non valide : 2024-02-30 n'est pas un jour du calendrier",
                "colour": "Les champs supplémentaires ne sont pas admis.",
            },
        ),
        (
            "it",
            {
                "name": "Lunghezza minima del testo: 3 carattere/i.",
                "count": "Il valore deve essere maggiore o uguale a 1.",
                "kind": "Valore atteso: 'study', 'evaluation' o 'survey'.",
                "first_date": "Valore non valido: 2024-02-30 non è un giorno del calendario",
                "colour": "Campi supplementari non ammessi.",
            },
        ),
        (
            None,  # English: pydantic's own words, as clients match them
            {
                "name": "String should have at least 3 characters",
                "count": "Input should be greater than or equal to 1",
                "kind": "Input should be 'study', 'evaluation' or 'survey'",
                "first_date": "Value error, 2024-02-30 is not a day of the calendar",
                "colour": "Extra inputs are not permitted",
            },
        ),
    ],
)
async def test_every_field_error_speaks_the_callers_language(lang: str | None, expected: dict[str, str]) -> None:
    response = await _call("POST", "/forms", lang, json=BAD_FORM)
    assert response.status_code == 422
    errors = {e["loc"][-1]: e["msg"] for e in response.json()["errors"]}
    assert errors == expected
    missing = await _call("POST", "/forms", lang, json={})
    assert {e["type"] for e in missing.json()["errors"]} == {"missing"}
    assert (
        missing.json()["errors"][0]["msg"]
        == {
            "de": "Pflichtfeld.",
            "fr": "Champ obligatoire.",
            "it": "Campo obbligatorio.",
            None: "Field required",
        }[lang]
    )


@pytest.mark.parametrize(
    ("body", "kind", "french"),
    [
        ({"amount": "many"}, "int_parsing", "Un nombre entier est attendu."),
        ({"amount": 1.5}, "int_from_float", "Un nombre entier sans décimales est attendu."),
        ({}, "missing", "Champ obligatoire."),
    ],
)
async def test_parsing_errors_are_translated_by_type(body: dict[str, object], kind: str, french: str) -> None:
    response = await _call("POST", "/things", "fr", json=body)
    (error,) = response.json()["errors"]
    assert (error["type"], error["msg"]) == (kind, french)


async def test_an_invalid_input_names_its_field_in_the_callers_language() -> None:
    good = {"name": "abc", "count": 1, "kind": "study", "first_date": "2024-01-01"}
    response = await _call("POST", "/forms", "fr", json=good)
    assert response.status_code == 422
    assert response.json()["detail"] == "name ne peut pas être null."
    assert response.json()["errors"] == [
        {"loc": ["body", "name"], "msg": "name ne peut pas être null.", "type": "value_error"}
    ]


def test_an_unknown_error_type_keeps_pydantics_english() -> None:
    i18n.use_language("fr")
    try:
        error = {"type": "complex_type", "msg": "Input should be a valid python complex object", "ctx": {}}
        assert field_messages.field_message(error) == "Input should be a valid python complex object"
        assert field_messages.field_message({"type": "string_too_short", "msg": "x", "ctx": {}}) == "x"
    finally:
        i18n.use_language(None)


async def test_an_unknown_path_and_a_wrong_method_are_generic_and_translated() -> None:
    unknown = await _call("GET", "/nowhere", "fr")
    assert unknown.json()["title"] == "Introuvable"
    assert unknown.json()["detail"] == "Il n'y a rien à l'adresse /nowhere."
    wrong = await _call("DELETE", "/things", "de")
    assert wrong.status_code == 405 and wrong.json()["title"] == "Methode nicht erlaubt"
    assert wrong.json()["detail"] == "/things nimmt DELETE nicht an."


async def test_a_successful_answer_names_the_label_language() -> None:
    plain = await _call("POST", "/things", None, json={"amount": 1})
    french = await _call("POST", "/things", "fr", json={"amount": 1})
    assert plain.headers["content-language"] == "de"  # labels default to German
    assert french.headers["content-language"] == "fr"
    assert "Accept-Language" in plain.headers["vary"]


def test_labels_of_a_language_come_from_the_catalogue() -> None:
    assert i18n.label("money_source", "federal_integration_credit", "fr").startswith("Crédit fédéral")
    assert i18n.label("money_source", "unknown_code", "fr") == "unknown_code"
    assert i18n.labels("it")["pillar"]["2"] == "Formazione e lavoro"


def _enum_kinds() -> dict[str, list[str]]:
    """Every reference code the services define, by label kind: each needs a label in every language."""
    from evaluation.annual_report.lifecycle_schemas import ReportStatus
    from evaluation.evaluation.schemas import EvaluationKind, EvaluationStatus
    from evaluation.indicator.schemas import Level, Unit, ValueStatus
    from evaluation.recommendation.schemas import ActionStatus, Decision, Priority
    from funding.agreement.schemas import AgreementStatus
    from funding.disbursement.schemas import DisbursementStatus
    from funding.matching.schemas import MatchStatus
    from funding.settlement.schemas import SettlementStage
    from funding.sources import Source
    from programme.goal.schemas import GoalLevel
    from programme.measure.schemas import MeasureStatus, TargetGroup
    from programme.partner.schemas import PartnerKind
    from programme.programme.schemas import ProgrammeStatus, WorkingLanguage

    enums = {
        "money_source": Source,
        "money_source_short": Source,
        "programme_status": ProgrammeStatus,
        "measure_status": MeasureStatus,
        "agreement_status": AgreementStatus,
        "disbursement_status": DisbursementStatus,
        "match_status": MatchStatus,
        "evaluation_kind": EvaluationKind,
        "evaluation_status": EvaluationStatus,
        "partner_kind": PartnerKind,
        "target_group": TargetGroup,
        "goal_level": GoalLevel,
        "indicator_level": Level,
        "unit": Unit,
        "value_status": ValueStatus,
        "report_status": ReportStatus,
        "recommendation_priority": Priority,
        "response_decision": Decision,
        "action_status": ActionStatus,
        "settlement_stage": SettlementStage,
        "working_language": WorkingLanguage,
    }
    return {kind: [str(member.value) for member in enum] for kind, enum in enums.items()} | {"pillar": ["1", "2", "3"]}


@pytest.mark.parametrize("lang", i18n.SUPPORTED)
def test_every_reference_code_of_the_services_has_a_label(lang: str) -> None:
    labels = i18n.labels(lang)
    missing = [
        f"{kind}/{code}" for kind, codes in _enum_kinds().items() for code in codes if code not in labels.get(kind, {})
    ]
    assert not missing, f"{lang}: codes without a label: {missing}"


@pytest.mark.parametrize("lang", i18n.SUPPORTED)
def test_every_label_kind_says_where_its_words_come_from(lang: str) -> None:
    from kit.label_provenance import provenance

    labels = i18n.labels(lang)
    for kind, codes in labels.items():
        found = provenance(kind, lang)
        assert found.source or found.reason, kind  # a citation, or the reason it is illustrative
        assert found.illustrative == (found.source is None or found.codes is not None)
        if found.codes is not None:
            assert found.codes <= set(codes) and found.reason, kind
    assert provenance("pillar", "de").source and not provenance("pillar", "de").illustrative
    assert provenance("pillar", "fr").illustrative
