"""Key labels in the current language: bindings name their catalogue entry by ``id``.

Textual reads ``BINDINGS`` once, at import; :func:`relabel` gives a node fresh copies whose
descriptions come from the catalogue, so a language switch relabels the footer too.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tui.i18n import t


def label_key(binding_id: str) -> str:
    """The catalogue entry of a binding's label: ``key.<id>``, or the id itself when it is
    already a full key (``train.key.start``)."""
    return binding_id if "." in binding_id else f"key.{binding_id}"


def relabel(node: DOMNode, shown: Collection[str] | None = None) -> None:
    """Label ``node``'s bindings from the catalogue (see :func:`label_key`); with ``shown``,
    only those ids appear in the footer."""
    # From the node's own bindings, not the class's: Textual adds some at run time (the
    # command palette's ctrl+p), and those must stay.
    keys: dict[str, list[Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        keys[key] = [
            replace(
                b,
                description=t(label_key(b.id)),
                show=b.show if shown is None else b.id in shown,
            )
            if b.id
            else b
            for b in bindings
        ]
    node._bindings = BindingsMap.from_keys(keys)
    node.refresh_bindings()  # a no-op until the node is mounted
