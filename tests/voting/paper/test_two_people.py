"""No single person can get a paper sheet counted on their word alone. Each test tries what one
dishonest member of staff would: declare a box of 1 sheet, enter 3, resolve the differences their
own way, count it, or leave a box open to hold up the close."""

import pytest

from pb.audit.tables import AuditEvent
from pb.rounds import actions as round_actions
from pb.voting.codes import actions as code_actions
from pb.voting.paper import actions as paper_actions
from pb.voting.paper import rules as paper_rules
from pb.voting.tables import PaperSheet
from tests.conftest import make_user
from tests.voting.paper.test_actions import sheet
from tests.voting.sealed import ballots_cast
from tests.voting.test_voting import voting_round


async def _people():
    fiona = await make_user(email="fiona@example.org", roles={"facilitator"})  # the dishonest one
    olwen = await make_user(email="olwen@example.org", roles={"officer"})
    cerys = await make_user(email="cerys@example.org", roles={"officer"})  # entered neither entry
    return fiona, olwen, cerys


async def test_one_person_cannot_add_sheets_by_entering_resolving_and_counting_them():
    round_id, area, projects = await voting_round(allow_revote=False)
    fiona, olwen, cerys = await _people()
    box = await paper_actions.create_batch(fiona, round_id, area, "Box declared with 1 sheet", 1)
    await paper_actions.save_entry(fiona, box, {n: sheet([projects[0]]) for n in (1, 2, 3)})  # 3 made up
    await paper_actions.save_entry(olwen, box, {1: sheet([projects[0]])})  # the real one
    # Fiona "resolves" the two extra sheets to her own reading: that only proposes it.
    for n in (2, 3):
        assert await paper_actions.resolve(fiona, box, n, paper_rules.Reading.of(None, {projects[0]: 1}, False)) is False
    assert (await paper_actions.get_batch(box))["status"] == "discrepancies"
    with pytest.raises(paper_actions.PaperError):
        await paper_actions.count_batch(olwen, box)
    # Olwen will not agree to a different reading from the one Fiona proposed…
    with pytest.raises(paper_actions.PaperError, match="chose a different reading"):
        await paper_actions.resolve(olwen, box, 2, paper_rules.ABSENT)
    # …so someone who entered neither entry settles it from the paper: there is no sheet 2 or 3.
    for n in (2, 3):
        assert await paper_actions.resolve(cerys, box, n, paper_rules.ABSENT) is True
    assert (await paper_actions.get_batch(box))["status"] == "entered"
    # The person who made the first entry cannot count it; someone else can.
    with pytest.raises(paper_actions.PaperError, match="first entry"):
        await paper_actions.count_batch(fiona, box)
    await paper_actions.count_batch(olwen, box)
    assert len(await ballots_cast(round_id)) == 1


async def test_both_people_who_entered_a_batch_can_agree_a_reading():
    round_id, area, projects = await voting_round(allow_revote=False)
    fiona, olwen, _ = await _people()
    box = await paper_actions.create_batch(fiona, round_id, area, "Library box", 2)
    await paper_actions.save_entry(fiona, box, {1: sheet([projects[0]]), 2: sheet([projects[1]])})
    await paper_actions.save_entry(olwen, box, {1: sheet([projects[0]]), 2: sheet([projects[2]])})
    right = paper_rules.Reading.of(None, {projects[2]: 1}, False)
    assert await paper_actions.resolve(fiona, box, 2, right) is False  # proposed
    assert (await paper_actions.discrepancies(box))["proposed"][2]["resolved_by"] == fiona
    assert await paper_actions.resolve(olwen, box, 2, right) is True  # agreed
    await paper_actions.count_batch(olwen, box)
    assert sorted(p for b in await ballots_cast(round_id) for p in b.choices) == sorted([projects[0], projects[2]])


async def test_a_sheet_count_other_than_declared_waits_for_an_officer_who_entered_neither():
    round_id, area, projects = await voting_round(allow_revote=False)
    fiona, olwen, cerys = await _people()
    box = await paper_actions.create_batch(fiona, round_id, area, "Box labelled 3", 3)
    entry = {1: sheet([projects[0]]), 2: sheet([projects[1]])}  # two sheets, agreed by both
    await paper_actions.save_entry(fiona, box, entry)
    await paper_actions.save_entry(olwen, box, entry)
    with pytest.raises(paper_actions.PaperError, match="different number of sheets"):
        await paper_actions.count_batch(olwen, box)
    assert (await paper_actions.get_batch(box))["status"] == "entered"  # the refusal changed nothing
    with pytest.raises(paper_actions.PaperError, match="entered neither"):
        await paper_actions.accept_difference(olwen, box, "I entered it, but trust me")
    await paper_actions.accept_difference(cerys, box, "The label said 3; the box held 2 sheets when opened")
    await paper_actions.count_batch(olwen, box)
    assert len(await ballots_cast(round_id)) == 2
    event = await AuditEvent.select().where(AuditEvent.action == "paper_batch.difference_accepted").first()
    assert event["actor_id"] == cerys and "box held 2" in event["details"]


async def test_a_box_started_by_mistake_can_be_cancelled_with_a_reason_and_no_longer_holds_up_the_close():
    round_id, area, projects = await voting_round(allow_revote=False)
    fiona, olwen, cerys = await _people()
    box = await paper_actions.create_batch(fiona, round_id, area, "Started twice by mistake", 4)
    await paper_actions.save_entry(fiona, box, {1: sheet([projects[0]])})
    with pytest.raises(round_actions.PaperBatchesWaiting):
        await round_actions.change_phase(olwen, round_id, "results")
    await paper_actions.cancel_batch(olwen, box, "A duplicate of the library box")
    assert (await paper_actions.get_batch(box))["status"] == "cancelled"
    with pytest.raises(paper_actions.PaperError, match="cancelled"):
        await paper_actions.save_entry(cerys, box, {1: sheet([projects[0]])})
    with pytest.raises(paper_actions.PaperError):
        await paper_actions.count_batch(cerys, box)
    event = await AuditEvent.select().where(AuditEvent.action == "paper_batch.cancelled").first()
    assert event["actor_id"] == olwen and "duplicate" in event["details"]
    await round_actions.change_phase(olwen, round_id, "results")
    assert await ballots_cast(round_id) == []


async def test_a_difference_is_accepted_only_once_both_entries_show_it_and_only_for_that_number():
    round_id, area, projects = await voting_round(allow_revote=False)
    fiona, olwen, cerys = await _people()
    box = await paper_actions.create_batch(fiona, round_id, area, "Box labelled 1", 1)
    with pytest.raises(paper_actions.PaperError, match="no difference"):  # accepted in advance: refused
        await paper_actions.accept_difference(cerys, box, "Whatever they enter")
    await paper_actions.save_entry(fiona, box, {1: sheet([projects[0]]), 2: sheet([projects[1]])})
    await paper_actions.save_entry(olwen, box, {1: sheet([projects[0]]), 2: sheet([projects[1]]), 3: sheet([projects[2]])})
    with pytest.raises(paper_actions.PaperError, match="no difference"):  # sheet 3 is still disputed
        await paper_actions.accept_difference(cerys, box, "Two sheets")
    assert await paper_actions.resolve(cerys, box, 3, paper_rules.ABSENT) is True
    await paper_actions.accept_difference(cerys, box, "The label said 1; the box held 2")
    await paper_actions.count_batch(olwen, box)
    assert len(await ballots_cast(round_id)) == 2


async def test_a_cancelled_box_keeps_no_code_beside_its_marks():
    round_id, area, projects = await voting_round(allow_revote=False)
    fiona, olwen, _ = await _people()
    letters = await code_actions.generate_batch(olwen, round_id, None, "Letters", 1)
    (code,) = await code_actions.batch_codes(olwen, letters, 0, 1, "print")
    box = await paper_actions.create_batch(fiona, round_id, area, "Box", 1)
    await paper_actions.save_entry(fiona, box, {1: sheet([projects[0]], code=code)})
    assert await PaperSheet.count().where(PaperSheet.code_hash.is_not_null()) == 1
    await paper_actions.cancel_batch(olwen, box, "Started by mistake")
    assert await PaperSheet.count().where(PaperSheet.code_hash.is_not_null()) == 0
