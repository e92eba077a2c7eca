"""Every page, letter, print pack and email rendered in Welsh, read as a Welsh reader would.

The catalogue test (test_translations.py) proves every extracted message has Welsh; this proves
nothing reaches a Welsh reader outside the catalogue. Each Welsh page is compared with the same
page in English: text that reads as English, appears unchanged in the English rendering, is not
marked as another language and is not someone's own words (names, proposals, comments, from the
database) is English interface text, and fails the test with the page it is on.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po

from pb.piccolo_app import APP_CONFIG
from tests.conftest import make_user, seed_demo, sign_in
from tests.english_leaks import catalogue_english, catalogue_pattern, english_leaks, html_texts, peoples_phrases

ROOT = Path(__file__).parent.parent
PER_SHAPE = 2  # pages of one shape (say /proposals/{id}) read; the rest share their template
PER_ROUND_SHAPE = 4  # a round's pages differ by phase: the demo has one round in each of four
MAX_PAGES = 400
HREF = re.compile(r'href="([^"]+)"')
# Pages that change state on a GET never exist; these only end the visit or are files, not pages.
NOT_PAGES = ("/sign-out", ".csv", ".json", ".txt", "/export", "/download")


def _catalogue() -> list[tuple[str, str]]:
    with (ROOT / "pb" / "locale" / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    pairs = []
    for message in catalog:
        if message.fuzzy or not message.id:
            continue
        if isinstance(message.id, str) and isinstance(message.string, str):
            pairs.append((message.id, message.string))
        elif isinstance(message.id, tuple) and isinstance(message.string, tuple):
            pairs.extend(zip(message.id, (message.string[1], message.string[-1]), strict=True))  # singular, plural
    return pairs


INTERFACE_ENGLISH = catalogue_english(_catalogue())
INTERFACE_PATTERN = catalogue_pattern(_catalogue())


# Tables pb writes itself (messages, logs, codes, counts): their text is pb's, not people's words.
SYSTEM_TABLES = {
    "pb_audit_event", "pb_outbox", "pb_session", "pb_login_throttle", "pb_email_token", "pb_counting_job",
    "pb_result_line", "pb_sealed_ballot", "pb_ballot", "pb_ballot_choice", "pb_voter_register", "pb_voting_code",
    "pb_paper_sheet", "pb_paper_outcome", "pb_pabulib_import", "pb_user_role", "pb_follow", "pb_support",
}  # fmt: skip
CODE = re.compile(r"[a-z_]+")  # a stored code (a status, a kind), not something a person wrote


async def _people_words() -> frozenset[str]:
    """What people wrote (names, titles, descriptions, comments, reasons), as peoples_phrases: it
    is shown as they wrote it and is not interface text."""
    texts = []
    for table in APP_CONFIG.table_classes:
        if table._meta.tablename in SYSTEM_TABLES:
            continue
        for row in await table.select():
            texts.extend(
                value for value in row.values() if isinstance(value, str) and value.strip() and not CODE.fullmatch(value)
            )
    return peoples_phrases(texts)


def _shape(path: str) -> str:
    return re.sub(r"/\d+", "/{id}", path.split("?")[0])


def _limit(shape: str) -> int:
    return PER_ROUND_SHAPE if "/rounds/{id}" in shape else PER_SHAPE


def _in_english(path: str) -> str:
    return "/en/" + path[len("/cy/") :]


async def _read_every_welsh_page(client, people: frozenset[str]) -> dict[str, list[str]]:
    """Breadth-first over the Welsh pages linked from the home page; English leaks per page."""
    seen, read, queue, shapes, leaks = set(), [], ["/cy/"], {}, {}
    while queue and len(read) < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(path)
        if path in seen or any(part in path for part in NOT_PAGES) or shapes.get(shape, 0) >= _limit(shape):
            continue
        seen.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        read.append(path)
        welsh = await client.get(path)
        assert welsh.status_code < 500, (path, welsh.status_code)
        if "text/html" not in welsh.headers.get("content-type", ""):
            continue
        english = await client.get(_in_english(path))
        found = await _welsh_answer(client, welsh, people, english)
        if found:
            leaks[path] = found
        for href in HREF.findall(welsh.text):
            parts = urlsplit(href.replace("&amp;", "&"))
            if parts.netloc or not parts.path.startswith("/cy/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and shapes.get(_shape(target), 0) < _limit(_shape(target)):
                queue.append(target)
    return {"__pages__": read, **leaks}


async def _demo() -> frozenset[str]:
    await seed_demo("accounts", "rounds", "proposals", "deliberation", "moderation", "voting", "tracker", "outbox")
    return await _people_words()


async def test_a_visitor_meets_no_english_on_welsh_pages(client):
    people = await _demo()
    found = await _read_every_welsh_page(client, people)
    pages = found.pop("__pages__")
    assert len(pages) > 40, pages
    assert found == {}, "\n".join(f"{path}: {texts}" for path, texts in found.items())


@pytest.mark.parametrize(
    "email, password",
    [
        ("admin@demo.pb.cymru", "admin-demo-2026"),
        ("resident@demo.pb.cymru", "resident-demo-2026"),
    ],
)
async def test_staff_and_residents_meet_no_english_on_welsh_pages(client, email, password):
    people = await _demo()
    await sign_in(client, email, password, lang="cy")
    found = await _read_every_welsh_page(client, people)
    pages = found.pop("__pages__")
    assert len(pages) > 40, pages
    if email.startswith("admin"):
        # letters, print packs, paper entry, results and every ballot are among what was read
        shapes = {_shape(path) for path in pages}
        for shape in ("codes/{id}/sheet", "sessions/{id}/pack", "paper/{id}/enter", "{id}/results", "{id}/ballots"):
            assert any(read.endswith(shape) for read in shapes), shape
    assert found == {}, "\n".join(f"{path}: {texts}" for path, texts in found.items())


async def test_voting_code_letters_are_welsh_on_the_welsh_letter_and_the_welsh_half(client):
    from pb.voting.tables import VotingCodeBatch

    people = await _demo()
    await make_user("officer@example.org", roles={"officer"}, language="cy")
    await sign_in(client, "officer@example.org", lang="cy")
    batches = await VotingCodeBatch.select(VotingCodeBatch.id, VotingCodeBatch.round).where(VotingCodeBatch.sealed_at.is_null())
    assert batches, "the demo has an unsealed batch of codes"
    batch = batches[0]
    sheet = f"/cy/manage/rounds/{batch['round']}/codes/{batch['id']}/sheet"
    for query in ("", "?bilingual=1"):
        welsh = await client.get(sheet + query)
        assert welsh.status_code == 200, welsh.text[:300]
        english = await client.get(_in_english(sheet) + query)
        assert await _welsh_answer(client, welsh, people, english) == [], query
        # The Welsh half of a letter says everything in Welsh; the English half in English.
        welsh_half = [text for text, lang in html_texts(welsh.text, "cy") if lang == "cy"]
        assert "Gallwch bleidleisio" in " ".join(welsh_half) or any("pleidleisio" in text for text in welsh_half)
    bilingual = (await client.get(sheet + "?bilingual=1")).text
    english_half = [text for text, lang in html_texts(bilingual, "cy") if lang == "en"]
    assert any("You can vote on how money is spent" in text for text in english_half)


@pytest.mark.parametrize("shown", [True, False], ids=["every-part", "no-optional-part"])
async def test_every_email_reads_as_welsh(shown):
    """Every email template rendered in Welsh, once with every optional part shown and once with
    none: no line of it is the English rendering's English."""
    from jinja2 import meta

    from pb.web.templating import environment, render_text

    env = environment()
    for template in sorted((ROOT / "pb" / "templates" / "emails").glob("*.txt")):
        name = f"emails/{template.name}"
        names: set[str] = set()
        parts, seen = [name], set()
        while parts:  # the template and every part it includes ({% include "emails/_statement.txt" %})
            part = parts.pop()
            seen.add(part)
            parsed = env.parse(env.loader.get_source(env, part)[0])
            names |= meta.find_undeclared_variables(parsed)
            parts += [included for included in meta.find_referenced_templates(parsed) if included and included not in seen]
        names -= {"_", "gettext", "ngettext", "lang"}
        if template.name.startswith("_") and not shown:
            continue  # a part of other emails (the council's details), added only when it has some
        context = {variable: "Llanrhystud" if shown else "" for variable in names}
        if "items" in names:  # the daily digest: the emails it holds
            context["items"] = [{"subject": "Llanrhystud", "body": "Llanrhystud"}] if shown else []
        if "site" in names:  # the council's details (pb.web.site): each one filled in
            context["site"] = {key: "Llanrhystud" for key in ("council_name", "phone", "opening_hours", "contact_email")}
        welsh = render_text(name, "cy", **context)
        english = render_text(name, "en", **context)
        assert welsh != english, name
        english_lines = {" ".join(line.split()) for line in english.splitlines()}
        leaks = [
            text
            for text in english_leaks(welsh, html=False, interface_english=INTERFACE_ENGLISH, interface_pattern=INTERFACE_PATTERN)
            if text in english_lines
        ]
        assert leaks == [], name


async def test_emails_sent_to_welsh_speakers_are_welsh(client):
    """The demo's own outbox: every message to a Welsh speaker reads as Welsh."""
    from pb.outbox.tables import OutboxMessage

    people = await _demo()
    sent = await OutboxMessage.select().where(OutboxMessage.language == "cy")
    assert sent, "the demo sends Welsh emails"
    for message in sent:
        body = f"{message['subject']}\n{message['body']}"
        leaks = english_leaks(
            body, html=False, people=people, interface_english=INTERFACE_ENGLISH, interface_pattern=INTERFACE_PATTERN
        )
        assert leaks == [], message["subject"]


async def _welsh_answer(client, response, people=frozenset(), english=None) -> list[str]:
    """English interface text on a Welsh page: text that reads as English and is also on the same
    page (or the same form's answer) in English, or is a catalogue message, filled in or not."""
    assert response.status_code < 500, response.status_code
    english_texts = {text for text, _ in html_texts(english.text, "en")} if english is not None else set()
    return [
        text
        for text in english_leaks(
            response.text, people=people, interface_english=INTERFACE_ENGLISH, interface_pattern=INTERFACE_PATTERN
        )
        if text in english_texts
        or text in INTERFACE_ENGLISH
        or (INTERFACE_PATTERN is not None and INTERFACE_PATTERN.fullmatch(text))
    ]


async def _both(client, path, data, action=None):
    """The same form sent in Welsh and in English: (Welsh answer, English answer)."""
    from tests.conftest import submit

    welsh = await submit(client, path, data, action=action)
    english_action = _in_english(action) if action else None
    english = await submit(client, _in_english(path), data, action=english_action)
    return welsh, english


async def test_pages_behind_forms_read_as_welsh(client):
    """What links cannot reach: a ballot over budget, the review page, the running total, the receipt,
    a refused voting code, a failed sign-in and a registration with every error, all in Welsh."""
    from tests.conftest import make_user, submit
    from tests.voting.test_voting import review_form, voting_round

    round_id, area, projects = await voting_round()
    await make_user(email="voter@example.org", language="cy")
    people = await _people_words()
    found: dict[str, list[str]] = {}

    failed, failed_en = await _both(client, "/cy/sign-in", {"email": "voter@example.org", "password": "not the password"})
    assert failed.status_code in (400, 401, 422), failed.status_code
    found["sign-in error"] = await _welsh_answer(client, failed, people, failed_en)
    registered, registered_en = await _both(client, "/cy/register", {"email": "not an email", "password": "short"})
    found["register errors"] = await _welsh_answer(client, registered, people, registered_en)
    code, code_en = await _both(client, f"/cy/rounds/{round_id}/vote/code", {"code": "ABCD-EFGH-JKLM"})
    found["code refused"] = await _welsh_answer(client, code, people, code_en)

    await sign_in(client, "voter@example.org", lang="cy")
    ballot = f"/cy/rounds/{round_id}/vote/ballot?area={area}&age=yes"
    choose = {"area": str(area), "age": "yes"}
    everything = {**choose, "choice": [str(p) for p in projects]}
    over, over_en = await _both(client, ballot, everything, action=f"/cy/rounds/{round_id}/vote/review")
    assert over.status_code == 422 and "£11,000" in over.text
    found["over budget"] = await _welsh_answer(client, over, people, over_en)
    one = {**choose, "choice": [str(projects[0])]}
    total, total_en = await _both(client, ballot, one, action=f"/cy/rounds/{round_id}/vote/total")
    found["running total"] = await _welsh_answer(client, total, people, total_en)
    review_en = await submit(client, _in_english(ballot), one, action=f"/en/rounds/{round_id}/vote/review")
    review = await submit(client, ballot, one, action=f"/cy/rounds/{round_id}/vote/review")
    assert review.status_code == 200
    found["review"] = await _welsh_answer(client, review, people, review_en)
    cast = await client.post(f"/cy/rounds/{round_id}/vote/cast", data=review_form(review.text))
    receipt = await client.get(cast.headers["location"])
    assert receipt.status_code == 200
    found["receipt"] = await _welsh_answer(client, receipt, people)
    assert {page: texts for page, texts in found.items() if texts} == {}
    # and each of them is in fact Welsh: its main heading is the catalogue's Welsh
    assert "Pleidlais" in review.text or "pleidlais" in review.text
