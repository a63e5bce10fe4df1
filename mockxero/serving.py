"""Serving the app on a real socket: the CLI's server, and an embedded one for tests and scenarios.

Both run waitress, a production WSGI server: pure Python (so it runs wherever mockxero does, Windows
included), maintained by the Pylons project, and measured faster than werkzeug's development server on the
same app (bench/RESULTS.md: about 2.9 ms against 4.0 ms per invoice create). ``WaitressServer`` adds what the
emulator needs on top of it:

* it serves a socket the caller has bound (``mockxero serve`` binds it itself so a port in use is a clear
  error, and ``port=0`` picks a free port whose number is then known);
* it hands each request's socket to the app under ``SOCKET_KEY``, so a fault can cut the connection with no
  answer (``mockxero.traffic.gateway.SeverConnections``), and a ``ConnectionError`` from the app closes the
  connection quietly, as a client that went away would;
* ``shutdown()`` drains: the listener closes at once, requests being answered finish and their answers are
  sent, then every connection closes. A process manager's SIGTERM must not cut a write half-answered.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

from flask import Flask
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import ClientDisconnected, HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import WSGITask

from .traffic.gateway import SOCKET_KEY

# Enough for every request a test or a client holds open at once (a latency fault, the concurrency limit's
# tests); waitress queues the rest. The store serialises writes anyway, so more threads would not be faster.
THREADS = 16
DRAIN_TIMEOUT = 30.0  # seconds shutdown() waits for requests in flight before closing their connections
_POLL = 0.05  # seconds: how often the serving loop looks at a stop request it was not woken for


class _SocketTask(WSGITask):
    wrote_header: bool  # waitress's, declared for the type checker (waitress is untyped)

    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ[SOCKET_KEY] = self.channel.socket
        return environ

    def write(self, data: bytes) -> None:
        # An answer whose whole body comes in one piece (every answer the app gives) goes out as one send
        # with its header: waitress's own write sends the header and the body apart, two system calls and
        # two packets the client wakes for.
        if (
            not self.wrote_header
            and self.complete
            and data
            and self.has_body
            and not self.chunked_response
            and self.content_length == len(data)
        ):
            self.channel.write_soon(self.build_response_header() + data)
            self.wrote_header = True
            self.content_bytes_written += len(data)
            return
        super().write(data)

    def execute(self) -> None:
        try:
            super().execute()
        except ConnectionError as exc:
            # The app cut the connection (a fault) or the client went away: waitress closes it without
            # trying to send an error answer, and logs one line at INFO rather than a traceback.
            raise ClientDisconnected(str(exc)) from exc


class _Channel(HTTPChannel):
    task_class = _SocketTask


class _Listener(TcpWSGIServer):
    channel_class = _Channel


class WaitressServer:
    """Serve ``app`` on an already-bound ``listener`` socket until ``shutdown()``.

    ``serve_forever()`` runs in the calling thread; ``shutdown()`` may be called from any thread, including a
    signal handler in the serving thread itself.
    """

    def __init__(self, app: Any, listener: socket.socket, threads: int = THREADS):
        self.app = app
        self._map: dict[int, Any] = {}
        adjustments = Adjustments(
            sockets=[listener],
            threads=threads,
            ident="mockxero",
            # the emulator is a loopback test double: forwarded headers are nobody's to trust or strip
            clear_untrusted_proxy_headers=False,
        )
        self._server = _Listener(
            app,
            map=self._map,
            _sock=listener,
            adj=adjustments,
            bind_socket=False,
            sockinfo=(listener.family, listener.type, listener.proto, listener.getsockname()),
        )
        self._stop = threading.Event()
        self._running = threading.Event()  # serve_forever() has been (or is being) started
        self._stopped = threading.Event()
        self._loop_thread: threading.Thread | None = None
        self._closed = False
        self.host, self.port = listener.getsockname()[:2]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address needs brackets in a URL
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        self._loop_thread = threading.current_thread()
        self._running.set()
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=_POLL, map=self._map, use_poll=True, count=1)
            self._drain()
        finally:
            self._stopped.set()

    def run_in_thread(self, name: str = "mockxero-server") -> threading.Thread:
        """``serve_forever`` in a daemon thread (the embedded server's way)."""
        thread = threading.Thread(target=self.serve_forever, name=name, daemon=True)
        self._loop_thread = thread
        self._running.set()  # before it runs, so a shutdown() straight after start() still waits for it
        thread.start()
        return thread

    def shutdown(self) -> None:
        """Ask the serving loop to drain and stop, and wake it. Safe from any thread and from a signal
        handler; waits for the drain unless called from the serving thread itself (a signal handler)."""
        self._stop.set()
        try:
            self._server.pull_trigger()
        except OSError:
            pass  # already closed: the loop is gone
        if self._running.is_set() and threading.current_thread() is not self._loop_thread:
            self._stopped.wait(DRAIN_TIMEOUT + 5)

    def _drain(self) -> None:
        """Stop accepting, let requests in flight finish and their answers go out, then close everything."""
        self._server.accepting = False
        self._server.del_channel()  # out of the poll map: no new connection is accepted
        self._server.socket.close()
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while self._busy() and time.monotonic() < deadline:
            wasyncore.loop(timeout=_POLL, map=self._map, use_poll=True, count=1)
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        for channel in list(self._map.values()):
            channel.close()
        self._map.clear()

    def _busy(self) -> bool:
        """A connection is busy while a request of it is being answered or its answer is not all sent."""
        return any(
            channel.requests or channel.total_outbufs_len
            for channel in list(self._server.active_channels.values())
            if channel.connected
        )

    def server_close(self) -> None:
        """Release the socket and the worker threads; call after serve_forever() returned, or instead of it."""
        if self._closed:
            return
        self._closed = True
        if not self._running.is_set():
            self._drain()  # never served: nothing is in flight, so this only closes the listener
        self._server.trigger.close()


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (IPv6 when the host is an IPv6 address); ``port=0`` picks one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family)


class EmbeddedServer:
    """The app served by waitress on a loopback port, run in a background thread.

    ``port=0`` picks a free port; ``url`` tells which. Use as a context manager or call start()/stop().
    """

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0):
        self.app = app
        self._server = WaitressServer(app, listen(host, port))

    @property
    def host(self) -> str:
        return str(self._server.host)

    @property
    def port(self) -> int:
        return int(self._server.port)

    @property
    def url(self) -> str:
        return self._server.url

    def start(self) -> EmbeddedServer:
        self._server.run_in_thread()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
