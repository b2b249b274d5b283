# PickVs in one image. The builder installs the Python dependencies and bun (from the npm
# registry) and builds the frontend once; the runtime image holds the app, its virtualenv and
# the built frontend, and starts serving in seconds without rebuilding anything.
#
#   docker compose up -d --build            (docker-compose.yml), or by hand:
#   docker build -t pickvs .
#   docker run -d -p 3000:3000 -v pickvs-data:/data --env-file .env pickvs
#
# Both stages call the same scripts the tests run (tests/deploy): scripts/build-frontend.sh
# here, scripts/serve.sh as the command. All state lives in the /data volume: the SQLite file
# and the generated secret key, readable by the app's user only (/data 0700, files 0600).
#
# PICKVS_PORT is baked into the frontend as the event socket's port. To serve on another port
# over plain http, build with --build-arg PICKVS_PORT=8080 and publish 8080:8080 (compose does
# both from .env). Behind a TLS reverse proxy nothing changes: over https the browser uses the
# page's own host and port.
#
# BASE_IMAGE: any Debian with Python 3.11+, venv and pip. Without access to a registry,
# scripts/docker-base.sh makes one with debootstrap (pickvs-base:bookworm); scripts/test.sh
# builds and tests the image on it (tests/deploy/test_docker.py).

ARG BASE_IMAGE=python:3.11-slim
ARG PICKVS_PORT=3000

# --- builder ---------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS builder

# npm is needed once, to fetch bun; Reflex builds the frontend with bun.
RUN apt-get update \
    && apt-get install -y --no-install-recommends npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The dependencies first, so that a code change does not reinstall them. setup.sh makes
# /app/.venv (an editable install that maps `pickvs` to /app/pickvs) and /app/.tools/bun.
COPY pyproject.toml README.md ./
COPY pickvs/__init__.py pickvs/
COPY scripts/setup.sh scripts/
RUN scripts/setup.sh

COPY . .
# The port and URL are declared only here, so that changing them rebuilds the frontend but
# reuses the layers above. REFLEX_API_URL only for a frontend served from another host or port
# than the backend (see .env.example).
ARG PICKVS_PORT
ARG REFLEX_API_URL=
# Then the frontend, once. The runtime needs the built pages, not the build tools or the
# packages they used; and its user cannot write /app, so the bytecode is compiled now.
RUN PICKVS_PORT="$PICKVS_PORT" REFLEX_API_URL="$REFLEX_API_URL" scripts/build-frontend.sh \
    && rm -rf .tools .web/node_modules \
    && .venv/bin/python -m compileall -q pickvs alembic scripts

# --- runtime ---------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS runtime

# uid 1000, the usual first user on a Linux host, so a bind-mounted ./data just works. /data
# holds emails, password hashes and the signing key: its user only (a new named volume takes
# this owner and mode from the image).
RUN groupadd --gid 1000 pickvs \
    && useradd --uid 1000 --gid pickvs --create-home --shell /usr/sbin/nologin pickvs \
    && mkdir -m 0700 /data && chown pickvs:pickvs /data

WORKDIR /app
# Same path as in the builder: the virtualenv and its editable install point at /app.
COPY --from=builder /app /app
# Reflex's disk state manager would keep per-session files in /app/.states (rxconfig.py keeps
# state in memory for one worker and in Redis for several); everything else stays read-only.
RUN mkdir -p /app/.states && chown pickvs:pickvs /app/.states

ARG PICKVS_PORT
# Written as NAME=value, one per line: tests/deploy starts serve.sh with exactly these (its
# own /data directory, port and PATH standing in for the container's).
ENV PATH=/app/.venv/bin:$PATH \
    PICKVS_DATA_DIR=/data \
    PICKVS_PORT=$PICKVS_PORT \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false

USER pickvs
VOLUME /data
EXPOSE $PICKVS_PORT

# /health answers 200 whenever the database does (503 when it does not).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PICKVS_PORT', '3000'), timeout=4)"]

# Whatever runs through the entrypoint (the server, or `docker run ... pickvs backup ...`)
# creates its files for its own user only (umask 077), then replaces the shell (exec).
ENTRYPOINT ["/bin/sh", "-c", "umask 077 && exec \"$@\"", "pickvs-entrypoint"]
# serve.sh migrates, seeds the demo league when there is no ODDS_API_KEY, then execs the
# server, which is PID 1: `docker stop` (SIGTERM) stops the scheduler after any running job
# and exits 0. Give a long job time to finish: compose sets stop_grace_period.
CMD ["/app/scripts/serve.sh"]
