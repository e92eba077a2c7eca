"""Reading the assisted-voting (kiosk) form: a pure function of the form's values, tested directly.
Errors map a field name to a message id, shown beside that field."""

from __future__ import annotations

from pb.i18n import N_
from pb.voting.codes import alphabet
from pb.voting.codes import rules as code_rules


def validate_assisted(form: dict, area_ids: set[int], min_age: int) -> tuple[dict, dict[str, str]]:
    """Who the facilitator is helping: a voting code or the email of a pb account (not both), the
    area they live in (unless their code fixes it, checked later) and that they are old enough."""
    errors: dict[str, str] = {}
    code_text = (form.get("code") or "").strip()
    email = (form.get("email") or "").strip().lower()
    code = None
    if code_text and email:
        errors["code"] = N_("Enter a voting code or an email address, not both")
    elif code_text:
        code = alphabet.normalise(code_text)
        if code is None:
            errors["code"] = N_("That is not a voting code. Check it against the letter: it has 12 letters and numbers.")
    elif email:
        if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
            errors["email"] = N_("Enter an email address in the correct format, like name@example.com")
        # The account's owner proves it is theirs: otherwise a kiosk could vote as anyone with an account.
        if not form.get("password"):
            errors["password"] = N_("Ask them to type the password of their account")
    else:
        errors["code"] = N_("Enter the voting code from their letter, or the email address of their account")
    area = code_rules.read_area(form.get("area", ""), area_ids)
    if area == "bad":
        errors["area"] = N_("Choose the area they live in")
    if min_age and form.get("age") != "yes":
        errors["age"] = N_("Confirm they are old enough to vote in this round")
    return {"code": code, "email": email if not code_text else "", "area": None if area == "bad" else area}, errors
