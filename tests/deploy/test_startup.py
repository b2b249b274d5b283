"""What scripts/serve.sh (the container's start) prints and creates: the app's one "ready"
line with address, mode, database and next job times, no library noise, and data files
readable by their owner only (umask 077)."""

from __future__ import annotations

import re
import stat

import pytest

from tests.deploy.conftest import ServedApp

pytestmark = pytest.mark.deploy

NOISE = (
    "uv run reflex run",
    "Node.js",
    "Compiling",
    "App running at",
    "alembic",
    "apscheduler",
    "httpx",
)


def test_serve_prints_the_ready_line_without_noise_and_keeps_files_private(
    served_app: ServedApp,
) -> None:
    served_app.settings = {"PICKVS_TIMEZONE": "Asia/Tokyo"}
    served_app.start()
    assert served_app.log_path is not None
    output = served_app.log_path.read_text()
    ready = [line for line in output.splitlines() if "PickVs is ready at" in line]
    assert len(ready) == 1, output
    assert re.search(r"^\S+\+09:00 INFO pickvs\.app PickVs is ready at ", ready[0]), ready[0]
    assert f"ready at http://localhost:{served_app.build.port} · " in ready[0]
    assert " · demo data (no ODDS_API_KEY) · " in ready[0]
    assert f" · database sqlite:///{served_app.data_dir}/pickvs.db · " in ready[0]
    assert re.search(r"next fetch-odds \w{3} \w{3} \d+ \d\d:\d\d JST", ready[0]), ready[0]
    for noise in NOISE:
        assert noise not in output, noise
    code, _took = served_app.terminate()
    assert code == 0

    made = sorted(p for p in served_app.data_dir.rglob("*"))
    assert any(p.name == "pickvs.db" for p in made)
    for path in made:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
