#!/usr/bin/env bash
# Start PickVs: set up the checkout if needed, migrate the database, then serve.
#
#   ./scripts/start.sh            production build, everything on http://localhost:3000
#   ./scripts/start.sh --dev      hot reload: pages on :3000, backend and JSON API on :8000
#
# Any other arguments go to `reflex run` (e.g. `--frontend-port 8080`). Settings come from the
# environment or a .env file (DATABASE_URL, ODDS_API_KEY, ...; see the README).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

env_mode=prod
reflex_args=()
for arg in "$@"; do
    case "$arg" in
        --dev) env_mode=dev ;;
        -h | --help)
            sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) reflex_args+=("$arg") ;;
    esac
done

# Clear our arguments first: a bare `source` would hand them to setup.sh.
set --
# shellcheck source=scripts/setup.sh
. "$ROOT/scripts/setup.sh"

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

# exec: signals (Ctrl-C, docker stop) go straight to Reflex, which stops its server cleanly.
exec reflex run --env "$env_mode" ${reflex_args[@]+"${reflex_args[@]}"}
