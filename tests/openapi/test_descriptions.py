"""Every operation of every document says what it does: a summary and a description, and the money it shows
has examples a person recognises (CHF decimal strings, as the wire carries them)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

PARTS = ["gateway", "programme", "funding", "evaluation", "webhooks"]
METHODS = ("get", "put", "post", "delete", "patch")
CHF = re.compile(r"^-?\d+\.\d{2}$")


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, item[method])
        for path, item in document["paths"].items()
        for method in METHODS
        if isinstance(item.get(method), dict)
    ]


@pytest.mark.parametrize("part", PARTS)
def test_every_operation_has_a_summary_and_a_description(documents: dict[str, dict[str, Any]], part: str) -> None:
    found = operations(documents[part])
    assert len(found) > 10, f"{part}: the document lists its operations"
    lacking = [
        f"{method.upper()} {path}"
        for path, method, operation in found
        if not str(operation.get("summary", "")).strip() or not str(operation.get("description", "")).strip()
    ]
    assert not lacking, f"{part}: {len(lacking)} operations without a summary or description: {lacking}"


def test_a_description_says_more_than_its_summary(documents: dict[str, dict[str, Any]]) -> None:
    same = [
        f"{part} {method.upper()} {path}"
        for part in PARTS
        for path, method, operation in operations(documents[part])
        if operation.get("description", "").strip().rstrip(".") == operation.get("summary", "").strip().rstrip(".")
    ]
    assert not same, same


def _amounts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("amount", "original", "in_force", "total") and isinstance(v, str)]
        return found + [a for v in node.values() for a in _amounts(v)]
    if isinstance(node, list):
        return [a for v in node for a in _amounts(v)]
    return []


@pytest.mark.parametrize("model", ["BudgetLineRead", "BudgetLineDetail", "AgreementRead", "DisbursementRead"])
def test_funding_answers_show_chf_examples_as_decimal_strings(documents: dict[str, dict[str, Any]], model: str) -> None:
    for part, name in (("funding", model), ("gateway", f"Funding{model}")):
        examples = documents[part]["components"]["schemas"][name].get("examples")
        assert examples, f"{part}: {name} has no example"
        amounts = _amounts(examples)
        assert amounts and all(CHF.match(a) for a in amounts), (part, name, amounts)
        assert all(Decimal(a) >= 1000 for a in amounts), "amounts of a cantonal programme, not placeholders"
