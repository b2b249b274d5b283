"""Radix Themes' own classes, for plain elements that look like its components.

The parts of a page drawn most often or first -- a slate's cards, every page's frame and
navbar -- are plain elements carrying these classes (the theme's stylesheet styles them as the
components would) and a few rules of assets/pickvs.css: the same look for a fraction of the
rendering work a cold load waits for (`python -m bench page`).
"""

from __future__ import annotations

from reflex.vars import Var

ROW = "rt-Flex rt-r-fd-row rt-r-ai-center"  # rx.hstack
COLUMN = "rt-Flex rt-r-fd-column rt-r-ai-start"  # rx.vstack
STACK = f"{COLUMN} rt-r-gap-5"  # rx.vstack(spacing="5")
# rx.link(size="2", weight="medium", underline="hover")
LINK = "rt-Text rt-reset rt-Link rt-r-size-2 rt-r-weight-medium rt-underline-hover"


def accent(color: str | Var) -> dict[str, str | Var]:
    """An element's `color_scheme`, as `custom_attrs`. A new dict each call: Reflex adds an
    element's aria attributes to the `custom_attrs` it is given, so a dict shared between
    elements would carry one's `aria-label` to the others."""
    return {"data-accent-color": color}


def gray() -> dict[str, str | Var]:
    return accent("gray")
