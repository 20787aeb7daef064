"""A TCP proxy that misbehaves on request: slow, garbage, reset. Real sockets between real processes, so the
fault tests see what a client would see on a bad network or a broken service."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field


@dataclass
class Toxic:
    upstream_host: str
    upstream_port: int
    mode: str = "pass"  # pass | delay | garbage | reset
    delay: float = 0.0
    connections: int = 0
    port: int = 0
    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _ready: threading.Event = field(default_factory=threading.Event)
    _open: set[asyncio.StreamWriter] = field(default_factory=set)

    def start(self) -> Toxic:
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(5)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: str, delay: float = 0.0) -> None:
        """Change behaviour for every request from now on: open connections are cut, so kept-alive
        connections cannot carry on in the old mode."""
        self.mode, self.delay = mode, delay
        done = threading.Event()

        def cut() -> None:
            for writer in list(self._open):
                writer.close()
            self._open.clear()
            done.set()

        self._loop.call_soon_threadsafe(cut)
        done.wait(5)
        self.connections = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def main() -> None:
            server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            async with server:
                await server.serve_forever()

        self._loop.run_until_complete(main())

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        mode, delay = self.mode, self.delay
        self._open.add(writer)
        try:
            if mode == "reset":
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
