"""Email: queued in the outbox (inside the caller's transaction), then delivered in the background.

With SMTP configured (PB_SMTP_HOST) the sender delivers and retries with back-off; without it the
message is marked "logged" and only its id is logged, never its address or content.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import anyio.to_thread

from pb.config import Settings, get_settings
from pb.outbox.tables import OutboxMessage
from pb.web.templating import render_text, t

log = logging.getLogger("pb.outbox")
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=10)  # how long a claimed message is left to its worker


async def queue_email(recipient: str, language: str, subject: str, template_name: str, **context) -> None:
    """Write one email to the outbox in the recipient's language. `subject` is a message id."""
    body = render_text(template_name, language, **context)
    await OutboxMessage.insert(OutboxMessage(recipient=recipient, language=language, subject=t(language, subject), body=body))


def retry_delay(attempts: int) -> timedelta:
    """Back-off after a failed delivery: 1, 2, 4 ... minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def _smtp_send(settings: Settings, message: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            # With a default context the server's certificate and name are checked; without one,
            # smtplib encrypts to whoever answers, and the password and messages go to them.
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


async def deliver_due(settings: Settings | None = None, limit: int = 50) -> int:
    """Deliver messages that are due. Each is claimed by one worker with a conditional update.

    A claim is a lease: the message is the worker's until `next_attempt_at`, taken from the clock at
    the claim (a batch can take minutes: a lease from the batch's start could have run out before
    its turn). Once a lease runs out, another worker may claim the message again, which raises its
    attempt count; so every later update is made only while the count is still this claim's, and a
    slow worker never overwrites the state of a newer claim."""
    settings = settings or get_settings()
    started = datetime.now(UTC)
    due = (
        await OutboxMessage.select(OutboxMessage.id)
        # "sending" rows whose lease ran out belong to a worker that died mid-delivery.
        .where(OutboxMessage.status.is_in(["pending", "sending"]) & (OutboxMessage.next_attempt_at <= started))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    delivered = 0
    for row in due:
        now = datetime.now(UTC)
        claimed = (
            await OutboxMessage.update(
                {
                    OutboxMessage.status: "sending",
                    OutboxMessage.attempts: OutboxMessage.attempts + 1,
                    OutboxMessage.next_attempt_at: now + LEASE,
                }
            )
            .where(
                (OutboxMessage.id == row["id"])
                & OutboxMessage.status.is_in(["pending", "sending"])
                & (OutboxMessage.next_attempt_at <= now)
            )
            .returning(
                OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body, OutboxMessage.attempts
            )
        )
        if not claimed:
            continue  # another worker took it
        message = claimed[0]
        attempts = message["attempts"]
        still_ours = (OutboxMessage.id == message["id"]) & (OutboxMessage.attempts == attempts)
        if not settings.smtp_host:
            log.info("email %s queued; no SMTP configured, so it stays in the outbox", message["id"])
            await OutboxMessage.update({OutboxMessage.status: "logged", OutboxMessage.sent_at: now}).where(still_ours)
            delivered += 1
            continue
        email = EmailMessage()
        email["From"] = settings.mail_from
        email["To"] = message["recipient"]
        email["Subject"] = message["subject"]
        email.set_content(message["body"])
        try:
            await anyio.to_thread.run_sync(_smtp_send, settings, email)
        except Exception as exc:  # network, auth, refusal: retry later
            status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            log.warning("email %s not delivered (attempt %s): %s", message["id"], attempts, type(exc).__name__)
            await OutboxMessage.update(
                {
                    OutboxMessage.status: status,
                    OutboxMessage.next_attempt_at: datetime.now(UTC) + retry_delay(attempts),
                    OutboxMessage.last_error: type(exc).__name__,
                }
            ).where(still_ours)
            continue
        await OutboxMessage.update({OutboxMessage.status: "sent", OutboxMessage.sent_at: datetime.now(UTC)}).where(still_ours)
        delivered += 1
    return delivered


async def run_sender(settings: Settings, stop: asyncio.Event) -> None:
    """The background sender: deliver what is due every few seconds until asked to stop."""
    while not stop.is_set():
        try:
            await deliver_due(settings)
        except Exception:
            log.exception("outbox sender failed; will try again")
        try:
            await asyncio.wait_for(stop.wait(), timeout=settings.outbox_interval)
        except TimeoutError:
            pass
