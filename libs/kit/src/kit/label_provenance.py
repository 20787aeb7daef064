"""Where the catalogue's labels come from: a published wording (cited) or the platform's own (illustrative).

A label is `sourced` when its words are those of a published text (SEM, the Conference of Cantonal Governments,
the domain brief's glossary of the official German terms); every other label is the platform's wording, flagged
`illustrative` with the reason, until SEM or a canton corrects it. `GET /api/v1/labels` answers this per kind.
"""

from __future__ import annotations

from dataclasses import dataclass

KDK_THEMA = "KdK, Integrationspolitik: the three pillars of the KIP, https://kdk.ch/themen/integrationspolitik"
BRIEF_GLOSSARY = (
    "Domain brief, glossary of the official German terms (SEM's and the cantons' KIP documents): "
    "Integrationsförderkredit (IFK), Integrationspauschale (IP), Beiträge Schutzstatus S, Wirkungsziel, "
    "Leistungsziel, strategisches Ziel, Zielgruppe (FL, VA, S, Familiennachzug, EU/EFTA, Drittstaaten)"
)
NOT_FOUND = "No published wording of SEM in this language was found; the platform's own translation."
OWN = "The platform's own wording: the term is not defined in SEM's published KIP texts."


@dataclass(frozen=True)
class Provenance:
    source: str | None
    codes: frozenset[str] | None  # the codes the source covers; None: every code of the kind
    reason: str | None  # why the others are illustrative

    @property
    def illustrative(self) -> bool:
        return self.source is None or self.codes is not None


#: By (kind, language): the published source of the words, where one exists.
SOURCED: dict[tuple[str, str], Provenance] = {
    ("pillar", "de"): Provenance(KDK_THEMA, None, None),
    ("money_source", "de"): Provenance(
        BRIEF_GLOSSARY,
        frozenset({"federal_integration_credit", "federal_lump_sum", "federal_status_s"}),
        "Kanton, Gemeinden and Dritte are plain words of the platform.",
    ),
    ("goal_level", "de"): Provenance(BRIEF_GLOSSARY, None, None),
    ("target_group", "de"): Provenance(
        BRIEF_GLOSSARY,
        frozenset(
            {
                "recognised_refugees",
                "provisionally_admitted",
                "status_s",
                "family_reunification",
                "eu_efta",
                "third_countries",
            }
        ),
        "The other target groups are the platform's grouping of the measures' audiences.",
    ),
}
#: Why a kind's labels are the platform's own in every language (where no source exists at all).
OWN_KINDS = frozenset(
    {
        "programme_status",
        "measure_status",
        "agreement_status",
        "disbursement_status",
        "evaluation_status",
        "match_status",
        "value_status",
        "report_status",
        "action_status",
        "response_decision",
        "recommendation_priority",
        "settlement_stage",
        "provenance",
        "unit",
        "indicator_level",
        "supervision_kind",
        "evaluation_kind",
        "partner_kind",
        "export_sheet",
        "export_column",
        "export_row",
        "budget_grid",
        "goal_grid",
        "money_source_short",
        "working_language",
    }
)


def provenance(kind: str, lang: str) -> Provenance:
    """Where a kind's labels in a language come from."""
    found = SOURCED.get((kind, lang))
    if found is not None:
        return found
    return Provenance(None, None, OWN if kind in OWN_KINDS else NOT_FOUND)
