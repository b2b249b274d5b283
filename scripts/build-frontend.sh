#!/usr/bin/env bash
# Build PickVs's production frontend once, so scripts/serve.sh can serve it without rebuilding.
#
#   scripts/build-frontend.sh
#
# Sets up the checkout if needed (setup.sh: .venv, bun from npm), compiles the pages and runs
# the Vite build (`reflex export --frontend-only --no-zip`) into $REFLEX_WEB_WORKDIR/build/client
# (default .web/build/client). The Dockerfile's builder stage runs exactly this; so does
# tests/deploy.
#
# The build bakes in where the browser opens the event socket: REFLEX_API_URL, by default
# http://localhost:$PICKVS_PORT (3000). The browser swaps "localhost" for the page's own host,
# and over https drops the port, so the default fits direct access on PICKVS_PORT as well as a
# TLS reverse proxy. Set REFLEX_API_URL only for plain http on another port or host.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ "$#" -gt 0 ]; then
    echo "usage: scripts/build-frontend.sh  (settings come from the environment)" >&2
    exit 2
fi

port="${PICKVS_PORT:-3000}"
case "$port" in
    '' | *[!0-9]*)
        echo "build-frontend.sh: PICKVS_PORT must be a port number, not '$port'" >&2
        exit 2
        ;;
esac

# Clear our arguments first: a bare `source` would hand them to setup.sh.
set --
# shellcheck source=scripts/setup.sh
. "$ROOT/scripts/setup.sh"

export REFLEX_API_URL="${REFLEX_API_URL:-http://localhost:$port}"
export REFLEX_DEPLOY_URL="${REFLEX_DEPLOY_URL:-$REFLEX_API_URL}"
web_dir="${REFLEX_WEB_WORKDIR:-.web}"

started=$SECONDS
# Reflex's console noise (see pickvs/logs.py) filtered out; its errors and warnings kept.
reflex export --frontend-only --no-zip 2>&1 | python -m pickvs.logs filter-reflex
if [ ! -f "$web_dir/build/client/index.html" ]; then
    echo "build-frontend.sh: the build finished without $web_dir/build/client/index.html" >&2
    exit 1
fi
echo "build-frontend.sh: built $web_dir/build/client for $REFLEX_API_URL in $((SECONDS - started))s" >&2
