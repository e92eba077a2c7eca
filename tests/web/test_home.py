"""The home page says what residents can take part in now, in both languages: rounds taking proposals
or votes with their planned close (late when it has passed), and community sessions this week."""

from datetime import date, timedelta

from bs4 import BeautifulSoup

from pb.rounds.tables import Round
from tests.conftest import make_round, make_user
from tests.deliberation.conftest import make_session


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def _open_now(soup) -> str:
    heading = soup.find(id="open-now")
    assert heading is not None
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling.get_text(" ", strip=True))
    return " ".join(" ".join(parts).split())


async def test_nothing_open_says_so(client):
    await make_round(phase="draft", title_en="Secret draft")
    await make_round(phase="review", title_en="Being reviewed")
    text = _open_now(soup_of(await client.get("/en/")))
    assert "Nothing is open to take part in at the moment." in text
    assert "Secret draft" not in text and "Being reviewed" not in text


async def test_open_rounds_with_their_close_and_late_ones_marked(client):
    today = date.today()
    ideas, _ = await make_round(phase="proposals", title_en="Ideas wanted", title_cy="Syniadau os gwelwch yn dda")
    vote, _ = await make_round(phase="voting", title_en="Vote now", title_cy="Pleidleisiwch nawr")
    await Round.update({Round.review_from: today + timedelta(days=10)}).where(Round.id == ideas)
    await Round.update({Round.results_from: today - timedelta(days=3)}).where(Round.id == vote)
    await make_round(phase="results", title_en="Already counted")
    english = _open_now(soup_of(await client.get("/en/")))
    assert "Ideas wanted Taking proposals now." in english
    assert "Vote now Voting is open now. Later than planned It was planned to close on" in english
    assert "Already counted" not in english
    welsh_page = soup_of(await client.get("/cy/"))
    welsh = _open_now(welsh_page)
    assert "Syniadau os gwelwch yn dda" in welsh and "Pleidleisiwch nawr" in welsh
    assert "Taking proposals" not in welsh and "Later than planned" not in welsh
    assert welsh_page.find("a", string="Pleidleisiwch nawr")["href"].startswith("/cy/rounds/")


async def test_sessions_this_week_but_not_later_or_cancelled(client):
    facilitator = await make_user(email="fac@example.org")
    await make_session(facilitator, starts_in=timedelta(days=2), title_en="Soon at the library")
    await make_session(facilitator, starts_in=timedelta(days=9), title_en="Next fortnight")
    await make_session(facilitator, starts_in=timedelta(days=1), title_en="Called off", status="cancelled")
    await make_session(facilitator, starts_in=timedelta(days=-1), title_en="Yesterday")
    text = _open_now(soup_of(await client.get("/en/")))
    assert "Community sessions this week" in text and "Soon at the library" in text
    assert "Next fortnight" not in text and "Called off" not in text and "Yesterday" not in text
