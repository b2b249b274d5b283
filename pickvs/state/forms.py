"""Form error handling shared by every form state: one message, shown next to its field.

Mix it into a form state (`class LoginState(FormErrors, AuthState)`): each class gets its own
`error_message` and `error_field`. A handler catching a `ServiceError` returns
`self._show_error(exc, fallback)`, which names the field the message concerns (the service's
`exc.field`, else `fallback`) and moves the keyboard focus there. The page renders the message
beside the input whose `id` is that field name (see pickvs/pages/forms.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import reflex as rx

from pickvs.services.errors import ServiceError


class FormErrors(rx.State, mixin=True):
    error_message: str = ""
    # The `id` (and form name) of the input the message belongs to; "" when there is none.
    error_field: str = ""

    def _clear_error(self) -> None:
        self.error_message = ""
        self.error_field = ""

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
        self.error_message = exc.message
        self.error_field = field
        return [*(rx.set_value(name, "") for name in clear), rx.set_focus(field)]
