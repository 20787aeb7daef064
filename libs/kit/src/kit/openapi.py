"""What every OpenAPI document of the platform says about itself: short operation ids, servers, contact.

An operation's id is its handler's name (`list_measures`, `create_agreement`: verb + noun, unique per service by
the naming rule), not FastAPI's generated `list_measures_v1_measures_get`, so generated clients get short and
stable method names that do not change when a path does. The contact is the operators of an installation:
`KIP_API_CONTACT_NAME`, `KIP_API_CONTACT_EMAIL`, `KIP_API_CONTACT_URL`.

Every tag an operation carries is declared with a description in the document's `tags` (`declare_tags`): the
routers kit gives every service (`audit`, `events`) bring theirs, so documentation tools group them as they do a
service's own, and Spectral's `operation-tag-defined` holds.
"""

from __future__ import annotations

import os
from typing import Any

from fastapi.routing import APIRoute

from kit.problems import ProblemDetail

#: Relative: the API is described where it is served (a gateway in front moves it under `/api/<service>`).
SERVERS = [{"url": "/", "description": "Where this document was read from"}]


#: The tags of the routers kit adds to every service that has them.
KIT_TAGS = {
    "audit": "The append-only, hash-chained trail of every change.",
    "events": "This service's domain events after a resumable cursor (CloudEvents 1.0).",
    "health": "Liveness and readiness.",
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def declare_tags(document: dict[str, Any]) -> dict[str, Any]:
    """Add every tag an operation uses and the document does not declare yet (kit's, with their description)."""
    tags = document.setdefault("tags", [])
    declared = {tag["name"] for tag in tags}
    for item in document.get("paths", {}).values():
        for method in HTTP_METHODS:
            for name in item.get(method, {}).get("tags", []) if isinstance(item.get(method), dict) else []:
                if name not in declared:
                    tags.append({"name": name, "description": KIT_TAGS.get(name, name.capitalize() + ".")})
                    declared.add(name)
    return document


def operation_id(route: APIRoute) -> str:
    return route.name


def contact() -> dict[str, str]:
    found = {"name": os.environ.get("KIP_API_CONTACT_NAME", "KIP platform operators")}
    for field in ("email", "url"):
        value = os.environ.get(f"KIP_API_CONTACT_{field.upper()}", "").strip()
        if value:
            found[field] = value
    return found


def openapi_options() -> dict[str, Any]:
    """Keyword arguments for `FastAPI(...)`."""
    return {"generate_unique_id_function": operation_id, "servers": SERVERS, "contact": contact()}


def add_problem_schema(schema: dict[str, Any]) -> None:
    """Make `ProblemDetail` (and the models it uses) named components of an OpenAPI document, so every problem
    response can reference `#/components/schemas/ProblemDetail`; components already there are kept."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = ProblemDetail.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update({k: v for k, v in problem.pop("$defs", {}).items() if k not in components})
    components.setdefault("ProblemDetail", problem)
