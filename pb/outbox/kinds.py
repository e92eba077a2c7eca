"""Which kind of notification each email is (pure: no database, no web).

A person chooses, per kind, to get its emails immediately, in one daily digest, or never
(pb.accounts.notifications). Every email template under pb/templates/emails/ is either a
notification of one kind or transactional; tests/outbox/test_kinds.py fails on one that is neither.
"""

from __future__ import annotations

from pb.i18n import N_

KINDS = ("my_proposals", "following", "my_area", "sessions")
CHOICES = ("immediately", "daily", "never")
DEFAULT_CHOICE = "immediately"  # today's behaviour, for everyone who has not chosen

KIND_NAMES = {
    "my_proposals": N_("My proposals"),
    "following": N_("Things I follow"),
    "my_area": N_("Rounds in my area"),
    "sessions": N_("Community sessions"),
}
KIND_HINTS = {
    "my_proposals": N_("When the status or cost of a proposal you wrote changes."),
    "following": N_("News about proposals you follow: decisions, delivery and information from the council."),
    "my_area": N_("Reminders that voting is closing and results in rounds and areas you follow."),
    "sessions": N_("Changes, cancellations, reminders and outcomes of community sessions you signed up for."),
}
CHOICE_NAMES = {
    "immediately": N_("Immediately, one email each time"),
    "daily": N_("In one email a day"),
    "never": N_("Never"),
}

KIND_OF_TEMPLATE = {
    "emails/proposal_status.txt": "my_proposals",
    "emails/proposal_cost.txt": "my_proposals",
    "emails/council_note.txt": "following",
    "emails/decision_published.txt": "following",
    "emails/delivery_update.txt": "following",
    "emails/vote_closing.txt": "my_area",
    "emails/results_published.txt": "my_area",
    "emails/session_changed.txt": "sessions",
    "emails/session_cancelled.txt": "sessions",
    "emails/session_reminder.txt": "sessions",
    "emails/session_outcomes.txt": "sessions",
}

# Always sent at once and never covered by a preference: each answers something the person just did
# or is about their own account or content, and holding or dropping it would break that transaction
# or hide a decision they may need to act on (an appeal has a time limit).
TRANSACTIONAL = frozenset(
    {
        "emails/verify.txt",  # confirming an email address: the link expires
        "emails/reset.txt",  # password reset: the link expires
        "emails/already_registered.txt",  # account security: someone tried to register this address
        "emails/content_held.txt",  # their own post is waiting for a moderator
        "emails/moderation_decision.txt",  # a decision about their own content (they may appeal)
        "emails/appeal_outcome.txt",  # the outcome of their own appeal
        "emails/report_outcome.txt",  # the outcome of their own report
        "emails/session_registered.txt",  # confirming the place they just booked
        "emails/session_waiting.txt",  # confirming they are on the waiting list they just joined
        "emails/session_promoted.txt",  # a place came free and is now theirs: they must know to go
    }
)
# Parts of other emails, not emails of their own.
PARTS = frozenset({"emails/_footer.txt", "emails/_statement.txt", "emails/_preferences.txt", "emails/digest.txt"})


def kind_for(template_name: str) -> str | None:
    """The notification kind of an email template, or None for a transactional one."""
    return KIND_OF_TEMPLATE.get(template_name)


def valid_choices(form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A preferences form's choices per kind, and errors (message ids) beside bad fields."""
    chosen: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, value in form.items():
        if key.startswith("_"):
            continue
        if key not in KINDS:
            # No field to show it beside: the error summary links to the form itself.
            errors["notifications"] = N_("That is not a kind of email we send")
        elif value not in CHOICES:
            errors[key] = N_("Choose immediately, in one email a day, or never")
        else:
            chosen[key] = value
    return chosen, errors
