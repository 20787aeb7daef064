"""A TCP proxy that misbehaves on request: slow, garbage, reset; or, in place of the service, an answer of tens of
megabytes (`huge`) or one that drips a byte at a time (`drip`). Real sockets between real processes, so the
fault tests see what a client would see on a bad network or a broken service.

Each proxy runs in a process of its own, told what to do over a pipe: relaying every call of a view under load, a
proxy in the test's own process would compete with the test's clients for its interpreter, and the time those
clients measure would include the proxy's work, not only the platform's."""

from __future__ import annotations

import asyncio
import multiprocessing
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

_CONTEXT = multiprocessing.get_context("spawn")


@dataclass
class Toxic:
    upstream_host: str
    upstream_port: int
    port: int = 0
    _control: Connection | None = None
    _process: Any = field(default=None, repr=False)

    def start(self) -> Toxic:
        ours, theirs = _CONTEXT.Pipe()
        self._process = _CONTEXT.Process(
            target=_serve, args=(self.upstream_host, self.upstream_port, theirs), daemon=True
        )
        self._process.start()
        self._control = ours
        if not ours.poll(15):
            raise RuntimeError("the proxy did not start")
        self.port = ours.recv()
        return self

    def stop(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: str, delay: float = 0.0) -> None:
        """Change behaviour for every request from now on (`pass`, `delay`, `garbage`, `reset`, `huge`, `drip`): open
        connections
        are cut, so kept-alive connections cannot carry on in the old mode; the connection count starts again."""
        self._ask(("set", mode, delay))

    @property
    def connections(self) -> int:
        """Connections accepted since the last `set`."""
        return int(self._ask(("connections",)))

    def _ask(self, message: tuple[Any, ...]) -> Any:
        assert self._control is not None, "start() first"
        self._control.send(message)
        if not self._control.poll(5):
            raise RuntimeError(f"the proxy did not answer {message[0]}")
        return self._control.recv()


def _serve(upstream_host: str, upstream_port: int, control: Connection) -> None:
    asyncio.run(_Proxy(upstream_host, upstream_port, control).main())


@dataclass
class _Proxy:
    upstream_host: str
    upstream_port: int
    control: Connection
    mode: str = "pass"
    delay: float = 0.0
    connections: int = 0
    _open: set[asyncio.StreamWriter] = field(default_factory=set)

    async def main(self) -> None:
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        asyncio.get_running_loop().add_reader(self.control.fileno(), self._on_control)
        self.control.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    def _on_control(self) -> None:
        message = self.control.recv()
        if message[0] == "set":
            _, self.mode, self.delay = message
            for writer in list(self._open):
                writer.close()
            self._open.clear()
            self.connections = 0
            self.control.send("ok")
        elif message[0] == "connections":
            self.control.send(self.connections)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        mode, delay = self.mode, self.delay
        self._open.add(writer)
        try:
            if mode == "reset":
                return
            if mode in ("huge", "drip"):
                await reader.read(65536)
                await _misbehaving_answer(writer, mode)
                return
            if mode == "garbage":
                await reader.read(65536)
                writer.write(b"\x00\xffthis is not HTTP\r\n\r\n\xde\xad\xbe\xef")
                await writer.drain()
                return
            up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
            self._open.add(up_writer)

            async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, wait: float) -> None:
                try:
                    while data := await src.read(65536):
                        if wait:
                            await asyncio.sleep(wait)
                        dst.write(data)
                        await dst.drain()
                finally:
                    dst.close()

            await asyncio.gather(
                pipe(reader, up_writer, 0.0),
                pipe(up_reader, writer, delay if mode == "delay" else 0.0),
                return_exceptions=True,
            )
        except OSError:
            pass
        finally:
            self._open.discard(writer)
            writer.close()


#: `huge`: a JSON-looking answer of this many bytes, chunked, no Content-Length.
HUGE_BYTES = 64 * 1024 * 1024
#: `drip`: one byte every this many seconds, for at most `DRIP_FOR` seconds.
DRIP_EVERY = 0.05
DRIP_FOR = 30.0


async def _misbehaving_answer(writer: asyncio.StreamWriter, mode: str) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    if mode == "huge":
        writer.write(b"1\r\n[\r\n")
        chunk = b'{"id": "00000000-0000-0000-0000-000000000000", "name": "x"},' * 1000
        sent = 0
        while sent < HUGE_BYTES:
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
            await writer.drain()
        writer.write(b"1\r\n]\r\n0\r\n\r\n")
    else:
        for _ in range(int(DRIP_FOR / DRIP_EVERY)):
            writer.write(b"1\r\n \r\n")
            await writer.drain()
            await asyncio.sleep(DRIP_EVERY)
    await writer.drain()
