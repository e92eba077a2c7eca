"""Demo data for moderation: one example of each part of harm prevention, so that a new user finds
the statements of reasons, an appeal, held content and tension
monitoring filled in. Safe to run again: each part checks for its own rows first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pb.accounts.demo import demo_account, demo_residents
from pb.accounts.tables import User
from pb.moderation import actions, appeals, measures, notes
from pb.moderation.tables import Appeal, CouncilNote, Report, WatchTerm
from pb.proposals.actions import add_comment
from pb.proposals.tables import Comment, Proposal


async def seed() -> None:
    await _statements()
    await _appeals()
    await _held()
    await _tension()
    await _notes()


# The demo's moderated comments (their bodies mark them as loaded), on a proposal outside the play
# area's area so that the tension demo's weekly counts stay as they are.
THREAT = "If you turn up at the next meeting I will make sure you regret it."
ADVERT = "Cheap garden furniture, delivered free this week only: message me for prices."
CRITICISM = "The council has wasted money on consultants again. This proposal will go the same way."
DISPUTED = "The new footbridge will cost ten million pounds, more than the whole fund."
APPEALED = "The cabinet member misled residents about the budget figures at the last meeting."
AUTHOR_APPEAL = "This criticises what a councillor said in public; it is not a personal attack."
REPORTER_APPEAL = "It says the council always wastes money, which is not true and puts people off taking part."


async def _moderators() -> tuple[int, int] | None:
    first = await demo_account("moderator")
    second = await User.select(User.id).where(User.email == "moderator2@demo.pb.cymru").first()
    return (first, second["id"]) if first is not None and second is not None else None


async def _demo_comment(body: str, author: int, proposal_id: int) -> int:
    row = await Comment.select(Comment.id).where(Comment.body == body).first()
    if row is not None:
        return row["id"]
    return await add_comment(author, proposal_id, body, None)


async def _moderated_proposal() -> int | None:
    play_area = await Proposal.select(Proposal.area).where(Proposal.title_en == "New play area at Parc y Dre").first()
    if play_area is None:
        return None
    row = (
        await Proposal.select(Proposal.id)
        .where((Proposal.area != play_area["area"]) & (Proposal.status != "draft") & (Proposal.hidden == False))  # noqa: E712
        .order_by(Proposal.id)
        .first()
    )
    return row["id"] if row else None


async def _statements() -> None:
    """Decisions with full statements of reasons: hidden under a law, hidden under a guideline,
    kept, and kept with a note."""
    if await Comment.exists().where(Comment.body == THREAT):
        return
    moderators = await _moderators()
    people = await demo_residents()
    proposal_id = await _moderated_proposal()
    if moderators is None or len(people) < 6 or proposal_id is None:
        return
    first, _ = moderators
    cases = [
        # (body, author, reporter, report reason, decision)
        (
            THREAT,
            people[0],
            people[1],
            "threats",
            dict(
                action="hide",
                reason="threats",
                ground="unlawful",
                law="malicious_communications_1988",
                facts="The comment tells a named resident they will 'regret it' if they attend a public meeting.",
                explanation="A threat meant to stop someone taking part is against the law and our guidelines.",
            ),
        ),
        (
            ADVERT,
            people[2],
            people[3],
            "spam",
            dict(
                action="hide",
                reason="spam",
                ground="guidelines",
                facts="The comment advertises garden furniture for sale and has nothing to do with the proposal.",
                explanation="Advertising is not allowed in the discussion.",
            ),
        ),
        (
            CRITICISM,
            people[4],
            people[5],
            "harassment",
            dict(
                action="keep",
                reason="harassment",
                ground="none",
                facts="The comment criticises the council's spending; it names no one and attacks no one.",
                explanation="Criticism of the council is protected, even when it is sharp.",
            ),
        ),
        (
            DISPUTED,
            people[1],
            people[2],
            "misinformation",
            dict(
                action="note",
                reason="misinformation",
                ground="none",
                facts="The comment gives a cost of ten million pounds; the council's published estimate is far lower.",
                explanation="It is an opinion about cost, so it stays; a note gives the published figure.",
                public_note="The council's published estimate for the footbridge is £2.1 million (cabinet report, March 2026).",
            ),
        ),
    ]
    for body, author, reporter, report_reason, decision in cases:
        comment_id = await _demo_comment(body, author, proposal_id)
        await actions.report(reporter, "comment", comment_id, report_reason, "")
        fields = dict(decision)
        await actions.decide(
            first,
            "comment",
            comment_id,
            fields.pop("action"),
            fields.pop("reason"),
            fields.pop("explanation"),
            facts=fields.pop("facts"),
            **fields,
        )


async def _appeals() -> None:
    """An author's appeal decided by another moderator, who overturned it (the comment is restored);
    a reporter's appeal that is open."""
    if await Appeal.exists().where(Appeal.reason == AUTHOR_APPEAL):
        return
    moderators = await _moderators()
    people = await demo_residents()
    proposal_id = await _moderated_proposal()
    kept = await Comment.select(Comment.id).where(Comment.body == CRITICISM).first()
    if moderators is None or len(people) < 7 or proposal_id is None or kept is None:
        return
    first, second = moderators
    comment_id = await _demo_comment(APPEALED, people[6], proposal_id)
    await actions.report(people[0], "comment", comment_id, "harassment", "")
    decided = await actions.decide(
        first,
        "comment",
        comment_id,
        "hide",
        "harassment",
        "It accuses a named councillor of lying.",
        facts="The comment says a named cabinet member misled residents.",
        ground="guidelines",
    )
    made = await appeals.appeal(people[6], decided.decision_id, AUTHOR_APPEAL)
    await appeals.decide_appeal(
        second,
        made.appeal_id,
        "overturned",
        "Saying that an elected member misled residents is criticism of their public role, which our guidelines protect.",
    )
    # The person who reported the kept criticism appeals; it waits for a moderator.
    decision = (
        await Report.select(Report.decision_id, Report.reporter)
        .where((Report.target_kind == "comment") & (Report.target_id == kept["id"]))
        .first()
    )
    if decision is not None and decision["decision_id"] is not None:
        await appeals.appeal(decision["reporter"], decision["decision_id"], REPORTER_APPEAL)


# Terms a council might watch when tension rises (words used to cast neighbours as a threat), in
# both languages; the held comment uses one.
WATCH_TERMS = ("invaders", "goresgynwyr")
HELD_COMMENT = "Those invaders from the new estate will wreck it within a week."


async def _held() -> None:
    """A watch list with a couple of terms, and a comment held by it, waiting for a moderator."""
    moderator = await demo_account("moderator")
    people = await demo_residents()
    play_area = await Proposal.select(Proposal.id).where(Proposal.title_en == "New play area at Parc y Dre").first()
    if moderator is None or not people or play_area is None:
        return
    listed = {row["term"] for row in await WatchTerm.select(WatchTerm.term)}
    missing = [WatchTerm(term=term, added_by=moderator) for term in WATCH_TERMS if term not in listed]
    if missing:
        await WatchTerm.insert(*missing)
    if not await Comment.exists().where(Comment.body == HELD_COMMENT):
        # Posted as any resident posts: the watch list holds it and its author is told.
        await add_comment(people[-1], play_area["id"], HELD_COMMENT, None)


async def _tension() -> None:
    """Reports over recent weeks in one area, with a spike this week."""
    details = "Posts in this thread are getting personal again."  # also marks the rows as loaded
    if await Report.exists().where(Report.details == details):
        return
    people = await demo_residents()
    play_area = (
        await Proposal.select(Proposal.id, Proposal.area).where(Proposal.title_en == "New play area at Parc y Dre").first()
    )
    if not people or play_area is None:
        return
    # Items in the play area's area: its public proposals and the comments on them.
    proposals = await Proposal.select(Proposal.id, Proposal.author).where(
        (Proposal.area == play_area["area"]) & (Proposal.status != "draft") & (Proposal.hidden == False)  # noqa: E712
    )
    comments = await Comment.select(Comment.id, Comment.author).where(Comment.proposal.is_in([row["id"] for row in proposals]))
    items = [("comment", row["id"], row["author"]) for row in comments]
    items += [("proposal", row["id"], row["author"]) for row in proposals]
    taken = {
        (row["target_kind"], row["target_id"], row["reporter"])
        for row in await Report.select(Report.target_kind, Report.target_id, Report.reporter)
    }
    # One report per person per item, never by the item's author.
    pairs = [(kind, item_id, person) for kind, item_id, author in items for person in people if person != author]
    pairs = [pair for pair in pairs if pair not in taken]
    now = datetime.now(UTC)
    this_week = measures.week_start(measures.week_of(now))
    reasons = ("harassment", "hate", "harassment", "threats", "misinformation")
    # A quiet month (1 or 2 reports a week), then 9 this week: more than twice the average, a spike.
    per_week = {5: 1, 4: 2, 3: 1, 2: 2, 1: 1, 0: 9}
    rows: list[Report] = []
    for weeks_back, number in per_week.items():
        start = this_week - timedelta(weeks=weeks_back)
        span = (now - start) if weeks_back == 0 else timedelta(days=6)
        for index in range(number):
            if not pairs:
                break
            kind, item_id, person = pairs.pop(0)
            rows.append(
                Report(
                    target_kind=kind,
                    target_id=item_id,
                    reporter=person,
                    reason=reasons[len(rows) % len(reasons)],
                    details=details,
                    created_at=start + span * (index + 1) / (number + 1),
                )
            )
    if rows:
        await Report.insert(*rows)


# Information from the council: beside the play area proposal, and beside the kept criticism of the
# council's spending (facts added; the criticism stays as it was written).
PROPOSAL_NOTE = {
    "body_en": "The council has checked the site: the land at Parc y Dre belongs to the council and a play area there would need no planning permission.",
    "body_cy": "Mae'r cyngor wedi gwirio'r safle: y cyngor sy'n berchen ar y tir ym Mharc y Dre, ac ni fyddai angen caniatâd cynllunio ar gyfer ardal chwarae yno.",
    "source_en": "Estates team, site check, January 2026",
    "source_cy": "Tîm Ystadau, gwiriad safle, Ionawr 2026",
    "source_url": "",
}
COMMENT_NOTE = {
    "body_en": "In 2025 to 2026 the council spent £180,000 on consultants, less than 0.1% of its budget. None of it was spent on this fund.",
    "body_cy": "Yn 2025 i 2026 gwariodd y cyngor £180,000 ar ymgynghorwyr, llai na 0.1% o'i gyllideb. Ni wariwyd dim ohono ar y gronfa hon.",
    "source_en": "Statement of accounts 2025 to 2026, note 14",
    "source_cy": "Datganiad o gyfrifon 2025 i 2026, nodyn 14",
    "source_url": "",
}


async def _notes() -> None:
    """A council note beside a proposal and one beside a comment, added as an officer adds them
    (audited, followers told)."""
    officer = await demo_account("officer")
    play_area = await Proposal.select(Proposal.id).where(Proposal.title_en == "New play area at Parc y Dre").first()
    criticism = await Comment.select(Comment.id).where(Comment.body == CRITICISM).first()
    if officer is None:
        return
    for kind, row, note in (("proposal", play_area, PROPOSAL_NOTE), ("comment", criticism, COMMENT_NOTE)):
        if row is None or await CouncilNote.exists().where(CouncilNote.body_en == note["body_en"]):
            continue
        await notes.add_note(officer, kind, row["id"], note)
