"""Write the platform's OpenAPI documents to a folder: the gateway's merged one and each service's own.

The documents are built in process by the same code that serves `/openapi.json` (no database or network is
needed to describe an API), one file per part: `gateway.json`, `programme.json`, `funding.json`,
`evaluation.json`. `make spectral` lints what this writes.

    .venv/bin/python tools/dump_openapi.py var/openapi
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

SERVICES = ("programme", "funding", "evaluation", "webhooks")


def documents() -> dict[str, dict[str, Any]]:
    """Every document by part name; a service that is not installed is left out (and out of the merge)."""
    from gateway.docs.merge import merged_document
    from gateway.docs.router import gateway_openapi
    from gateway.main import create_app

    installed = tuple(s for s in SERVICES if importlib.util.find_spec(s) is not None)
    services = {s: importlib.import_module(f"{s}.main").create_app().openapi() for s in installed}
    merged = merged_document(gateway_openapi(create_app()), dict(services), installed)
    return {"gateway": merged, **services}


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "var/openapi")
    folder.mkdir(parents=True, exist_ok=True)
    for name, document in documents().items():
        (folder / f"{name}.json").write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        print(folder / f"{name}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
