"""Every OpenAPI document passes Spectral's `spectral:oas` rules (`.spectral.yaml`) with no error and no warning.

Spectral is the linter API tooling runs on a document before generating clients or publishing it. It is a Node
tool, pinned in `tools/package.json` and `tools/package-lock.json` and installed by `make spectral-install`;
where it is not installed the test is skipped, unless `KIP_TEST_SPECTRAL=required` (CI sets it), then it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.openapi.conftest import ROOT

SPECTRAL = ROOT / "tools" / "node_modules" / ".bin" / "spectral"
PARTS = ["gateway", "programme", "funding", "evaluation", "webhooks"]
SEVERITY = {0: "error", 1: "warning", 2: "info", 3: "hint"}


@pytest.fixture(scope="session")
def spectral() -> Path:
    if not SPECTRAL.exists():
        message = f"{SPECTRAL} is missing: run `make spectral-install`"
        if os.environ.get("KIP_TEST_SPECTRAL") == "required":
            pytest.fail(message)
        pytest.skip(message)
    return SPECTRAL


def _lint(spectral: Path, document: Path) -> list[dict[str, Any]]:
    done = subprocess.run(  # noqa: S603
        [
            str(spectral),
            "lint",
            "--ruleset",
            str(ROOT / ".spectral.yaml"),
            "--format",
            "json",
            "--quiet",
            str(document),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    output = done.stdout.strip()
    assert output.startswith("["), f"spectral did not run: {done.stdout}{done.stderr}"
    results: list[dict[str, Any]] = json.loads(output[: output.rindex("]") + 1])
    return results


@pytest.mark.parametrize("part", PARTS)
def test_the_document_has_no_spectral_error_or_warning(spectral: Path, document_dir: Path, part: str) -> None:
    document = document_dir / f"{part}.json"
    assert document.exists(), f"{part}'s document was not written"
    found = [r for r in _lint(spectral, document) if r["severity"] <= 1]
    report = "\n".join(
        f"{SEVERITY[r['severity']]} {r['code']} at {'.'.join(map(str, r['path']))}: {r['message']}" for r in found[:40]
    )
    assert not found, f"{len(found)} problems in {part}'s document:\n{report}"
