"""`/admin`: run the jobs, watch the credit budget, settle or void games, read data issues.

Registered with `on_load=[AuthState.require_admin, AdminState.load]`; `requires="admin"` shows
players who are not admins the not-found view while the guard sends them to /404, and every
AdminState handler re-checks the admin itself. Tables scroll inside their own box on a phone.
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages.layout import page_layout
from pickvs.pages.pager import pager
from pickvs.pages.reminders import instance_reminder
from pickvs.pages.tables import table_caption
from pickvs.state import AppState
from pickvs.state.admin import AdminState

JOBS = (
    ("fetch-odds", "Fetch odds now"),
    ("process-results", "Process results now"),
    ("grade", "Grade now"),
)
OUTCOME_COLORS = (("ok", "green"), ("failed", "red"), ("error", "red"), ("refused", "amber"),
                  ("running", "blue"), ("final", "green"), ("cancelled", "red"),
                  ("postponed", "amber"), ("in progress", "blue"))  # fmt: skip


def _badge(value: rx.Var) -> rx.Component:
    return rx.badge(
        value, color_scheme=rx.match(value, *OUTCOME_COLORS, "gray"), variant="soft", size="1"
    )


def _notice(text: rx.Var, good: rx.Var) -> rx.Component:
    """A one-line outcome: green with a tick when `good`, else red with a warning."""
    return rx.cond(
        good,
        rx.callout(text, icon="circle-check", color_scheme="green", size="1"),
        rx.callout(text, icon="triangle-alert", color_scheme="red", size="1"),
    )


def _section(heading: str, key: str, *children: rx.Component) -> rx.Component:
    return rx.el.section(
        rx.vstack(
            rx.heading(heading, as_="h2", size="5", id=f"{key}-heading"),
            *children,
            spacing="3",
            width="100%",
        ),
        aria_labelledby=f"{key}-heading",
        id=f"admin-{key}",
        width="100%",
    )


def _pager(section: str, what: str) -> rx.Component:
    """Where the list is and, when there is more than one page, previous/next buttons."""
    return pager(
        AdminState.pages[section],
        on_prev=AdminState.turn(section, False),
        on_next=AdminState.turn(section, True),
        has_prev=AdminState.has_prev[section],
        has_next=AdminState.has_next[section],
        labels=(f"Previous page of {what}", f"Next page of {what}"),
        compact=True,
        id=f"{section}-pager",
    )


def _table(section: str, caption: str, headers: tuple[str, ...], row, empty: str):  # type: ignore[no-untyped-def]
    """One list: a table (it scrolls sideways on its own when narrow) and its pager, or a line
    saying the list is empty."""
    return rx.cond(
        AdminState.rows[section].length() > 0,
        rx.vstack(
            rx.table.root(
                table_caption(caption),
                rx.table.header(
                    rx.table.row(
                        *(rx.table.column_header_cell(h, white_space="nowrap") for h in headers)
                    )
                ),
                rx.table.body(rx.foreach(AdminState.rows[section], row)),
                variant="surface",
                size="1",
                width="100%",
                id=f"{section}-table",
            ),
            _pager(section, caption.lower()),
            spacing="2",
            width="100%",
        ),
        rx.text(empty, size="2", color_scheme="gray", id=f"{section}-empty"),
    )


def _cell(value: rx.Var, **props) -> rx.Component:
    return rx.table.cell(value, white_space="nowrap", **props)


def _long(value: rx.Var) -> rx.Component:
    """A cell for free text (details, errors): wraps within a readable width."""
    return rx.table.cell(
        rx.text(value, size="1", color_scheme="gray"),
        min_width="14rem",
        max_width="32rem",
        overflow_wrap="anywhere",
    )


# --- jobs -----------------------------------------------------------------------------------


def _run_button(name: str, label: str) -> rx.Component:
    busy = AdminState.running == name
    return rx.button(
        label,
        on_click=AdminState.run_job(name),
        loading=busy,
        disabled=AdminState.running != "",
        aria_busy=rx.cond(busy, "true", "false"),
        variant="soft",
        size="2",
        id=f"run-{name}",
    )


def _job_status() -> rx.Component:
    """What this tab's last run-now did (a live region, so it is announced)."""
    return rx.box(
        rx.cond(
            AdminState.running != "",
            rx.hstack(
                rx.spinner(size="1"),
                rx.text("Running ", AdminState.running, "…", size="2"),
                align="center",
                spacing="2",
            ),
            rx.cond(
                AdminState.job_notice != "",
                _notice(AdminState.job_notice, AdminState.job_outcome == "ok"),
            ),
        ),
        role="status",
        aria_live="polite",
        id="job-status",
        width="100%",
    )


def _run_row(run: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(run["job"], white_space="nowrap"),
        _cell(_badge(run["outcome"])),
        _cell(run["started"]),
        _cell(run["duration"]),
        _cell(run["trigger"]),
        _long(run["text"]),
    )


def _jobs() -> rx.Component:
    return _section(
        "Jobs",
        "jobs",
        rx.flex(*(_run_button(name, label) for name, label in JOBS), wrap="wrap", spacing="2"),
        _job_status(),
        _table(
            "runs",
            "Job runs",
            ("Job", "Outcome", "Started", "Took", "Trigger", "Detail"),
            _run_row,
            "No job has run yet.",
        ),
    )


# --- settle or void -----------------------------------------------------------------------------


def _score_input(label: rx.Var, name: str) -> rx.Component:
    """A labelled score box with its message beside it, as `forms.form_field` draws them, but
    with plain `id` attributes: it is drawn once per game row (in `rx.foreach`), where Reflex's
    refs (`id=`) would all share one name. Only one row's form is ever open."""
    has_error = AdminState.error_field == name
    return rx.flex(
        rx.text(label, as_="label", size="2", weight="medium", custom_attrs={"htmlFor": name}),
        rx.input(
            name=name,
            type="number",
            input_mode="numeric",
            min=0,
            max=400,
            step=1,
            auto_complete="off",
            size="3",
            color_scheme=rx.cond(has_error, "red", "gray"),
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=f"{name}-error",
            custom_attrs={"id": name},
        ),
        rx.text(
            rx.cond(has_error, AdminState.error_message, ""),
            size="2",
            color_scheme="red",
            aria_live="polite",
            custom_attrs={"id": f"{name}-error"},
        ),
        direction="column",
        spacing="1",
        width="100%",
    )


def _settle_dialog(game: rx.Var) -> rx.Component:
    """The result form of one game row: its open state lives in AdminState, so it stays open
    with the service's message beside the field until the settlement goes through, and
    closing it gives the keyboard back to the row's Settle button."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button("Settle", size="1", variant="soft", aria_label="Settle " + game["matchup"])
        ),
        rx.dialog.content(
            rx.dialog.title("Settle " + game["matchup"]),
            rx.dialog.description(
                "The final score. Every pick on this game is graded at once.",
                size="2",
                color_scheme="gray",
                margin_bottom="1em",
            ),
            rx.el.form(
                rx.vstack(
                    _score_input("Away score · " + game["away"], "away_score"),
                    _score_input("Home score · " + game["home"], "home_score"),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button("Settle game", type="submit"),
                        justify="end",
                        spacing="3",
                        width="100%",
                        margin_top="0.5em",
                    ),
                    spacing="3",
                ),
                on_submit=AdminState.settle,
                no_validate=True,  # the service's messages, beside their fields
            ),
            max_width="26rem",
        ),
        open=AdminState.settle_key == game["key"],
        on_open_change=lambda is_open: AdminState.open_settle(game["key"], is_open),
    )


def _void_dialog(game: rx.Var) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                "Void",
                size="1",
                variant="soft",
                color_scheme="red",
                aria_label="Void " + game["matchup"],
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Void " + game["matchup"] + "?"),
            rx.alert_dialog.description(
                "The game counts as not played: every pick on it is refunded and counts "
                "nowhere. Settle it later if it is played after all.",
                size="2",
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Keep the game", variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button("Void game", color_scheme="red", on_click=AdminState.void(game["id"]))
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
            max_width="26rem",
        ),
    )


def _game_id(game: rx.Var) -> rx.Component:
    """The provider's id, which `pickvs settle`/`void` take, with a button copying it."""
    return rx.hstack(
        rx.code(game["id"], variant="ghost", size="1", color_scheme="gray"),
        rx.icon_button(
            rx.icon("copy", size=12),
            on_click=rx.set_clipboard(game["id"]),
            size="1",
            variant="ghost",
            color_scheme="gray",
            aria_label="Copy the id of " + game["matchup"],
            title="Copy the game id",
        ),
        spacing="1",
        align="center",
    )


def _actions(game: rx.Var) -> rx.Component:
    """Only what applies: Settle once the game has started and has no final score, Void unless
    it is void already (`domain.results`)."""
    return rx.hstack(
        rx.cond(game["settle"] != "", _settle_dialog(game)),
        rx.cond(game["void"] != "", _void_dialog(game)),
        spacing="2",
    )


def _game_row(game: rx.Var) -> rx.Component:
    """The game (wrapping, tip-off and id beneath) and its actions first: on a phone both fit
    on screen and the rest of the row scrolls."""
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(game["matchup"], size="2"),
            rx.text(game["tip"], size="1", color_scheme="gray"),
            _game_id(game),
            min_width="10rem",
        ),
        _cell(_actions(game)),
        _cell(_badge(game["status"])),
        _cell(game["picks"]),
        _cell(
            rx.cond(
                game["score"] != "",
                rx.text(game["score"], " ", rx.text.span("by ", game["by"], color_scheme="gray")),
                rx.text("—", color_scheme="gray"),
            )
        ),
        align="center",
    )


GAME_HEADERS = ("Game, tip-off and id", "Actions", "Status", "Picks", "Result")


def _games() -> rx.Component:
    return _section(
        "Settle or void games",
        "games",
        rx.box(
            rx.cond(
                AdminState.notice != "",
                _notice(AdminState.notice, ~AdminState.notice_failed),
            ),
            role="status",
            aria_live="polite",
            id="settle-notice",
            width="100%",
        ),
        rx.heading("Waiting for a result", as_="h3", size="3"),
        _table(
            "settle",
            "Games waiting for a result",
            GAME_HEADERS,
            _game_row,
            "Nothing to settle: every game that has started has a result.",
        ),
        rx.heading("Recent games", as_="h3", size="3", margin_top="0.5em"),
        _table(
            "games",
            "Recent games",
            GAME_HEADERS,
            _game_row,
            "No games within three days of today.",
        ),
    )


# --- credits and data issues ---------------------------------------------------------------------


def _stat(label: str, value: rx.Var, note: rx.Var | str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray"),
            rx.text(value, size="5", weight="bold"),
            rx.text(note, size="1", color_scheme="gray"),
            spacing="1",
        ),
        size="1",
    )


def _call_row(call: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(call["at"], white_space="nowrap"),
        _cell(call["source"]),
        _cell(rx.code(call["endpoint"], variant="ghost")),
        _cell(call["status"]),
        _cell(call["credits"]),
        _cell(_badge(call["outcome"])),
        _long(call["error"]),
    )


def _plan_row(call: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(call["at"], white_space="nowrap"),
        _cell(call["kind"]),
        _cell(call["cost"]),
        _cell(_badge(call["status"])),
        _long(call["reason"]),
    )


def _plan() -> rx.Component:
    """Today's planned paid calls (the credit planner), with why each is there."""
    return rx.vstack(
        rx.heading("Today's plan", as_="h3", size="3"),
        rx.text(AdminState.plan_summary, size="2", id="plan-summary"),
        rx.cond(
            AdminState.plan.length() > 0,
            rx.table.root(
                table_caption("Today's planned calls"),
                rx.table.header(
                    rx.table.row(
                        *(
                            rx.table.column_header_cell(h, white_space="nowrap")
                            for h in ("Time", "Kind", "Credits", "State", "Why")
                        )
                    )
                ),
                rx.table.body(rx.foreach(AdminState.plan, _plan_row)),
                variant="surface",
                size="1",
                width="100%",
                id="plan-table",
            ),
        ),
        rx.text(AdminState.plan_projected, size="2", color_scheme="gray", id="plan-projected"),
        spacing="2",
        width="100%",
    )


def _credits() -> rx.Component:
    budget = AdminState.credits["budget"]
    return _section(
        "Credits",
        "credits",
        rx.grid(
            _stat("Used", AdminState.credits["used"], "of " + budget + " this month"),
            _stat(
                "Left in the budget", AdminState.credits["remaining"], AdminState.credits["month"]
            ),
            _stat("Left at the provider", AdminState.credits["provider"], "as of its last reply"),
            columns=rx.breakpoints(initial="1", xs="3"),
            spacing="3",
            width="100%",
        ),
        rx.progress(
            value=AdminState.credits_percent,
            max=100,
            aria_label="Share of this month's credit budget used",
            color_scheme=rx.cond(AdminState.credits_percent >= 90, "red", "orange"),
        ),
        rx.cond(
            AdminState.exhausted,
            rx.callout(
                "The provider answered OUT_OF_USAGE_CREDITS: paid calls wait until it reports "
                "credits left, or the month turns. Added credits? Press Fetch odds now: its "
                "free schedule look-up reads the new count and the calls resume.",
                icon="octagon-alert",
                color_scheme="red",
                role="alert",
                id="credits-exhausted",
            ),
        ),
        rx.cond(
            AppState.demo_mode,
            rx.callout(
                'Demo mode: jobs call the offline demo source, listed as "demo"; those calls '
                "cost no credits.",
                icon="info",
                color_scheme="gray",
                size="1",
                id="credits-demo",
            ),
        ),
        _plan(),
        rx.heading("Provider calls", as_="h3", size="3"),
        _table(
            "calls",
            "Provider calls",
            ("Time", "Source", "Endpoint", "Status", "Credits", "Outcome", "Error"),
            _call_row,
            "No provider call yet.",
        ),
    )


def _issue_row(issue: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(issue["at"], white_space="nowrap"),
        _cell(issue["where"]),
        _long(issue["reason"]),
    )


def _issues() -> rx.Component:
    return _section(
        "Data issues",
        "issues",
        rx.text("Feed rows the jobs skipped, and why.", size="2", color_scheme="gray"),
        _table("issues", "Data issues", ("When", "Where", "Reason"), _issue_row, "No data issues."),
    )


def admin_page() -> rx.Component:
    return page_layout(
        rx.text(
            "Times are league time (",
            AdminState.league_tz,
            ").",
            size="2",
            color_scheme="gray",
        ),
        _jobs(),
        _games(),
        _credits(),
        _issues(),
        instance_reminder(),
        title="Admin",
        requires="admin",
    )
