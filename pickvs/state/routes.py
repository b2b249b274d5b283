"""The paths of PickVs pages, in one place for state redirects and page links.

No page may use a path the JSON API owns (`/health`, `/auth/*`, `/api/*`, `/docs`,
`/openapi.json`): the API is the outer ASGI app and its routes are matched first.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

SLATE = "/"
PICKS = "/picks"
LEADERBOARD = "/leaderboard"
ADMIN = "/admin"
LOGIN = "/login"
SIGNUP = "/signup"
# Unknown paths render the same page (it is also registered as Reflex's custom 404).
NOT_FOUND = "/404"
PROFILE_PATTERN = "/u/[username]"
LEAGUES = "/leagues"
LEAGUE_PATTERN = "/leagues/[league_id]"
JOIN_PATTERN = "/join/[code]"
GAME_PATTERN = "/game/[game_id]"


def profile(username: str) -> str:
    return f"/u/{quote(username, safe='')}"


def league(league_id: int) -> str:
    return f"{LEAGUES}/{league_id}"


def game(game_id: str) -> str:
    return f"/game/{quote(game_id, safe='')}"


def join(code: str) -> str:
    return f"/join/{quote(code, safe='')}"


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else the slate: never an open redirect.

    Refuses absolute URLs, scheme-relative `//host` (and `/\\host`, which browsers read the
    same way), control characters, and the log-in/sign-up pages themselves.
    """
    target = (target or "").strip()
    if (
        not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ord(char) < 32 or ord(char) == 127 for char in target)
    ):
        return SLATE
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.rstrip("/") in (LOGIN, SIGNUP):
        return SLATE
    return target


def with_next(page: str, target: str | None) -> str:
    """`page?next=<target>`, the target made safe first; plain `page` when there is none."""
    if not target:
        return page
    return f"{page}?next={quote(safe_next(target), safe='/')}"
