"""Merging the services' OpenAPI documents into the gateway's, under the paths the gateway forwards.

Each service's paths get the `/api/<service>` prefix, its component names the `<service>.` prefix (so two
services' `Page_…` or `ProblemDetail` never clash) and its tags the service's name. Nothing is invented: what a
service documents is what the gateway forwards.
"""

from __future__ import annotations

import copy
from typing import Any

REF_PREFIX = "#/components/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Paths of a service the gateway does not forward or does not document.
SKIPPED_PATHS = ("/metrics",)


def _rename_refs(node: Any, service: str) -> Any:
    """Rewrite every `$ref` to a component so it points at the service-prefixed name."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                kind, _, name = value[len(REF_PREFIX) :].partition("/")
                out[key] = f"{REF_PREFIX}{kind}/{service}.{name}" if kind != "securitySchemes" else value
            else:
                out[key] = _rename_refs(value, service)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, service) for v in node]
    return node


def _tag(service: str, tag: str) -> str:
    return f"{service}: {tag}"


def merge_service(merged: dict[str, Any], service: str, document: dict[str, Any]) -> None:
    """Add one service's operations and components to `merged` (the gateway's own document)."""
    doc = _rename_refs(copy.deepcopy(document), service)
    paths = merged.setdefault("paths", {})
    for path, item in doc.get("paths", {}).items():
        if path in SKIPPED_PATHS:
            continue
        new_item = dict(item)
        for method in HTTP_METHODS:
            operation = new_item.get(method)
            if not isinstance(operation, dict):
                continue
            operation = dict(operation)
            operation["tags"] = [_tag(service, t) for t in operation.get("tags", [])] or [service]
            if "operationId" in operation:
                operation["operationId"] = f"{service}__{operation['operationId']}"
            new_item[method] = operation
        paths[f"/api/{service}{path}"] = new_item
    components = merged.setdefault("components", {})
    for kind, entries in doc.get("components", {}).items():
        target = components.setdefault(kind, {})
        for name, value in entries.items():
            target[name if kind == "securitySchemes" else f"{service}.{name}"] = value
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
    return merged
