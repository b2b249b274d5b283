"""Security headers, CORS and the API docs, over HTTP through the app's own middleware.

The pages' side (the production build running under its policy) is tests/browser/test_csp.py.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from fastapi.responses import HTMLResponse, Response

from pickvs.api import create_app, docs, security
from pickvs.api.schemas import MAX_BODY_BYTES
from pickvs.config import SettingsError, load_settings, settings
from tests.api.conftest import TestClient
from tests.api.helpers import bearer, register

EVIL = "https://evil.example"


def assert_common_headers(response) -> None:
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/health", 200),
        ("get", "/openapi.json", 200),
        ("get", "/api/leaderboard", 200),
        ("get", "/api/picks/me", 401),  # an error answer carries them too
        ("get", "/api/nothing-here", 404),
        ("post", "/auth/login", 422),
    ],
)
def test_json_answers_carry_the_strict_policy(client, method, path, status) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert_common_headers(response)
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    assert "strict-transport-security" not in response.headers


def test_a_body_refused_for_its_size_carries_them_too(client) -> None:
    body = b"[" + b" " * MAX_BODY_BYTES + b"]"
    response = client.post("/api/picks", content=body, headers=bearer("x"))
    assert response.status_code == 413
    assert_common_headers(response)


def test_hsts_only_when_the_public_address_is_https(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "public_url", "http://picks.lan:3000")
    assert "strict-transport-security" not in client.get("/health").headers
    monkeypatch.setattr(settings, "public_url", "https://picks.example.com")
    response = client.get("/health")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


# --- the pages' policy ------------------------------------------------------------------------


def test_inline_scripts_of_the_built_pages_are_allowed_by_their_hash(tmp_path: Path) -> None:
    (tmp_path / "login").mkdir()
    (tmp_path / "index.html").write_text(
        '<html><head><script>window.a = 1;</script><script type="module" async="">'
        'import "/x.js";</script><script src="/assets/app.js"></script></head></html>'
    )
    (tmp_path / "login" / "index.html").write_text("<script>window.a = 1;</script>")
    (tmp_path / "app.js").write_text("<script>not html: not read</script>")

    hashes = security.inline_script_hashes(tmp_path)

    # Worked by hand: the base64 of SHA-256 over exactly the text between the tags.
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for text in ("window.a = 1;", 'import "/x.js";')
    }
    assert hashes == expected
    assert security.inline_script_hashes(tmp_path / "missing") == frozenset()


def test_pages_get_the_page_policy_with_the_build_hashes(
    engine, clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "index.html").write_text("<script>boot()</script>")
    boot = security.script_hash("boot()")
    monkeypatch.setattr(settings, "public_url", "https://picks.example.com")
    app = create_app(pages_dir=lambda: tmp_path)
    app.state.clock = clock
    # In the full app Reflex answers these paths (after the API's routes) with pages and assets.
    app.add_api_route("/slate", lambda: HTMLResponse("<p>a page</p>"))
    app.add_api_route("/assets/app.js", lambda: Response("boot()", media_type="text/javascript"))
    app.add_api_route("/cached", lambda: Response(status_code=304))  # a page from the cache
    with TestClient(app) as client:
        response = client.get("/slate")
        revalidated = client.get("/cached")
        asset = client.get("/assets/app.js")
        missing = client.get("/no-such-thing")  # the API's JSON 404
    # Scripts, styles, fonts and JSON: no CSP applies from them; the strictest policy, short.
    for other in (asset, missing):
        assert other.headers["content-security-policy"] == security.API_POLICY
        assert_common_headers(other)
    policy = dict(
        part.split(" ", 1) for part in response.headers["content-security-policy"].split("; ")
    )
    assert (
        revalidated.headers["content-security-policy"]
        == response.headers["content-security-policy"]
    )
    assert policy == {
        "default-src": "'self'",
        "script-src": f"'self' 'unsafe-eval' {boot}",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self' wss://picks.example.com",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert_common_headers(response)


def test_a_header_a_route_set_itself_is_kept(client) -> None:
    """The middleware adds what is missing and overwrites nothing (no duplicates either)."""
    response = client.get("/health")
    assert len(response.headers.get_list("content-security-policy")) == 1
    assert len(response.headers.get_list("x-frame-options")) == 1


# --- CORS ---------------------------------------------------------------------------------------


def test_another_origin_gets_no_cors(client) -> None:
    token = register(client, "ann")
    simple = client.get("/api/picks/me", headers={"Origin": EVIL, **bearer(token)})
    assert simple.status_code == 200  # answered (a browser then hides it from the page)
    assert "access-control-allow-origin" not in simple.headers
    assert "access-control-allow-credentials" not in simple.headers
    preflight = client.options(
        "/api/picks",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_a_configured_origin_may_call_with_a_token(
    engine, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "cors_origins", ["https://tools.example"])
    app = create_app()
    app.state.clock = clock
    with TestClient(app) as client:
        preflight = client.options(
            "/api/picks",
            headers={
                "Origin": "https://tools.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://tools.example"
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        # Tokens travel in a header, never a cookie: no credentialed CORS.
        assert "access-control-allow-credentials" not in preflight.headers
        assert_common_headers(preflight)
        other = client.get("/api/leaderboard", headers={"Origin": EVIL})
        assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    ("origin", "environ", "allowed"),
    [
        (None, {"HTTP_HOST": "picks.lan:3000"}, True),  # not a browser: nothing to check
        ("http://picks.lan:3000", {"HTTP_HOST": "picks.lan:3000"}, True),
        # Behind a TLS proxy the scheme differs from what the app sees; the host is what counts.
        ("https://picks.example.com", {"HTTP_HOST": "picks.example.com"}, True),
        (
            "https://picks.example.com",
            {"HTTP_HOST": "127.0.0.1:3000", "HTTP_X_FORWARDED_HOST": "picks.example.com"},
            True,
        ),
        (EVIL, {"HTTP_HOST": "picks.lan:3000"}, False),
        ("http://picks.lan:3001", {"HTTP_HOST": "picks.lan:3000"}, False),  # another port
        ("http://evil.example", {"HTTP_HOST": "picks.lan"}, False),
        ("null", {"HTTP_HOST": "picks.lan"}, False),  # a sandboxed or file: page
        (EVIL, {}, False),
    ],
)
def test_the_event_socket_accepts_its_own_host_only(origin, environ, allowed) -> None:
    assert security.socket_origin_allowed(origin, environ) is allowed


def test_the_event_socket_accepts_configured_and_public_origins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    behind_proxy = {"HTTP_HOST": "127.0.0.1:3000"}  # a proxy that rewrites Host
    assert not security.socket_origin_allowed("https://picks.example.com", behind_proxy)
    monkeypatch.setattr(settings, "public_url", "https://picks.example.com")
    assert security.socket_origin_allowed("https://picks.example.com", behind_proxy)
    monkeypatch.setattr(settings, "cors_origins", ["https://tools.example"])
    assert security.socket_origin_allowed("https://tools.example", behind_proxy)
    assert security.socket_origin_allowed(
        "http://localhost:3000", {}, also=["http://localhost:3000"]
    )
    assert not security.socket_origin_allowed(EVIL, {}, also=["*"])  # never "everyone"


# --- API docs -----------------------------------------------------------------------------------


def test_api_docs_are_off_by_default(client) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 404
    assert client.get("/openapi.json").status_code == 200  # the description stays public


def test_api_docs_when_on_load_nothing_from_another_host(
    engine, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("swagger_ui", reason="pip install -e '.[docs]'")
    monkeypatch.setattr(settings, "api_docs", True)
    app = create_app()
    app.state.clock = clock
    with TestClient(app) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        assert "http" not in page.text  # every script and style is a path on this app
        assert "<script>" not in page.text  # no inline script: the page policy needs no hash
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "init.js"):
            served = client.get(f"/docs/assets/{asset}")
            assert served.status_code == 200, asset
            assert served.headers["x-content-type-options"] == "nosniff"
        assert "/openapi.json" in client.get("/docs/assets/init.js").text
        assert client.get("/docs/assets/index.html").status_code == 404  # listed files only
        assert client.get("/docs/assets/..%2F__init__.py").status_code == 404
        assert "'unsafe-inline'" not in page.headers["content-security-policy"].split(";")[1]


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("PICKVS_CORS_ORIGINS", "*", "not an origin ['*']"),
        ("PICKVS_CORS_ORIGINS", "https://a.example/path", "not an origin"),
        ("PICKVS_CORS_ORIGINS", "a.example", "not an origin"),
        ("PICKVS_PUBLIC_URL", "picks.example.com", "not an http(s) address"),
        ("PICKVS_PUBLIC_URL", "ftp://picks.example.com", "not an http(s) address"),
    ],
)
def test_bad_origins_and_addresses_are_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert str(refused.value).startswith(f"{name}: ") and words in str(refused.value)
    assert "\n" not in str(refused.value)


def test_origins_and_the_public_address_are_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PICKVS_CORS_ORIGINS", " https://a.example/ , http://[::1]:8080")
    monkeypatch.setenv("PICKVS_PUBLIC_URL", "https://picks.example.com/")
    loaded = load_settings()
    assert loaded.cors_origins == ["https://a.example", "http://[::1]:8080"]
    assert loaded.public_url == "https://picks.example.com"


def test_api_docs_without_their_files_say_what_to_install(
    engine, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "api_docs", True)
    monkeypatch.setattr(docs, "bundle_dir", lambda: None)
    app = create_app()
    app.state.clock = clock
    with TestClient(app) as client:
        response = client.get("/docs")
        assert response.status_code == 503
        assert "pip install -e '.[docs]'" in response.json()["detail"]
        assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 404
