"""ETags and `If-Match`: two editors never overwrite each other silently.

The ETag of a resource is its version counter. A change must send `If-Match` with the ETag it read
(428 without it, 412 when it is stale); the database's version check makes concurrent changes safe.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response

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


def expected_version(if_match: str | None) -> int:
    """The version the caller read, from `If-Match`; 428 when missing."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired("Send `If-Match` with the ETag from your last read of this resource.")
    value = if_match.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit():
        raise PreconditionFailed(f"`If-Match: {if_match}` is not an ETag of this resource.")
    return int(value)


def check_version(current: int, if_match: str | None) -> None:
    expected = expected_version(if_match)
    if expected != current:
        raise PreconditionFailed(
            f"The resource is at version {etag_of(current)}, you sent {etag_of(expected)}; read it again.",
            current_etag=etag_of(current),
        )
