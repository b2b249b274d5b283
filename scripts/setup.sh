#!/usr/bin/env bash
# Prepare a checkout to run PickVs: a .venv with PickVs installed, and bun for Reflex's frontend
# build. Idempotent and cheap when nothing changed, so start.sh and test.sh source it every time.
#
#   scripts/setup.sh [--test]           set up (with the test extras when --test is given)
#   source scripts/setup.sh [--test]    ...and keep the venv, bun and Reflex settings in this shell
#
# Everything lands inside the checkout (.venv, .tools), caches included. Nothing here needs root.

_pickvs_log() { echo "setup: $*" >&2; }

_pickvs_python_ok() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

_pickvs_find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
            && _pickvs_python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# Every step checks its own result: when sourced into an interactive shell, `set -e` is not on
# (turning it on would close the user's terminal on the first failing command).
_pickvs_setup() {
    local extras="" arg
    for arg in "$@"; do
        case "$arg" in
            --test) extras="test" ;;
            *) _pickvs_log "unknown argument '$arg' (expected --test)"; return 2 ;;
        esac
    done

    PICKVS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
    export PICKVS_ROOT

    # Caches and Reflex's per-user directory (file locks, logs; default ~/.local/share/reflex)
    # stay inside the checkout.
    export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$PICKVS_ROOT/.tools/cache/pip}"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    export BUN_INSTALL_CACHE_DIR="${BUN_INSTALL_CACHE_DIR:-$PICKVS_ROOT/.tools/cache/bun}"
    export REFLEX_DIR="${REFLEX_DIR:-$PICKVS_ROOT/.tools/reflex}"
    # No phoning home: telemetry and the PyPI version check only stall without internet.
    export REFLEX_TELEMETRY_ENABLED=false
    export REFLEX_CHECK_LATEST_VERSION=false
    # Name the npm registry, or Reflex times requests to a mirror (unreachable here) to choose.
    export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}"

    # --- Python virtualenv ---------------------------------------------------------------------
    local venv="$PICKVS_ROOT/.venv" python
    if ! _pickvs_python_ok "$venv/bin/python"; then
        # Missing, broken (moved checkout, removed interpreter) or too old: build it afresh.
        python="$(_pickvs_find_python)" || {
            _pickvs_log "need Python >= 3.11 (set PYTHON=/path/to/python3.11 if not on PATH)"
            return 1
        }
        _pickvs_log "creating .venv with $python"
        rm -rf "$venv" && "$python" -m venv "$venv" || return 1
    fi
    # shellcheck source=/dev/null
    . "$venv/bin/activate" || return 1

    # Reinstall only when pyproject.toml changed or extras are asked for that are not in yet:
    # `pip install -e .` takes seconds even when everything is already satisfied. The stamp
    # holds "<hash of pyproject.toml> <extras installed>".
    local spec="." stamp="$venv/.pickvs-install" hash stamped_hash="" stamped_extras=""
    [ -n "$extras" ] && spec=".[$extras]"
    hash="$(sha256sum "$PICKVS_ROOT/pyproject.toml" | cut -d' ' -f1)" || return 1
    [ -f "$stamp" ] && read -r stamped_hash stamped_extras <"$stamp"
    if [ "$stamped_hash" != "$hash" ] || { [ -n "$extras" ] && [ "$stamped_extras" != "$extras" ]; }
    then
        _pickvs_log "pip install -e '$spec'"
        local started=$SECONDS
        (cd "$PICKVS_ROOT" && python -m pip install --quiet -e "$spec") || return 1
        echo "$hash $extras" >"$stamp"
        _pickvs_log "pip install took $((SECONDS - started))s"
    fi

    # --- bun -----------------------------------------------------------------------------------
    # Reflex builds the frontend with bun. Its own installer downloads from GitHub, which is
    # not always reachable, so bun comes from the npm registry, pinned to the version this
    # Reflex release expects (older bun cannot read the lockfiles newer bun writes).
    local bun_version bun_prefix="$PICKVS_ROOT/.tools/bun" bun_bin
    bun_bin="$bun_prefix/node_modules/.bin"
    bun_version="$(python -c 'from reflex_base.constants import Bun; print(Bun.VERSION)')" \
        || return 1
    if [ "$("$bun_bin/bun" --version 2>/dev/null)" != "$bun_version" ]; then
        command -v npm >/dev/null 2>&1 || {
            _pickvs_log "npm is needed once, to fetch bun $bun_version (apt-get install npm)"
            return 1
        }
        _pickvs_log "installing bun $bun_version from npm into .tools/bun"
        local bun_started=$SECONDS
        rm -rf "$bun_prefix" && mkdir -p "$bun_prefix" || return 1
        # The package's postinstall script links the platform's binary into node_modules/.bin.
        npm install --prefix "$bun_prefix" --no-save --no-package-lock --no-audit --no-fund \
            --loglevel=error --cache "$PICKVS_ROOT/.tools/cache/npm" "bun@$bun_version" >&2 \
            || return 1
        [ "$("$bun_bin/bun" --version 2>/dev/null)" = "$bun_version" ] || {
            _pickvs_log "bun $bun_version from npm does not run on this machine"
            return 1
        }
        _pickvs_log "bun install took $((SECONDS - bun_started))s"
    fi
    case ":$PATH:" in
        *":$bun_bin:"*) ;;
        *) export PATH="$bun_bin:$PATH" ;;
    esac
    # Reflex then takes bun from PATH instead of downloading its own copy.
    export REFLEX_USE_SYSTEM_BUN=1
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    # Note: `source setup.sh` with no arguments sees the caller's own arguments; callers clear
    # them first (`set --`) or pass --test explicitly.
    _pickvs_setup "$@"
    _pickvs_status=$?
    unset -f _pickvs_setup _pickvs_find_python _pickvs_python_ok _pickvs_log
    return "$_pickvs_status"
fi

set -euo pipefail
_pickvs_setup "$@"
