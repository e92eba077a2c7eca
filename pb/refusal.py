"""One base class for every refusal an action can give a person.

An action that will not do what was asked raises a `Refusal` (or a subclass named for its
capability) carrying a message id and the values to fill it with. Handlers catch it where they want
to show the message beside a form; anywhere else the one handler in pb.web.errors answers with the
error page in the person's language and the refusal's status, so a new refusal can never become a 500.
"""

from __future__ import annotations


class Refusal(Exception):
    """The action was refused for a reason the person can be told: `message_id` (a catalogue id,
    `%(name)s` placeholders filled from `values`), answered with `status_code` when not caught."""

    status_code: int = 409

    def __init__(self, message_id: str, status_code: int | None = None, **values: object) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.values = values
        if status_code is not None:
            self.status_code = status_code

    def __str__(self) -> str:
        # The message id, never the values: values can name people, and messages reach logs.
        return self.message_id
