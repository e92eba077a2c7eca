"""The audit log's one writer. Call it inside the action's transaction so both land or neither."""

from __future__ import annotations

import json
from typing import Any

from pb.audit.tables import AuditEvent


async def record(actor_id: int | None, action: str, target: str = "", **details: Any) -> None:
    await AuditEvent.insert(AuditEvent(actor_id=actor_id, action=action, target=target, details=json.dumps(details, default=str)))
