#!/usr/bin/env bash
# Serve PickVs from a frontend built beforehand by scripts/build-frontend.sh: the container's
# start command, and what tests/deploy runs. Starts in seconds; never rebuilds anything.
#
#   scripts/serve.sh
#
# It execs scripts/serve_prebuilt.py, which in one process (each Python start costs seconds)
# 1. runs `pickvs db upgrade`: checks the settings and migrates the database (a bad setting
#    stops it here with exit 1 and one line saying why);
# 2. generates the JWT secret key if there is none (and no PICKVS_SECRET_KEY);
# 3. without ODDS_API_KEY, runs `pickvs demo --if-empty` (seeds the demo league the first time);
# 4. serves pages, event socket and JSON API on one port, with the scheduler's jobs.
#
# Settings come from the environment or .env (see .env.example): PICKVS_PORT (default 3000),
# PICKVS_HOST (default 0.0.0.0, every interface), PICKVS_DATA_DIR (default data; /data in the
# image), DATABASE_URL, ODDS_API_KEY, ... SIGTERM (docker stop, Ctrl-C) stops it cleanly: the
# scheduler stops after the job it is running, if any, and the exit status is 0.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { echo "serve.sh: $*" >&2; }

if [ "$#" -gt 0 ]; then
    log "takes no arguments (set PICKVS_PORT, PICKVS_HOST, ...; see .env.example)"
    exit 2
fi

port="${PICKVS_PORT:-3000}"
host="${PICKVS_HOST:-0.0.0.0}"
case "$port" in
    '' | *[!0-9]*)
        log "PICKVS_PORT must be a port number, not '$port'"
        exit 2
        ;;
esac

# The checkout's virtualenv (the image keeps it at the same place, /app/.venv).
if [ -x "$ROOT/.venv/bin/python" ]; then
    export PATH="$ROOT/.venv/bin:$PATH"
fi
# No phoning home: telemetry and the PyPI version check only stall without internet.
export REFLEX_TELEMETRY_ENABLED="${REFLEX_TELEMETRY_ENABLED:-false}"
export REFLEX_CHECK_LATEST_VERSION="${REFLEX_CHECK_LATEST_VERSION:-false}"
export PYTHONUNBUFFERED=1
# The database, its -wal/-shm files and the secret key under PICKVS_DATA_DIR hold emails and
# password hashes: created readable by this user only (0600, directories 0700).
umask 077

# exec: the server becomes this process, so SIGTERM reaches it directly (PID 1 in a container).
exec python "$ROOT/scripts/serve_prebuilt.py" "$host" "$port"
