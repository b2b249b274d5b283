#!/usr/bin/env bash
# Start PickVs: set up the checkout if needed, migrate the database, then serve.
#
#   ./scripts/start.sh               production build, everything on http://localhost:3000
#   ./scripts/start.sh --dev         hot reload: pages on :3000, backend and JSON API on :8000
#   ./scripts/start.sh --workers N   N backend worker processes (needs REFLEX_REDIS_URL)
#
# Any other arguments go to `reflex run` (e.g. `--frontend-port 8080`, `--backend-only`).
# Settings come from the environment or a .env file (DATABASE_URL, ODDS_API_KEY, ...; see the
# README); REFLEX_REDIS_URL must be in the environment, as Reflex reads it there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

env_mode=prod
workers=""
reflex_args=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --dev) env_mode=dev ;;
        --workers=*) workers="${1#--workers=}" ;;
        --workers)
            workers="${2:-none}"
            [ "$#" -gt 1 ] && shift
            ;;
        -h | --help)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) reflex_args+=("$1") ;;
    esac
    shift
done

# Several workers. Reflex's production server (Granian) reads GRANIAN_WORKERS; without it, a
# backend with REFLEX_REDIS_URL set starts 2 x CPUs + 1 workers (at most 8), and one without
# Redis starts one. Each worker keeps browser sessions in Redis and runs its own scheduler;
# job_run's one-row-per-trigger claim makes each trigger run once.
if [ -n "$workers" ]; then
    if ! [[ "$workers" =~ ^[1-9][0-9]*$ ]]; then
        echo "start.sh: --workers needs a whole number of at least 1, not '$workers'." >&2
        exit 2
    fi
    if [ "$env_mode" = dev ]; then
        echo "start.sh: --workers is for the production server; --dev runs one reloading worker." >&2
        exit 2
    fi
    export GRANIAN_WORKERS="$workers"
    export REFLEX_USE_GRANIAN=true  # --workers means Granian's worker processes
fi
if [ "${GRANIAN_WORKERS:-1}" != 1 ] && [ -z "${REFLEX_REDIS_URL:-}" ]; then
    echo "start.sh: ${GRANIAN_WORKERS} workers need REFLEX_REDIS_URL (e.g." \
        "redis://127.0.0.1:6379/0): without Redis each worker would hold its own sessions." >&2
    exit 2
fi
# rxconfig.py pins frontend_port=3000, and Reflex refuses --backend-only while any frontend port
# is set: clear it for a backend-only replica (pages served elsewhere, or by another instance).
for arg in ${reflex_args[@]+"${reflex_args[@]}"}; do
    if [ "$arg" = --backend-only ]; then
        export REFLEX_FRONTEND_PORT=0
    fi
done

# Clear our arguments first: a bare `source` would hand them to setup.sh.
set --
# shellcheck source=scripts/setup.sh
. "$ROOT/scripts/setup.sh"

# Files created from here on (the SQLite database and its -wal/-shm, the secret key, backups)
# hold emails and password hashes: readable by this user only (0600, directories 0700).
umask 077

# Migrate before serving, so no request ever meets an old schema.
if ! pickvs db upgrade; then
    echo "start.sh: 'pickvs db upgrade' failed (see above), so PickVs was not started." \
        "Check DATABASE_URL (default: SQLite under data/)." >&2
    exit 1
fi

# A fresh install without a key gets the demo league: a few past days, players and graded picks.
if python -c 'from pickvs.config import settings; raise SystemExit(not settings.demo_mode)'; then
    pickvs demo --if-empty
fi

echo "start.sh: compiling the pages and starting PickVs (a minute or so); it says when it is ready" >&2
# exec: signals (Ctrl-C, docker stop) go straight to Reflex, which stops its server cleanly.
# Its console output passes through a filter (pickvs/logs.py) that drops the lines wrong or
# useless here ("Run `uv run reflex run`", a Node.js upgrade warning although bun builds,
# "Compiling 25/24", progress bars); the filter ignores Ctrl-C and ends with Reflex's output.
# PickVs's own "PickVs is ready at ..." line gives the address, database, mode and job times.
# A pipe is not a terminal: tell Reflex's console the width, or it wraps everything at 80.
export COLUMNS="${COLUMNS:-$(tput cols 2>/dev/null || echo 120)}"
exec reflex run --env "$env_mode" ${reflex_args[@]+"${reflex_args[@]}"} \
    > >(python -m pickvs.logs filter-reflex) 2>&1
