"""Uploaded spreadsheets, bounded before they cost anything: body size, zip directory, macros, merged cells.

An upload is read with a size limit (413 beyond it). A workbook's zip directory is checked before openpyxl opens
it: the sum of uncompressed sizes and each member's compression ratio are bounded (zip bombs), and a workbook
with macros (`vbaProject.bin`, a macro-enabled content type) is refused. openpyxl parses XML through defusedxml
when it is installed (it is a dependency of this package). Every refusal is a 4xx problem naming what is wrong.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Any, ClassVar

from defusedxml import ElementTree
from fastapi import Request
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from kit.i18n import Msg
from kit.problems import Problem

#: The largest upload accepted, in bytes (compressed, as sent).
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
#: The largest a workbook may grow to once unzipped, in bytes.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
#: A member compressing better than this is taken for a zip bomb.
MAX_COMPRESSION_RATIO = 200
MAX_MEMBERS = 2000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


class UploadTooLarge(Problem):
    type_slug = "upload-too-large"
    title = "The upload is too large"
    status = 413


class BadSpreadsheet(Problem):
    """The file cannot be taken as the expected spreadsheet: not a workbook, macros, formulas, wrong sheet…"""

    type_slug = "bad-spreadsheet"
    title = "The file is not a spreadsheet this endpoint accepts"
    status: ClassVar[int] = 422


async def read_upload(request: Request, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` (Content-Length first, then as it streams)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UploadTooLarge(
            Msg("The upload has {declared} bytes; at most {limit} are accepted.", declared=declared, limit=limit),
            limit=limit,
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise UploadTooLarge(Msg("The upload passes {limit} bytes, the most accepted.", limit=limit), limit=limit)
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise BadSpreadsheet(Msg("The upload is empty; send the file as the request body."))
    return data


def checked_zip(data: bytes) -> zipfile.ZipFile:
    """The workbook's zip, after its directory passed the size, ratio and macro checks."""
    if not data.startswith(b"PK"):
        raise BadSpreadsheet(Msg("The file is not an Excel workbook (.xlsx): it is not a zip archive."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise BadSpreadsheet(
            Msg("The file is not a readable .xlsx workbook (the zip is damaged: {exc}).", exc=exc)
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise BadSpreadsheet(
            Msg(
                "The workbook has {count} parts; at most {MAX_MEMBERS} are accepted.",
                count=len(members),
                MAX_MEMBERS=MAX_MEMBERS,
            )
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UploadTooLarge(
            Msg(
                "The workbook unzips to {total} bytes; at most {MAX_UNCOMPRESSED_BYTES} are accepted.",
                total=total,
                MAX_UNCOMPRESSED_BYTES=MAX_UNCOMPRESSED_BYTES,
            ),
            limit=MAX_UNCOMPRESSED_BYTES,
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise BadSpreadsheet(
                Msg(
                    "The workbook part {filename} is compressed suspiciously well (a zip bomb).",
                    filename=member.filename,
                )
            )
        if member.filename.lower().endswith("vbaproject.bin"):
            raise BadSpreadsheet(Msg("The workbook contains macros (vbaProject.bin); save it as .xlsx without macros."))
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise BadSpreadsheet(Msg("The file is a zip archive but not an Excel workbook (.xlsx)."))
    if b"macroEnabled" in _read(archive, "[Content_Types].xml"):
        raise BadSpreadsheet(Msg("The workbook is macro-enabled (.xlsm); save it as .xlsx without macros."))
    return archive


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise BadSpreadsheet(Msg("The workbook part {name} cannot be read ({exc}).", name=name, exc=exc)) from exc


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    try:
        book = ElementTree.fromstring(_read(archive, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_read(archive, "xl/_rels/workbook.xml.rels"))
    except Exception as exc:
        raise BadSpreadsheet(
            Msg("The workbook's directory cannot be read ({error}).", error=type(exc).__name__)
        ) from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    for node in book.iterfind("m:sheets/m:sheet", _NS):
        if node.get("name") == sheet:
            target = targets.get(node.get(f"{{{_NS['r']}}}id"), "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def merged_ranges(archive: zipfile.ZipFile, sheet: str) -> list[str]:
    """The merged ranges of one sheet (read-only openpyxl does not report them)."""
    part = _sheet_part(archive, sheet)
    if part is None:
        return []
    return [m.decode() for m in _MERGE.findall(_read(archive, part))]


def open_workbook(data: bytes, sheet: str) -> tuple[Workbook, list[str]]:
    """A read-only workbook (formulas kept as formulas) and the merged ranges of `sheet`; 4xx for anything else."""
    archive = checked_zip(data)
    merged = merged_ranges(archive, sheet)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:
        raise BadSpreadsheet(
            Msg("The workbook cannot be read ({error}); save it again as .xlsx.", error=type(exc).__name__)
        ) from exc
    if sheet not in book.sheetnames:
        raise BadSpreadsheet(
            Msg(
                "The workbook has no sheet named {sheet} (it has {names}).",
                sheet=repr(sheet),
                names=", ".join(book.sheetnames),
            ),
            sheets=book.sheetnames,
        )
    return book, merged


def is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))


def neutralised(text: str) -> str:
    """Text that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
