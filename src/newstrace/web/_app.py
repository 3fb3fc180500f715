"""The FastAPI application: settings, the bounds every request meets (token, body size), errors as JSON."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic_core
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from newstrace.ingest import DEFAULT_MAX_BYTES
from newstrace.run.bounded import AnalysisBusy, AnalysisTimeout, AnalysisWorker
from newstrace.service import CorpusService, QuerySyntaxError
from newstrace.store import Store

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_ANALYSIS_TIMEOUT = 30.0
# How long a request head, and each part of a body, may take to arrive.
DEFAULT_READ_TIMEOUT = 30.0
# Open connections at most: past it uvicorn answers 503 at once.
DEFAULT_MAX_CONNECTIONS = 100
# Analyses (/analyze, uploads) handed to worker threads at once. Each holds a thread (40 by default) while it waits
# for the one analysis process; the others wait in the event loop, which costs no thread, so reads always find one.
DEFAULT_ANALYSIS_SLOTS = 4
STATIC = Path(__file__).parent / "static"

# The stable codes clients can branch on, by HTTP status.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    414: "uri_too_long",
    422: "invalid_request",
    431: "headers_too_large",
    500: "internal_error",
    503: "analysis_busy",
    504: "analysis_timeout",
}


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """The server's bounds: the token (if any), body cap, analysis time limit, read timeout, connections, analyses."""

    token: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BYTES
    analysis_timeout: float = DEFAULT_ANALYSIS_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    analysis_slots: int = DEFAULT_ANALYSIS_SLOTS


def is_loopback(host: str) -> bool:
    """Whether a bind address only this machine reaches: 127.0.0.0/8, ::1 or localhost."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve beyond this machine


def error_body(status: int, message: str, code: str | None = None, **extra: object) -> dict[str, object]:
    """``{"error": {"code", "message", ...}}``: the one shape of every error the API returns."""
    return {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": message, **extra}}


def create_app(store: Store, settings: ServeSettings | None = None) -> FastAPI:
    """The application serving ``store``: JSON API, web UI, OpenAPI and offline Swagger UI."""
    from newstrace.web import _api, _auth, _export, _lists, _ui
    from newstrace.web._auth import TokenGate

    settings = settings or ServeSettings()
    worker = AnalysisWorker(settings.analysis_timeout)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        worker.close()

    app = FastAPI(
        title="newstrace",
        summary="Who said what, when, to whom, and whether the headline tells the truth about it.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = CorpusService(store)
    app.state.worker = worker
    app.state.settings = settings
    app.include_router(_api.router)
    app.include_router(_export.router)
    app.include_router(_ui.router)
    app.include_router(_lists.router)
    app.include_router(_auth.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _mount_swagger(app)
    _add_error_handlers(app)
    # Innermost first (Starlette wraps each added middleware around the ones before): a request without the token is
    # refused before its body is read, and a body over the cap before its JSON is parsed.
    app.add_middleware(JsonBodyCheck)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, read_timeout=settings.read_timeout)
    app.add_middleware(AnalysisGate, slots=settings.analysis_slots, wait=settings.analysis_timeout)
    if settings.token is not None:
        app.add_middleware(TokenGate, token=settings.token, refuse=_unauthorized)
    return app


def _version() -> str:
    from newstrace import __version__

    return __version__


def _mount_swagger(app: FastAPI) -> None:
    """/docs with Swagger UI 5's files served from the swagger-ui-py package: no CDN, works offline, and reads the
    OpenAPI 3.1 FastAPI writes (Swagger UI 4 of swagger-ui-bundle said "does not specify a valid version field")."""
    import importlib.util

    # The package's files only: importing it would load its own web-framework glue, which /docs does not use.
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("newstrace serve needs swagger-ui-py: pip install 'newstrace[serve]'")
    static = Path(next(iter(spec.submodule_search_locations))) / "static"
    app.mount("/docs-static", StaticFiles(directory=static), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="newstrace API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )


def _add_error_handlers(app: FastAPI) -> None:
    from newstrace.web._ui import html_error

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        headers = getattr(error, "headers", None)
        if error.status_code == 405:
            # Starlette names the methods of the first route whose path matched; a path may have several.
            headers = {**(headers or {}), "Allow": ", ".join(_allowed_methods(request))}
        if request.url.path.startswith("/ui/") and error.status_code != 401:
            return html_error(request, error.status_code, str(error.detail), headers)
        code = getattr(error, "code", None)
        return JSONResponse(error_body(error.status_code, str(error.detail), code), error.status_code, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        fields = [_field_error(item) for item in error.errors()]
        message = "; ".join(f"{item['field']}: {item['message']}" for item in fields)
        if request.url.path.startswith("/ui/"):
            return html_error(request, 422, message)
        return JSONResponse(error_body(422, message, fields=fields), 422)

    @app.exception_handler(QuerySyntaxError)
    async def bad_query(request: Request, error: QuerySyntaxError) -> Response:
        message = f"cannot read the query: {error}"
        if request.url.path.startswith("/ui/"):
            return html_error(request, 400, message)
        return JSONResponse(error_body(400, message, "bad_query"), 400)

    @app.exception_handler(AnalysisTimeout)
    async def timeout(_: Request, error: AnalysisTimeout) -> Response:
        return JSONResponse(error_body(504, str(error)), 504)

    @app.exception_handler(AnalysisBusy)
    async def busy(_: Request, error: AnalysisBusy) -> Response:
        return JSONResponse(error_body(503, str(error)), 503, {"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception) -> Response:
        # The traceback goes to the server's log (uvicorn prints it); the client gets one line, no internals.
        message = f"internal error ({type(error).__name__})"
        if request.url.path.startswith("/ui/"):
            return html_error(request, 500, message)
        return JSONResponse(error_body(500, message), 500)


def _allowed_methods(request: Request) -> list[str]:
    """The methods some route takes at this request's path (HEAD wherever GET is: HeadAsGet answers it)."""
    routes = request.app.router.routes
    methods = {
        method
        for method in ("DELETE", "GET", "PATCH", "POST", "PUT")
        for route in routes
        if not isinstance(route, Mount) and route.matches({**request.scope, "method": method})[0] is Match.FULL
    }
    if any(isinstance(route, Mount) and request.url.path.startswith(route.path + "/") for route in routes):
        methods.add("GET")  # the mounts serve files: GET and HEAD only
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _field_error(item: Any) -> dict[str, str]:
    """A validation error as ``{"field", "message"}``: ``published`` in the body, ``limit`` in the query."""
    location = [str(part) for part in item.get("loc", ())]
    where = location[0] if location else "body"
    if item.get("type") == "json_invalid":
        detail = (item.get("ctx") or {}).get("error", "not JSON")
        at = f" at character {location[1]}" if len(location) > 1 else ""
        return {"field": "body", "in": "body", "message": f"malformed JSON{at}: {detail}"}
    name = ".".join(location[1:]) or where
    return {"field": name, "in": where, "message": str(item.get("msg", "invalid"))}


class BodyLimit:
    """Refuses a body over the cap with 413 (announced or streamed past it), and 408 one that stops arriving.

    A client trickling its body, or sending none after its head, held its request open for ever.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout: float = DEFAULT_READ_TIMEOUT) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _send_json(send, 413, error_body(413, self._message()))
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            try:
                message = await asyncio.wait_for(receive(), self.read_timeout)
            except TimeoutError:
                raise _SlowBody(f"the request body stopped arriving for {self.read_timeout:g} s") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self._message())
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except (_TooLarge, _SlowBody) as error:
            if not started:
                await _send_json(send, error.status_code, error_body(error.status_code, str(error.detail)))

    def _message(self) -> str:
        return f"the request body is larger than the {self.max_bytes:,}-byte cap"


class _TooLarge(StarletteHTTPException):
    """A streamed body ran past the cap (an HTTPException, so FastAPI's body parsing passes it on unchanged)."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


class JsonBodyCheck:
    """A JSON body that cannot be read is 422 ``invalid_request`` with the same message on every route.

    Read as pydantic reads it, before any route: malformed, nested past its depth limit (FastAPI's own parser answered
    100,000 brackets with a 400, /articles with a 422), or holding a lone surrogate escape ("\\ud800", which reached
    the analysis and came back as a fasttext TypeError with a memory address).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH") or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replayed([message], receive), send)  # the client left: let the route see it
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body.strip():
            try:
                pydantic_core.from_json(body)
            except ValueError as error:
                reason = f"malformed JSON: {error}"
                if "hex escape" in reason or "code point" in reason:
                    reason += " (a \\u escape cut short, or half of a surrogate pair, is not a character)"
                field = {"field": "body", "in": "body", "message": reason}
                await _send_json(send, 422, error_body(422, f"body: {reason}", fields=[field]))
                return
        await self.app(scope, _replayed([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _is_json(scope: Scope) -> bool:
    """Whether the request says its body is JSON (application/json or any +json type)."""
    declared: bytes = dict(scope.get("headers") or []).get(b"content-type", b"application/json")
    media = declared.split(b";")[0].strip().lower()
    return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))


def _replayed(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives these messages first, then whatever the connection sends (a disconnect)."""
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


class _SlowBody(StarletteHTTPException):
    """The next part of a body did not arrive within the read timeout."""

    def __init__(self, message: str) -> None:
        super().__init__(408, message)


class AnalysisGate:
    """At most ``slots`` analyses (``POST /analyze``, ``/articles``) in worker threads; the rest wait without one.

    Each analysis waits for the single analysis process in a thread of the pool every sync route shares: unbounded,
    40 concurrent analyses took every thread and stalled all reads for up to the analysis timeout. One that finds no
    slot within ``wait`` seconds is 503 analysis_busy.
    """

    PATHS = frozenset({"/analyze", "/articles"})

    def __init__(self, app: ASGIApp, slots: int, wait: float = DEFAULT_ANALYSIS_TIMEOUT) -> None:
        self.app = app
        self.slots = slots
        self.wait = wait
        self._free: asyncio.Semaphore | None = None  # made in the server's event loop, on first use

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in self.PATHS:
            await self.app(scope, receive, send)
            return
        if self._free is None:
            self._free = asyncio.Semaphore(self.slots)
        try:
            await asyncio.wait_for(self._free.acquire(), self.wait)
        except TimeoutError:
            message = f"{self.slots} analyses held the server for {self.wait:g} s; try again shortly"
            await _send_json(send, 503, error_body(503, message), [(b"retry-after", b"5")])
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._free.release()


class HeadAsGet:
    """Answers HEAD as the GET it stands for, headers only: FastAPI's routes are declared for GET alone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


async def _unauthorized(send: Send) -> None:
    body = error_body(401, "this server needs Authorization: Bearer <token> (a browser signs in at /ui/sign-in)")
    await _send_json(send, 401, body, [(b"www-authenticate", b"Bearer")])


async def _send_json(send: Send, status: int, body: dict[str, object], headers: list[tuple[bytes, bytes]] = []) -> None:  # noqa: B006
    payload = json.dumps(body).encode()
    start_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": start_headers + headers})
    await send({"type": "http.response.body", "body": payload})


def serve(db: str, host: str, port: int, settings: ServeSettings) -> None:
    """Run the server until interrupted (uvicorn, one process: the store's connections are shared by its threads)."""
    import uvicorn

    from newstrace.web._server import H11_MAX_HEAD_BYTES, bounded_protocol

    with Store(db) as store:
        uvicorn.run(
            create_app(store, settings),
            host=host,
            port=port,
            log_level="info",
            access_log=False,
            # The connection cap is the protocol's (a JSON 503), not uvicorn's limit_concurrency (plain text).
            http=bounded_protocol(settings.read_timeout, error_body, settings.max_connections),
            h11_max_incomplete_event_size=H11_MAX_HEAD_BYTES,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=10,  # a stop does not wait for ever on a client that keeps its connection
        )
