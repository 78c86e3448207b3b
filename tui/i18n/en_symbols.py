"""English messages for symbols: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    "sym.col.article_gradient": "article's Z·δ",
    "sym.start.later": "Iteration {iteration}: the network carries on from the weights it has "
    "reached (the updates so far, or training). Press → (or Space) for the first step, ] for a "
    "whole phase, ? for help.",
    "sym.start.edited": "You changed this lesson ({changes}): every number that follows is the "
    "changed lesson's.",
    "sym.start.edited_article": "The article's !! notes are left out: their numbers are those "
    "of the lesson as written, which s opens again.",
    "sym.delta.fprime": "f′(z) is the slope of {unit}'s activation at z = {z}: {text}",
    "sym.delta.cancels": "Why there is no f′(z): by the chain rule δ = ∂E/∂o·σ′(z). "
    "Cross-entropy's slope is ∂E/∂o = (o − y)/(o·(1 − o)), and with o = σ(z) the sigmoid's "
    "slope is {text}, the same o·(1 − o): the two cancel, leaving δ({unit}) = {unit} − y.",
    "sym.delta.cancels_mean": "Why there is no f′(z): by the chain rule δ = ∂E/∂o·σ′(z). "
    "Cross-entropy's slope is ∂E/∂o = (o − y)/(o·(1 − o)), and with o = σ(z) the sigmoid's "
    "slope is {text}, the same o·(1 − o): the two cancel, leaving δ({unit}) = ({unit} − y)/K, "
    "since the loss is the mean over its K = {count} outputs.",
    "sym.update.article": "Here δ({output}) = (y − {output})·f′(z) has the sign opposite to "
    "the loss's slope, so the article's \"gradient\" Z·δ is minus the true one: "
    "{source}·δ({target}) = {product}, but ∂E/∂w = {gradient} for E = ½({output} − y)². "
    "Subtracting α·Z·δ climbs the error; the column holds the article's Z·δ.",
    "sym.update.batch_sample": "The forward table and the network diagram show sample "
    "{sample}, {text}, the batch's last; this update uses the mean of Z·δ over all {count} "
    "samples, one product per sample in the working.",
    "key.glossary": "Glossary",
    "glossary.close": "Escape or g closes the glossary",
}
