"""``newstrace serve``: the HTTP API and the web UI, after the options and the address are checked."""

from __future__ import annotations

from typing import Annotated

import typer

from newstrace.cli._common import DEFAULT_DB, DbOption, MaxBytesOption, open_store, usage_error
from newstrace.ingest import DEFAULT_MAX_BYTES


def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; beyond loopback --token is required.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="NEWSTRACE_TOKEN", help="Every request must send Authorization: Bearer TOKEN."),
    ] = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    analysis_timeout: Annotated[
        float, typer.Option("--analysis-timeout", min=0.1, help="Seconds one analysis may take before it is stopped.")
    ] = 30.0,
    read_timeout: Annotated[
        float,
        typer.Option("--read-timeout", min=0.1, help="Seconds a request head, or each part of a body, may take."),
    ] = 30.0,
    max_connections: Annotated[
        int, typer.Option("--max-connections", min=1, help="Open connections at most; past it 503 at once.")
    ] = 100,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web UI (at /ui/) over the store."""
    try:
        from newstrace.web import ServeSettings, is_loopback
        from newstrace.web import serve as run_server
    except ImportError as error:
        usage_error(f"serve needs the serve extra: pip install 'newstrace[serve]' ({error})")
    if token is not None and not token.strip():
        usage_error("--token is empty")
    if token is None and not is_loopback(host):
        usage_error(f"--host {host} is reachable beyond this machine: give --token (or NEWSTRACE_TOKEN) to serve there")
    with open_store(db, must_exist=False):
        pass  # an unusable --db is one line and exit 2 before the server starts
    problem = _cannot_listen(host, port)
    if problem is not None:
        shown = f"[{host}]" if ":" in host else host
        usage_error(f"cannot listen on {shown}:{port} ({problem})")
    settings = ServeSettings(
        token=token,
        max_body_bytes=max_bytes,
        analysis_timeout=analysis_timeout,
        read_timeout=read_timeout,
        max_connections=max_connections,
    )
    run_server(db, host, port, settings)


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen there (a port in use, a host that does not resolve), or None.

    Asked before uvicorn starts: its own failure is several log lines and exit 3, the code of skipped inputs.
    """
    import socket

    try:
        # As asyncio's create_server binds (uvicorn's): every passive address of the host, IPv6 ones IPv6 only.
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, protocol, _, address in found:
            with socket.socket(family, kind, protocol) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(address)
    except OSError as error:  # socket.gaierror included
        return error.strerror or str(error)
    return None
