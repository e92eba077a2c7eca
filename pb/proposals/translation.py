"""Staff translation of residents' proposals: what is waiting for its Welsh or English, round by
round, and adding it. The author can also add it by editing their proposal."""

from __future__ import annotations

from pb.audit.actions import record
from pb.db import for_update, transaction
from pb.i18n import N_
from pb.proposals import rules
from pb.proposals.tables import Proposal
from pb.refusal import Refusal

# Proposals still in play: a translation of a withdrawn or merged one helps nobody.
LIVE = ("submitted", "under_review", "eligible", "shortlisted", "on_ballot", "funded")


async def waiting(round_id: int | None = None) -> list[dict]:
    """Live proposals that read in one language only, newest round first, oldest first within it."""
    query = Proposal.select(
        Proposal.id,
        Proposal.round,
        Proposal.round.title_en.as_alias("round_title_en"),
        Proposal.round.title_cy.as_alias("round_title_cy"),
        Proposal.round.phase.as_alias("phase"),
        Proposal.status,
        *(getattr(Proposal, f"{field}_{lang}") for field in rules.TRANSLATED_FIELDS for lang in ("en", "cy")),
    ).where(Proposal.status.is_in(list(LIVE)))
    if round_id is not None:
        query = query.where(Proposal.round == round_id)
    rows = await query.order_by(Proposal.round, ascending=False).order_by(Proposal.submitted_at)
    found = []
    for row in rows:
        missing = rules.missing_language(row)
        if missing:
            found.append({**row, "missing": missing})
    return found


class CannotTranslate(Refusal):
    def __init__(self) -> None:
        super().__init__(N_("This proposal cannot be translated now"), status_code=409)


async def add_translation(actor_id: int, proposal_id: int, lang: str, values: dict) -> None:
    """Write the proposal's text in `lang` (validated by rules.validate_translation), keeping the
    search text in step; audited."""
    async with transaction():
        row = await for_update(Proposal.select().where(Proposal.id == proposal_id)).first()
        if row is None or row["status"] not in LIVE:
            raise CannotTranslate()
        changed = {getattr(Proposal, name): text for name, text in values.items() if name.endswith(f"_{lang}")}
        merged = {**row, **{name: text for name, text in values.items() if name.endswith(f"_{lang}")}}
        changed[Proposal.search_text] = rules.search_text(merged)
        await Proposal.update(changed).where(Proposal.id == proposal_id)
        await record(actor_id, "proposal.translated", f"proposal:{proposal_id}", language=lang)
