"""`/login` and `/signup`: the two account forms, each linking to the other."""

from __future__ import annotations

import reflex as rx

from pickvs.pages.forms import auth_card, auth_form, form_field
from pickvs.pages.layout import page_layout
from pickvs.state.login import LoginState
from pickvs.state.signup import SignupState


def login_page() -> rx.Component:
    return page_layout(
        auth_card(
            "Log in",
            "Welcome back. Your picks are waiting.",
            auth_form(
                "login-form",
                "Log in",
                LoginState.submit,
                form_field(
                    "Username or email",
                    "login",
                    LoginState,
                    auto_complete="username",
                    auto_capitalize="none",
                    spell_check=False,
                ),
                form_field(
                    "Password",
                    "password",
                    LoginState,
                    type="password",
                    auto_complete="current-password",
                ),
            ),
            rx.text(
                "New to PickVs? ",
                rx.link("Create an account", href=LoginState.signup_href, id="to-signup"),
                size="2",
            ),
        ),
    )


def signup_page() -> rx.Component:
    return page_layout(
        auth_card(
            "Create your account",
            "Pick NBA games against the lines and see where you rank.",
            auth_form(
                "signup-form",
                "Sign up",
                SignupState.submit,
                form_field(
                    "Email",
                    "email",
                    SignupState,
                    type="email",
                    auto_complete="email",
                    auto_capitalize="none",
                    spell_check=False,
                ),
                form_field(
                    "Username",
                    "username",
                    SignupState,
                    auto_complete="username",
                    hint="3-20 letters, digits or underscores; shown on the leaderboard.",
                    auto_capitalize="none",
                    spell_check=False,
                ),
                form_field(
                    "Password",
                    "password",
                    SignupState,
                    type="password",
                    auto_complete="new-password",
                    hint="At least 8 characters.",
                ),
            ),
            rx.text(
                "Already have an account? ",
                rx.link("Log in", href=SignupState.login_href, id="to-login"),
                size="2",
            ),
        ),
    )
