"""Bulk import of delivery updates: every row checked first, then all applied in one transaction, or none."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from litestar import Router

from pb.audit.tables import AuditEvent
from pb.proposals import actions as proposal_actions
from pb.tracker import actions, importing
from pb.tracker.importing import Known, Problem, check_rows, read_table, validate_import
from pb.tracker.tables import Delivery, DeliveryUpdate
from tests.conftest import csrf_from, make_proposal, make_round, make_user, outbox_messages, sign_in

IMPORT = "/en/manage/delivery/import"
HEADER = "external_ref,date,status,progress,spent,update_en,update_cy\n"
FORMULA = "=cmd|' /C calc'!A0"
TODAY = date(2027, 6, 30)
KNOWN = {
    "PLAY-1": Known(1, "not_started"),
    "BENCH-2": Known(2, "in_progress", latest=date(2027, 5, 1), existing=frozenset({(date(2027, 5, 1), "Benches ordered")})),
}


@pytest.fixture
def app():
    """pb's app, with the import page mounted here until pb/app.py mounts it itself."""
    from pb.app import create_app, valid_language
    from pb.tracker import imports

    built = create_app(run_outbox=False)
    if not any(route.path == "/{lang:str}/manage/delivery/import" for route in built.routes):
        built.register(Router(path="/{lang:str}", guards=[valid_language], route_handlers=imports.route_handlers))
    return built


def check(text: str, known=KNOWN, today=TODAY) -> tuple[list, list[tuple[int, str, str]]]:
    rows, problems = validate_import(text.encode("utf-8"), known, today)
    return rows, [(p.line, p.column, p.message) for p in problems]


# The pure checks -----------------------------------------------------------------------------------


@pytest.mark.pure
def test_a_clean_file_gives_typed_rows_in_any_column_order():
    text = (
        "\ufeffUpdate_CY,update_en,progress,status,date,spent,external_ref\r\n"
        'Wedi dechrau,Work started,10,in_progress,2027-06-01,"£1,250.50",PLAY-1\r\n'
        f'"Dwy\nlinell","{FORMULA}",100%,delivered,2027-06-02,,PLAY-1\r\n'
        ",,,,,,\r\n"
    )  # a trailing empty row, as spreadsheets write
    rows, problems = check(text)
    assert problems == []
    assert [(r.line, r.status, r.progress, r.spent_pence) for r in rows] == [
        (2, "in_progress", 10, 125_050),
        (3, "delivered", 100, None),
    ]
    assert rows[1].update_en == FORMULA and rows[1].update_cy == "Dwy\nlinell"  # stored as typed
    assert rows[0].on == date(2027, 6, 1)


@pytest.mark.pure
def test_each_bad_cell_is_named_by_line_and_column():
    text = HEADER + "\n".join(
        [
            "NOPE-9,2027-06-01,in_progress,10,,a,b",  # 2 unknown reference
            "PLAY-1,12/06/2027,in_progress,10,,a,b",  # 3 bad date
            "PLAY-1,2027-02-30,in_progress,10,,a,b",  # 4 no such day
            "PLAY-1,2027-06-01,finished,10,,a,b",  # 5 unknown status
            "PLAY-1,2027-06-01,in_progress,101,,a,b",  # 6 progress out of range
            "PLAY-1,2027-06-01,in_progress,-5,,a,b",  # 7 negative progress
            "PLAY-1,2027-06-01,in_progress,10,12x,a,b",  # 8 bad money
            "PLAY-1,2027-06-01,in_progress,10,,,b",  # 9 no English
            "PLAY-1,2027-06-01,in_progress,10,,a,",  # 10 no Welsh
            "PLAY-1,2027-07-09,in_progress,10,,a,b",  # 11 in the future
            ",2027-06-01,in_progress,10,,a,b",  # 12 no reference
            "BENCH-2,2027-06-01,not_started,10,,a,b",  # 13 impossible move
            "BENCH-2,2027-06-01,delivered,90,,a,b",  # 14 delivered must be 100%
            "BENCH-2,2027-04-01,in_progress,60,,a,b",  # 15 before its latest update
            "BENCH-2,2027-05-01,in_progress,60,,Benches ordered,b",  # 16 already published
            "PLAY-1,2027-06-03,in_progress,20,,ok,iawn",  # 17 fine
            "PLAY-1,2027-06-03,in_progress,20,,ok,iawn",  # 18 repeats 17
            "PLAY-1,2027-06-02,in_progress,25,,later,wedyn",  # 19 out of date order
            "PLAY-1,2027-06-04,in_progress,30,,x,y,extra",  # 20 too many cells
            "PLAY-1,2027-06-04,in_progress,30,,bad\x07bell,y",  # 21 a control character
        ]
    )
    rows, problems = check(text)
    assert rows == []
    assert problems == [
        (2, "external_ref", importing.UNKNOWN_REF),
        (3, "date", importing.BAD_DATE),
        (4, "date", importing.BAD_DATE),
        (5, "status", importing.BAD_STATUS),
        (6, "progress", importing.BAD_PROGRESS),
        (7, "progress", importing.BAD_PROGRESS),
        (8, "spent", importing.BAD_MONEY),
        (9, "update_en", importing.MISSING_EN),
        (10, "update_cy", importing.MISSING_CY),
        (11, "date", importing.FUTURE_DATE),
        (12, "external_ref", importing.MISSING_REF),
        (13, "status", "A delivery cannot move to that status from where it is"),
        (14, "progress", "A delivered project is 100%% complete"),
        (15, "date", importing.BEFORE_LATEST),
        (16, "", importing.ALREADY_PUBLISHED),
        (18, "", importing.DUPLICATE),
        (19, "date", importing.OUT_OF_ORDER),
        (20, "", importing.EXTRA_CELLS),
        (21, "update_en", importing.CONTROL_CHARACTERS),
    ]


@pytest.mark.pure
def test_status_moves_follow_the_file_row_by_row():
    ok = (
        HEADER
        + "PLAY-1,2027-06-01,in_progress,10,,a,b\nPLAY-1,2027-06-02,paused,10,,c,d\nPLAY-1,2027-06-03,in_progress,20,,e,f\n"
    )
    assert check(ok)[1] == []
    cancelled_then_on = HEADER + "PLAY-1,2027-06-01,cancelled,0,,No money,Dim arian\nPLAY-1,2027-06-02,in_progress,10,,a,b\n"
    assert check(cancelled_then_on)[1] == [(3, "status", "A delivery cannot move to that status from where it is")]


@pytest.mark.pure
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [(0, "", importing.EMPTY)]),
        (b"   \r\n", [(0, "", importing.EMPTY)]),
        (HEADER.encode(), [(0, "", importing.NO_ROWS)]),
        (b"external_ref,date\nPLAY-1,2027-06-01\n", [(1, name, importing.MISSING_COLUMN) for name in importing.COLUMNS[2:]]),
        (b"external_ref,date,status,progress,spent,update_en,update_cy,notes\n", [(1, "notes", importing.UNKNOWN_COLUMN)]),
        (b"external_ref,date,date,status,progress,spent,update_en,update_cy\n", [(1, "date", importing.REPEATED_COLUMN)]),
        (
            b"external_ref;date;status;progress;spent;update_en;update_cy\n",
            [(1, "external_ref;date;status;progress;spent;update_en;update_cy", importing.UNKNOWN_COLUMN)]
            + [(1, name, importing.MISSING_COLUMN) for name in importing.COLUMNS],
        ),
        (HEADER.encode() + "PLAY-1,2027-06-01,in_progress,10,,Caf\u00e9,Caffi\n".encode("cp1252"), [(0, "", importing.NOT_UTF8)]),
        (HEADER.encode() + b'PLAY-1,2027-06-01,in_progress,10,,"unclosed,b\n', [(2, "", importing.UNREADABLE)]),
        (HEADER.encode() + b"PLAY-1,2027-06-01,in_progress,10,,a\x00b,c\n", [(2, "update_en", importing.CONTROL_CHARACTERS)]),
        (b"x" * (importing.MAX_BYTES + 1), [(0, "", importing.TOO_BIG)]),
    ],
)
def test_files_that_cannot_be_read_say_why(data, expected):
    rows, problems = validate_import(data, KNOWN, TODAY)
    assert rows == [] and [(p.line, p.column, p.message) for p in problems] == expected


@pytest.mark.pure
def test_more_than_2000_rows_is_refused_and_2000_is_fine():
    def file(count: int) -> bytes:
        return (
            HEADER + "".join(f"PLAY-1,2027-06-01,in_progress,{i % 100},,Update {i},Diweddariad {i}\n" for i in range(count))
        ).encode()

    assert read_table(file(2001)) == ([], [Problem(0, "", importing.TOO_MANY_ROWS)])
    table, problems = read_table(file(2000))
    assert problems == [] and len(table) == 2000 and len(file(2000)) < importing.MAX_BYTES


# Through the page -------------------------------------------------------------------------------


async def project(ref: str, proposal: int | None = None, status: str = "not_started") -> int:
    row = Delivery(title_en=f"Project {ref}", title_cy=f"Prosiect {ref}", external_ref=ref, proposal=proposal, status=status)
    await Delivery.insert(row)
    return row.id


async def upload(client, content: bytes | None, notify: bool = True, name: str = "updates.csv", lang: str = "en"):
    page = await client.get(f"/{lang}/manage/delivery/import")
    assert page.status_code == 200, page.status_code
    data = {"_csrf_token": csrf_from(page.text), **({"notify": "yes"} if notify else {})}
    files = {"file": (name, content, "text/csv")} if content is not None else {"file": ("", b"", "application/octet-stream")}
    return await client.post(f"/{lang}/manage/delivery/import", data=data, files=files)


async def officer(client) -> int:
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    return officer_id


def listed_problems(html: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [
        (tr.select("td")[0].get_text(strip=True), tr.select("td")[1].get_text(strip=True))
        for tr in soup.select("#problem-table tbody tr")
    ]


async def test_an_officer_imports_a_file_in_one_go_and_followers_hear_once_per_project(client):
    round_id, areas = await make_round(phase="delivery")
    proposal = await make_proposal(round_id, areas[0], await make_user(email="a@example.org"), status="funded")
    follower = await make_user(email="f@example.org", language="cy")
    await proposal_actions.set_following(follower, "proposal", proposal, True)
    play = await project("PLAY-1", proposal=proposal)
    bench = await project("BENCH-2")
    officer_id = await officer(client)
    today = date.today()
    text = HEADER + (
        f"PLAY-1,{today - timedelta(days=3)},in_progress,20,1500,Work started,Gwaith wedi dechrau\n"
        f"BENCH-2,{today - timedelta(days=2)},cancelled,0,,No site found,Dim safle\n"
        f'PLAY-1,{today - timedelta(days=1)},delivered,100,"12,000","{FORMULA}",Wedi\'i gyflawni\n'
    )
    response = await upload(client, text.encode("utf-8"))
    assert response.status_code == 303, response.text[:500]
    assert response.headers["location"] == f"{IMPORT}?imported=3"
    done = await client.get(response.headers["location"])
    assert "3 updates were imported." in done.text
    rows = {row["id"]: row for row in await Delivery.select()}
    assert (rows[play]["status"], rows[play]["progress"], rows[play]["spent_pence"]) == ("delivered", 100, 1_200_000)
    assert rows[play]["delivered_on"] == today - timedelta(days=1)
    assert (rows[bench]["status"], rows[bench]["cancel_reason_en"], rows[bench]["cancel_reason_cy"]) == (
        "cancelled",
        "No site found",
        "Dim safle",
    )
    updates = await DeliveryUpdate.select().where(DeliveryUpdate.delivery == play).order_by(DeliveryUpdate.at)
    assert [u["body_en"] for u in updates] == ["Work started", FORMULA]  # stored as typed
    assert all(u["actor_id"] == officer_id for u in updates)
    audit = await AuditEvent.select().where(AuditEvent.action == "delivery.imported")
    assert len(audit) == 1 and '"rows": 3' in audit[0]["details"] and audit[0]["actor_id"] == officer_id
    assert await AuditEvent.count().where(AuditEvent.action == "delivery.updated") == 3
    emails = await outbox_messages()
    assert [e["recipient"] for e in emails] == ["f@example.org"]  # one email for two rows about the project
    # The same file again: already published, so nothing more.
    again = await upload(client, text.encode("utf-8"))
    assert again.status_code == 422
    assert await DeliveryUpdate.count() == 3


async def test_unticking_email_followers_sends_nothing(client):
    round_id, areas = await make_round(phase="delivery")
    proposal = await make_proposal(round_id, areas[0], await make_user(email="a@example.org"), status="funded")
    await proposal_actions.set_following(await make_user(email="f@example.org"), "proposal", proposal, True)
    await project("PLAY-1", proposal=proposal)
    await officer(client)
    text = HEADER + f"PLAY-1,{date.today()},in_progress,20,,Started,Wedi dechrau\n"
    assert (await upload(client, text.encode(), notify=False)).status_code == 303
    assert await outbox_messages() == []
    assert await DeliveryUpdate.count() == 1


async def test_a_file_with_problems_imports_nothing_and_lists_them_by_line(client):
    await project("PLAY-1")
    await officer(client)
    today = date.today()
    text = HEADER + (
        f"PLAY-1,{today},in_progress,20,,Fine,Iawn\n"
        f"PLAY-1,soon,in_progress,20,,x,y\n"
        f"NOPE,{today},in_progress,20,,x,y\n"
        f"PLAY-1,{today},paused,120,£x,,\n"
    )
    response = await upload(client, text.encode())
    assert response.status_code == 422
    assert listed_problems(response.text) == [
        ("3", "date"),
        ("4", "external_ref"),
        ("5", "progress"),
        ("5", "spent"),
        ("5", "update_en"),
        ("5", "update_cy"),
    ]
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one(".govuk-error-summary a[href='#file']")
    assert soup.select_one("#file-error") and soup.select_one("#file")["aria-describedby"].endswith("file-error")
    assert soup.title.get_text().startswith("Error:")
    assert await DeliveryUpdate.count() == 0
    assert (await Delivery.select(Delivery.status).first())["status"] == "not_started"
    assert not await AuditEvent.exists().where(AuditEvent.action == "delivery.imported")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"project,when,text\nPLAY-1,2027-01-01,hello\n", "This column is missing from the first row"),
        ("caf\u00e9".encode("cp1252"), "CSV UTF-8"),
        (None, "Choose a CSV file to upload"),
        (b"", "The file is empty"),
        (HEADER.encode() + b"PLAY-1,2027-06-01,in_progress,10,,x" * 40_000, "smaller than 1 MB"),
        (HEADER.encode() + b"\x00\xff\xfe" * 1000, "CSV UTF-8"),
    ],
)
async def test_hostile_files_are_refused_with_a_reason_not_a_500(client, content, message):
    await project("PLAY-1")
    await officer(client)
    response = await upload(client, content)
    assert response.status_code == 422, response.status_code
    assert message in response.text
    assert await DeliveryUpdate.count() == 0


async def test_a_file_far_too_big_is_refused_cleanly(client):
    await officer(client)
    response = await upload(client, b"x" * 3_000_000)
    assert response.status_code == 413
    assert await DeliveryUpdate.count() == 0


async def test_only_officers_may_import_and_the_form_needs_its_csrf_token(client):
    anonymous = await client.get(IMPORT)
    assert anonymous.status_code == 303 and "/en/sign-in" in anonymous.headers["location"]
    await make_user(email="r@example.org")
    await sign_in(client, "r@example.org")
    assert (await client.get(IMPORT)).status_code == 403
    page = await client.get("/en/account")
    response = await client.post(
        IMPORT, data={"_csrf_token": csrf_from(page.text)}, files={"file": ("u.csv", HEADER.encode(), "text/csv")}
    )
    assert response.status_code == 403
    await client.post("/en/sign-out", data={"_csrf_token": csrf_from(page.text)})
    await officer(client)
    forged = await client.post(IMPORT, files={"file": ("u.csv", HEADER.encode(), "text/csv")})
    assert forged.status_code == 403


async def test_the_page_works_in_welsh_too(client):
    await project("PLAY-1")
    await officer(client)
    page = await client.get("/cy/manage/delivery/import")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    form = soup.select_one("form[enctype='multipart/form-data']")
    assert form["action"] == "/cy/manage/delivery/import" and form.has_attr("novalidate")
    assert soup.select_one("label[for='file']") and soup.select_one("#file[type='file']")
    assert soup.select_one("#notify")["checked"] is not None
    response = await upload(client, (HEADER + f"PLAY-1,{date.today()},in_progress,5,,a,b\n").encode(), lang="cy")
    assert response.status_code == 303 and response.headers["location"].startswith("/cy/manage/delivery/import?imported=1")


async def test_a_change_between_checking_and_applying_rolls_everything_back():
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    play = await project("PLAY-1")
    await project("BENCH-2")
    today = date.today()
    text = HEADER + f"BENCH-2,{today},in_progress,10,,a,b\nPLAY-1,{today},in_progress,10,,c,d\n"
    table, problems = read_table(text.encode())
    rows, problems = check_rows(table, await importing.known_deliveries(importing.referenced(table)), today)
    assert problems == [] and len(rows) == 2
    # Meanwhile someone cancels PLAY-1 by hand.
    await actions.post_update(
        officer_id,
        play,
        {
            "status": "cancelled",
            "progress": 0,
            "body_en": "Stopped",
            "body_cy": "Wedi stopio",
            "cancel_reason_en": "No money",
            "cancel_reason_cy": "Dim arian",
            "notify": False,
        },
    )
    with pytest.raises(importing.ImportFailed) as failed:
        await importing.apply_import(officer_id, rows, notify=True)
    assert failed.value.problems == [Problem(3, "status", "A delivery cannot move to that status from where it is")]
    assert await DeliveryUpdate.count() == 1  # the hand-made one only: BENCH-2's row was rolled back
    assert (await Delivery.select(Delivery.status).where(Delivery.external_ref == "BENCH-2").first())["status"] == "not_started"


async def test_the_same_file_applied_twice_is_refused_the_second_time():
    officer_id = await make_user(email="officer@example.org", roles={"officer"})
    await project("PLAY-1")
    today = date.today()
    text = HEADER + f"PLAY-1,{today},in_progress,10,,Started,Wedi dechrau\n"
    table, _ = read_table(text.encode())
    checked, problems = check_rows(table, await importing.known_deliveries({"PLAY-1"}), today)
    assert problems == []
    # Two uploads checked at the same moment: the first applies, the second finds it done.
    assert await importing.apply_import(officer_id, checked, notify=False) == 1
    with pytest.raises(importing.ImportFailed) as failed:
        await importing.apply_import(officer_id, checked, notify=False)
    assert failed.value.problems == [Problem(2, "", importing.ALREADY_PUBLISHED)]
    assert await DeliveryUpdate.count() == 1
