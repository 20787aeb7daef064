"""Funding sources, kept apart because the rules differ (domain brief §3.1, §3.2).

The federal integration credit (IFK, AIG 58 para. 3) is matched: it may not exceed what the canton and the
communes (and third parties, where the programme says so) contribute. The federal lump sum (IP) and status-S
contributions are paid by the Confederation alone and are never matched.
"""

from __future__ import annotations

import enum


class Source(enum.StrEnum):
    FEDERAL_INTEGRATION_CREDIT = "federal_integration_credit"
    FEDERAL_LUMP_SUM = "federal_lump_sum"
    FEDERAL_STATUS_S = "federal_status_s"
    CANTON = "canton"
    COMMUNES = "communes"
    THIRD_PARTIES = "third_parties"


FEDERAL_SOURCES = (Source.FEDERAL_INTEGRATION_CREDIT, Source.FEDERAL_LUMP_SUM, Source.FEDERAL_STATUS_S)
MATCHED_FEDERAL = Source.FEDERAL_INTEGRATION_CREDIT
SOURCE_DESCRIPTION = (
    "federal_integration_credit (IFK, matched), federal_lump_sum (IP, not matched), federal_status_s "
    "(not matched), canton, communes, third_parties (count toward the match only where the programme's "
    "funding settings say so)."
)


def matching_sources(third_parties_count: bool) -> list[Source]:
    """The sources whose money matches the federal integration credit."""
    sources = [Source.CANTON, Source.COMMUNES]
    if third_parties_count:
        sources.append(Source.THIRD_PARTIES)
    return sources
