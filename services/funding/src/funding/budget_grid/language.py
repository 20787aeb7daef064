"""The language of a budget grid file: the one `Accept-Language` asked for, else the programme's working language.

Every text of the workbook (headers, notes, the matching and credit tables, `yes`/`no`) comes from kit's label
catalogue (`budget_grid`, `money_source_short`); amounts, ids and codes are the same in every language, so a grid
exported in one language is read back whatever its header's language.
"""

from __future__ import annotations

import uuid

from funding.upstream import ProgrammeService
from kit import i18n


async def grid_language(programmes: ProgrammeService, programme_id: uuid.UUID) -> str:
    """The requested language, else the programme's working language (one read of the programme service)."""
    requested = i18n.requested_language()
    if requested is not None:
        return requested
    info = await programmes.require_programme(programme_id, ("path", "programme_id"))
    return info.working_language


def text(code: str, lang: str) -> str:
    return i18n.label("budget_grid", code, lang)
