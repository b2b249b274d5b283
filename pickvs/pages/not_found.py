"""The not-found page: unknown addresses, and where `require_admin` sends non-admins."""

from __future__ import annotations

import reflex as rx

from pickvs.pages.layout import not_found_view, page_layout


def not_found_page() -> rx.Component:
    return page_layout(not_found_view())
