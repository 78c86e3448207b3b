"""Why a scenario cannot be used: one error type, its messages kept as templates by code.

The engine's own messages are English; a front end can render the same error in another
language from :attr:`ScenarioError.code` and :attr:`ScenarioError.params` with its own
catalogue (every code here has an entry there; a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping

#: What was expected, by code. ``{…}`` are filled from the error's params.
EXPECTED: dict[str, str] = {
    "layers_shape": "{min_layers} to {max_layers} layer widths, each from 1 to {max_width}, "
    "e.g. [2, 3, 1]",
    "layers_type": "a list of whole numbers, e.g. [2, 3, 1]",
    "activations_count": "{count} names, one per non-input layer",
    "activations_type": "a list of names, e.g. [\"sigmoid\", \"sigmoid\"]",
    "activation_name": "names from {names}",
    "loss_name": "one of {names}",
    "cross_entropy_output": "sigmoid for the output layer, because loss 'cross_entropy' needs "
    "outputs in (0, 1)",
    "positive_number": "a finite number above 0",
    "update_mode": "'online' or 'batch'",
    "init_kind": "one of {names}",
    "finite_number": "a finite number",
    "seed_range": "a whole number from 0 to 2**63 - 1",
    "seed_type": "a whole number, 0 or more",
    "matrix_count": "{count} matrices, one per non-input layer",
    "matrix_shape": "{rows} rows (one per unit of layer {layer}) of {cols} numbers "
    "(the bias weight, then one per unit of layer {previous})",
    "finite_numbers": "finite numbers",
    "sample_count": "1 to {max_samples} rows",
    "target_count": "{count} rows, one per row of data.inputs",
    "row_width": "{width} numbers",
    "probability_targets": "targets from 0 to 1, because loss 'cross_entropy' compares "
    "probabilities",
    "number": "a number",
    "string": "a string",
    "plain_text": "one line of text without control or format characters (no escape "
    "sequences, line breaks, bidi or zero-width marks; character {position} is one)",
    "plain_text_lines": "text without control or format characters other than newlines and "
    "tabs (no escape sequences, bidi or zero-width marks; character {position} is one)",
    "text_length": "at most {max_chars} characters (this one has {length})",
    "matrix_type": "a list of rows, each a list of numbers, e.g. [[0, 1], [1, 0]]",
    "unknown_key": "only the keys {names}{where} (unknown key)",
    "unknown_key_where": " in [{table}]",
    "missing_key": "this key, which is missing",
    "missing_for_kind": "this key, which init.kind = \"{kind}\" needs",
    "init_table": "a table, e.g. [init] with kind = \"random\" and seed = 0",
    "matrices_type": "a list of matrices, one per non-input layer",
    "data_table": "a table with inputs and targets",
}

#: Problems with a whole file rather than one key, by code.
FILE_PROBLEMS: dict[str, str] = {
    "unreadable": "cannot read the file ({reason})",
    "not_utf8": "the file is not UTF-8 text",
    "not_regular": "cannot read the file (not a regular file: a directory, a device or a pipe)",
    "too_large": "the file is larger than {max_mb} MB, far more than any lesson needs",
    "not_toml": "not valid TOML ({reason})",
    "unknown_name": "no built-in scenario has this name ({names}) and no such file exists",
}

#: How the parts are put together.
FRAMES: dict[str, str] = {
    "key": "key '{key}': expected {expected}",
    "got": ", got {got}",
    "file": "{path}: {message}",
}


def shown(value: object) -> str:
    """A short repr of what was found, for the message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class ScenarioError(ValueError):
    """A scenario that cannot be used: one message naming the key and what was expected.

    ``key`` is the TOML key (dotted for tables, e.g. ``init.weights``), ``code`` names what
    was expected (a key of :data:`EXPECTED`), ``got`` shows what was there when it helps.
    With ``path`` set, the problem is in that file; ``problem`` (a key of
    :data:`FILE_PROBLEMS`) is set when it concerns the whole file, not one key.
    """

    def __init__(self, key: str, code: str, got: object = None, **params: object) -> None:
        self.key = key
        self.code = code
        self.got = got
        self.params = params
        self.path: str | None = None
        self.problem: str | None = None
        super().__init__(self.render(EXPECTED, FILE_PROBLEMS, FRAMES))

    @classmethod
    def file_problem(cls, path: str, problem: str, **params: object) -> ScenarioError:
        """An error about the file as a whole (unreadable, not TOML, …)."""
        error = cls.__new__(cls)
        error.key, error.code, error.got, error.params = "", "", None, params
        error.path, error.problem = path, problem
        ValueError.__init__(error, error.render(EXPECTED, FILE_PROBLEMS, FRAMES))
        return error

    def in_file(self, path: str) -> ScenarioError:
        """The same error, said to be in ``path``."""
        self.path = path
        self.args = (self.render(EXPECTED, FILE_PROBLEMS, FRAMES),)
        return self

    def render(
        self,
        expected: Mapping[str, str],
        problems: Mapping[str, str],
        frames: Mapping[str, str],
    ) -> str:
        """The message from a set of templates: the engine's English, or a catalogue's."""
        params = {k: _printable(v) for k, v in self.params.items()}
        if self.code == "unknown_key":  # " in [init]" for a table's key, in the same words
            table = params.get("table")
            params["where"] = expected["unknown_key_where"].format(table=table) if table else ""
        if self.problem is not None:
            message = problems[self.problem].format(**params)
        else:
            message = frames["key"].format(
                key=_printable(self.key), expected=expected[self.code].format(**params)
            )
            if self.got is not None:
                message += frames["got"].format(got=shown(self.got))
        if self.path is not None:
            return frames["file"].format(path=_printable(self.path), message=message)
        return message


def _printable(value: object) -> object:
    """Text from a file (a key, a path) as it can be shown on one line: each character that is
    not printable (a newline, an escape sequence, a bidi override) written as its escape, the
    way repr does, and never sent to the terminal; the rest, accented or Chinese, kept."""
    if isinstance(value, str) and not value.isprintable():
        return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value)
    return value
