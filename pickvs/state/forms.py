"""Form error handling shared by every form state: one message, shown next to its field.

Mix it into a form state (`class LoginState(FormErrors, AuthState)`): each class gets its own
`error_message` and `error_field`, and a `clear_error` event for the page's on_load. A submit
handler first calls `self._missing(form_data, REQUIRED)` (a blank field is a problem like any
other, shown the same way), then catches a `ServiceError` and returns
`self._show_error(exc, fallback)`, which names the field the message concerns (the service's
`exc.field`, else `fallback`) and moves the keyboard focus there. The page renders the message
beside the input whose `id` is that field name (see pickvs/pages/forms.py).

There is only ever one message: each submit replaces the last one, and loading the page again
(a reload, or coming back later) starts with none, so a message always belongs to what the
player just sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import reflex as rx

from pickvs.services.errors import ServiceError


class FormErrors(rx.State, mixin=True):
    error_message: str = ""
    # The `id` (and form name) of the input the message belongs to; "" when there is none.
    error_field: str = ""

    @rx.event
    def clear_error(self) -> None:
        """on_load: a message is about the submit that caused it, not about a later visit
        (the tab's state outlives a reload, so without this the old message came back)."""
        self._clear_error()

    def _clear_error(self) -> None:
        self.error_message = ""
        self.error_field = ""

    def _set_error(self, field: str, message: str) -> list[rx.event.EventSpec]:
        """Replace whatever was shown with `message` beside `field`, and focus that field."""
        self.error_message = message
        self.error_field = field
        return [rx.set_focus(field)]

    def _missing(
        self, form_data: Mapping[str, Any], required: Mapping[str, str]
    ) -> list[rx.event.EventSpec] | None:
        """The first blank field of `required` (field name -> message), shown beside it; None
        when every one is filled in. The forms skip the browser's own validation (its bubbles
        vanish, and left a stale message of ours beside another field), so this is the check."""
        for field, message in required.items():
            if not str(form_data.get(field) or ""):
                return self._set_error(field, message)
        return None

    def _show_error(
        self,
        exc: ServiceError,
        fallback: str,
        fields: Iterable[str] | None = None,
        clear: Iterable[str] = (),
    ) -> list[rx.event.EventSpec]:
        """Show `exc.message` at `exc.field` when it is one of `fields`, else at `fallback`;
        empty the inputs named in `clear` (a rejected password) and focus the field."""
        field = exc.field if exc.field and (fields is None or exc.field in fields) else fallback
        return [*(rx.set_value(name, "") for name in clear), *self._set_error(field, exc.message)]
