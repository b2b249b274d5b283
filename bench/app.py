"""Start a Reflex app's production build (`reflex run --env prod`) on loopback, and stop it.

Shared by the benchmarks (bench/live.py, bench/page.py) and the browser tests
(tests/browser/conftest.py), so both measure and test exactly the server players get: one port
serving the compiled pages, the event socket and the JSON API.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUN_BIN = ROOT / ".tools" / "bun" / "node_modules" / ".bin"
# The first start compiles the pages, installs the frontend packages and runs the Vite build.
START_TIMEOUT = float(os.environ.get("PICKVS_E2E_START_TIMEOUT", "900"))

CHROMIUM = os.environ.get("PICKVS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class StartFailed(RuntimeError):
    """The server exited or did not answer in time; the message carries its log's tail."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(
    port: int,
    web_dir: Path,
    states_dir: Path,
    *,
    data_dir: Path | None = None,
    database_url: str | None = None,
) -> dict[str, str]:
    """The environment of `reflex run --env prod` on `port`: offline, building in `web_dir`.

    With `data_dir` and `database_url` it is PickVs's environment (demo source, that database);
    without them, any Reflex app's (the blank app the page benchmark compares against).
    """
    env = dict(os.environ)
    env.update(
        {
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_CHECK_LATEST_VERSION": "false",
            # Baked into the build as the backend's address. In prod the backend serves the
            # frontend on the same port; the browser swaps `localhost` for the page's own host.
            "REFLEX_API_URL": f"http://localhost:{port}",
            "REFLEX_DEPLOY_URL": f"http://localhost:{port}",
            # Build in a web dir of its own (kept between runs for its node_modules), and keep
            # session state apart, so a dev server running from this checkout is left alone.
            "REFLEX_WEB_WORKDIR": str(web_dir),
            "REFLEX_STATES_WORKDIR": str(states_dir),
            "REFLEX_DIR": env.get("REFLEX_DIR", str(ROOT / ".tools" / "reflex")),
            "NPM_CONFIG_REGISTRY": env.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if data_dir is not None and database_url is not None:
        env.update(
            {
                "PICKVS_DATA_DIR": str(data_dir),
                "DATABASE_URL": database_url,
                # Empty (not unset) so an operator's .env cannot switch to a live key.
                "ODDS_API_KEY": "",
            }
        )
    for name in ("REFLEX_FRONTEND_PORT", "REFLEX_BACKEND_PORT", "REFLEX_ENV_MODE"):
        env.pop(name, None)
    if (BUN_BIN / "bun").exists():
        # bun from npm, installed by scripts/setup.sh; Reflex's own bun download fails offline.
        env["PATH"] = f"{BUN_BIN}{os.pathsep}{env.get('PATH', '')}"
        env["REFLEX_USE_SYSTEM_BUN"] = "1"
    return env


def answers(url: str, expect: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200 and expect in response.read().decode(errors="replace")
    except (OSError, urllib.error.URLError):
        return False


def spawn(
    command: list[str], cwd: Path, env: dict[str, str], log_path: Path
) -> subprocess.Popen[bytes]:
    """Start a server with its output in `log_path`, in a process group of its own, so that
    `stop` reaches every worker and bun it spawns."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Reflex and everything it spawned (server workers, bun): the whole process group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # group already gone
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):  # then SIGKILL below
            process.wait(timeout=20)
    # Workers may outlive the parent by a moment; SIGKILL whatever is left of the group.
    with contextlib.suppress(ProcessLookupError):  # group already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def log_tail(path: Path, lines: int = 60) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class Server:
    """A running `reflex run --env prod`: its address, process and log."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    ready_after: float  # seconds from launch to the first page served (build included)


def start(
    cwd: Path,
    port: int,
    env: dict[str, str],
    log_path: Path,
    *,
    expect: str,
    timeout: float = START_TIMEOUT,
) -> Server:
    """Launch the app in `cwd` on `port` and wait until `/` answers containing `expect`.

    Raises StartFailed (with the log's tail) if it exits first or takes longer than `timeout`;
    the process is stopped in that case.
    """
    # Prod serves frontend and backend on one port, and Reflex requires the two to be equal.
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--loglevel", "info",
               "--frontend-port", str(port), "--backend-port", str(port),
               "--backend-host", "127.0.0.1"]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    process = spawn(command, cwd, env, log_path)
    started = time.monotonic()
    try:
        while not (answers(f"{url}/ping", "pong") and answers(f"{url}/", expect)):
            if process.poll() is not None:
                raise StartFailed(
                    f"reflex exited with {process.returncode} before serving:\n{log_tail(log_path)}"
                )
            if time.monotonic() - started > timeout:
                raise StartFailed(
                    f"{cwd.name} did not answer on {url} within {timeout:.0f}s "
                    f"(PICKVS_E2E_START_TIMEOUT):\n{log_tail(log_path)}"
                )
            time.sleep(1)
    except BaseException:
        stop(process)
        raise
    return Server(url, process, log_path, time.monotonic() - started)


@contextlib.contextmanager
def running(
    cwd: Path, port: int, env: dict[str, str], log_path: Path, *, expect: str
) -> Iterator[Server]:
    """`start` as a context manager: the server is stopped on leaving, whatever happened."""
    server = start(cwd, port, env, log_path, expect=expect)
    try:
        yield server
    finally:
        stop(server.process)


def tree_pids(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may hold spaces and parentheses: the ppid follows the last ')'.
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, from /proc (Linux)."""
    total, page = 0, os.sysconf("SC_PAGE_SIZE")
    for current in tree_pids(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * page
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by `pid` and its living descendants, from /proc.

    Under a load shared with other work, CPU seconds per request say what the server itself
    costs where wall-clock latency also says how busy the machine was.
    """
    ticks, hertz = 0, os.sysconf("SC_CLK_TCK")
    for current in tree_pids(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / hertz


BENCH_WEB_DIR = Path(os.environ.get("PICKVS_BENCH_WEB_DIR", str(ROOT / ".tools" / "bench-web")))


@contextlib.contextmanager
def pickvs_served(workdir: Path, database_url: str, secret: str, name: str) -> Iterator[Server]:
    """PickVs's production build on a free loopback port, on `database_url`, signing tokens
    with `secret`, with the scheduler off (no demo games join the benchmark's slate)."""
    port = free_port()
    data_dir = workdir / f"{name}-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(
        port, BENCH_WEB_DIR, workdir / f"{name}-states", data_dir=data_dir,
        database_url=database_url,
    )  # fmt: skip
    env.update({"PICKVS_SECRET_KEY": secret, "PICKVS_SCHEDULER": "false"})
    with running(ROOT, port, env, workdir / f"{name}-server.log", expect="PickVs") as server:
        yield server
