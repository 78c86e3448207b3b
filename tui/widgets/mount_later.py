"""Textual's Lazy, made safe for a screen that goes before the widget comes."""

from __future__ import annotations

from textual.widget import Widget


class MountLater(Widget):
    """Stands in for a widget until the first frame is out, then mounts it in its place (as
    Textual's Lazy does).

    Unlike Lazy, nothing is mounted if the parent has gone by then: a learner who quits at
    once (q typed with the start, as it can be over SSH) would otherwise get a MountError on
    the way out.
    """

    DEFAULT_CSS = """
    MountLater {
        display: none;
    }
    """

    def __init__(self, widget: Widget) -> None:
        self.later = widget
        super().__init__()

    def compose_add_child(self, widget: Widget) -> None:
        """Children composed inside this one belong to the widget it stands in for."""
        self.later.compose_add_child(widget)

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        """Mount the widget in place of this one after the next refresh."""
        parent = self.parent
        if not isinstance(parent, Widget):
            return

        async def mount() -> None:
            if parent.is_attached and self.is_attached:
                await parent.mount(self.later, after=self)
                await self.remove()

        self.call_after_refresh(mount)
