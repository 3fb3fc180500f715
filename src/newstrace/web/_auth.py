"""Who may use a server started with a token: API clients send it in a header, browsers sign in once for a cookie."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.requests import cookie_parser

from newstrace.web._ui import page

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Refusal = Callable[[Send], Awaitable[None]]

COOKIE = "newstrace_session"
# A browser signs in again after this long; a changed --token ends every session at once (the cookie is keyed by it).
SESSION_SECONDS = 12 * 60 * 60
SIGN_IN = "/ui/sign-in"
SIGN_OUT = "/ui/sign-out"
HOME = "/ui/"
# Open to anyone: the sign-in form, and the package's own stylesheet, script and icon it loads (no data in them).
OPEN_PATHS = frozenset({SIGN_IN, SIGN_OUT})
OPEN_PREFIXES = ("/static/",)
# The cookie is good for reading only: anything that writes (POST /articles, /analyze) needs the header, so a page
# elsewhere cannot make a signed-in browser store or analyse anything.
READ_METHODS = frozenset({"GET", "HEAD"})
_SESSION = re.compile(r"(\d{1,12})\.([0-9a-f]{64})")
MAX_NEXT = 2000

router = APIRouter(include_in_schema=False)


def session_value(token: bytes, expires: int) -> str:
    """The cookie's value: when it expires, and an HMAC of that keyed by the token (the token itself never leaves)."""
    mac = hmac.new(token, f"newstrace-session:{expires}".encode(), hashlib.sha256).hexdigest()
    return f"{expires}.{mac}"


def valid_session(token: bytes, value: str, now: float | None = None) -> bool:
    """Whether a cookie's value was made with this token and has not expired (compared in constant time)."""
    found = _SESSION.fullmatch(value)
    if found is None or int(found.group(1)) < (time.time() if now is None else now):
        return False
    return hmac.compare_digest(session_value(token, int(found.group(1))).encode(), value.encode())


def valid_token(token: bytes, given: str | bytes) -> bool:
    """Whether ``given`` (surrounding space dropped) is the token, compared in constant time."""
    sent = given.encode() if isinstance(given, str) else given
    return hmac.compare_digest(sent.strip(), token)


def local_path(target: str | None) -> str:
    """``target`` when it is a path on this server, else /ui/: signing in never sends a browser to another site."""
    if not target or len(target) > MAX_NEXT or not target.startswith("/"):
        return HOME
    # "//host" and "/\host" are other hosts to a browser; a control character can split the Location header.
    if target.startswith("//") or "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in (SIGN_IN, SIGN_OUT):
        return HOME
    return target


def is_page(path: str) -> bool:
    """Whether a path is one a browser shows (the UI, the API's own page): refused with the sign-in page, not 401."""
    return path in ("/", "/docs", "/ui") or path.startswith("/ui/")


class TokenGate:
    """Every request must carry ``Authorization: Bearer <token>``, or (for reading) the signed-in browser's cookie.

    A browser asking for a page without either is sent to the sign-in page (303, with ``next`` naming the page it
    asked for); anything else is 401 JSON.
    """

    def __init__(self, app: ASGIApp, token: str, refuse: Refusal) -> None:
        self.app = app
        self.token = token.strip().encode()  # read as the credential sent is: a stray space locked every client out
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        if scope["method"] in READ_METHODS and is_page(scope["path"]):
            await _redirect(send, f"{SIGN_IN}?{urlencode({'next': _asked_for(scope)})}")
            return
        await self.refuse(send)

    def _allowed(self, scope: Scope) -> bool:
        path: str = scope["path"]
        if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return True
        headers = dict(scope.get("headers") or [])
        scheme, _, credential = headers.get(b"authorization", b"").partition(b" ")
        if scheme.lower() == b"bearer" and valid_token(self.token, credential):
            return True
        if scope["method"] not in READ_METHODS:
            return False
        cookie = cookie_parser(headers.get(b"cookie", b"").decode("latin-1")).get(COOKIE, "")
        return valid_session(self.token, cookie)


def _asked_for(scope: Scope) -> str:
    """The path and query a request asked for, as sent (still percent-encoded)."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(scope["path"])
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode("latin-1")), (b"content-length", b"0"), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _server_token(request: Request) -> bytes | None:
    token: str | None = request.app.state.settings.token
    return token.strip().encode() if token is not None else None


def _same_origin(request: Request) -> bool:
    """Whether a form post came from this server's own pages: a browser names the page's origin on every POST."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


async def _form(request: Request) -> dict[str, str]:
    """The posted form's fields (urlencoded, as the sign-in form sends them); unreadable fields are dropped."""
    body = (await request.body()).decode("utf-8", "replace")
    try:
        return dict(parse_qsl(body, keep_blank_values=True, max_num_fields=8))
    except ValueError:
        return {}


@router.get(SIGN_IN)
def sign_in_form(request: Request, after: Annotated[str | None, Query(alias="next")] = None) -> Response:
    """The sign-in form; a server without a token has nothing to sign in to and goes on to ``next``."""
    if _server_token(request) is None:
        return RedirectResponse(local_path(after), 303)
    return page("sign_in.html", request=request, next=local_path(after), error=None)


@router.post(SIGN_IN)
async def sign_in(request: Request) -> Response:
    """Checks the token; right: the session cookie and on to ``next``; wrong: the form again, saying so (401)."""
    token = _server_token(request)
    form = await _form(request)
    target = local_path(form.get("next"))
    if token is None:
        return RedirectResponse(target, 303)
    if not _same_origin(request):
        return page("sign_in.html", 403, request=request, next=target, error="This form was sent from another site.")
    if not valid_token(token, form.get("token", "")):
        error = "That is not this server's token."
        return page("sign_in.html", 401, request=request, next=target, error=error)
    response = RedirectResponse(target, 303)
    expires = int(time.time()) + SESSION_SECONDS
    response.set_cookie(
        COOKIE,
        session_value(token, expires),
        max_age=SESSION_SECONDS,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        # Lax, not Strict: a link to a page from elsewhere (a chat, a mail) opens signed in; the cookie only reads.
        samesite="lax",
    )
    return response


@router.post(SIGN_OUT)
def sign_out(request: Request) -> Response:
    """Ends the browser's session (its cookie is cleared) and shows the sign-in form."""
    if not _same_origin(request):
        return RedirectResponse(HOME, 303)
    response = RedirectResponse(SIGN_IN if _server_token(request) is not None else HOME, 303)
    response.delete_cookie(COOKIE, path="/", secure=request.url.scheme == "https", httponly=True, samesite="lax")
    return response
