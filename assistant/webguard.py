"""Web guard: an ASGI middleware in front of the Gradio app.

- Host header check: only the names the server is meant to be reached by (localhost, 127.0.0.1,
  ::1 and the ``--host`` / ``--allow-host`` names), so a page on another site cannot reach a
  server bound to 127.0.0.1 through DNS rebinding.
- Security headers on every response: nosniff, no referrer, no framing, and a
  Content-Security-Policy that lets the page load only from its own origin.
- No uploads: the app takes no files, so Gradio's upload route is refused.

Plain ASGI, so nothing here imports Gradio or Starlette.
"""

from __future__ import annotations

import json

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")
# Gradio's page carries its config in inline <script> and <style> elements, so those are allowed
# inline; everything (scripts, styles, fonts, images, requests) must come from this origin.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; "
       "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
)
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")


def allowed_hosts(host: str | None, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Host names accepted in the Host header: the local names, the bound host (unless 0.0.0.0) and ``extra``."""
    names = {*LOCAL_HOSTS, *(h.lower() for h in extra)}
    if host and host not in ANY_ADDRESS:
        names.add(host.lower().strip("[]"))
    return frozenset(names)


def host_name(header: str) -> str:
    """The name part of a Host header: 'example.com:7860' → 'example.com', '[::1]:7860' → '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class WebGuard:
    """ASGI middleware: refuses unknown hosts and uploads, adds the security headers."""

    def __init__(self, app, hosts: frozenset[str] | None = frozenset(LOCAL_HOSTS)):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if self.hosts is not None and host not in self.hosts:  # None: a share link, reached by any name
            return await self._refuse(scope, send, 421, f"host {host!r} is not served here")
        path = scope.get("path", "")
        if scope["type"] == "http" and any(path.rstrip("/").endswith(p) for p in UPLOAD_PATHS):
            return await self._refuse(scope, send, 403, "uploads are not accepted")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await self.app(scope, receive, send_with_headers)

    @staticmethod
    async def _refuse(scope, send, status: int, reason: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"error": reason}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})


def middleware(hosts: frozenset[str] | None) -> list:
    """The guard as FastAPI ``middleware=[...]`` (for Gradio's ``launch(app_kwargs=...)``)."""
    from starlette.middleware import Middleware

    return [Middleware(WebGuard, hosts=hosts)]
