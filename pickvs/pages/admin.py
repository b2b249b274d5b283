"""`/admin`: the admin tools. A placeholder until the admin page lands; it shows the admin guard.

Registered with `on_load=AuthState.require_admin`; `requires="admin"` shows players who are not
admins the not-found view while the guard sends them to /404.
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages.layout import page_layout


def admin_page() -> rx.Component:
    return page_layout(
        rx.text("Admin tools coming next.", color_scheme="gray", id="admin-placeholder"),
        title="Admin",
        requires="admin",
    )
