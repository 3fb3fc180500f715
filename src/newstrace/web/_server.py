"""The HTTP connection's own bounds, below the application: a request head's size and the time it may take to arrive.

uvicorn's h11 protocol answers a head over h11's buffer limit with a bare 400 and closes the socket while the client is
still sending (the client sees a TCP reset), and it waits for a head without any time limit (a client trickling one
header byte at a time held its connection for ever). This protocol answers 414 for a request line over
``MAX_URL_BYTES``, 431 for a head over ``MAX_HEAD_BYTES``, and 408 (or a plain close, when nothing came) for a head not
complete within the read timeout, each as the API's JSON error, then reads and discards what the client still sends
for a moment so that it can read the answer. A connection past the cap on open connections is answered 503
(``server_busy``) the same way, at once: uvicorn's own cap answered in plain text, and one connection early.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

# A request line (method, URL, version) longer than this is 414; a whole head (request line and headers) longer,
# 431. The API's longest URL (a search of 1,000 characters, all escaped, with its filters) is well under 8 KiB.
MAX_URL_BYTES = 8 * 1024
MAX_HEAD_BYTES = 32 * 1024
# h11's own limit on a head it buffers, above ours so that ours answers first.
H11_MAX_HEAD_BYTES = 2 * MAX_HEAD_BYTES
# After refusing a request, what the client still sends is read and dropped for this long (or this many bytes) before
# the socket closes: closing with unread data makes the kernel reset the connection before the client reads the answer.
LINGER_SECONDS = 2.0
LINGER_BYTES = 4 * 1024 * 1024

_REASONS = {
    408: "Request Timeout",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
    503: "Service Unavailable",
}


def bounded_protocol(read_timeout: float, error_body: Any, max_connections: int | None = None) -> type[H11Protocol]:
    """An h11 protocol class whose request heads must be at most the caps above and arrive within ``read_timeout``,
    with at most ``max_connections`` connections open at once."""

    class BoundedH11Protocol(_BoundedH11Protocol):
        head_timeout = read_timeout
        errors = staticmethod(error_body)
        connection_cap = max_connections

    return BoundedH11Protocol


class _BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the bounds above on every request head (keep-alive and pipelined ones too)."""

    head_timeout = 30.0
    errors: Any = None
    connection_cap: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head = bytearray()
        self._head_timer: asyncio.TimerHandle | None = None
        self._dropped: int | None = None  # bytes read and dropped since the request was refused; None: not refused

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if self.connection_cap is not None and len(self.connections) > self.connection_cap:
            message = f"the server has {self.connection_cap:,} connections open, its most; try again shortly"
            self._refuse(503, message, code="server_busy")
            return
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._dropped is not None:
            self._dropped += len(data)
            if self._dropped > LINGER_BYTES:
                self.transport.close()
            return
        if self.conn.their_state is h11.IDLE:  # a request head is being read
            self._head += data
            status = _oversized(bytes(self._head))
            if status is not None:
                self._refuse(status, _message(status))
                return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._head.clear()  # the head is complete: the body has its own read timeout, in the application
            self._disarm_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._head.clear()
            self._arm_head_timer()  # the next request on this connection has the same bound

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self._head.strip():
            self._refuse(408, f"the request head did not arrive within {self.head_timeout:g} s")
        else:
            self.transport.close()  # an idle connection: nothing was asked, nothing to answer

    def _refuse(self, status: int, message: str, code: str | None = None) -> None:
        """Answer ``status`` with the API's JSON error and close, after a short linger that drops what still comes."""
        self._disarm_head_timer()
        self._unset_keepalive_if_required()
        body = json.dumps(self.errors(status, message, code)).encode()
        retry = "retry-after: 1\r\n" if status == 503 else ""
        head = (
            f"HTTP/1.1 {status} {_REASONS[status]}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\n{retry}connection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + body)
        self._dropped = 0
        self.loop.call_later(LINGER_SECONDS, self.transport.close)
        self.logger.warning("refused a request from %s: %s", self.client, message)


def _oversized(head: bytes) -> int | None:
    """414 or 431 where the head read so far is past a cap, else None."""
    end = head.find(b"\r\n\r\n")
    received = head if end < 0 else head[: end + 4]
    line_end = received.find(b"\r\n")
    if (line_end < 0 and len(received) > MAX_URL_BYTES) or line_end > MAX_URL_BYTES:
        return 414
    if len(received) > MAX_HEAD_BYTES:
        return 431
    return None


def _message(status: int) -> str:
    if status == 414:
        return f"the request line (the URL) is longer than {MAX_URL_BYTES:,} bytes"
    return f"the request headers are larger than {MAX_HEAD_BYTES:,} bytes"
