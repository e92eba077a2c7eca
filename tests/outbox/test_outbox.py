"""Email is written to the outbox first, then delivered (or kept, with no SMTP) and retried."""

import dataclasses
from datetime import UTC, datetime, timedelta

from pb.config import get_settings
from pb.outbox import actions
from pb.outbox.actions import deliver_due, queue_email, retry_delay
from pb.outbox.tables import OutboxMessage


async def test_without_smtp_messages_stay_in_the_outbox_marked_logged():
    await queue_email("a@example.org", "cy", "Reset your password", "emails/reset.txt", name="Ann", url="http://x/y")
    assert await deliver_due() == 1
    row = await OutboxMessage.select().first()
    assert row["status"] == "logged" and row["attempts"] == 1
    assert row["language"] == "cy"
    assert await deliver_due() == 0  # not delivered twice


async def test_unreachable_smtp_is_retried_later(unused_tcp_port):
    await queue_email("a@example.org", "en", "Reset your password", "emails/reset.txt", name="Ann", url="http://x/y")
    settings = dataclasses.replace(get_settings(), smtp_host="127.0.0.1", smtp_port=unused_tcp_port)
    assert await deliver_due(settings) == 0
    row = await OutboxMessage.select().first()
    assert row["status"] == "pending"
    assert row["attempts"] == 1
    assert row["next_attempt_at"] > datetime.now(UTC)
    assert row["last_error"]


async def test_a_message_whose_worker_died_is_taken_up_again():
    await queue_email("a@example.org", "en", "Reset your password", "emails/reset.txt", name="Ann", url="http://x/y")
    await OutboxMessage.update(
        {OutboxMessage.status: "sending", OutboxMessage.next_attempt_at: datetime.now(UTC) - timedelta(seconds=1)}
    ).where(OutboxMessage.id > 0)
    assert await deliver_due() == 1


def test_back_off_grows_and_is_capped():
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(3) == timedelta(minutes=4)
    assert retry_delay(20) == timedelta(minutes=60)


async def test_email_body_is_in_the_recipients_language():
    await queue_email("a@example.org", "cy", "Reset your password", "emails/reset.txt", name="Ann", url="http://x/y")
    await queue_email("b@example.org", "en", "Reset your password", "emails/reset.txt", name="Bob", url="http://x/y")
    cy, en = await OutboxMessage.select().order_by(OutboxMessage.id)
    assert cy["subject"] != en["subject"]
    assert cy["body"] != en["body"]
    assert "Ann" in cy["body"] and "http://x/y" in cy["body"]


def test_starttls_checks_the_servers_certificate(monkeypatch):
    import smtplib
    import ssl
    from email.message import EmailMessage

    from pb.outbox import actions

    seen = {}

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            seen["host"] = host

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context=None):
            seen["context"] = context

        def login(self, user, password):
            seen["login"] = user

        def send_message(self, message):
            seen["sent"] = True

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    settings = dataclasses.replace(get_settings(), smtp_host="smtp.example", smtp_user="pb", smtp_password="pw")
    actions._smtp_send(settings, EmailMessage())
    context = seen["context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert seen["login"] == "pb" and seen["sent"]


async def _queue_two():
    for name in ("Ann", "Bob"):
        await queue_email(
            f"{name.lower()}@example.org", "en", "Reset your password", "emails/reset.txt", name=name, url="http://x/y"
        )


def _claim_again_from_another_worker(message_id):
    """Run from the sending thread: a second worker whose claim came after this one's lease ran out."""
    import anyio.from_thread

    async def reclaim():
        await OutboxMessage.update(
            {
                OutboxMessage.attempts: OutboxMessage.attempts + 1,
                OutboxMessage.status: "sending",
                OutboxMessage.next_attempt_at: datetime.now(UTC) + timedelta(minutes=10),
            }
        ).where(OutboxMessage.id == message_id)

    anyio.from_thread.run(reclaim)


async def test_a_slow_worker_does_not_overwrite_a_newer_claim_after_a_failure(monkeypatch):
    from pb.outbox import actions

    await _queue_two()
    first = (await OutboxMessage.select(OutboxMessage.id).order_by(OutboxMessage.id).first())["id"]

    def send(settings, email):
        if email["To"] == "ann@example.org":
            _claim_again_from_another_worker(first)
            raise OSError("timed out")

    monkeypatch.setattr(actions, "_smtp_send", send)
    settings = dataclasses.replace(get_settings(), smtp_host="smtp.example")
    assert await deliver_due(settings) == 1
    ann, bob = await OutboxMessage.select().order_by(OutboxMessage.id)
    assert ann["status"] == "sending" and ann["attempts"] == 2  # still the second worker's
    assert ann["next_attempt_at"] > datetime.now(UTC) + timedelta(minutes=9)
    assert ann["last_error"] in (None, "")
    assert bob["status"] == "sent"


async def test_a_slow_worker_does_not_overwrite_a_newer_claim_after_a_success(monkeypatch):
    from pb.outbox import actions

    await _queue_two()
    first = (await OutboxMessage.select(OutboxMessage.id).order_by(OutboxMessage.id).first())["id"]

    def send(settings, email):
        if email["To"] == "ann@example.org":
            _claim_again_from_another_worker(first)

    monkeypatch.setattr(actions, "_smtp_send", send)
    await deliver_due(dataclasses.replace(get_settings(), smtp_host="smtp.example"))
    ann = await OutboxMessage.select().where(OutboxMessage.id == first).first()
    assert ann["status"] == "sending" and ann["attempts"] == 2


async def test_each_claim_takes_its_lease_from_the_clock_at_the_claim(monkeypatch):
    """A batch can take minutes; a lease counted from the batch's start would have run out before the
    later messages were even sent, leaving them open to a second worker mid-delivery."""
    from pb.outbox import actions

    await _queue_two()
    real_datetime = actions.datetime
    clock = {"now": real_datetime.now(UTC)}

    class FakeClock(real_datetime):
        @classmethod
        def now(cls, tz=None):
            return clock["now"]

    leases = []

    def send(settings, email):
        import anyio.from_thread

        async def lease():
            row = await OutboxMessage.select(OutboxMessage.next_attempt_at).where(OutboxMessage.recipient == email["To"]).first()
            return row["next_attempt_at"]

        leases.append(anyio.from_thread.run(lease) > clock["now"])
        clock["now"] += timedelta(minutes=11)  # this delivery was slow: longer than a lease

    monkeypatch.setattr(actions, "datetime", FakeClock)
    monkeypatch.setattr(actions, "_smtp_send", send)
    assert await deliver_due(dataclasses.replace(get_settings(), smtp_host="smtp.example")) == 2
    assert leases == [True, True]  # each message was still under its lease while being sent


async def test_no_live_reset_link_is_readable_in_the_database_after_sending(monkeypatch):
    """A password-reset email, requested through the real action and delivered over (fake) SMTP:
    what it sent carries the link; what pb keeps does not."""
    from pb.accounts.actions import request_password_reset
    from tests.conftest import make_user

    await make_user(email="ann@example.org")
    await request_password_reset("ann@example.org")
    queued = await OutboxMessage.select().first()
    assert "/password-reset/" in queued["body"] and queued["secret_until"] is not None
    sent: list[str] = []
    monkeypatch.setattr(actions, "_smtp_send", lambda settings, message: sent.append(message.get_content()))
    assert await deliver_due(dataclasses.replace(get_settings(), smtp_host="smtp.example")) == 1
    assert "/password-reset/" in sent[0]
    row = await OutboxMessage.select().first()
    assert row["status"] == "sent" and row["body"] == ""
    dump = str(await OutboxMessage.select())
    assert "/password-reset/" not in dump and "password-reset" not in dump


async def test_an_unsent_link_expires_with_its_token_and_is_not_sent_late():
    await queue_email(
        "a@example.org",
        "en",
        "Reset your password",
        "emails/reset.txt",
        secret_until=datetime.now(UTC) - timedelta(seconds=1),
        name="Ann",
        url="http://x/password-reset/secret-token",
    )
    assert await actions.expire_secrets() == 1
    row = await OutboxMessage.select().first()
    assert row["status"] == "expired" and "secret-token" not in row["body"]
    assert await deliver_due(dataclasses.replace(get_settings(), smtp_host="smtp.example")) == 0


async def test_other_emails_keep_their_body_once_sent(monkeypatch):
    await queue_email("a@example.org", "en", "Reset your password", "emails/reset.txt", name="Ann", url="http://x/y")
    monkeypatch.setattr(actions, "_smtp_send", lambda settings, message: None)
    await deliver_due(dataclasses.replace(get_settings(), smtp_host="smtp.example"))
    assert "http://x/y" in (await OutboxMessage.select().first())["body"]


def test_emails_keep_their_paragraphs_apart():
    """A line ending in a tag ({% endtrans %}, {% endif %}) keeps its line break: paragraphs are one
    blank line apart, never run together, and a line holding only a tag leaves no extra blank line."""
    from pb.web.templating import render_text

    body = render_text(
        "emails/vote_closing.txt",
        "cy",
        name="Gareth",
        title="Cronfa",
        closes="31 Awst",
        url="http://x/v",
        unsubscribe="http://x/u",
    )
    paragraphs = body.strip().split("\n\n")
    assert paragraphs[0] == "Helo Gareth," and paragraphs[1].startswith("Mae'r bleidlais") and len(paragraphs) == 5
    assert "\n\n\n" not in body and all(line == line.rstrip() for line in body.split("\n"))
