"""`/`: the slate, today's games to pick. A placeholder until the slate page lands."""

from __future__ import annotations

import reflex as rx

from pickvs.pages.layout import page_layout


def slate_page() -> rx.Component:
    return page_layout(
        rx.text("Slate coming next.", color_scheme="gray", id="slate-placeholder"),
        title="Today's slate",
        requires="login",
    )
