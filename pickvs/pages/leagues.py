"""`/leagues` (my leagues, create, join by code), `/leagues/<id>` (a league's board, rules,
members, invite link, locked picks) and `/join/<code>` (an invite link).

Layout only: what is shown comes from `pickvs.state.leagues`, already formatted. On a phone the
board keeps rank, player, units and ROI; the record, streak and last ten move under the name.
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages import board as boards
from pickvs.pages.forms import form_field
from pickvs.pages.layout import loading, muted, name_heading, page_layout, page_title, section
from pickvs.pages.reminders import league_reminder
from pickvs.pages.tables import (
    NARROW,
    WIDE,
    clv_cell,
    data_table,
    figure_cell,
    game_cell,
    my_leagues_section,
    pick_text,
    result_cell,
    right,
    table_header,
    units_cell,
)
from pickvs.state.leagues import (
    PERIOD_LABELS,
    JoinState,
    LeagueLine,
    LeaguePickLine,
    LeaguesState,
    LeagueState,
    MemberLine,
    StandingLine,
)

FIGURE = rx.breakpoints(initial="auto", sm="6em")
MARKET_CHOICES = (("h2h", "Moneyline"), ("spreads", "Spread"), ("totals", "Total"))
RANKING_CHOICES = (
    ("units", "Units"),
    ("roi", "ROI"),
    ("adjusted_roi", "Sample-adjusted ROI"),
)


def side_by_side(first: rx.Component, second: rx.Component) -> rx.Component:
    """Two things on one line, pushed apart (a heading and its control); stacked on a phone."""
    return rx.flex(
        first,
        second,
        direction=rx.breakpoints(initial="column", sm="row"),
        justify="between",
        align=rx.breakpoints(initial="start", sm="center"),
        spacing="3",
        width="100%",
    )


# --- /leagues ---------------------------------------------------------------------------------


def league_row(line: LeagueLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.link(line.name, href=line.href, weight="medium", overflow_wrap="anywhere"),
                rx.cond(line.is_owner, rx.badge("Owner", size="1", variant="soft")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
        ),
        rx.table.cell(line.members, white_space="nowrap"),
        rx.table.cell(line.rank, text_align="right", white_space="nowrap", class_name="my-rank"),
        data_league=line.name,
    )


def my_leagues() -> rx.Component:
    return my_leagues_section(
        LeaguesState.leagues,
        league_row,
        "my-leagues",
        muted(
            "You are in no league yet. Start one below and invite your friends, or join one "
            "with the code or link a friend sent you.",
            id="no-leagues",
        ),
    )


def bare_form(form_id: str, on_submit: rx.EventHandler, *children: rx.Component) -> rx.Component:
    """A form the state validates (no browser bubbles), kept filled in after a submit so a
    refused value can be corrected."""
    return rx.el.form(
        rx.vstack(*children, spacing="3", width="100%"),
        on_submit=on_submit,
        id=form_id,
        no_validate=True,
        reset_on_submit=False,
        width="100%",
    )


def plain_form(
    form_id: str, submit: str, on_submit: rx.EventHandler, *fields: rx.Component
) -> rx.Component:
    return bare_form(form_id, on_submit, *fields, rx.button(submit, type="submit", size="3"))


def create_form() -> rx.Component:
    return section(
        "Start a league",
        muted("You own it: you set its rules and invite the players."),
        plain_form(
            "create-league",
            "Create league",
            LeaguesState.create,
            form_field("Name", "name", LeaguesState, auto_complete="off", max_length=60),
            form_field(
                "Description (optional)",
                "description",
                LeaguesState,
                auto_complete="off",
                max_length=500,
                required=False,
            ),
        ),
    )


def join_form() -> rx.Component:
    return section(
        "Join with a code",
        muted("Paste the invite code (or open the invite link) the league's owner sent you."),
        plain_form(
            "join-league",
            "Join league",
            LeaguesState.join,
            form_field(
                "Invite code",
                "code",
                LeaguesState,
                auto_complete="off",
                auto_capitalize="characters",
                spell_check=False,
            ),
        ),
    )


def leagues_page() -> rx.Component:
    return page_layout(
        muted(
            "Private groups with their own rules and boards. Every pick you make counts in each "
            "of your leagues whose rules it meets."
        ),
        rx.cond(LeaguesState.loaded, my_leagues(), loading()),
        rx.grid(
            create_form(),
            join_form(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        title="Leagues",
        requires="login",
    )


# --- /leagues/<id>: the board -----------------------------------------------------------------


def period_control() -> rx.Component:
    return boards.period_control(PERIOD_LABELS, LeagueState.period, LeagueState.set_period)


def ranked_row(line: StandingLine) -> rx.Component:
    return boards.ranked_row(
        line,
        figure_cell(line.roi, "roi"),
        figure_cell(line.adjusted_roi, "adjusted-roi", display=WIDE),
        figure_cell(line.record, "record", display=WIDE),
        figure_cell(line.streak, "streak", display=WIDE),
        figure_cell(line.last10, "last10", display=WIDE),
        boards.clv_figure(line),
    )


def board_header() -> rx.Component:
    def head(label: str, **props) -> rx.Component:
        return right(label, width=FIGURE, white_space="nowrap", **props)

    return boards.board_header(
        head("Units"),
        head("ROI"),
        head("Adj. ROI", display=WIDE, title="Sample-adjusted ROI"),
        head("W-L-P", display=WIDE),
        head("Streak", display=WIDE),
        head("Last 10", display=WIDE),
        boards.clv_header(width=FIGURE),
    )


def unranked_row(line: StandingLine) -> rx.Component:
    return rx.table.row(
        boards.player_cell(line, rx.text(line.needed, size="1", color_scheme="gray")),
        figure_cell(line.record, "record"),
        units_cell(line, class_name="units"),
        figure_cell(line.roi, "roi", display=WIDE),
        data_username=line.username,
    )


def board() -> rx.Component:
    return rx.card(
        rx.vstack(
            side_by_side(rx.heading("Board", as_="h2", size="4"), period_control()),
            rx.cond(
                LeagueState.ranked.length() > 0,
                boards.ranked_table(
                    LeagueState.period_label + " board",
                    board_header(),
                    LeagueState.ranked,
                    ranked_row,
                    "league-board",
                ),
                rx.callout(
                    "Nobody is ranked in this period yet.",
                    icon="trophy",
                    color_scheme="gray",
                    id="board-empty",
                    width="100%",
                ),
            ),
            rx.cond(
                LeagueState.unranked.length() > 0,
                rx.vstack(
                    rx.heading("Not yet ranked", as_="h3", size="3"),
                    boards.unranked_table(LeagueState.unranked, unranked_row, display=WIDE),
                    spacing="2",
                    width="100%",
                ),
            ),
            muted(
                "Ranked by the league's rules over its counted picks, 1 unit a pick; ties share a "
                "rank. Adjusted ROI pulls ROI toward -4.5% (a -110 line's house edge) with the "
                "weight of 30 picks, so a short lucky run does not top a long record. Streak and "
                "last 10 are current form, over all time.",
                size="1",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        grid_column=rx.breakpoints(initial="auto", md="span 2"),
    )


# --- rules and the owner's form ---------------------------------------------------------------


def rules_list() -> rx.Component:
    return rx.el.ul(
        rx.foreach(LeagueState.rules, lambda rule: rx.el.li(rx.text(rule, size="2"))),
        id="league-rules",
        padding_left="1.2em",
        list_style_type="disc",
        margin="0",
    )


def settings_form() -> rx.Component:
    has = LeagueState.error_field

    def error(name: str) -> rx.Component:
        return rx.text(
            rx.cond(has == name, LeagueState.error_message, ""),
            id=f"{name}-error",
            size="2",
            color_scheme="red",
            aria_live="polite",
        )

    def field(label: str, name: str, value: rx.Var, hint: str, **props) -> rx.Component:
        return rx.flex(
            rx.text(label, as_="label", size="2", weight="medium", custom_attrs={"htmlFor": name}),
            rx.input(
                id=name,
                name=name,
                default_value=value,
                auto_complete="off",
                color_scheme=rx.cond(has == name, "red", "gray"),
                aria_invalid=rx.cond(has == name, "true", "false"),
                aria_describedby=f"{name}-hint {name}-error",
                **props,
            ),
            rx.text(hint, id=f"{name}-hint", size="1", color_scheme="gray"),
            error(name),
            direction="column",
            spacing="1",
            width="100%",
        )

    markets = rx.el.fieldset(
        rx.el.legend(rx.text("Markets that count", size="2", weight="medium")),
        rx.hstack(
            *(
                rx.checkbox(
                    label,
                    name=f"market_{key}",
                    default_checked=LeagueState.form_markets.contains(key),
                    id="markets" if key == "h2h" else f"market-{key}",
                    size="2",
                )
                for key, label in MARKET_CHOICES
            ),
            spacing="4",
            wrap="wrap",
        ),
        error("markets"),
        border="none",
        padding="0",
        margin="0",
    )
    ranking = rx.flex(
        rx.text(
            "Rank by", as_="label", size="2", weight="medium", custom_attrs={"htmlFor": "ranking"}
        ),
        rx.el.select(
            *(rx.el.option(label, value=value) for value, label in RANKING_CHOICES),
            id="ranking",
            name="ranking",
            default_value=LeagueState.form_ranking,
            class_name="rt-reset rt-SelectTrigger rt-r-size-2 rt-variant-surface",
        ),
        error("ranking"),
        direction="column",
        spacing="1",
    )
    return bare_form(
        "league-settings",
        LeagueState.save_settings,
        field("Name", "name", LeagueState.name, "1 to 60 characters.", max_length=60),
        field("Description", "description", LeagueState.description, "Up to 500 characters."),
        markets,
        rx.grid(
            field(
                "Shortest price",
                "shortest_price",
                LeagueState.form_shortest,
                "e.g. -300; blank for no limit.",
            ),
            field(
                "Longest price",
                "longest_price",
                LeagueState.form_longest,
                "e.g. +400; blank for no limit.",
            ),
            field(
                "Counted picks per day",
                "daily_cap",
                LeagueState.form_cap,
                "1 to 50; blank for no cap.",
                input_mode="numeric",
            ),
            field(
                "Graded picks to be ranked",
                "min_ranked",
                LeagueState.form_min_ranked,
                "0 to 1000.",
                input_mode="numeric",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        ranking,
        rx.hstack(
            rx.button("Save settings", type="submit"),
            rx.button(
                "Cancel",
                type="button",
                variant="soft",
                color_scheme="gray",
                on_click=LeagueState.stop_editing,
            ),
            spacing="3",
        ),
    )


def rules_section() -> rx.Component:
    return section(
        "Rules",
        rules_list(),
        muted(
            "A pick counts here when it meets these rules; the first picks of a day (by when "
            "they were made) count up to the cap. Picks made before you joined count too."
        ),
        rx.cond(
            LeagueState.is_owner,
            rx.cond(
                LeagueState.editing,
                settings_form(),
                rx.button(
                    rx.icon("settings", size=16, aria_hidden="true"),
                    "Edit settings",
                    variant="soft",
                    on_click=LeagueState.start_editing,
                    id="edit-settings",
                    width="fit-content",
                ),
            ),
        ),
    )


# --- invite, members, leave -------------------------------------------------------------------


def invite_section() -> rx.Component:
    return section(
        "Invite link",
        muted("Anyone with this link can join. Make a new one and the old link stops working."),
        rx.code(LeagueState.invite_link, id="invite-link", overflow_wrap="anywhere", size="2"),
        rx.hstack(
            rx.button(
                rx.icon("copy", size=16, aria_hidden="true"),
                "Copy link",
                on_click=[rx.set_clipboard(LeagueState.invite_link), LeagueState.copied],
                id="copy-link",
            ),
            rx.button(
                rx.icon("refresh-cw", size=16, aria_hidden="true"),
                "Make a new link",
                on_click=LeagueState.rotate_code,
                variant="soft",
                color_scheme="gray",
                id="rotate-code",
            ),
            spacing="3",
            wrap="wrap",
        ),
    )


def confirm(
    trigger: str,
    title: rx.Var | str,
    text: rx.Var | str,
    action: str,
    on_confirm,
    aria_label: rx.Var | str,
    color: str = "red",
) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(trigger, size="1", variant="soft", color_scheme=color, aria_label=aria_label)
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(text, size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button(action, color_scheme=color, on_click=on_confirm)),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
            max_width="26rem",
        ),
    )


def member_row(line: MemberLine) -> rx.Component:
    owner_tools = rx.cond(
        LeagueState.is_owner & ~line.is_me,
        rx.hstack(
            confirm(
                "Hand over",
                "Hand the league to " + line.username + "?",
                "They become the owner: the rules, the invite link and the members are theirs "
                "to manage. You stay a member.",
                "Hand over",
                LeagueState.hand_over(line.username),
                "Hand the league to " + line.username,
                color="gray",
            ),
            confirm(
                "Remove",
                "Remove " + line.username + "?",
                "They leave the league's board; their picks stay in their own history.",
                "Remove",
                LeagueState.remove_member(line.username),
                "Remove " + line.username,
            ),
            spacing="2",
            justify="end",
        ),
    )
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.link(line.username, href=line.href, overflow_wrap="anywhere"),
                rx.cond(line.is_owner, rx.badge("Owner", size="1", variant="soft")),
                rx.cond(line.is_me, rx.badge("You", size="1", variant="solid")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
        ),
        rx.table.cell(line.joined, white_space="nowrap", display=WIDE),
        rx.table.cell(owner_tools, text_align="right"),
        data_member=line.username,
    )


def members_section() -> rx.Component:
    return section(
        "Members",
        data_table(
            "Members",
            table_header(
                "Player",
                rx.table.column_header_cell("Joined", display=WIDE),
                rx.table.column_header_cell("", aria_label="Actions"),
            ),
            LeagueState.members,
            member_row,
            "league-members",
        ),
        confirm(
            "Leave league",
            "Leave " + LeagueState.name + "?",
            "You leave its board; your picks stay in your own history. You can join again with "
            "an invite link.",
            "Leave",
            LeagueState.leave,
            "Leave the league",
        ),
    )


# --- picks -----------------------------------------------------------------------------------

PICK_CLV_TITLE = (
    "Closing-line value: the fair closing chance of the side picked minus the chance the "
    "price taken implied, in percentage points"
)


def pick_row(line: LeaguePickLine) -> rx.Component:
    """On a phone two columns: the pick (with its player and game under it) and the result."""
    return rx.table.row(
        game_cell(line.matchup, line.when, display=WIDE),
        rx.table.cell(rx.link(line.username, href="/u/" + line.username, size="2"), display=WIDE),
        rx.table.cell(
            rx.link(line.username, href="/u/" + line.username, size="1", display=NARROW),
            *pick_text(line),
            rx.text(line.matchup, " · ", line.when, size="1", color_scheme="gray", display=NARROW),
            rx.cond(
                line.clv != "—",
                rx.text("CLV ", line.clv, size="1", color_scheme="gray", display=NARROW),
            ),
            rx.cond(
                line.counted,
                rx.fragment(),
                rx.badge(
                    line.reason,
                    color_scheme="amber",
                    variant="surface",
                    size="1",
                    class_name="not-counted",
                    margin_top="0.25em",
                    white_space="normal",
                ),
            ),
        ),
        result_cell(line.result, line),
        clv_cell(line.clv, line.clv_tone, display=WIDE),
        id="league-pick-" + line.id.to_string(),
        data_counted=rx.cond(line.counted, "true", "false"),
    )


def picks_section() -> rx.Component:
    return section(
        "Picks",
        side_by_side(
            muted(
                "Every member's picks on games that have locked (and your own open ones), newest "
                "game first. A pick outside the rules is marked not counted, with the reason."
            ),
            rx.button(
                rx.icon("download", size=16, aria_hidden="true"),
                "Download CSV",
                on_click=LeagueState.download_csv,
                variant="soft",
                id="download-csv",
                flex_shrink="0",
            ),
        ),
        rx.cond(
            LeagueState.picks.length() > 0,
            rx.box(
                data_table(
                    "League picks",
                    table_header(
                        rx.table.column_header_cell("Game", display=WIDE),
                        rx.table.column_header_cell("Player", display=WIDE),
                        "Pick",
                        "Result",
                        right("CLV", display=WIDE, title=PICK_CLV_TITLE),
                    ),
                    LeagueState.picks,
                    pick_row,
                    "league-picks",
                ),
                width="100%",
                overflow_x="auto",
            ),
            muted("No picks to show yet: picks appear here once their games lock.", id="no-picks"),
        ),
    )


# --- the page ---------------------------------------------------------------------------------


def notice() -> rx.Component:
    return rx.cond(
        LeagueState.notice != "",
        rx.callout(
            LeagueState.notice,
            color_scheme=LeagueState.notice_tone,
            icon="info",
            role="status",
            id="league-notice",
            width="100%",
        ),
    )


def league_view() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            name_heading(LeagueState.name),
            rx.cond(LeagueState.description != "", muted(LeagueState.description)),
            muted(
                "Owner ",
                rx.cond(LeagueState.owner != "", LeagueState.owner, "—"),
                " · ",
                LeagueState.members_count,
                id="league-meta",
            ),
            spacing="1",
        ),
        notice(),
        rx.grid(
            board(),
            rx.vstack(
                rules_section(),
                rx.cond(LeagueState.is_owner, invite_section()),
                rx.cond(LeagueState.is_owner, league_reminder()),
                spacing="4",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        picks_section(),
        members_section(),
        spacing="5",
        width="100%",
        id="league",
    )


def league_error() -> rx.Component:
    return rx.vstack(
        rx.heading("League not available", as_="h1", size="6"),
        rx.callout(LeagueState.error, icon="lock", color_scheme="red", id="league-error"),
        rx.link("Back to my leagues", href="/leagues"),
        spacing="3",
        padding_y="2em",
    )


def league_title() -> rx.Var:
    """The browser tab's title: the league's name once shown."""
    return rx.cond(LeagueState.found, LeagueState.name + " · PickVs", page_title("League"))


def league_page() -> rx.Component:
    return page_layout(
        rx.cond(
            LeagueState.loaded,
            rx.cond(LeagueState.found, league_view(), league_error()),
            loading(),
        ),
        requires="login",
    )


# --- /join/<code> -----------------------------------------------------------------------------


def join_card() -> rx.Component:
    return rx.cond(
        JoinState.league_name != "",
        rx.vstack(
            muted("You are invited to join"),
            rx.heading(JoinState.league_name, as_="h1", size="7", id="join-league-name"),
            rx.cond(
                JoinState.error != "",
                rx.callout(JoinState.error, color_scheme="red", icon="info", id="join-error"),
            ),
            rx.cond(
                JoinState.member_href != "",
                rx.vstack(
                    muted("You are a member already."),
                    rx.link("Open the league", href=JoinState.member_href, id="join-open"),
                    spacing="2",
                ),
                rx.cond(
                    JoinState.is_authenticated,
                    rx.button("Join league", size="3", on_click=JoinState.join, id="join-button"),
                    rx.vstack(
                        muted("Log in or sign up to join; you come back here afterwards."),
                        rx.hstack(
                            rx.button(
                                rx.link("Log in", href=JoinState.login_href, id="join-login"),
                                as_child=True,
                                variant="soft",
                            ),
                            rx.button(
                                rx.link("Sign up", href=JoinState.signup_href, id="join-signup"),
                                as_child=True,
                            ),
                            spacing="3",
                        ),
                        spacing="3",
                    ),
                ),
            ),
            spacing="3",
        ),
        rx.vstack(
            rx.heading("Invite link not valid", as_="h1", size="6"),
            rx.callout(JoinState.error, icon="link-2-off", color_scheme="red", id="join-error"),
            rx.link("Go to my leagues", href="/leagues"),
            spacing="3",
        ),
    )


def join_page() -> rx.Component:
    return page_layout(
        rx.center(
            rx.card(
                rx.cond(JoinState.loaded, join_card(), loading()),
                size=rx.breakpoints(initial="2", sm="4"),
                width="100%",
                max_width="30rem",
            ),
            width="100%",
            padding_top=rx.breakpoints(initial="0", sm="2em"),
        )
    )
