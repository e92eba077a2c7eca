"""Every email is a notification of one kind or transactional (pure)."""

from pathlib import Path

from pb.outbox import kinds

EMAILS = Path(__file__).resolve().parents[2] / "pb" / "templates" / "emails"


def test_every_email_template_has_a_kind_or_is_transactional():
    """Fails when a new email is added without saying which kind it is (or that it is transactional)."""
    for path in sorted(EMAILS.glob("*.txt")):
        name = f"emails/{path.name}"
        covered = (name in kinds.KIND_OF_TEMPLATE) + (name in kinds.TRANSACTIONAL) + (name in kinds.PARTS)
        assert covered == 1, f"{name}: give it a kind in pb/outbox/kinds.py or list it as transactional"
    for name in (*kinds.KIND_OF_TEMPLATE, *kinds.TRANSACTIONAL, *kinds.PARTS):
        assert (EMAILS / name.removeprefix("emails/")).exists(), name


def test_kinds_and_choices():
    assert set(kinds.KIND_OF_TEMPLATE.values()) == set(kinds.KINDS)
    assert kinds.kind_for("emails/proposal_status.txt") == "my_proposals"
    assert kinds.kind_for("emails/reset.txt") is None
    chosen, errors = kinds.valid_choices({"my_proposals": "daily", "sessions": "never"})
    assert chosen == {"my_proposals": "daily", "sessions": "never"} and not errors
    chosen, errors = kinds.valid_choices({"my_proposals": "weekly", "bogus": "daily"})
    assert not chosen and set(errors) == {"my_proposals", "notifications"}
