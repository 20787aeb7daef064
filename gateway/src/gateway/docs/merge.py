"""Merging the services' OpenAPI documents into the gateway's, under the paths the gateway forwards.

Each service's paths get the `/api/<service>` prefix, its operation ids and tags the service's name. Components
every service shares with the gateway unchanged (`ProblemDetail`, `FieldError`: kit's) keep their name and
appear once; every other component is renamed `<Service><Name>` (`FundingAgreementRead`; a name that starts
with the service's already, like `ProgrammeRead`, stays as it is), and every component's
`title` is set to its name, so a client generator makes exactly one model per component and none twice. Every
operation also declares the problems the gateway itself may answer (429 over the rate limit; 502/504 when the
service fails or is silent; 400 `invalid-path` where a path parameter could carry a control character), as
`application/problem+json`. Only a service's `/v1` operations appear, exactly those the gateway forwards
(`gateway.paths`); its health and metrics are its own. Nothing else is invented: what a service documents is what
the gateway forwards.
"""

from __future__ import annotations

import copy
from typing import Any

from kit.problems import PROBLEM_MEDIA_TYPE

REF_PREFIX = "#/components/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: The paths of a service the gateway forwards, and so documents (`gateway.paths.declared_templates`).
FORWARDED_PREFIX = "/v1/"


PROBLEM_REF = {"$ref": f"{REF_PREFIX}schemas/ProblemDetail"}
#: Problems the gateway answers for any operation, and in addition for any forwarded one.
GATEWAY_PROBLEMS = {"429": "Too many requests from this caller; wait `Retry-After` seconds."}
#: Where a path parameter could hold a control character (the door refuses such a path before routing).
PATH_PROBLEMS = {"400": "The path contains a control character (`invalid-path`), or the request is malformed."}
FORWARDING_PROBLEMS = {
    "502": "The service could not be reached or failed.",
    "504": "The service did not answer in time.",
}


def _rename_refs(node: Any, names: dict[str, str]) -> Any:
    """Rewrite every `$ref` to a component so it points at the component's name in the merged document."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                kind, _, name = value[len(REF_PREFIX) :].partition("/")
                out[key] = f"{REF_PREFIX}{kind}/{names.get(f'{kind}/{name}', name)}"
            else:
                out[key] = _rename_refs(value, names)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, names) for v in node]
    return node


def _refs(node: Any) -> set[str]:
    """The `kind/name` of every component `node` refers to."""
    if isinstance(node, dict):
        found = {str(v)[len(REF_PREFIX) :] for k, v in node.items() if k == "$ref" and str(v).startswith(REF_PREFIX)}
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _component_names(service: str, components: dict[str, Any], merged: dict[str, Any]) -> dict[str, str]:
    """`kind/name` in the service's document → name in the merged one: shared when the same component is there
    already (and all it refers to is shared too), `<Service><Name>` otherwise; security schemes stay as named."""
    prefix = service.capitalize()
    shared = {
        f"{kind}/{name}"
        for kind, entries in components.items()
        for name, value in entries.items()
        if kind == "securitySchemes" or merged.get(kind, {}).get(name) == value
    }
    changed = True
    while changed:  # a component that refers to a renamed one is not the same component any more
        changed = False
        for key in list(shared):
            kind, _, name = key.partition("/")
            if kind != "securitySchemes" and not _refs(components[kind][name]) <= shared:
                shared.discard(key)
                changed = True
    names = {}
    for kind, entries in components.items():
        for name in entries:
            # `ProgrammeRead` stays as it is, unless another component's prefixed name would be the same
            # (`EvaluationSection` next to a `Section`): then it is prefixed too, so neither replaces the other
            own = name.startswith(prefix) and name not in merged.get(kind, {}) and name[len(prefix) :] not in entries
            names[f"{kind}/{name}"] = name if f"{kind}/{name}" in shared or own else f"{prefix}{name}"
    return names


def _declare_problems(operation: dict[str, Any], problems: dict[str, str]) -> None:
    responses = operation.setdefault("responses", {})
    for status, description in problems.items():
        responses.setdefault(status, {"description": description})
    for status, response in responses.items():
        if status.startswith(("4", "5")) and "content" not in response:
            response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": dict(PROBLEM_REF)}}


def finish_document(merged: dict[str, Any]) -> dict[str, Any]:
    """Titles equal to component names, and the gateway's own problems on the gateway's own operations."""
    for kind, entries in merged.get("components", {}).items():
        if kind == "securitySchemes":  # a scheme has no `title`
            continue
        for name, value in entries.items():
            if isinstance(value, dict) and ("type" in value or "properties" in value or "enum" in value):
                value["title"] = name
    for path, item in merged.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                _declare_problems(item[method], GATEWAY_PROBLEMS | (PATH_PROBLEMS if "{" in path else {}))
    return merged


def _tag(service: str, tag: str) -> str:
    return f"{service}: {tag}"


def merge_service(merged: dict[str, Any], service: str, document: dict[str, Any]) -> None:
    """Add one service's operations and components to `merged` (the gateway's own document)."""
    components = merged.setdefault("components", {})
    source = document.get("components", {})
    names = _component_names(service, source, components)
    doc = _rename_refs(copy.deepcopy(document), names)
    paths = merged.setdefault("paths", {})
    for path, item in doc.get("paths", {}).items():
        if not path.startswith(FORWARDED_PREFIX):
            continue
        new_item = dict(item)
        for method in HTTP_METHODS:
            operation = new_item.get(method)
            if not isinstance(operation, dict):
                continue
            operation = dict(operation)
            operation["tags"] = [_tag(service, t) for t in operation.get("tags", [])] or [service]
            if "operationId" in operation:
                operation["operationId"] = f"{service}_{operation['operationId']}"
            _declare_problems(operation, FORWARDING_PROBLEMS)
            new_item[method] = operation
        paths[f"/api/{service}{path}"] = new_item
    for kind, entries in doc.get("components", {}).items():
        target = components.setdefault(kind, {})
        for name, value in entries.items():
            target[names[f"{kind}/{name}"]] = value
    tags = merged.setdefault("tags", [])
    known = {t["name"] for t in tags}
    for tag in doc.get("tags", []):
        name = _tag(service, tag["name"])
        if name not in known:
            tags.append({**tag, "name": name})
            known.add(name)


def merged_document(
    own: dict[str, Any], services: dict[str, dict[str, Any] | None], order: tuple[str, ...]
) -> dict[str, Any]:
    """The gateway's document plus every service document that could be read; the missing ones are named."""
    merged = copy.deepcopy(own)
    missing = []
    for service in order:
        document = services.get(service)
        if document is None:
            missing.append(service)
            continue
        merge_service(merged, service, document)
    if missing:
        note = (
            f"\n\n**Not shown right now:** the operations of {', '.join(missing)} "
            "(the service did not answer; reload later)."
        )
        merged.setdefault("info", {})["description"] = merged.get("info", {}).get("description", "") + note
        merged["info"]["x-missing-services"] = missing
    return finish_document(merged)
