"""Every part's `/metrics` carries the process's own series and is valid Prometheus text exposition.

Prometheus' conventions name them `process_cpu_seconds_total`, `process_resident_memory_bytes`,
`process_open_fds` and `process_start_time_seconds`; dashboards and alerts written for any exporter read them.
The text is checked with `promtool check metrics` when promtool is on the PATH (`make promtool`; CI requires
it), and always with prometheus_client's own parser plus the rules promtool applies: every family has HELP and
TYPE, counters end in `_total`, no series appears twice.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import time
from asyncio.subprocess import PIPE, STDOUT

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.platform import installed

PARTS = [p for p in ("programme", "funding", "evaluation", "gateway") if installed(p)]
PROCESS_SERIES = (
    "process_cpu_seconds_total",
    "process_resident_memory_bytes",
    "process_open_fds",
    "process_start_time_seconds",
)


async def _metrics_text(part: str) -> str:
    app = importlib.import_module(f"{part}.main").create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{part}") as client:
        assert (await client.get("/healthz")).status_code == 200
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def _check_like_promtool(text: str) -> None:
    helps = {line.split()[2] for line in text.splitlines() if line.startswith("# HELP ")}
    types = {line.split()[2]: line.split()[3] for line in text.splitlines() if line.startswith("# TYPE ")}
    assert helps == set(types), "every family has HELP and TYPE"
    seen: set[tuple[str, frozenset[tuple[str, str]]]] = set()
    for family in text_string_to_metric_families(text):
        assert family.documentation, family.name
        if family.type == "counter":
            assert all(s.name.endswith(("_total", "_created")) for s in family.samples), family.name
        for sample in family.samples:
            key = (sample.name, frozenset(sample.labels.items()))
            assert key not in seen, f"{sample.name} {sample.labels} appears twice"
            seen.add(key)


@pytest.mark.parametrize("part", PARTS)
async def test_every_part_exposes_its_process_cpu_memory_fds_and_start_time(part: str) -> None:
    text = await _metrics_text(part)
    found = {s.name: s.value for family in text_string_to_metric_families(text) for s in family.samples}
    for name in PROCESS_SERIES:
        assert name in found, f"{part}: {name} missing"
    assert found["process_resident_memory_bytes"] > 10 * 2**20  # a Python process with its app: tens of MiB
    assert found["process_open_fds"] >= 3
    assert found["process_cpu_seconds_total"] > 0
    assert time.time() - 86400 < found["process_start_time_seconds"] <= time.time()
    _check_like_promtool(text)


@pytest.mark.parametrize("part", PARTS)
async def test_promtool_finds_nothing_to_complain_about(part: str) -> None:
    if shutil.which("promtool") is None:
        message = "promtool is not installed: run `make promtool`"
        if os.environ.get("KIP_TEST_PROMTOOL") == "required":
            pytest.fail(message)
        pytest.skip(message)
    text = await _metrics_text(part)
    promtool = await asyncio.create_subprocess_exec(
        str(shutil.which("promtool")), "check", "metrics", stdin=PIPE, stdout=PIPE, stderr=STDOUT
    )
    output, _ = await promtool.communicate(text.encode())
    assert promtool.returncode == 0 and not output.strip(), output.decode()
