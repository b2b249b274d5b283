""".env.example names every setting, with its real default and a line saying what it is for.

Not marked `deploy`: it needs no build, so it runs with the main suite and fails the moment a
setting is added to pickvs/config.py without being documented here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import AliasChoices

from pickvs.config import Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
DOCUMENTED = re.compile(r"^# ([A-Z][A-Z0-9_]*)=(.*)$")


def documented() -> dict[str, tuple[str, str]]:
    """NAME -> (documented default, the comment line above it)."""
    lines = ENV_EXAMPLE.read_text().splitlines()
    found: dict[str, tuple[str, str]] = {}
    for index, line in enumerate(lines):
        if match := DOCUMENTED.match(line):
            above = lines[index - 1] if index else ""
            found[match[1]] = (match[2], above)
    return found


def env_name(field_name: str) -> str:
    alias = Settings.model_fields[field_name].validation_alias
    if isinstance(alias, AliasChoices):
        alias = alias.choices[0]
    assert isinstance(alias, str), field_name
    return alias


@pytest.mark.parametrize("field_name", sorted(Settings.model_fields))
def test_every_setting_is_documented_with_its_default(field_name: str) -> None:
    name = env_name(field_name)
    entries = documented()
    assert name in entries, f".env.example does not mention {name}"
    value, meaning = entries[name]
    assert meaning.startswith("# ") and not DOCUMENTED.match(meaning), (
        f"{name} needs a one-line meaning above it"
    )
    default = Settings.model_fields[field_name].default
    if default is None:
        assert value == "", f"{name} has no default: document it as '# {name}='"
    else:
        parsed = Settings(_env_file=None, **{name: value})
        assert getattr(parsed, field_name) == default, f"{name}: documented {value!r}"


def test_the_serving_settings_are_documented_too() -> None:
    entries = documented()
    for name in ("PICKVS_PORT", "PICKVS_HOST", "PICKVS_LOG_FORMAT", "REFLEX_REDIS_URL"):
        assert name in entries, name
    assert entries["PICKVS_PORT"][0] == "3000"
    assert entries["PICKVS_LOG_FORMAT"][0] == "text"
