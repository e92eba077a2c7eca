"""The audit log: who did what privileged thing, and when. Its tables only; admin pages show it."""

from pb.registry import Capability

capability = Capability(name="audit")
