"""Real service processes on free local ports, each on its own database, migrated and seeded.

Used by the tests that need real HTTP between real processes (fuzzing, end to end, faults).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kit import testing
from kit.auth import ensure_local_keypair, issue_token
from kit.serving import wait_until_healthy

#: name, package, env prefix; in start order (funding and evaluation call the programme service, funding the
#: evaluation service, webhooks reads the event feeds of all three).
SERVICES = [
    ("programme", "programme", "PROGRAMME"),
    ("evaluation", "evaluation", "EVALUATION"),
    ("funding", "funding", "FUNDING"),
    ("webhooks", "webhooks", "WEBHOOKS"),
]


def installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Process:
    name: str
    url: str
    popen: subprocess.Popen[bytes]
    log: Path

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def launch(name: str, package: str, env: dict[str, str], log_dir: Path, port: int | None = None) -> Process:
    """Start a service's process on `port` (a free one by default) without waiting for it to answer."""
    port = port or free_port()
    log = log_dir / f"{name}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        f"{package}.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--no-proxy-headers",  # forwarding headers are trusted per KIP_TRUSTED_PROXIES (kit.proxies)
        "--http",
        "kit.serving:H11Protocol",  # request headers must arrive within KIP_HEADER_READ_TIMEOUT
    ]
    with log.open("ab") as out:
        popen = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    return Process(name, f"http://127.0.0.1:{port}", popen, log)


def healthy(process: Process) -> Process:
    """Wait until a launched process answers `/healthz`, else kill it and fail with its log. The wait is long (90 s)
    because several processes import side by side, on every test worker at once."""
    if wait_until_healthy(process.popen, process.name, process.url, process.log, seconds=90, interval=0.1):
        return process
    process.stop(signal.SIGKILL)
    raise RuntimeError(f"{process.name} did not answer on {process.url}:\n{process.log.read_text()[-3000:]}")


def start(name: str, package: str, env: dict[str, str], log_dir: Path, port: int | None = None) -> Process:
    return healthy(launch(name, package, env, log_dir, port))


@dataclass
class Platform:
    """The services (and optionally the gateway) of one test run."""

    backend: str
    tmp: Path
    key_dir: Path
    env: dict[str, str]
    database_urls: dict[str, str] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)

    def token(self, role: str, **claims: object) -> str:
        return issue_token(ensure_local_keypair(self.key_dir)[0], role=role, **claims)  # type: ignore[arg-type]

    def headers(self, role: str, **claims: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, **claims)}"}

    def url(self, name: str) -> str:
        return self.processes[name].url

    def _service_env(self, name: str, prefix: str, urls: dict[str, str]) -> dict[str, str]:
        env = dict(self.env)
        env[f"{prefix}_DATABASE_URL"] = self.database_urls[name]
        for upstream in ("programme", "evaluation", "funding"):
            if upstream in urls:
                env[f"{prefix}_{upstream.upper()}_URL"] = urls[upstream]
        return env

    def start_service(self, name: str, package: str, prefix: str, port: int | None = None) -> Process:
        urls = {n: p.url for n, p in self.processes.items()}
        process = start(name, package, self._service_env(name, prefix, urls), self.tmp, port)
        self.processes[name] = process
        return process

    def start_services(self, names: list[str] | None = None, *, gateway: bool = False) -> None:
        """Start services side by side (default: every service with a database), each told the others' URLs
        from the start, and wait until all answer; then the gateway, when asked, in front of them."""
        chosen = [s for s in SERVICES if s[0] in (names if names is not None else self.database_urls)]
        ports = {name: free_port() for name, _, _ in chosen}
        urls = {n: p.url for n, p in self.processes.items()} | {n: f"http://127.0.0.1:{p}" for n, p in ports.items()}
        launched = [
            launch(name, package, self._service_env(name, prefix, urls), self.tmp, ports[name])
            for name, package, prefix in chosen
        ]
        for process in launched:
            self.processes[process.name] = process
        for process in launched:
            healthy(process)
        if gateway:
            self.start_gateway()

    def start_gateway(self, port: int | None = None) -> Process:
        env = dict(self.env)
        for name, _, prefix in SERVICES:
            if name in self.processes:
                env[f"GATEWAY_{prefix}_URL"] = self.url(name)
        process = start("gateway", "gateway", env, self.tmp, port)
        self.processes["gateway"] = process
        return process

    def stop(self) -> None:
        """Stop every process at once (each ends its own long polls of the others' feeds), then wait for each."""
        running = [p for p in reversed(list(self.processes.values())) if p.popen.poll() is None]
        for process in running:
            process.popen.send_signal(signal.SIGTERM)
        for process in running:
            process.stop()


def process_env(key_dir: Path, **variables: str) -> dict[str, str]:
    """The environment of a service process a test starts: this process's, less any database URL, with the test's
    signing keys and `variables` on top."""
    inherited = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    return inherited | {"KIP_AUTH_LOCAL_KEY_DIR": str(key_dir)} | variables


def prepare(
    backend: str, tmp: Path, prefix: str, services: list[str] | None = None, seeded: list[str] | None = None
) -> Platform:
    """Databases migrated and seeded as `kip migrate` and `kip seed` do (only those in `seeded`, when given, are
    seeded); no process started yet."""
    key_dir = tmp / "keys"
    ensure_local_keypair(key_dir)
    platform = Platform(backend, tmp, key_dir, process_env(key_dir))
    for name, package, _ in SERVICES:
        if (services is not None and name not in services) or not installed(package):
            continue
        url = testing.fresh_database(backend, f"{prefix}_{name}", tmp)
        cli = importlib.import_module(f"{package}.cli")
        cli.migrate(url)
        if seeded is None or name in seeded:
            asyncio.run(cli.seed_database(url))
        platform.database_urls[name] = url
    return platform


def running_platform(
    backend: str,
    tmp: Path,
    prefix: str,
    services: list[str] | None = None,
    *,
    seeded: list[str] | None = None,
    env: dict[str, str | None] | None = None,
    drop: tuple[str, ...] = (),
    gateway: bool = True,
) -> Iterator[Platform]:
    """A platform for a test module (`yield from running_platform(...)` in a fixture): the databases as `prepare`
    makes them, every process started side by side (the gateway too unless `gateway` is false) and all stopped
    afterwards. The processes' environment is this one's, less the variables starting with a prefix in `drop`, with
    `env` on top (a value `None` removes the variable)."""
    running = prepare(backend, tmp, prefix, services, seeded)
    running.env = {k: v for k, v in running.env.items() if not k.startswith(drop)}
    for key, value in (env or {}).items():
        if value is None:
            running.env.pop(key, None)
        else:
            running.env[key] = value
    try:
        running.start_services(gateway=gateway)
        yield running
    finally:
        running.stop()
