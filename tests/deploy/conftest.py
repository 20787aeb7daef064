"""Paths of the deployment files, and the Kubernetes manifests each kustomization builds."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").exists())
SERVICES = ("gateway", "programme", "funding", "evaluation", "webhooks")
SERVICES_WITH_DATABASE = ("programme", "funding", "evaluation", "webhooks")


def kubectl() -> str:
    found = shutil.which("kubectl") or ("/usr/bin/kubectl" if Path("/usr/bin/kubectl").exists() else None)
    if found is None:
        pytest.fail("kubectl is needed to build the kustomizations (it is on the development machines and CI)")
    return found


@cache
def build(path: str) -> tuple[dict[str, Any], ...]:
    done = subprocess.run(  # noqa: S603 - kubectl with our own paths
        [kubectl(), "kustomize", str(K8S / path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return tuple(doc for doc in yaml.safe_load_all(done.stdout) if doc)


def of_kind(docs: tuple[dict[str, Any], ...], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}
