"""The real image, built and run by a Docker daemon, touching loopback only.

`build_image` runs `docker build` on the checkout's Dockerfile; `Container` runs it with its
data in a named volume, the way docker-compose.yml does, except for the network: the container
shares the host's network (`--network host`, so the daemon needs no bridge or iptables rules)
and the server listens on 127.0.0.1 only (PICKVS_HOST). The port is baked into the frontend at
build time, so the image is built for the port it is served on.

Used by tests/deploy/test_docker.py; scripts/test.sh starts a daemon first when it can.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.deploy.conftest import ARTIFACTS, ROOT, http

# The image the tests build and run; never pushed anywhere.
TEST_TAG = "pickvs:test"
# Kept the same from run to run while free, so that a rebuild with no change reuses every layer.
PREFERRED_PORT = int(os.environ.get("PICKVS_DOCKER_TEST_PORT", "39517"))
BUILD_TIMEOUT = float(os.environ.get("PICKVS_DOCKER_BUILD_TIMEOUT", "1500"))
# python:3.11-slim, else the stand-in scripts/docker-base.sh makes where no registry answers.
OFFICIAL_BASE = "python:3.11-slim"
STAND_IN_BASE = "pickvs-base:bookworm"
# The proxy settings Docker passes to RUN steps without persisting them in the image.
PROXY_ARGS = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")


class DockerUnavailable(RuntimeError):
    """No docker command, or no daemon answering it: the one line says which."""


def docker(*args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`docker ARGS`, its output as text; a failure raises with docker's own message."""
    result = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(
            f"docker {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}"
        )
    return result


def daemon_version() -> str:
    """The daemon's version, or DockerUnavailable saying why there is none."""
    if shutil.which("docker") is None:
        raise DockerUnavailable("no docker command on PATH")
    try:
        result = docker("version", "--format", "{{.Server.Version}}", timeout=20, check=False)
    except subprocess.TimeoutExpired as exc:
        raise DockerUnavailable("the Docker daemon did not answer within 20s") from exc
    if result.returncode != 0 or not result.stdout.strip():
        reason = (result.stderr.strip().splitlines() or ["no answer"])[-1]
        raise DockerUnavailable(f"no Docker daemon answers ({reason})")
    return result.stdout.strip()


def image_exists(name: str) -> bool:
    return docker("image", "inspect", name, check=False).returncode == 0


def image_id(name: str) -> str | None:
    result = docker("image", "inspect", "--format", "{{.Id}}", name, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def pulled(name: str) -> bool:
    return docker("pull", "--quiet", name, timeout=300, check=False).returncode == 0


def base_image() -> str:
    """The base to build on: PICKVS_DOCKER_BASE_IMAGE, else the official one when it is here or
    can be pulled, else the stand-in when it has been made."""
    chosen = os.environ.get("PICKVS_DOCKER_BASE_IMAGE")
    if chosen:
        return chosen
    if image_exists(OFFICIAL_BASE) or pulled(OFFICIAL_BASE):
        return OFFICIAL_BASE
    if image_exists(STAND_IN_BASE):
        return STAND_IN_BASE
    raise AssertionError(
        f"{OFFICIAL_BASE} cannot be pulled and there is no {STAND_IN_BASE}: run "
        "scripts/docker-base.sh as root (or set PICKVS_DOCKER_BASE_IMAGE)"
    )


def port_is_free(port: int) -> bool:
    """Nothing listens on it (connections of an earlier run left in TIME_WAIT do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port() -> int:
    if port_is_free(PREFERRED_PORT):
        return PREFERRED_PORT
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Image:
    tag: str
    base: str
    port: int  # baked into the frontend; the container serves on it
    build_seconds: float


def build_image(port: int, base: str, log_path: Path) -> Image:
    """`docker build` of the checkout for `port`, on `base`, with the host's network."""
    args = ["build", "--network", "host", "--build-arg", f"BASE_IMAGE={base}"]
    args += ["--build-arg", f"PICKVS_PORT={port}", "--tag", TEST_TAG]
    for name in PROXY_ARGS:
        if os.environ.get(name):
            args += ["--build-arg", name]  # passed from this environment, not stored
    previous = image_id(TEST_TAG)
    started = time.monotonic()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        try:
            result = subprocess.run(
                ["docker", *args, str(ROOT)], stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, timeout=BUILD_TIMEOUT, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"docker build took over {BUILD_TIMEOUT:.0f}s") from exc
    if result.returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-40:])
        raise AssertionError(f"docker build exited {result.returncode}:\n{tail}")
    if previous and previous != image_id(TEST_TAG):
        # The image this one replaces; its layers stay cached where the new one shares them.
        docker("rmi", previous, check=False)
    return Image(TEST_TAG, base, port, time.monotonic() - started)


@dataclass
class Container:
    """One container of the image, its /data in a named volume of its own (removed after)."""

    image: Image
    name: str = field(default_factory=lambda: f"pickvs-test-{uuid.uuid4().hex[:10]}")
    health_interval: str = "1s"  # the image's HEALTHCHECK, run often enough to watch

    @property
    def volume(self) -> str:
        return f"{self.name}-data"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.image.port}"

    def run(self) -> float:
        """`docker run`: a new container on a new volume; seconds until /health answers."""
        started = time.monotonic()
        docker(
            "run", "--detach", "--name", self.name,
            # The host's network, the server on loopback only: nothing else can reach it.
            "--network", "host", "--env", "PICKVS_HOST=127.0.0.1",
            "--volume", f"{self.volume}:/data",
            "--health-interval", self.health_interval, "--health-start-period", "60s",
            self.image.tag,
        )  # fmt: skip
        return self.wait_healthy(started)

    def start(self) -> float:
        """`docker start` of the stopped container; seconds until /health answers."""
        started = time.monotonic()
        docker("start", self.name)
        return self.wait_healthy(started)

    def stop(self, timeout: int = 60) -> tuple[int, float]:
        """`docker stop` (SIGTERM to PID 1); its exit code and how long it took."""
        started = time.monotonic()
        docker("stop", "--time", str(timeout), self.name, timeout=timeout + 30)
        return int(self.inspect("{{.State.ExitCode}}")), time.monotonic() - started

    def wait_healthy(self, started: float, limit: float = 90) -> float:
        while True:
            elapsed = time.monotonic() - started
            if self.inspect("{{.State.Running}}") != "true":
                raise AssertionError(f"the container exited:\n{self.logs()}")
            with contextlib.suppress(OSError):
                if http("GET", f"{self.url}/health", timeout=2)[0] == 200:
                    return elapsed
            if elapsed > limit:
                raise AssertionError(f"no /health after {elapsed:.0f}s:\n{self.logs()}")
            time.sleep(0.1)

    def wait_docker_health(self, limit: float = 30) -> str:
        """The status of the image's own HEALTHCHECK once it has run (or `limit` passed)."""
        deadline = time.monotonic() + limit
        while True:
            status = self.inspect("{{.State.Health.Status}}")
            if status != "starting" or time.monotonic() > deadline:
                return status
            time.sleep(0.5)

    def inspect(self, template: str) -> str:
        return docker("inspect", "--format", template, self.name).stdout.strip()

    def exec(self, *command: str) -> str:
        return docker("exec", self.name, *command).stdout

    def logs(self, lines: int = 60) -> str:
        result = docker("logs", "--tail", str(lines), self.name, check=False)
        return result.stdout + result.stderr

    def remove(self) -> None:
        """Teardown: the container and its volume, whatever state they are in."""
        if docker("container", "inspect", self.name, check=False).returncode == 0:
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"docker-{self.name}.log").write_text(self.logs(lines=10_000))
        docker("rm", "--force", "--volumes", self.name, check=False)
        docker("volume", "rm", "--force", self.volume, check=False)


def listening_addresses(port: int) -> set[str]:
    """The local IPv4/IPv6 addresses with a socket listening on `port` (from /proc/net)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, _, hex_port = local.rpartition(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found
