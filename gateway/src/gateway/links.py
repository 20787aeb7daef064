"""A service's `Link` header (RFC 8288) as the gateway's caller must follow it.

Services link their pages with path-absolute targets (`</v1/measures?offset=50>`); through the gateway those
paths live under `/api/<service>`, so the targets are moved there, like `Location`.
"""

from __future__ import annotations

import re

_TARGET = re.compile(r"<(/[^>]*)>")


def external_links(service: str, value: str) -> str:
    return _TARGET.sub(lambda m: f"</api/{service}{m.group(1)}>", value)
