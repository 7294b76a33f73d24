"""A TCP proxy in front of PostgreSQL that a test can cut and restore.

The tests must not stop the machine's PostgreSQL (other processes use it), so
the server under test reaches the database through this proxy instead: `cut()`
drops every connection and closes the port (new connections are refused), as a
stopped PostgreSQL does; `restore()` listens on the same port again, as a
restarted one does. `hang()` drops every connection but takes new ones without
ever answering them, as a server lost behind a network fault may.
"""

from __future__ import annotations

import contextlib
import socket
import threading

HOST = "127.0.0.1"


class TcpProxy:
    """Forwards connections to HOST:port to (target_host, target_port)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._hanging = False
        self.restore()

    def restore(self) -> None:
        """Accept and forward connections (again, on the same port)."""
        self._listen(hanging=False)

    def hang(self) -> None:
        """Drop every connection; accept new ones but never answer them."""
        self._listen(hanging=True)

    def _listen(self, *, hanging: bool) -> None:
        self.cut()
        self._hanging = hanging
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(64)
        listener.settimeout(0.2)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown() stops the listening at once, even while the accepting thread
            # still holds the socket (close() alone would keep the port busy until then).
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self._drop()

    def _drop(self) -> None:
        with self._lock:
            dropped, self._sockets = self._sockets, set()
        for sock in dropped:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by cut()
                return
            if self._hanging:  # held open, unanswered, until the next cut()
                with self._lock:
                    self._sockets.add(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                self._sockets |= {client, upstream}
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._sockets -= {src, dst}
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
