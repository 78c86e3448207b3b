"""Unit and link names, following the article's drawing.

- Input layer: ``X0`` (the bias, always 1), then ``X1``, ``X2``, … one per input.
- Hidden layers: the first is ``Z`` (``Z0`` its bias, ``Z1``, ``Z2``, …) as in the article;
  further hidden layers take the letters ``Y``, ``V``, ``U``, ``T``, ``S``, ``R``, ``Q``, ``P``
  in that order (``W`` is skipped because it means a weight, ``X`` because it means an input),
  each with its own bias unit ``Y0``, ``V0``, ….
- Output layer: ``D0``, ``D1``, … one per output; the output layer has no bias unit.
- A link is ``SOURCE->TARGET``, e.g. ``X1->Z2``; its weight is in row TARGET, column SOURCE
  of that layer's weight matrix (column 0 is the bias).
"""

from __future__ import annotations

HIDDEN_LETTERS = ("Z", "Y", "V", "U", "T", "S", "R", "Q", "P")
MAX_HIDDEN_LAYERS = len(HIDDEN_LETTERS)


def layer_letter(layer: int, n_layers: int) -> str:
    """Letter of layer ``layer`` (0 = input) in a network of ``n_layers`` layers."""
    if layer == 0:
        return "X"
    if layer == n_layers - 1:
        return "D"
    return HIDDEN_LETTERS[layer - 1]


def unit_names(layers: tuple[int, ...]) -> list[list[str]]:
    """Names of every unit, layer by layer, bias units first where a layer has one."""
    names: list[list[str]] = []
    for layer, width in enumerate(layers):
        letter = layer_letter(layer, len(layers))
        if layer == len(layers) - 1:
            names.append([f"{letter}{i}" for i in range(width)])
        else:
            names.append([f"{letter}{i}" for i in range(width + 1)])
    return names


def link_name(source: str, target: str) -> str:
    """``X1->Z2``: the link from ``source`` to ``target``."""
    return f"{source}->{target}"
