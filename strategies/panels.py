"""Panels that higher apps add to a plan item's page, so strategies shows them without importing those apps.

An app registers a function in its AppConfig.ready(): ``register_node_panel("coverage", render)``; the function
takes (request, node) and returns HTML (a SafeString, from render_to_string) or "" to show nothing. The plan item's
page (views.plan_node_detail) shows the panels in the order they were registered.
"""

from collections.abc import Callable

_PANELS: dict[str, Callable] = {}


def register_node_panel(name: str, render: Callable) -> None:
    """Add (or replace, when registered again under the same name) a panel on every plan item's page."""
    _PANELS[name] = render


def node_panels(request, node) -> list[str]:
    """Return the registered panels' HTML for this item, leaving out the empty ones."""
    return [html for html in (render(request, node) for render in _PANELS.values()) if html]
