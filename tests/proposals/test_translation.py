"""Staff translation of residents' proposals: the queue of what reads in one language only, adding the
other language, and a ballot that says so when a title has not been translated yet."""

from bs4 import BeautifulSoup

from pb.audit.tables import AuditEvent
from pb.proposals import rules
from pb.proposals.tables import Proposal
from tests.conftest import make_proposal, make_round, make_user, sign_in, submit
from tests.voting.test_voting import voting_round


def test_which_language_is_missing():
    both = {"title_en": "Play area", "title_cy": "Ardal chwarae", "summary_en": "Swings", "summary_cy": "Siglenni"}
    assert rules.missing_language(both) is None
    assert rules.missing_language({**both, "title_cy": "", "summary_cy": ""}) == "cy"
    assert rules.missing_language({**both, "title_en": "", "summary_en": ""}) == "en"
    assert rules.missing_language({**both, "description_en": "A long text", "description_cy": ""}) == "cy"
    assert rules.missing_language({"title_en": "", "title_cy": ""}) is None
    values, errors = rules.validate_translation({"title_cy": "Ardal chwarae"}, "cy", {**both, "description_en": "Long"})
    assert set(errors) == {"summary_cy", "description_cy"} and values["title_cy"] == "Ardal chwarae"
    assert "title_cy" in rules.validate_translation({"title_cy": "x" * 121, "summary_cy": "s"}, "cy", both)[1]


async def _proposals():
    round_id, areas = await make_round(phase="review")
    author = await make_user(email="author@example.org")
    english = await make_proposal(round_id, areas[0], author, title_en="Bike racks", summary_en="Racks by the station")
    welsh = await make_proposal(
        round_id, areas[0], author, title_en="", title_cy="Meinciau", summary_en="", summary_cy="Meinciau newydd"
    )
    both = await make_proposal(round_id, areas[0], author, title_en="Play area", title_cy="Ardal chwarae")
    gone = await make_proposal(round_id, areas[0], author, title_en="Withdrawn idea", status="withdrawn")
    return round_id, english, welsh, both, gone


async def test_officers_see_what_waits_and_add_the_welsh(client):
    round_id, english, welsh, both, gone = await _proposals()
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    queue = BeautifulSoup((await client.get("/cy/manage/translations")).text, "html.parser")
    rows = {row.find("a").get_text(strip=True): row.find_all("td")[1].get_text(strip=True) for row in queue.select("tbody tr")}
    assert rows == {"Bike racks": "Cymraeg", "Meinciau": "Saesneg"}  # what each needs, not the bilingual or withdrawn ones
    review = BeautifulSoup((await client.get(f"/en/manage/rounds/{round_id}/proposals")).text, "html.parser")
    assert "Needs Welsh" in review.get_text() and "Needs English" in review.get_text()
    form = f"/en/manage/proposals/{english}/translate"
    page = BeautifulSoup((await client.get(form)).text, "html.parser")
    assert page.find("h1").get_text(strip=True) == "Add the Welsh" and "Racks by the station" in page.get_text()
    short = await submit(client, form, {"into": "cy", "title_cy": "Raciau beiciau"})
    assert short.status_code == 422
    soup = BeautifulSoup(short.text, "html.parser")
    assert soup.select_one("#summary_cy-error") and soup.select_one("#title_cy")["value"] == "Raciau beiciau"
    done = await submit(
        client,
        form,
        {
            "into": "cy",
            "title_cy": "Raciau beiciau",
            "summary_cy": "Raciau ger yr orsaf",
            "description_cy": "Raciau wedi eu ffensio",
        },
    )
    assert done.status_code == 303
    row = await Proposal.select().where(Proposal.id == english).first()
    assert (row["title_cy"], row["summary_cy"], row["title_en"]) == ("Raciau beiciau", "Raciau ger yr orsaf", "Bike racks")
    assert "raciau" in row["search_text"]
    assert await AuditEvent.exists().where(AuditEvent.action == "proposal.translated")
    queue = BeautifulSoup((await client.get("/en/manage/translations")).text, "html.parser")
    assert [a.get_text(strip=True) for a in queue.select("tbody a")] == ["Meinciau"]
    assert (await client.get(f"/en/manage/proposals/{gone}/translate")).status_code == 404


async def test_residents_cannot_translate(client):
    round_id, english, welsh, both, gone = await _proposals()
    await sign_in(client, "author@example.org")
    assert (await client.get("/en/manage/translations")).status_code == 403
    refused = await submit(
        client, "/en/", {"into": "cy", "title_cy": "X", "summary_cy": "Y"}, action=f"/en/manage/proposals/{english}/translate"
    )
    assert refused.status_code == 403
    assert (await Proposal.select(Proposal.title_cy).where(Proposal.id == english).first())["title_cy"] == ""


async def test_the_ballot_says_when_a_title_is_not_in_the_readers_language(client):
    round_id, area, projects = await voting_round()  # English titles only
    await Proposal.update({Proposal.title_cy: "Ardal chwarae"}).where(Proposal.id == projects[0])
    await make_user(email="voter@example.org", language="cy")
    await sign_in(client, "voter@example.org", lang="cy")
    ballot = BeautifulSoup((await client.get(f"/cy/rounds/{round_id}/vote/ballot?area={area}&age=yes")).text, "html.parser")
    labels = {
        label["for"]: " ".join(label.get_text(" ", strip=True).split())
        for label in ballot.select("label.govuk-checkboxes__label")
    }
    assert "Saesneg yn unig" not in labels[f"choice-{projects[0]}"]
    assert "Benches Saesneg yn unig" in labels[f"choice-{projects[1]}"]
    english = BeautifulSoup((await client.get(f"/en/rounds/{round_id}/vote/ballot?area={area}&age=yes")).text, "html.parser")
    assert "English only" not in english.get_text() and "Welsh only" not in english.get_text()
