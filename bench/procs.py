"""Server processes for the benchmark: uvicorn with one worker, pinned to a core with taskset, on a free port;
their resident memory read from /proc."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kit.serving import wait_until_healthy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pinned(cores: str, command: list[str]) -> list[str]:
    """The command run on the given cores (taskset), or as is where taskset is missing."""
    return ["taskset", "-c", cores, *command] if shutil.which("taskset") else command


def rss_kib(pid: int) -> int:
    """Resident set size of a process in KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def quiesce(servers: list[Server], idle_share: float = 0.05, limit: float = 30.0) -> float:
    """Wait until no server uses more than `idle_share` of a core (the backlog of the previous load is done);
    returns how long that took."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = sum(cpu_seconds(s.pid) for s in servers)
        time.sleep(0.5)
        if sum(cpu_seconds(s.pid) for s in servers) - before <= idle_share * 0.5:
            break
    return time.monotonic() - started


@dataclass
class Server:
    name: str
    url: str
    popen: subprocess.Popen[bytes]
    log: Path
    rss_at_rest_kib: int = 0
    rss_peak_kib: int = 0
    samples: list[int] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start(name: str, app: str, env: dict[str, str], log_dir: Path, cores: str, factory: bool = True) -> Server:
    port = free_port()
    log = log_dir / f"{name}.log"
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", "--no-access-log", "--log-level", "warning"]
    if factory:
        command.append("--factory")
    with log.open("ab") as out:
        popen = subprocess.Popen(pinned(cores, command), env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    server = Server(name, f"http://127.0.0.1:{port}", popen, log)
    if wait_until_healthy(popen, name, server.url, log, seconds=60, interval=0.2):
        return server
    server.stop()
    raise RuntimeError(f"{name} did not answer on {server.url}:\n{log.read_text()[-3000:]}")


class MemorySampler:
    """Samples every server's RSS while load runs; keeps each one's peak."""

    def __init__(self, servers: list[Server], every: float = 0.25) -> None:
        self.servers = servers
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for s in self.servers:
                rss = rss_kib(s.pid)
                s.rss_peak_kib = max(s.rss_peak_kib, rss)
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
