"""Swagger UI at `/docs`, served from this app, never from a CDN (off unless PICKVS_API_DOCS).

FastAPI's own `/docs` loads Swagger UI's JavaScript from a CDN into a page on the app's origin:
whoever serves that file can run script as the app. Here the files come from the
`swagger-ui-py` package (`pip install -e '.[docs]'`), and the start-up call is a file too,
so the page runs under the same Content-Security-Policy as every other page. `/openapi.json`
stays public either way: it describes routes, not data.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response

from pickvs.api import errors
from pickvs.api.schemas import ErrorOut

# Only these files are served from the package's directory.
BUNDLE_FILES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
}
# Starts Swagger UI: served as a file, so the page's policy needs no inline-script exception.
INIT_JS = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
});
"""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>PickVs API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>
"""


def bundle_dir() -> Path | None:
    """Swagger UI's files (5.x, which reads OpenAPI 3.1) from the `swagger-ui-py` package, or
    None when it is not installed."""
    try:
        import swagger_ui
    except ImportError:
        return None
    return Path(swagger_ui.__file__).resolve().parent / "static"


MISSING = (
    "PICKVS_API_DOCS is on but Swagger UI's files are not installed: "
    "pip install -e '.[docs]' (the swagger-ui-py package); /openapi.json is served."
)


def install(app: FastAPI) -> None:
    """Add `/docs` and its assets to `app` (create the app with `docs_url=None`)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    def docs_page() -> Response:
        if bundle_dir() is None:
            return errors.error_response(503, ErrorOut(detail=MISSING))
        return HTMLResponse(PAGE)

    @router.get("/docs/assets/{name}")
    def docs_asset(name: str) -> Response:
        directory = bundle_dir()
        if name == "init.js":
            return Response(INIT_JS, media_type="text/javascript")
        if name in BUNDLE_FILES and directory is not None:
            return FileResponse(directory / name, media_type=BUNDLE_FILES[name])
        return errors.error_response(404, ErrorOut(detail="Not Found"))

    app.include_router(router)
