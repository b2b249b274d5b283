"""Reflex pages: layout only. Data comes from `pickvs.state`, rules from `pickvs.services`.

A page is a function returning `page_layout(*children, title=..., requires=...)` (layout.py),
registered in pickvs/pickvs.py with its guard:

    def picks_page() -> rx.Component:                                  # pages/picks.py
        return page_layout(rx.foreach(MyPicksState.rows, pick_row), title="My picks",
                           requires="login")

    app.add_page(picks_page, route=routes.PICKS, title=page_title("My picks"),
                 on_load=[AuthState.require_login, MyPicksState.load], **PAGE_META)

`requires` ("anyone", "login", "admin") decides what the page shows; the on_load guard decides
where the browser goes; the state's handlers decide what data leaves the server. Forms use
`forms.form_field` with a state mixing in `pickvs.state.forms.FormErrors`.
"""
