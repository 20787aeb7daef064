"""The gateway's merged document keeps every component of every service: none replaced by another of the same name.

A service component whose name already starts with the service's (`EvaluationSection`) keeps it, unless a
sibling's prefixed name would be the same (`Section` → `EvaluationSection`): then both would land on one name and
one would silently replace the other, leaving references pointing at the wrong schema. Every component of the
merged document must be referred to, and every one of a service must arrive with its properties.
"""

from __future__ import annotations

from typing import Any

import pytest

REF = "#/components/schemas/"


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {v[len(REF) :] for k, v in node.items() if k == "$ref" and str(v).startswith(REF)}
        return own.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_every_component_of_the_merged_document_is_used(documents: dict[str, dict[str, Any]]) -> None:
    merged = documents["gateway"]
    schemas = merged["components"]["schemas"]
    used = _refs(merged["paths"])
    frontier = set(used)
    while frontier:
        frontier = set().union(*(_refs(schemas[name]) for name in frontier)) - used
        used |= frontier
    assert set(schemas) - used == set(), sorted(set(schemas) - used)


@pytest.mark.parametrize("service", ["programme", "funding", "evaluation", "webhooks"])
def test_every_service_component_arrives_with_its_own_properties(
    documents: dict[str, dict[str, Any]], service: str
) -> None:
    merged = documents["gateway"]["components"]["schemas"]
    prefix = service.capitalize()
    for name, schema in documents[service]["components"]["schemas"].items():
        candidates = [merged.get(name), merged.get(f"{prefix}{name}")]
        fields = set(schema.get("properties", {})) or set(schema.get("enum", []))
        assert any(
            c is not None and (set(c.get("properties", {})) or set(c.get("enum", []))) == fields for c in candidates
        ), f"{service}'s {name} is not in the merged document as it is"
