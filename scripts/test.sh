#!/usr/bin/env bash
# Run every check CI runs: ruff, the test suite on SQLite and PostgreSQL, the browser tests
# against the production build in Debian's headless Chromium, then the container's scripts
# and the scale tests (several workers on Redis, a database outage).
#
#   ./scripts/test.sh
#
# Installs what is missing: the venv with test extras and bun (setup.sh), Debian's chromium
# (apt, when root or with passwordless sudo). Uses the PostgreSQL on 127.0.0.1:5432 when it
# answers, else a throwaway cluster that is removed on exit; a preset PICKVS_TEST_DATABASE_URL
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
# The image's build and start scripts, run as the Dockerfile runs them (no Docker engine here).
step "deploy tests" python -m pytest -m deploy tests/deploy
# Two workers on Redis and two instances on one PostgreSQL, and a database outage survived (a
# throwaway cluster of its own, stopped and started).
step "scale tests" python -m pytest -m scale tests/scale

if [ "${#FAILED[@]}" -gt 0 ]; then
    log "failed: ${FAILED[*]}"
    exit 1
fi
log "all checks passed"
