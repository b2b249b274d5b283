"""The container's start path, run without a Docker engine: the same scripts, the same settings.

`frontend_build` runs scripts/build-frontend.sh (the Dockerfile's builder stage) once per
session; `ServedApp` starts scripts/serve.sh (the image's CMD) with the runtime stage's `ENV`
read from the Dockerfile, a temporary directory standing in for the `/data` volume. Run with
`python -m pytest -m "deploy and not docker" tests/deploy` (scripts/test.sh does), after
`scripts/setup.sh --test`. test_docker.py (marked `docker` too) builds and runs the real image.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.app import free_port, spawn
from tests.redis_server import throwaway_redis
from tests.reporting import report_line

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
BUILD_SCRIPT = ROOT / "scripts" / "build-frontend.sh"
SERVE_SCRIPT = ROOT / "scripts" / "serve.sh"
ARTIFACTS = ROOT / "test-artifacts"
# Kept between runs for its node_modules (a cold build fetches ~200 MB of packages); the build
# itself is redone every run. Overridable so two checkouts can build side by side.
DEPLOY_WEB_DIR = Path(os.environ.get("PICKVS_DEPLOY_WEB_DIR", str(ROOT / ".tools" / "deploy-web")))
BUILD_TIMEOUT = float(os.environ.get("PICKVS_DEPLOY_BUILD_TIMEOUT", "900"))

# The bound: the image serves within 15 s of start, without rebuilding the frontend.
START_LIMIT = 15.0
# The container paths the tests replace with local ones; every other ENV applies unchanged.
CONTAINER_ONLY = {"PATH": None, "PICKVS_DATA_DIR": "/data", "PICKVS_PORT": None}
# Settings an operator's shell or .env must not slip into the run.
SCRUBBED_PREFIXES = ("PICKVS_", "ODDS_API_", "REFLEX_", "GRANIAN_")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "docker: builds the real image and runs it in a Docker daemon (test_docker.py; skipped "
        "when no daemon answers)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The suite-wide timeout covers test bodies; the build has its own BUILD_TIMEOUT."""
    for item in items:
        if item.get_closest_marker("deploy") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(func_only=True))


def dockerfile_runtime_env(path: Path = DOCKERFILE) -> dict[str, str]:
    """The `ENV` settings of the Dockerfile's last stage (the runtime image), in order."""
    text = path.read_text()
    instructions = text.replace("\\\n", " ").splitlines()
    last_from = max(
        i for i, line in enumerate(instructions) if line.strip().upper().startswith("FROM ")
    )
    env: dict[str, str] = {}
    for line in instructions[last_from:]:
        if line.strip().upper().startswith("ENV "):
            for pair in shlex.split(line, comments=True)[1:]:
                name, sep, value = pair.partition("=")
                assert sep, f"Dockerfile: write ENV as NAME=value, not {pair!r}"
                env[name] = value
    return env


def base_env() -> dict[str, str]:
    """The test process's environment without any PickVs, provider or Reflex setting."""
    return {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}


def _tail(path: Path, lines: int = 60) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class FrontendBuild:
    web_dir: Path
    port: int  # the port baked into the build (REFLEX_API_URL), and the one it is served on

    @property
    def client_dir(self) -> Path:
        return self.web_dir / "build" / "client"

    def snapshot(self) -> dict[str, int]:
        """Every built file with its modification time: a rebuild changes it."""
        return {
            str(path.relative_to(self.web_dir)): path.stat().st_mtime_ns
            for path in sorted(self.client_dir.rglob("*"))
            if path.is_file()
        }


@pytest.fixture(scope="session")
def frontend_build(pytestconfig: pytest.Config) -> FrontendBuild:
    """scripts/build-frontend.sh, exactly as the Dockerfile's builder stage runs it."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "deploy-build.log"
    env = base_env() | {"PICKVS_PORT": str(port), "REFLEX_WEB_WORKDIR": str(DEPLOY_WEB_DIR)}
    started = time.monotonic()
    with log_path.open("wb") as log:
        try:
            result = subprocess.run(
                [str(BUILD_SCRIPT)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            pytest.fail(f"build-frontend.sh took over {BUILD_TIMEOUT:.0f}s:\n{_tail(log_path)}")
    if result.returncode != 0:
        pytest.fail(f"build-frontend.sh exited {result.returncode}:\n{_tail(log_path)}")
    report_line(pytestconfig, f"frontend built in {time.monotonic() - started:.0f}s")
    return FrontendBuild(web_dir=DEPLOY_WEB_DIR, port=port)


@pytest.fixture
def report(pytestconfig: pytest.Config):
    return lambda line: report_line(pytestconfig, line)


def http(
    method: str, url: str, body: object = None, token: str | None = None, timeout: float = 5
) -> tuple[int, object]:
    """One JSON request; returns (status, decoded body), HTTP errors included."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


@dataclass
class ServedApp:
    """scripts/serve.sh as the container runs it: runtime ENV, one data directory, one port."""

    build: FrontendBuild
    data_dir: Path
    work: Path
    settings: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.build.port}"

    def env(self) -> dict[str, str]:
        runtime = dockerfile_runtime_env()
        for name, container_value in CONTAINER_ONLY.items():
            if container_value is not None:
                assert runtime.get(name) == container_value, f"Dockerfile ENV {name}"
        env = base_env() | {k: v for k, v in runtime.items() if k not in CONTAINER_ONLY}
        env |= {
            "PICKVS_DATA_DIR": str(self.data_dir),  # the /data volume
            "PICKVS_PORT": str(self.build.port),
            "REFLEX_WEB_WORKDIR": str(self.build.web_dir),  # /app/.web in the image
            "REFLEX_STATES_WORKDIR": str(self.work / "states"),
            "REFLEX_DIR": str(self.work / "reflex"),
            # Empty means unset to PickVs, and wins over a .env in the checkout.
            "DATABASE_URL": "",
            "ODDS_API_KEY": "",
            "PICKVS_SECRET_KEY": "",
            "PICKVS_SCHEDULER": "true",
        }
        return env | self.settings

    def start(self) -> float:
        """Start serve.sh and wait for /health; returns the seconds it took."""
        assert self.process is None, "already running"
        self.starts += 1
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"deploy-serve-{self.work.name}-{self.starts}.log"
        started = time.monotonic()
        self.process = spawn([str(SERVE_SCRIPT)], ROOT, self.env(), self.log_path)
        while True:
            elapsed = time.monotonic() - started
            if self.process.poll() is not None:
                pytest.fail(f"serve.sh exited {self.process.returncode}:\n{self.log_tail()}")
            if self._healthy():
                return elapsed
            if elapsed > 4 * START_LIMIT:
                pytest.fail(f"no /health after {elapsed:.0f}s:\n{self.log_tail()}")
            time.sleep(0.1)

    def _healthy(self) -> bool:
        try:
            status, body = http("GET", f"{self.url}/health", timeout=2)
        except OSError:
            return False
        return status == 200 and isinstance(body, dict) and body["database"]["ok"] is True

    def terminate(self, timeout: float = 30) -> tuple[int, float]:
        """SIGTERM to the server process only, as `docker stop` signals PID 1."""
        assert self.process is not None
        sent = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {timeout:.0f}s after SIGTERM:\n{self.log_tail()}")
        took = time.monotonic() - sent
        pid, self.process = self.process.pid, None
        leftover = _group_alive(pid)
        assert not leftover, f"workers outlived the server after SIGTERM:\n{self.log_tail()}"
        return code, took

    def kill(self) -> None:
        """Teardown after a failure: nothing of the group may survive the test."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def log_tail(self) -> str:
        return _tail(self.log_path) if self.log_path else ""

    def processes(self) -> list[int]:
        """The server and its workers: every process in its group."""
        assert self.process is not None
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    if os.getpgid(int(entry)) == self.process.pid:
                        pids.append(int(entry))
        return pids


def _group_alive(pgid: int, grace: float = 3.0) -> bool:
    """True if any process of the group is still there after `grace` seconds."""
    deadline = time.monotonic() + grace
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            return True
        time.sleep(0.1)


@pytest.fixture
def served_app(frontend_build: FrontendBuild, tmp_path: Path) -> Iterator[ServedApp]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()  # the image creates /data, owned by its user
    app = ServedApp(build=frontend_build, data_dir=data_dir, work=tmp_path)
    try:
        yield app
    finally:
        app.kill()


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with throwaway_redis(tmp_path) as url:
        yield url
