"""Characters no text of the platform may hold: refused at the door, before validation, in every service.

NUL gives a 500 on PostgreSQL (a text value cannot hold it) and is stored as is on SQLite; the other C0 control
characters (all but tab, line feed and carriage return) and unpaired UTF-16 surrogates (valid as a JSON escape,
but not encodable as UTF-8) have no place in a title or a note and break what reads the data later (a workbook
cell cannot hold them). `refuse_control_characters` is an app-wide dependency: it checks the path parameters, every
query parameter (name and value) and every string of a JSON body, keys included, and answers 422
`/problems/validation-error` naming the first offending field, whatever the operation's own schema says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request

from kit.i18n import Msg
from kit.problems import InvalidInput

#: C0 controls except tab (U+0009), line feed (U+000A) and carriage return (U+000D); lone surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

Location = tuple[str | int, ...]


def forbidden_character(value: str) -> str | None:
    """The first forbidden character of `value`, or None."""
    match = FORBIDDEN.search(value)
    return match.group() if match else None


def _strings(value: Any, loc: Location) -> Iterator[tuple[Location, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*loc, str(key)), str(key)
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def first_offence(value: Any, loc: Location = ()) -> tuple[Location, str] | None:
    """Where the first forbidden character in a JSON-like value is, and which one."""
    for where, text in _strings(value, loc):
        found = forbidden_character(text)
        if found is not None:
            return where, found
    return None


def _describe(character: str) -> str:
    return f"U+{ord(character):04X}"


def check_value(value: Any, loc: Location) -> None:
    """Raise the 422 problem for the first forbidden character in `value` (found under `loc`)."""
    offence = first_offence(value, loc)
    if offence is None:
        return
    where, character = offence
    name = ".".join(str(p) for p in where)
    raise InvalidInput(
        Msg(
            "{name} contains the control character {character}; text may hold no "
            "control characters other than tab, line feed and carriage return.",
            name=name,
            character=_describe(character),
        ),
        field=list(where),
    )


async def refuse_control_characters(request: Request) -> None:
    """App-wide dependency: path parameters, query parameters and the JSON body are free of forbidden characters.

    It runs before the operation's own parameters and body are validated; the body was already read and parsed by
    the framework (this reads its cached result), so it costs one walk over the parsed JSON."""
    check_value(dict(request.path_params), ("path",))
    if request.scope.get("query_string"):
        for name, value in request.query_params.multi_items():
            check_value({name: value}, ("query",))
    route = request.scope.get("route")
    if getattr(route, "body_field", None) is None:
        return
    if not await request.body():
        return
    try:
        body = await request.json()
    except ValueError:  # not JSON: the framework answers 400 for it
        return
    check_value(body, ("body",))
