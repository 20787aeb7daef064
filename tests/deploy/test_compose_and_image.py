"""The compose file and the image, checked without a Docker engine: the compose file parses and orders startup
(PostgreSQL, then migrations, then the services), the Dockerfile runs as a non-root user with a health check, and
the image's entrypoint migrates, serves and health-checks a real service when run here with the same commands."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.conftest import DEPLOY, SERVICES, SERVICES_WITH_DATABASE

ENTRYPOINT = DEPLOY / "docker" / "entrypoint.sh"


def compose() -> dict[str, Any]:
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def test_compose_names_postgresql_migrations_and_the_four_services_with_health_checks() -> None:
    services = compose()["services"]
    assert {"postgres", "migrate", *SERVICES} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in SERVICES:
        service = services[name]
        assert service["healthcheck"]["test"] == ["CMD", "kip-entrypoint", "healthcheck"]
        assert service["environment"]["KIP_SERVICE"] == name
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
    for name in SERVICES_WITH_DATABASE:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"][f"{name.upper()}_DATABASE_URL"].startswith("postgresql://")
    assert all(services["gateway"]["depends_on"][s]["condition"] == "service_healthy" for s in SERVICES_WITH_DATABASE)


def test_compose_creates_a_database_per_service() -> None:
    services = compose()["services"]
    mounts = services["postgres"]["volumes"]
    init = next(m for m in mounts if "docker-entrypoint-initdb.d" in m)
    script = (DEPLOY / init.split(":")[0]).read_text()
    for name in SERVICES_WITH_DATABASE:
        assert f"CREATE DATABASE kip_{name};" in script
        assert services["migrate"]["environment"][f"{name.upper()}_DATABASE_URL"].endswith(f"/kip_{name}")


def test_the_dockerfile_is_multi_stage_non_root_and_health_checked() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+\S+\s+AS\s+(\w+)", text, flags=re.MULTILINE)
    assert stages == ["builder", "runtime"]
    runtime = text.split("AS runtime", 1)[1]
    users = re.findall(r"^USER\s+(\S+)", runtime, flags=re.MULTILINE)
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*CMD \[\"kip-entrypoint\", \"healthcheck\"\]", runtime, flags=re.MULTILINE)
    assert "-c constraints.txt" in text
    assert "python:3.11-slim" in text
    for package in ("libs/kit", "services/programme", "services/funding", "services/evaluation", "gateway", "cli"):
        assert f"./{package}" in text


def run_entrypoint(args: list[str], env: dict[str, str], cwd: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        ["/bin/sh", str(ENTRYPOINT), *args], env=env, cwd=cwd, capture_output=True, text=True, check=False, **kw
    )


def entry_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "KIP_", "PROGRAMME_"))},
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "KIP_AUTH_LOCAL_KEY_DIR": str(tmp_path / "keys"),
        **extra,
    }


def test_the_entrypoint_refuses_an_unknown_service(tmp_path: Path) -> None:
    done = run_entrypoint(["serve"], entry_env(tmp_path, KIP_SERVICE="billing"), tmp_path, timeout=30)
    assert done.returncode == 64
    assert "KIP_SERVICE must be" in done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_entrypoint_migrates_serves_and_health_checks_the_programme_service(tmp_path: Path) -> None:
    port = free_port()
    env = entry_env(
        tmp_path,
        KIP_SERVICE="programme",
        KIP_PORT=str(port),
        PROGRAMME_DATABASE_URL=f"sqlite:///{tmp_path}/programme.db",
    )
    migrated = run_entrypoint(["migrate"], env, tmp_path, timeout=120)
    assert migrated.returncode == 0, migrated.stderr
    assert "programme: migrated to head" in migrated.stdout
    assert run_entrypoint(["healthcheck"], env, tmp_path, timeout=30).returncode != 0  # nothing listens yet

    server = subprocess.Popen(  # noqa: S603 - our own script
        ["/bin/sh", str(ENTRYPOINT), "serve"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if run_entrypoint(["healthcheck"], env, tmp_path, timeout=30).returncode == 0:
                break
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            assert time.monotonic() < deadline, "the service did not answer /healthz within 60 s"
            time.sleep(0.3)
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=30)
    # SIGTERM (what Kubernetes and Docker send) is a graceful stop: the lifespan ends and the pool is closed
    # (uvicorn's lines are JSON log lines on stdout, like every other line the process writes)
    assert "Application shutdown complete" in (stdout + stderr).decode()
