"""English messages for the teacher leading the class (issue 15: the ``lead``, ``hold`` and
``broadcast`` lines of tui/served.py, as the learner's tutor shows them): merged into
:mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    "lead.step": "Your teacher moved the class to step {step}.",
    "lead.phase.forward": "Your teacher moved the class to the start of the forward pass.",
    "lead.phase.loss": "Your teacher moved the class to the start of the loss.",
    "lead.phase.backward": "Your teacher moved the class to the start of the backward pass.",
    "lead.phase.update": "Your teacher moved the class to the start of the weight update.",
    "lead.lesson": "Your teacher moved the class to the lesson {name}.",
    "lead.lesson_failed": "Your teacher moved the class to the lesson {name}, which this tutor "
                          "cannot open ({reason}): you stay in your lesson.",
    "lead.held": "Your teacher is holding the class at step {step}.",
    "lead.released": "Your teacher released the class.",
    # the broadcast: in the header (a label before the teacher's words), and as a toast
    "lead.broadcast_label": "Teacher: ",
    "lead.broadcast_title": "Message from your teacher",
}
