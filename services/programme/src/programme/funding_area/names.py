"""French and Italian names of the funding areas, with where each comes from.

Sources (keys of the domain brief, plus two pages found for Italian):
- `[INFOBOX-FR]` https://www.infobox-migration.ch/fr/info/pic-programme-integration (KIP 2 areas in French).
- `[INFOBOX-IT]` https://www.infobox-migration.ch/it/info/programmi-integrazione-cantonali (KIP 2 areas in Italian).
- `[SEM-KIP-IT]` https://www.sem.admin.ch/sem/it/home/themen/integration/kip.html (SEM's Italian KIP page naming
  "Lingua e formazione, Consulenza, Collocabilità, Interpretariato interculturale e Integrazione sociale").

No French or Italian official title of the KIP 3 areas was found (the KdK's French release names them only
descriptively, `[KDK-FR]`): those names are translations of the official German title, flagged `illustrative`
until SEM corrects them through `PATCH /v1/funding-areas/{id}`.
"""

from __future__ import annotations

from typing import Any

_KIP3_REASON = (
    "Illustrative: translated from the official German title; no official French or Italian KIP 3 title was "
    "found ([KDK-FR] names the areas only descriptively)."
)
_IT_REASON = "Italian illustrative (translated; no Italian source found)."

#: (period code, area code) -> fr, it, source, illustrative.
AREA_NAMES: dict[tuple[str, str], dict[str, Any]] = {
    ("KIP2bis", "1.1"): {
        "fr": "Primo-information et besoins en matière d'encouragement de l'intégration",
        "it": "Prima informazione e fabbisogno di promozione dell'integrazione",
        "source": f"French [INFOBOX-FR]. {_IT_REASON}",
        "illustrative": True,
    },
    ("KIP2bis", "1.2"): {
        "fr": "Conseil",
        "it": "Consulenza",
        "source": "French [INFOBOX-FR]; Italian [SEM-KIP-IT].",
        "illustrative": False,
    },
    ("KIP2bis", "1.3"): {
        "fr": "Protection contre la discrimination",
        "it": "Protezione dalla discriminazione",
        "source": f"French [INFOBOX-FR]. {_IT_REASON}",
        "illustrative": True,
    },
    ("KIP2bis", "2.1"): {
        "fr": "Langue et formation",
        "it": "Lingua e formazione",
        "source": "French [INFOBOX-FR]; Italian [INFOBOX-IT], [SEM-KIP-IT].",
        "illustrative": False,
    },
    ("KIP2bis", "2.2"): {
        "fr": "Petite enfance",
        "it": "Sostegno alla prima infanzia",
        "source": "French [INFOBOX-FR]; Italian [INFOBOX-IT].",
        "illustrative": False,
    },
    ("KIP2bis", "2.3"): {
        "fr": "Employabilité",
        "it": "Collocabilità",
        "source": "French [INFOBOX-FR]; Italian [SEM-KIP-IT].",
        "illustrative": False,
    },
    ("KIP2bis", "3.1"): {
        "fr": "Interprétariat communautaire",
        "it": "Interpretariato interculturale",
        "source": "French [INFOBOX-FR]; Italian [SEM-KIP-IT].",
        "illustrative": False,
    },
    ("KIP2bis", "3.2"): {
        "fr": "Vivre-ensemble",
        "it": "Integrazione sociale",
        "source": "French [INFOBOX-FR]; Italian [SEM-KIP-IT].",
        "illustrative": False,
    },
    ("KIP3", "information_needs_assessment_counselling"): {
        "fr": "Information, évaluation des besoins d'intégration et conseil",
        "it": "Informazione, accertamento del bisogno d'integrazione e consulenza",
    },
    ("KIP3", "language"): {"fr": "Langue", "it": "Lingua"},
    ("KIP3", "training_and_employability"): {
        "fr": "Aptitude à la formation et employabilité",
        "it": "Idoneità alla formazione e occupabilità",
    },
    ("KIP3", "early_childhood"): {"fr": "Petite enfance", "it": "Prima infanzia"},
    ("KIP3", "living_together_participation"): {
        "fr": "Vivre-ensemble et participation",
        "it": "Convivenza e partecipazione",
    },
    ("KIP3", "diversity_discrimination_protection"): {
        "fr": "Gestion de la diversité et protection contre la discrimination",
        "it": "Gestione della diversità e protezione dalla discriminazione",
    },
    ("KIP3", "interpreting"): {"fr": "Interprétariat", "it": "Interpretariato"},
}
for _key, _names in AREA_NAMES.items():
    if _key[0] == "KIP3":
        _names.update(source=_KIP3_REASON, illustrative=True)


def area_names(period: str, code: str) -> dict[str, Any]:
    """The model's name columns for an area (empty when none is known)."""
    names = AREA_NAMES.get((period, code))
    if names is None:
        return {}
    return {
        "name_fr": names["fr"],
        "name_it": names["it"],
        "name_source": names["source"],
        "name_illustrative": names["illustrative"],
    }
