"""Start and stop real PickVs servers for the scale and outage tests, the way an operator does:
`scripts/start.sh` (migrate, seed the demo league when empty, `reflex run --env prod`).

The environment, readiness probe and process-group teardown are the browser suite's own
(tests/browser/conftest.py); only the web dir differs, so a build here never clashes with the
browser suite's build in .tools/e2e-web.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.app import ROOT, answers, server_env, spawn, stop

SCALE_WEB_DIR = Path(os.environ.get("PICKVS_SCALE_WEB_DIR", str(ROOT / ".tools" / "scale-web")))
SECRET_KEY = "pickvs-scale-tests-signing-key-0123456789abcdef012345"  # shared by every instance


@dataclass
class Server:
    """One `reflex run` process group (its supervisor and workers) on its own port."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        stop(self.process)


def start_server(
    *,
    port: int,
    database_url: str,
    work: Path,
    log_path: Path,
    backend_only: bool = False,
    workers: int | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 900,
) -> Server:
    """`scripts/start.sh` (pages and backend, or the backend alone), ready to serve."""
    data_dir = work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(
        port, SCALE_WEB_DIR, work / "states", data_dir=data_dir, database_url=database_url
    )
    env["PICKVS_SECRET_KEY"] = SECRET_KEY
    env.update(extra_env or {})
    command = [str(ROOT / "scripts" / "start.sh")]
    if workers is not None:
        command += ["--workers", str(workers)]
    if backend_only:
        command += ["--backend-only", "--backend-port", str(port)]
    else:  # prod serves both on one port, and Reflex insists the two are equal
        command += ["--frontend-port", str(port), "--backend-port", str(port)]
    command += ["--backend-host", "127.0.0.1", "--loglevel", "info"]
    process = spawn(command, ROOT, env, log_path)
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    try:
        wait_until_serving(server, backend_only, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_serving(server: Server, backend_only: bool, timeout: float) -> None:
    started = time.monotonic()
    while not (
        answers(f"{server.url}/ping", "pong")
        and (backend_only or answers(f"{server.url}/", "PickVs"))
    ):
        if server.process.poll() is not None:
            raise RuntimeError(
                f"reflex exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        if time.monotonic() - started > timeout:
            raise RuntimeError(
                f"{server.url} did not answer in {timeout:.0f}s:\n{server.log_tail()}"
            )
        time.sleep(1)


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    seconds: float
    headers: dict[str, str]


def lowered(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def call(
    url: str, method: str = "GET", body: Any = None, token: str | None = None, timeout: float = 30
) -> Reply:
    """One real HTTP request; any status comes back as a Reply, with its JSON body parsed."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, headers = response.status, response.read(), lowered(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), lowered(error.headers)
    seconds = time.monotonic() - started
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Reply(status, parsed, seconds, headers)
