"""``newstrace serve``: the HTTP API and the web UI over one store (FastAPI on uvicorn)."""

from newstrace.web._app import DEFAULT_ANALYSIS_TIMEOUT, ServeSettings, create_app, is_loopback, serve

__all__ = ["DEFAULT_ANALYSIS_TIMEOUT", "ServeSettings", "create_app", "is_loopback", "serve"]
