"""English messages for progress: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    # progress that survives a quit (tui/progress.py)
    "progress.resumed": "Back where you left {name}: epoch {epoch}, step {step} of "
    "{total}. r restarts it; --fresh starts over.",
    "progress.changed": "{name} has changed since you last left it: it starts from its "
    "beginning (the old version's place is kept).",
    "progress.unfit": "Your place in {name} no longer fits the lesson: it starts from its "
    "beginning.",
    "progress.corrupt": "The progress file {path} was damaged: starting fresh. It is kept as "
    "{aside}.",
    "progress.unreadable": "The progress file {path} cannot be read: starting fresh, and "
    "progress is not saved this time, so nothing in it is lost.",
    "progress.newer": "The progress file {path} is from a newer backprop-tutor: starting "
    "fresh, and it is left as it is (progress is not saved this time).",
    "cli.fresh": "start the lesson from its beginning, not where you left it",
    # the command palette's own commands (Textual's, which Textual words in English)
    "palette.search": "Search for commands…",
    "palette.search_themes": "Search for themes…",
    "palette.theme": "Theme",
    "palette.theme_help": "Change the colours of the tutor",
    "palette.quit": "Quit",
    "palette.quit_help": "Close the tutor (it remembers where you are)",
    "palette.keys": "Keys",
    "palette.keys_show": "Show a panel with the keys of this screen",
    "palette.keys_hide": "Hide the panel of keys",
    "palette.maximize": "Maximize",
    "palette.maximize_help": "Give the focused pane the whole screen",
    "palette.minimize": "Minimize",
    "palette.minimize_help": "Back to every pane at its own size",
    "palette.screenshot": "Screenshot",
    "palette.screenshot_help": "Save an SVG picture of the screen (as F2 does)",
    # the editor's choices: the identifier, then what it means
    "editor.choice": "{name}  {meaning}",
    "choice.identity": "f(z) = z",
    "choice.sigmoid": "σ(z) = 1/(1 + e^(−z))",
    "choice.tanh": "tanh(z)",
    "choice.relu": "max(0, z)",
    "choice.article_error": "the article's signed error y − o",
    "choice.half_squared_error": "½ Σ (y − o)²",
    "choice.cross_entropy": "binary cross-entropy",
    "choice.online": "an update after each sample",
    "choice.batch": "one update for all samples",
    "choice.random": "N(0, 1) from a seed",
    "choice.constant": "every weight the same",
    "choice.explicit": "the file's own matrices",
}
