"""ETags and `If-Match`: two editors never overwrite each other silently.

The ETag of a resource is its version counter. A change must send `If-Match` with the ETag it read
(428 without it, 412 when it is stale); the database's version check makes concurrent changes safe.
`If-Match: *` (RFC 9110 §13.1.1: "any current version") is accepted for a caller that deliberately overwrites,
and a list of ETags matches when one of them is current.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response

from kit.i18n import Msg
from kit.problems import PreconditionFailed, PreconditionRequired

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag of the version you read; required for changes.",
        examples=['"1"'],
        max_length=200,
    ),
]


def etag_of(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_of(version)


def _versions(if_match: str | None) -> list[int] | None:
    """The versions named by `If-Match`, `None` for `*`; 428 when missing, 412 when one is not ours."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(Msg("Send `If-Match` with the ETag from your last read of this resource."))
    if if_match.strip() == "*":
        return None
    versions = []
    for tag in if_match.split(","):
        value = tag.strip()
        if value.startswith("W/"):
            value = value[2:]
        value = value.strip('"')
        if not value.isdigit():
            raise PreconditionFailed(Msg("`If-Match: {if_match}` is not an ETag of this resource.", if_match=if_match))
        versions.append(int(value))
    return versions


def expected_version(if_match: str | None, current: int) -> int:
    """The version the caller read, from `If-Match` (`*` stands for the current one); 428 when missing."""
    versions = _versions(if_match)
    if versions is None or current in versions:
        return current
    return versions[0]


def check_version(current: int, if_match: str | None) -> None:
    expected = expected_version(if_match, current)
    if expected != current:
        raise PreconditionFailed(
            Msg(
                "The resource is at version {current}, you sent {sent}; read it again.",
                current=etag_of(current),
                sent=etag_of(expected),
            ),
            current_etag=etag_of(current),
        )
