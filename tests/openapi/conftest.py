"""The platform's OpenAPI documents as `tools/dump_openapi.py` writes them (the code that serves `/openapi.json`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def document_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("openapi")
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "tools" / "dump_openapi.py"), str(folder)], check=True, capture_output=True
    )
    return folder


@pytest.fixture(scope="session")
def documents(document_dir: Path) -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(document_dir.glob("*.json"))}
