"""Serve the already-built frontend and the backend on one port, without rebuilding anything.

`reflex run --env prod` compiles the pages and reruns the Vite build on every start (minutes,
and it needs bun); `reflex run --env prod --backend-only` skips the build but then serves no
pages. This starts the same production server `reflex run --env prod` ends with
(`reflex.utils.exec.run_backend_prod`: Granian, one worker without Redis and more with it), with
the pages from scripts/build-frontend.sh mounted, after making the settings `run` makes.

Before that, in this same process (every extra Python start costs seconds of imports, and the
image must serve within 15 s of starting), the `pickvs` commands that prepare the data run as
the command line runs them: `pickvs db upgrade` (checks the settings, migrates) and, without
ODDS_API_KEY, `pickvs demo --if-empty`. The secret key is generated then too, if there is none.

Run by scripts/serve.sh, from the checkout (Reflex reads rxconfig.py from the working directory):

    python scripts/serve_prebuilt.py HOST PORT
"""

from __future__ import annotations

import sys
import time

from reflex.istate.manager import reset_disk_state_manager
from reflex.utils import exec as reflex_exec
from reflex.utils import prerequisites
from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment

from pickvs import cli, db
from pickvs.config import settings
from pickvs.services.auth import secret_key


def built_index() -> str | None:
    """The built home page, or None when scripts/build-frontend.sh has not run here."""
    index = prerequisites.get_web_dir() / constants.Dirs.STATIC / "index.html"
    return str(index) if index.is_file() else None


def pickvs_command(*args: str) -> None:
    """`pickvs ARGS` in this process; a failure has printed its one line and exits here."""
    try:
        cli.main([*args], prog_name="pickvs", standalone_mode=False)
    except SystemExit as stop:
        if stop.code:
            print(
                f"serve_prebuilt: 'pickvs {' '.join(args)}' failed (see above), so PickVs was "
                "not started. Check the settings, DATABASE_URL and that PICKVS_DATA_DIR is "
                "writable.",
                file=sys.stderr,
            )
        raise


def prepare_data() -> None:
    """Migrate, make the key, seed the demo league: all before any worker starts.

    Migrating first means no request ever meets an old schema. Several workers (there are
    several with Redis) must not race to create the key file.
    """
    pickvs_command("db", "upgrade")
    secret_key()
    if settings.demo_mode:
        pickvs_command("demo", "--if-empty")
    # Workers are forked from this process: they must not inherit its database connections.
    db.get_engine().dispose()


def serve(host: str, port: int) -> None:
    """What `reflex run --env prod --backend-only` does, but with the built pages mounted."""
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_COMPILE_CONTEXT.set(constants.CompileContext.RUN)
    # The workers import the app without compiling it, and look for neither node nor bun.
    environment.REFLEX_SKIP_COMPILE.set(True)
    environment.REFLEX_BACKEND_ONLY.set(True)
    prerequisites.assert_in_reflex_dir()
    config = get_config()
    # Prod serves pages and backend on one port; the workers read the ports from the
    # environment this sets.
    config._set_persistent(frontend_port=port, backend_port=port)
    # Session state kept on disk by an earlier run belongs to that run's clients.
    reset_disk_state_manager()
    # Where it listens, not an address to open (0.0.0.0 is every interface): the app's own
    # "PickVs is ready at ..." line follows once the database and the scheduler are up.
    print(
        f"serve_prebuilt: starting the server, listening on {host}:{port}",
        file=sys.stderr,
        flush=True,
    )
    reflex_exec.run_backend_prod(
        host, port, config.loglevel.subprocess_level(), mount_frontend_compiled_app=True
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit() or not 0 < int(argv[1]) < 65536:
        print("usage: python scripts/serve_prebuilt.py HOST PORT", file=sys.stderr)
        return 2
    if built_index() is None:
        print(
            f"serve_prebuilt: no built frontend under {prerequisites.get_web_dir()}; "
            "run scripts/build-frontend.sh first",
            file=sys.stderr,
        )
        return 1
    started = time.monotonic()
    prepare_data()
    print(f"serve_prebuilt: data ready in {time.monotonic() - started:.1f}s", file=sys.stderr)
    serve(argv[0], int(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
