#!/usr/bin/env bash
# Run every check CI runs: ruff, the test suite on SQLite and PostgreSQL, the browser tests
# against the production build in Debian's headless Chromium, then the container's scripts, the
# image built and run by Docker, and the scale tests (several workers on Redis, a database
# outage).
#
#   ./scripts/test.sh
#
# Installs what is missing: the venv with test extras and bun (setup.sh), Debian's chromium
# (apt, when root or with passwordless sudo); in CI (CI=true) also Docker (see "Docker" below).
# Uses the PostgreSQL on 127.0.0.1:5432 when it answers, else a throwaway cluster that is removed on exit; a preset PICKVS_TEST_DATABASE_URL
# wins over both. All steps run even after a failure; the exit status is non-zero if any failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ "$#" -gt 0 ]; then
    echo "usage: scripts/test.sh  (takes no arguments; run pytest directly for a subset)" >&2
    exit 2
fi

# shellcheck source=scripts/setup.sh
. "$ROOT/scripts/setup.sh" --test

log() { echo "test.sh: $*" >&2; }

# Run a command as root: directly when we are root, else through passwordless sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

# --- Chromium --------------------------------------------------------------------------------
# Playwright cannot download its own browsers here; the browser tests drive Debian's build.
ensure_chromium() {
    [ -x /usr/bin/chromium ] && return 0
    log "installing Debian's chromium (apt)"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            chromium fonts-liberation >/dev/null; then
        log "/usr/bin/chromium is missing and could not be installed (need root or sudo)"
        return 1
    fi
}

# --- Redis -------------------------------------------------------------------------------------
# The deploy and scale suites start throwaway Redis servers of their own (several workers share
# Reflex's state there); only the binary is needed.
ensure_redis_server() {
    command -v redis-server >/dev/null 2>&1 && return 0
    log "installing Debian's redis-server (apt)"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            redis-server >/dev/null; then
        log "redis-server is missing and could not be installed (need root or sudo)"
        return 1
    fi
}

# --- PostgreSQL ------------------------------------------------------------------------------
PG_TMP=""
PG_USER=""
PG_BIN=""

# initdb and postgres refuse to run as root, so a root caller runs them as `postgres`.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

pg_answers() {
    python - "$1" <<'EOF' >/dev/null 2>&1
import sys

import psycopg

psycopg.connect(sys.argv[1], connect_timeout=3).close()
EOF
}

free_port() {
    python - <<'EOF'
import socket

def bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
        return s.getsockname()[1]

print(bindable(55432) or bindable(0))
EOF
}

stop_postgres() {
    [ -n "$PG_TMP" ] || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
    PG_TMP=""
}

# The newest server under /usr/lib/postgresql/<version>/bin, as Debian installs them.
latest_pg_bin() {
    local dirs=(/usr/lib/postgresql/*/bin)
    [ -x "${dirs[0]}/initdb" ] || return 1
    printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1
}

start_throwaway_postgres() {
    if ! PG_BIN="$(latest_pg_bin)"; then
        log "installing PostgreSQL server binaries (apt)"
        if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                postgresql >/dev/null \
            || ! PG_BIN="$(latest_pg_bin)"; then
            log "no PostgreSQL answers and none could be installed (need root or sudo);" \
                "set PICKVS_TEST_DATABASE_URL to an admin URL of a test server"
            return 1
        fi
    fi
    if [ "$(id -u)" -eq 0 ]; then
        PG_USER=postgres
        id "$PG_USER" >/dev/null 2>&1 \
            || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    fi

    local port
    port="$(free_port)"
    PG_TMP="$(mktemp -d "${TMPDIR:-/tmp}/pickvs-pg.XXXXXX")"
    trap stop_postgres EXIT
    trap 'stop_postgres; exit 130' INT TERM
    [ -n "$PG_USER" ] && chown "$PG_USER" "$PG_TMP"

    log "starting a throwaway PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$port"
    as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --locale=C \
        >"$PG_TMP/initdb.log" 2>&1 || {
        cat "$PG_TMP/initdb.log" >&2
        return 1
    }
    # Durability is pointless for a cluster deleted on exit: skip fsync for speed.
    as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
        -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_TMP" \
        -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || {
        cat "$PG_TMP/server.log" >&2
        return 1
    }
    export PICKVS_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

ensure_postgres() {
    if [ -n "${PICKVS_TEST_DATABASE_URL:-}" ]; then
        log "using PICKVS_TEST_DATABASE_URL from the environment"
    elif pg_answers "postgresql://postgres@127.0.0.1:5432/postgres"; then
        export PICKVS_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/postgres"
        log "using the PostgreSQL on 127.0.0.1:5432"
    else
        start_throwaway_postgres
    fi
    pg_answers "$PICKVS_TEST_DATABASE_URL" || {
        log "PostgreSQL at $PICKVS_TEST_DATABASE_URL does not accept connections"
        return 1
    }
}

# --- Docker ----------------------------------------------------------------------------------
# tests/deploy/test_docker.py builds the real image and runs it. A daemon that answers is used as
# it is. In CI (CI=true, root) a missing one is installed (Debian's docker.io) and started for
# this step only, confined to loopback: no bridge, no iptables or forwarding rules; builds and
# containers use the host's network and the app listens on 127.0.0.1. Elsewhere, no daemon means
# the step is skipped with one line. Without a registry, the base is the stand-in that
# scripts/docker-base.sh makes once (debootstrap) and the daemon keeps.
DOCKERD_PIDFILE=""
DOCKER_LOG="$ROOT/test-artifacts/dockerd.log"

docker_answers() {
    command -v docker >/dev/null 2>&1 \
        && timeout 20 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

apt_install() {
    log "installing $* (apt)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            -o DPkg::Lock::Timeout=300 "$@" >/dev/null
}

start_dockerd() {
    local started=$SECONDS
    command -v dockerd >/dev/null 2>&1 || apt_install docker.io || return 1
    mkdir -p "$(dirname "$DOCKER_LOG")"
    DOCKERD_PIDFILE="$(mktemp -u "${TMPDIR:-/tmp}/pickvs-dockerd.XXXXXX").pid"
    trap 'stop_dockerd; stop_postgres' EXIT
    trap 'stop_dockerd; stop_postgres; exit 130' INT TERM
    as_root dockerd --pidfile "$DOCKERD_PIDFILE" --host unix:///var/run/docker.sock \
        --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
        --userland-proxy=false >"$DOCKER_LOG" 2>&1 &
    local job=$!
    while ! docker_answers; do
        if ! kill -0 "$job" 2>/dev/null || [ $((SECONDS - started)) -gt 60 ]; then
            log "dockerd exited or did not answer within 60s:"
            tail -n 20 "$DOCKER_LOG" >&2
            return 1
        fi
        sleep 1
    done
    log "started dockerd $(docker version --format '{{.Server.Version}}') in" \
        "$((SECONDS - started))s (log: test-artifacts/dockerd.log)"
}

stop_dockerd() {
    [ -n "$DOCKERD_PIDFILE" ] && [ -f "$DOCKERD_PIDFILE" ] || return 0
    local pid waited=0
    pid="$(cat "$DOCKERD_PIDFILE")"
    as_root kill "$pid" 2>/dev/null || true
    while as_root kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do
        sleep 1
        waited=$((waited + 1))
    done
    DOCKERD_PIDFILE=""
    log "stopped the dockerd this run started"
}

# The base to build on: python:3.11-slim when it is here or can be pulled, else the stand-in.
docker_base_image() {
    local started=$SECONDS
    if docker image inspect python:3.11-slim >/dev/null 2>&1 \
        || timeout 120 docker pull --quiet python:3.11-slim >/dev/null 2>&1; then
        echo python:3.11-slim
        return 0
    fi
    if ! docker image inspect pickvs-base:bookworm >/dev/null 2>&1; then
        command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap || return 1
        log "python:3.11-slim cannot be pulled: making the stand-in pickvs-base:bookworm"
        as_root "$ROOT/scripts/docker-base.sh" pickvs-base:bookworm >&2 || return 1
        log "stand-in base made in $((SECONDS - started))s"
    fi
    echo pickvs-base:bookworm
}

docker_tests() {
    if ! docker_answers; then
        if [ "${CI:-}" != "true" ]; then
            log "docker tests skipped: no Docker daemon answers (CI=true installs and starts one)"
            return 0
        fi
        start_dockerd || {
            stop_dockerd
            log "no Docker daemon could be started here, so the image was not tested"
            return 1
        }
    fi
    local base rc=0
    base="$(docker_base_image)" || rc=$?
    if [ "$rc" -eq 0 ]; then
        PICKVS_DOCKER_BASE_IMAGE="$base" python -m pytest -m docker tests/deploy/test_docker.py \
            || rc=$?
    fi
    stop_dockerd
    return "$rc"
}

# --- the checks ------------------------------------------------------------------------------
FAILED=()

step() {
    local name="$1" started=$SECONDS rc=0
    shift
    log "---- $name"
    "$@" || rc=$?
    if [ "$rc" -eq 0 ]; then
        log "---- $name: ok ($((SECONDS - started))s)"
    else
        log "---- $name: FAILED with exit $rc ($((SECONDS - started))s)"
        FAILED+=("$name")
    fi
}

browser_tests() {
    local rc=0
    python -m pytest -m browser tests/browser || rc=$?
    # pytest exits 5 when it collects no tests. That is acceptable ONLY while tests/browser
    # holds no test modules yet; once any exist, "nothing collected" means a broken suite.
    if [ "$rc" -eq 5 ] && ! compgen -G "tests/browser/test_*.py" >/dev/null; then
        log "no browser tests yet"
        return 0
    fi
    return "$rc"
}

ensure_chromium
ensure_redis_server
ensure_postgres

step "ruff" ruff check .
step "ruff format" ruff format --check .
step "tests (SQLite and PostgreSQL)" python -m pytest -m "not browser and not deploy and not scale"
step "browser tests" browser_tests
# The image's build and start scripts, run as the Dockerfile runs them, without an engine.
step "deploy tests" python -m pytest -m "deploy and not docker" tests/deploy
# The image itself: built, run, used in Chromium, stopped and restarted by a Docker daemon.
step "docker tests" docker_tests
# Two workers on Redis and two instances on one PostgreSQL, and a database outage survived (a
# throwaway cluster of its own, stopped and started).
step "scale tests" python -m pytest -m scale tests/scale

if [ "${#FAILED[@]}" -gt 0 ]; then
    log "failed: ${FAILED[*]}"
    exit 1
fi
log "all checks passed"
