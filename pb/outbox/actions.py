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
from pb.outbox.kinds import kind_for
from pb.outbox.tables import OutboxMessage
from pb.registry import extensions
from pb.web import site
from pb.web.templating import render_text, t

log = logging.getLogger("pb.outbox")
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=10)  # how long a claimed message is left to its worker


# What is kept of a body that carried a live link, once sent or expired: nothing (pages say why).
SENT_SECRET = ""


async def queue_email(
    recipient: str, language: str, subject: str, template_name: str, *, secret_until: datetime | None = None, **context
) -> None:
    """Write one email to the outbox in the recipient's language. `subject` is a message id.
    `secret_until`: the body carries a link that works until then (it is blanked once sent, and
    the message expires unsent after then), so no live link stays readable in the database."""
    body = render_text(template_name, language, **context)
    kind = kind_for(template_name)
    if kind is not None:
        # A notification (not a transactional email, pb.outbox.kinds): it says where to choose how
        # such emails come, and the person's choice decides whether it is sent now, held for their
        # daily digest or dropped ("outbox.notification", filled by accounts: one query).
        for divert in extensions("outbox.notification"):
            if await divert(recipient, kind, t(language, subject), body):
                return
        body = body.rstrip("\n") + "\n\n" + render_text("emails/_preferences.txt", language, url=preferences_url(language))
    await queue_now(recipient, language, t(language, subject), body, secret_until=secret_until)


def preferences_url(language: str) -> str:
    return f"{get_settings().base_url}/{language}/account/notifications"


async def queue_now(recipient: str, language: str, subject: str, body: str, *, secret_until: datetime | None = None) -> None:
    """Write one email, already in its language (`subject` translated), to the outbox as it is."""
    if site.details(language)["has_contact"]:  # how to reach the council, once it has said (site settings)
        body = body.rstrip("\n") + "\n\n" + render_text("emails/_footer.txt", language)
    await OutboxMessage.insert(
        OutboxMessage(recipient=recipient, language=language, subject=subject, body=body, secret_until=secret_until)
    )


def _kept_body(secret_until: datetime | None, body: str) -> str:
    """What the outbox keeps of a delivered message: its body, unless it carried a live link."""
    return SENT_SECRET if secret_until is not None else body


async def expire_secrets(moment: datetime | None = None) -> int:
    """Messages whose link has stopped working: unsent ones expire, and no body keeps a link."""
    moment = moment or datetime.now(UTC)
    gone = (
        await OutboxMessage.update({OutboxMessage.status: "expired", OutboxMessage.body: SENT_SECRET})
        .where((OutboxMessage.secret_until <= moment) & OutboxMessage.status.is_in(["pending", "sending", "failed"]))
        .returning(OutboxMessage.id)
    )
    await OutboxMessage.update({OutboxMessage.body: SENT_SECRET}).where(
        (OutboxMessage.secret_until <= moment) & (OutboxMessage.body != SENT_SECRET)
    )
    return len(gone)


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
                OutboxMessage.id,
                OutboxMessage.recipient,
                OutboxMessage.subject,
                OutboxMessage.body,
                OutboxMessage.attempts,
                OutboxMessage.secret_until,
            )
        )
        if not claimed:
            continue  # another worker took it
        message = claimed[0]
        attempts = message["attempts"]
        still_ours = (OutboxMessage.id == message["id"]) & (OutboxMessage.attempts == attempts)
        if message["secret_until"] is not None and message["secret_until"] <= now:
            # Its link no longer works: sending it would only confuse, and keeping it serves nobody.
            await OutboxMessage.update({OutboxMessage.status: "expired", OutboxMessage.body: SENT_SECRET}).where(still_ours)
            continue
        if not settings.smtp_host:
            log.info("email %s queued; no SMTP configured, so it stays in the outbox", message["id"])
            # In development the outbox page shows it (the demo's way to read its emails); in
            # production nobody reads it there, so a live link is not kept.
            kept = _kept_body(message["secret_until"], message["body"]) if settings.production else message["body"]
            await OutboxMessage.update(
                {OutboxMessage.status: "logged", OutboxMessage.sent_at: now, OutboxMessage.body: kept}
            ).where(still_ours)
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
        await OutboxMessage.update(
            {
                OutboxMessage.status: "sent",
                OutboxMessage.sent_at: datetime.now(UTC),
                OutboxMessage.body: _kept_body(message["secret_until"], message["body"]),
            }
        ).where(still_ours)
        delivered += 1
    return delivered


async def run_sender(settings: Settings, stop: asyncio.Event) -> None:
    """The background sender: deliver what is due every few seconds until asked to stop."""
    while not stop.is_set():
        try:
            await expire_secrets()
            await deliver_due(settings)
        except Exception:
            log.exception("outbox sender failed; will try again")
        try:
            await asyncio.wait_for(stop.wait(), timeout=settings.outbox_interval)
        except TimeoutError:
            pass
