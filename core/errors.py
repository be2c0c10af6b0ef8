"""One error base for every refused step a user can act on."""


class Refused(Exception):
    """A step refused for a reason the user can act on.

    ``str(error)`` and ``error.message`` are the sentence shown to the user, in
    Chinese: what went wrong and what to do. Each app subclasses it so that a
    view catches only the refusals of the step it called.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def required_text(text, message, *, error=Refused):
    """`text` without surrounding blanks, or `error(message)` when nothing is left:
    a reason the user must give (退回意见, 整改说明)."""
    text = (text or "").strip()
    if not text:
        raise error(message)
    return text
