"""The budget grid as CSV (UTF-8 with BOM, `;` as Swiss Excel writes it), out and back in.

One row per year × funding area × source: `year;funding_area_id;funding_area;source;original;in_force;revision;
version`. Only `in_force` is taken back; `revision` (the line's revision number at export, empty where nothing was
planned) and `version` (the plan's version) let a stale file be refused naming what changed. The header row is
in the file's language (these codes in English); any language's header is read back, and `source` holds the
code in every language (it is the line's key).
"""

from __future__ import annotations

import codecs
import csv
import io
import uuid
from decimal import Decimal

from funding.budget_grid.language import text
from funding.budget_grid.plan import Key, Proposal
from funding.budget_grid.schemas import CellError, GridRead
from funding.budget_grid.workbook import amount_of
from funding.sources import Source
from kit import i18n
from kit.i18n import Msg
from kit.spreadsheet import BadSpreadsheet, neutralised

COLUMNS = ["year", "funding_area_id", "funding_area", "source", "original", "in_force", "revision", "version"]
MAX_ROWS = 5000


def header(lang: str) -> list[str]:
    """The header row in a language; English is the column codes themselves."""
    return list(COLUMNS) if lang == "en" else [text(code, lang) for code in COLUMNS]


def to_csv(grid: GridRead, revisions: dict[Key, int], lang: str = "en") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header(lang))
    for line in grid.lines:
        revision = revisions.get((line.year, line.funding_area_id, line.source))
        writer.writerow(
            [
                line.year,
                line.funding_area_id,
                neutralised(line.funding_area),
                line.source,
                line.original if line.original is not None else "",
                line.in_force if line.in_force is not None else "",
                revision if revision is not None else "",
                grid.version,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_csv(data: bytes) -> tuple[str, dict[Key, int], list[Proposal], list[CellError]]:
    """The file's version, the revisions it was exported from, its proposed amounts, and every row error."""
    if b"\x00" in data[:4096]:
        raise BadSpreadsheet(Msg("The file is neither an .xlsx workbook nor CSV text."))
    stream = codecs.getreader("utf-8-sig")(io.BytesIO(data), "strict")
    versions: set[str] = set()
    revisions: dict[Key, int] = {}
    proposals: list[Proposal] = []
    errors: list[CellError] = []
    try:
        reader = csv.reader(stream, delimiter=";")
        first = next(reader, None)
        if not any(first == header(lang) for lang in i18n.SUPPORTED):
            raise BadSpreadsheet(
                Msg(
                    "The first row must be {columns}: export the grid as CSV and edit that.",
                    columns=";".join(header(i18n.requested_language() or "en")),
                )
            )
        for number, cells in enumerate(reader, start=2):
            if number > MAX_ROWS:
                raise BadSpreadsheet(Msg("The file has more than {MAX_ROWS} rows.", MAX_ROWS=MAX_ROWS))
            if not any(c.strip() for c in cells):
                continue
            ref = f"row {number}"
            if len(cells) != len(COLUMNS):
                errors.append(
                    CellError(
                        cell=ref,
                        message=Msg(
                            "Expected {expected} cells, found {found}.", expected=len(COLUMNS), found=len(cells)
                        ).render(),
                    )
                )
                continue
            year, area, _name, source, _original, in_force, revision, version = cells
            try:
                key: Key = (int(year), uuid.UUID(area), Source(source))
            except ValueError:
                errors.append(
                    CellError(
                        cell=ref, message=Msg("year, funding_area_id or source was changed; export again.").render()
                    )
                )
                continue
            versions.add(version.strip())
            if revision.strip().isdigit():
                revisions[key] = int(revision)
            text = in_force.strip()
            value: Decimal | str | None = text or None
            if text:
                try:
                    value = Decimal(text)
                except ArithmeticError:
                    value = text
            count = len(errors)
            amount = amount_of(value, f"{ref} in_force", errors)
            if len(errors) == count:
                proposals.append(Proposal(f"{ref} in_force", key, amount))
    except UnicodeDecodeError as exc:
        raise BadSpreadsheet(
            Msg("The file is not UTF-8 text (byte {start}); save it as CSV UTF-8.", start=exc.start)
        ) from exc
    except csv.Error as exc:
        raise BadSpreadsheet(Msg("The CSV cannot be read: {exc}.", exc=exc)) from exc
    if len(versions) != 1:
        raise BadSpreadsheet(Msg("Every row must carry the same `version` as exported; export the grid again."))
    return versions.pop(), revisions, proposals, errors
