"""The built-in lessons: the article's XOR example as it is, corrected, and one that learns."""

from __future__ import annotations

from engine.scenario import Init, Scenario

XOR_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
XOR_TARGETS = ((0.0,), (1.0,), (1.0,), (0.0,))

ARTICLE = Scenario(
    name="article",
    description=(
        "The article's XOR example exactly: 2-3-1, identity activations, every weight 1, "
        "learning rate 0.1, one sample per update, and its signed error y - o as the delta."
    ),
    layers=(2, 3, 1),
    activations=("identity", "identity"),
    loss="article_error",
    learning_rate=0.1,
    update="online",
    init=Init(kind="constant", value=1.0),
    inputs=XOR_INPUTS,
    targets=XOR_TARGETS,
)

ARTICLE_CORRECTED = ARTICLE.with_changes(
    name="article-corrected",
    description=(
        "The same network with half squared error, so the update goes downhill: the 7 changed "
        "weights become 0.6 and the prediction for (0,0) drops from 4 to 1.68."
    ),
    loss="half_squared_error",
)

XOR_SIGMOID = Scenario(
    name="xor-sigmoid",
    description=(
        "A 2-3-1 network that really learns XOR: sigmoid units, cross-entropy, seeded random "
        "weights and full-batch updates."
    ),
    layers=(2, 3, 1),
    activations=("sigmoid", "sigmoid"),
    loss="cross_entropy",
    learning_rate=1.0,
    update="batch",
    init=Init(kind="random", seed=0),
    inputs=XOR_INPUTS,
    targets=XOR_TARGETS,
)

BUILTIN_SCENARIOS: dict[str, Scenario] = {
    s.name: s for s in (ARTICLE, ARTICLE_CORRECTED, XOR_SIGMOID)
}


#: The article's lesson as written and as corrected: one key switches between them.
ARTICLE_PAIR = {"article": "article-corrected", "article-corrected": "article"}


def base_lesson(s: Scenario) -> Scenario | None:
    """The lesson ``s`` was changed from: the one the learner opened (a file's too), else the
    built-in lesson of its name; None when there is nothing to compare with."""
    return s.edited_from or BUILTIN_SCENARIOS.get(s.name)


def builtin(name: str) -> Scenario:
    """A built-in scenario by name; ``KeyError`` if there is none."""
    return BUILTIN_SCENARIOS[name]


def builtin_name(s: Scenario) -> str | None:
    """The name of the built-in lesson ``s`` is, unchanged; None for any other, including an
    edited built-in or a file that took a built-in's name (they keep the name, not the
    numbers)."""
    return s.name if BUILTIN_SCENARIOS.get(s.name) == s else None


def article_partner(s: Scenario) -> Scenario | None:
    """For the article's lesson as written, the corrected one, and back; None for any other
    lesson: the errata's measured numbers and the side-by-side comparison are about these
    two exactly."""
    partner = ARTICLE_PAIR.get(builtin_name(s) or "")
    return BUILTIN_SCENARIOS[partner] if partner else None
