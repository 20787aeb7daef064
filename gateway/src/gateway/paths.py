"""Which paths the gateway forwards: exactly those a service's own OpenAPI document declares under `/v1`.

The part of the request path after `/api/<service>` is decoded once, as the service's server will decode it, and
must then be a plain path: segments without control characters, none empty, none `.` or `..`. It must match one of
the path templates of the service's document (a `{parameter}` stands for one non-empty segment), and it goes on
re-encoded segment by segment, so what reaches the service is the path that was matched and nothing that a later
decoding or dot-segment removal could turn into another (`%252e%252e` arrives as the text `%2e%2e`, not as `..`).
Everything else is a 404 problem (a control character a 400); nothing else of a service (`/metrics`, `/docs`,
`/openapi.json`, health) is reachable through the gateway.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote

from kit.i18n import Msg
from kit.problems import NotFound, Problem

#: Characters a path segment carries as they are (RFC 3986 `pchar` less `%`); every other one is percent-encoded.
SEGMENT_SAFE = "!$&'()*+,;=:@-._~"
#: The forwarded part of the platform's APIs.
API_PREFIX = "/v1"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class InvalidPath(Problem):
    type_slug = "invalid-path"
    title = "Invalid path"
    status = 400


def has_control_character(text: str) -> bool:
    return _CONTROL.search(text) is not None


def service_path(raw_path: bytes) -> str:
    """The path after `/api/<service>` in `raw_path` (as sent), decoded once; a control character is refused."""
    parts = raw_path.split(b"/", 3)
    remainder = parts[3] if len(parts) == 4 else b""
    try:
        decoded = unquote("/" + remainder.decode("ascii"), errors="strict")
    except UnicodeError as exc:
        raise InvalidPath(Msg("The path is not valid UTF-8 once percent-decoded.")) from exc
    if has_control_character(decoded):
        raise InvalidPath(Msg("The path contains a control character (such as NUL or a line break)."))
    return decoded


def _template_pattern(template: str) -> re.Pattern[str]:
    pieces = re.split(r"(\{[^{}/]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in pieces))


@lru_cache(maxsize=16)
def _patterns(templates: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(_template_pattern(t) for t in templates)


def declared_templates(document: dict[str, Any]) -> tuple[str, ...]:
    paths = document.get("paths", {})
    return tuple(sorted(p for p in paths if isinstance(p, str) and p.startswith(API_PREFIX + "/")))


def forwarded_path(service: str, path: str, templates: tuple[str, ...]) -> str:
    """The path to send to the service (re-encoded), or `NotFound` when the service does not declare it."""
    segments = path.split("/")[1:]
    plain = all(s not in ("", ".", "..") for s in segments)
    if not plain or not any(p.fullmatch(path) for p in _patterns(templates)):
        raise NotFound(Msg("The {service} service has no operation at this path.", service=service))
    return "/" + "/".join(quote(s, safe=SEGMENT_SAFE) for s in segments)
