"""Security headers for everything the app serves, and who may call it from another origin.

One ASGI middleware, `SecurityHeaders`, wraps the outermost app: the JSON API, `/health`, and,
mounted inside it by Reflex (`api_transformer`), the compiled pages, their assets and the event
socket. Every HTTP response gets:

- `Content-Security-Policy`. Pages: scripts only from this origin plus the inline scripts of
  the built pages, allowed by their SHA-256 (`inline_script_hashes`, read once from the build
  directory, so no `'unsafe-inline'` for scripts: an injected `<script>`, `onerror=` handler or
  `javascript:` URL does not run; `'unsafe-eval'` because Reflex evaluates the JavaScript of
  `rx.call_script` events, which only the server sends); styles from this origin and inline (Emotion and Radix write
  `<style>` elements and `style` attributes at run time); images and fonts from this origin and
  `data:`; connections to this origin (`'self'` covers the event socket's `ws:`/`wss:` on the
  same host and port). That policy goes on HTML documents only; everything else (JSON, the
  pages' scripts, styles, fonts and images) gets `default-src 'none'`, as CSP from a
  non-document response is not applied anyway. Both say `frame-ancestors 'none'`.
- `X-Frame-Options: DENY` (frame protection for browsers without CSP level 2),
  `X-Content-Type-Options: nosniff`, `Referrer-Policy: strict-origin-when-cross-origin`.
- `Strict-Transport-Security` only when `PICKVS_PUBLIC_URL` is https: sent over plain http it
  would be ignored, and sent by an app reached over http it would lock players out.

A header a route set itself is left alone (the API docs page sets its own policy).

CORS: the app's own origin needs none. Other origins get no `Access-Control-Allow-Origin`
unless listed in `PICKVS_CORS_ORIGINS`; `socket_origin_allowed` applies the same rule to the
event socket's handshake, where browsers send `Origin` but enforce nothing themselves.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pickvs.config import settings

log = logging.getLogger("pickvs.api")

# Paths that never answer a page (JSON, and the event socket's handshake): the strictest policy.
JSON_PREFIXES = ("/auth/", "/api/", "/_event")
JSON_PATHS = frozenset({"/health", "/openapi.json"})

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000; includeSubDomains"

# An inline script: no `src` attribute. Its hash is over the exact text between the tags.
_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\ssrc\s*=)(?:\s[^>]*)?>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)


def is_json_path(path: str) -> bool:
    return path in JSON_PATHS or path.startswith(JSON_PREFIXES)


def script_hash(source: str) -> str:
    """A CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_script_hashes(directory: Path | None) -> frozenset[str]:
    """The hash of every inline script in the HTML files under `directory` (the built pages).

    The production build prerenders each route into a static file whose inline scripts
    (React Router's context and route imports, React's streaming helpers, the colour-mode
    script) are fixed at build time: reading them once from disk allows exactly these.
    """
    if directory is None or not directory.is_dir():
        return frozenset()
    hashes = set()
    for page in sorted(directory.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        hashes.update(script_hash(match.group(1)) for match in _INLINE_SCRIPT.finditer(text))
    return frozenset(hashes)


def websocket_origins(url: str | None) -> list[str]:
    """`https://host` → `wss://host`: the event socket's origin behind a public address."""
    if not url:
        return []
    parts = urlsplit(url)
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme)
    return [f"{scheme}://{parts.netloc}"] if scheme and parts.netloc else []


def page_policy(script_hashes: Iterable[str], public_url: str | None = None) -> str:
    """The Content-Security-Policy of the pages (see the module docstring for each part)."""
    # 'unsafe-eval': Reflex runs `rx.call_script` payloads (JavaScript the server sends over the
    # event socket, e.g. the admin form's focus) through eval(). Only the server writes those;
    # inline and injected scripts stay blocked. Drop it once no page uses call_script.
    scripts = " ".join(["'self'", "'unsafe-eval'", *sorted(script_hashes)])
    connect = " ".join(["'self'", *websocket_origins(public_url)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def may_be_a_page(content_type: str | None) -> bool:
    """HTML, or no type at all: a 304 revalidating a cached page carries no Content-Type, and
    the browser then takes the 304's policy for the page it shows from its cache."""
    return content_type is None or content_type.split(";")[0].strip().lower() == "text/html"


def security_headers(
    path: str, page_scripts: Iterable[str], content_type: str | None = "text/html"
) -> dict[str, str]:
    """Every header `SecurityHeaders` adds to a response for `path`, read from the settings.

    Only HTML documents get the pages' policy, with a hash per inline script of the build: a
    browser applies no CSP from a script, style sheet, font or image response, and the hashes
    sent with each of a page load's two dozen assets were most of the bytes the slate added to
    a blank Reflex app (`python -m bench page`). Everything else gets the strictest policy,
    which also keeps an SVG or JSON opened on its own from running anything.
    """
    public_url = settings.public_url
    page = not is_json_path(path) and may_be_a_page(content_type)
    policy = page_policy(page_scripts, public_url) if page else API_POLICY
    headers = {
        "content-security-policy": policy,
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
    }
    if public_url and public_url.startswith("https://"):
        headers["strict-transport-security"] = HSTS
    return headers


class SecurityHeaders:
    """ASGI middleware adding `security_headers` to every HTTP response (not WebSockets).

    `pages_dir` names the built pages' directory when this app serves them; it is called on
    the first request (the build may finish after this module is imported) and the hashes of
    its inline scripts kept from then on.
    """

    def __init__(self, app: ASGIApp, pages_dir: Callable[[], Path | None] | None = None) -> None:
        self.app = app
        self.pages_dir = pages_dir
        self._page_scripts: frozenset[str] | None = None

    def page_scripts(self) -> frozenset[str]:
        if self._page_scripts is None:
            directory = self.pages_dir() if self.pages_dir else None
            self._page_scripts = inline_script_hashes(directory)
            if directory is not None:
                log.info("%d inline page script(s) allowed by hash", len(self._page_scripts))
        return self._page_scripts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        page_scripts = frozenset() if is_json_path(path) else self.page_scripts()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                content_type = headers.get("content-type")
                for name, value in security_headers(path, page_scripts, content_type).items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- cross-origin callers ---------------------------------------------------------------------


def allowed_origins() -> list[str]:
    """The other origins allowed to call the app with a player's credentials."""
    return list(settings.cors_origins)


def socket_origin_allowed(
    origin: str | None, environ: Mapping[str, Any], also: Iterable[str] = ()
) -> bool:
    """Whether the event socket accepts a handshake sent with this `Origin`.

    Browsers send `Origin` on a WebSocket handshake but apply no CORS to it, so the server must
    refuse other sites itself (cross-site WebSocket hijacking). Accepted: no `Origin` (not a
    browser), the app's own host (the `Host` the browser used, or `X-Forwarded-Host` from a
    proxy that rewrites `Host`; compared without the scheme, which a TLS proxy hides), the host
    of `PICKVS_PUBLIC_URL`, the origins in `PICKVS_CORS_ORIGINS` and those in `also` (Reflex's
    `cors_allowed_origins`, which adds the dev frontend's address).
    """
    if not origin:
        return True
    if origin in allowed_origins() or (origin in also and origin != "*"):
        return True
    origin_host = urlsplit(origin).netloc.lower()
    if not origin_host:
        return False
    own_hosts = {
        str(environ.get(key, "")).split(",")[0].strip().lower()
        for key in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST")
    }
    if settings.public_url:
        own_hosts.add(urlsplit(settings.public_url).netloc.lower())
    return origin_host in own_hosts - {""}
