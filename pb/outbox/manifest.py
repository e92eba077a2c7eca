"""The outbox: email queued in the caller's transaction and delivered by a background sender."""

from pb.outbox.actions import run_sender
from pb.registry import Capability

capability = Capability(name="outbox", background=(run_sender,))
