"""A large vote being counted, and a batch of codes being made, as officers and residents see them:
axe in English and Welsh on each page, and the officer's one action reached by keyboard."""

import pytest

from pb.rounds.tables import Round
from pb.voting.tables import CountingJob, VotingCodeBatch
from pb.web.templating import t
from tests.browser.conftest import assert_accessible
from tests.browser.test_accessibility_sweep import sign_in_as
from tests.browser.test_voting import voting_round


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_count_running_as_a_job_and_codes_being_made(js_page, lang):
    page = js_page
    round_id, area, projects = await voting_round()
    # The state a worker that died mid-count leaves: the vote closed, the count stopped.
    await Round.update({Round.phase: "counting"}).where(Round.id == round_id)
    await CountingJob.insert(CountingJob(round=round_id, actor_id=None, areas_total=2, areas_done=1, failed=True))
    await VotingCodeBatch.insert(
        VotingCodeBatch(round=round_id, area=None, label="Letters", count=5000, salt="ab" * 16, making=True)
    )
    await page.goto(f"/{lang}/rounds/{round_id}")
    assert t(lang, "Counting the votes") in await page.inner_text("main")
    await assert_accessible(page, f"round being counted ({lang})")
    await page.goto(f"/{lang}/rounds/{round_id}/results")
    await assert_accessible(page, f"results while counting ({lang})")

    await sign_in_as(page, lang, f"officer-count-{lang}@example.org", "officer password 1", roles={"officer"})
    await page.goto(f"/{lang}/manage/rounds/{round_id}")
    progress = page.locator("#counting-progress")
    assert "1" in await progress.inner_text() and "2" in await progress.inner_text()
    await assert_accessible(page, f"officer: count stopped ({lang})")
    restart = page.get_by_role("button", name=t(lang, "Start the count again"))
    await restart.focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url("**count_restarted=1")
    await assert_accessible(page, f"officer: count started again ({lang})")

    await page.goto(f"/{lang}/manage/rounds/{round_id}/codes")
    assert t(lang, "Finish making the codes") in await page.inner_text("main")
    await assert_accessible(page, f"officer: codes being made ({lang})")
