"""What tests may look at while voting is open: the ballots cast so far, opened with the secret
(as only the close does in pb), plus any already mixed into readable ballots."""

from pb.voting import sealing
from pb.voting.tables import Ballot, BallotChoice, SealedBallot


async def ballots_cast(round_id: int | None = None) -> list[sealing.Contents]:
    boxes = SealedBallot.select(SealedBallot.round, SealedBallot.sealed)
    readable = Ballot.select(Ballot.id, Ballot.area, Ballot.receipt, Ballot.channel)
    if round_id is not None:
        boxes, readable = boxes.where(SealedBallot.round == round_id), readable.where(Ballot.round == round_id)
    found = [sealing.open_box(box["round"], box["sealed"]) for box in await boxes]
    choices: dict[int, dict[int, int]] = {}
    for choice in await BallotChoice.select(BallotChoice.ballot, BallotChoice.proposal, BallotChoice.points):
        choices.setdefault(choice["ballot"], {})[choice["proposal"]] = choice["points"]
    for row in await readable:
        found.append(
            sealing.Contents(area=row["area"], receipt=row["receipt"], channel=row["channel"], choices=choices.get(row["id"], {}))
        )
    return found
