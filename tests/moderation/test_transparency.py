"""The public transparency log and the moderation open data: statements of reasons counted by ground,
law, clause and visibility, automation, appeals and their outcomes, the median waits in plain words
in both languages, and nothing personal (no names, emails, content, free text or ids of people) in
the page, the JSON or the CSV."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from pb.moderation import measures, transparency
from pb.moderation.tables import Appeal, ModerationDecision, Report
from pb.proposals.tables import Comment
from tests.conftest import make_proposal, make_round, make_user
from tests.opendata.schema_check import check_response

pure = pytest.mark.pure

# Everything personal the world below holds; none of it may be published.
SECRETS = (
    "Alys Author",
    "author@example.org",
    "Rhodri Reporter",
    "reporter@example.org",
    "Morgan Moderator",
    "mod@example.org",
    "Mared Moderator",
    "mod2@example.org",
    "Secret garden",
    "Gardd gudd",
    "Comment body that names Mrs Jones",
    "Report details naming Mr Smith",
    "Facts quoting the author",
    "Explanation to the author",
    "Public note text",
    "Appeal reason from the author",
    "Outcome reason from the moderator",
)


# Pure: medians, durations, counting, appeal outcomes


@pure
@pytest.mark.parametrize(
    "values, expected",
    [
        ([], None),
        ([7], 7.0),
        ([3, 1], 2.0),
        ([5, 1, 3], 3.0),
        ([4, 1, 3, 2], 2.5),
        ([10, 10, 10, 10], 10.0),
        ([0.5, 1.5], 1.0),
        ([1, 1_000_000], 500_000.5),
    ],
)
def test_the_median(values, expected):
    assert measures.median(values) == expected
    assert measures.median(iter(values)) == expected  # any iterable, read once


@pure
def test_the_median_does_not_change_its_input():
    values = [3, 1, 2]
    measures.median(values)
    assert values == [3, 1, 2]


H = 3600


@pure
@pytest.mark.parametrize(
    "seconds, expected",
    [
        (None, None),
        (0, ("under_an_hour", 0)),
        (-50, ("under_an_hour", 0)),  # clocks out of step: no wait
        (H - 1, ("under_an_hour", 0)),
        (H, ("hours", 1)),
        (1.49 * H, ("hours", 1)),
        (1.5 * H, ("hours", 2)),  # half up, not to even
        (2.5 * H, ("hours", 3)),
        (47 * H, ("hours", 47)),
        (48 * H, ("hours", 48)),
        (48.49 * H, ("hours", 48)),
        (48.5 * H, ("days", 2)),
        (60 * H, ("days", 3)),  # 2.5 days, half up
        (59 * H, ("days", 2)),
        (30 * 24 * H, ("days", 30)),
    ],
)
def test_durations_in_plain_words(seconds, expected):
    found = measures.duration(seconds)
    assert (None if found is None else (found.unit, found.amount)) == expected


@pure
def test_counting():
    rows = [
        {"clause": "spam", "action": "hide"},
        {"clause": "spam", "action": "hide"},
        {"clause": "spam", "action": "keep"},
        {"clause": "", "action": "note"},
    ]
    assert measures.tally(rows, "clause") == {"spam": {"hide": 2, "keep": 1}, "": {"note": 1}}
    assert measures.tally([], "clause") == {}
    assert measures.count(["a", "b", "a"]) == {"a": 2, "b": 1}
    assert measures.count([]) == {}


@pure
@pytest.mark.parametrize(
    "statuses, expected",
    [
        ([], None),
        (["open"], "open"),
        (["upheld"], "upheld"),
        (["overturned"], "overturned"),
        (["upheld", "open"], "open"),  # still waiting on one
        (["upheld", "overturned"], "overturned"),  # one succeeded: the decision went
        (["open", "overturned", "upheld"], "overturned"),
        (["something else"], None),
    ],
)
def test_the_outcome_of_a_decisions_appeals(statuses, expected):
    assert measures.appeal_outcome(statuses) == expected


@pure
def test_waits_and_first_reports():
    t0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert measures.waits([(t0, t0 + timedelta(hours=2)), (t0, None)]) == [7200.0]
    assert measures.waits([]) == []
    assert measures.first_by([(1, t0 + timedelta(days=1)), (1, t0), (2, t0 + timedelta(days=3))]) == {
        1: t0,
        2: t0 + timedelta(days=3),
    }
    assert measures.first_by([]) == {}


def _decision(id_, action="hide", ground="guidelines", law="", reason="spam", automated=False, appeal_id=None, at=None):
    return {
        "id": id_,
        "target_kind": "comment",
        "action": action,
        "ground": ground,
        "law": law,
        "reason": reason,
        "automated": automated,
        "appeal_id": appeal_id,
        "at": at or datetime(2026, 11, 2, 12, tzinfo=UTC),
    }


@pure
def test_figures_from_plain_rows():
    t0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
    decisions = [
        _decision(1, "hide", "unlawful", "harassment_1997", "harassment", at=t0 + timedelta(hours=5)),
        _decision(2, "hide", "guidelines", "", "spam", automated=True, at=t0 + timedelta(days=3)),
        _decision(
            3, "keep", "none", "public_order_1986", "", at=t0 + timedelta(days=1)
        ),  # a law without the ground is not counted
        _decision(4, "note", "none", "", "held"),  # an unpublished code counts as no clause
        _decision(5, "keep", "none", "", "", appeal_id=9),
    ]
    appeals = [
        {"decision": 1, "status": "overturned", "created_at": t0, "decided_at": t0 + timedelta(hours=30)},
        {"decision": 2, "status": "upheld", "created_at": t0, "decided_at": t0 + timedelta(hours=10)},
        {"decision": 2, "status": "open", "created_at": t0, "decided_at": None},
    ]
    first_reports = {1: t0, 2: t0, 3: t0 + timedelta(hours=23)}
    found = transparency.figures_from(decisions, appeals, first_reports)
    assert found.total == 5
    assert found.by_visibility == {"hide": 2, "keep": 2, "note": 1}
    assert found.by_ground == {"unlawful": {"hide": 1}, "guidelines": {"hide": 1}, "none": {"keep": 2, "note": 1}}
    assert found.by_law == {"harassment_1997": {"hide": 1}}
    assert found.by_clause == {"harassment": {"hide": 1}, "spam": {"hide": 1}, "": {"keep": 2, "note": 1}}
    assert found.automated == 1
    assert found.appeals == {"made": 3, "open": 1, "upheld": 1, "overturned": 1}
    # Waits of 5 hours, 3 days and 1 hour: the median is 5 hours. Appeals: 30 and 10 hours -> 20.
    assert (found.report_waits, found.median_report_seconds) == (3, 5 * H)
    assert (found.appeal_waits, found.median_appeal_seconds) == (2, 20 * H)

    statements = transparency.statements_from(decisions, appeals)
    assert [(s.appealed, s.appeal_outcome) for s in statements] == [
        (True, "overturned"),
        (True, "open"),
        (False, None),
        (False, None),
        (False, None),
    ]
    assert [s.law for s in statements] == ["harassment_1997", "", "", "", ""]
    assert [s.clause for s in statements] == ["harassment", "spam", "", "", ""]
    assert [s.settles_appeal for s in statements] == [False, False, False, False, True]
    assert statements[1].automated and not statements[0].automated


@pure
def test_nothing_decided_yet():
    found = transparency.figures_from([], [], {})
    assert (found.total, found.by_visibility, found.automated) == (0, {}, 0)
    assert found.appeals == {"made": 0, "open": 0, "upheld": 0, "overturned": 0}
    assert found.median_report_seconds is None and found.median_appeal_seconds is None
    assert transparency.statements_from([], []) == []


@pure
def test_a_decision_late_in_the_evening_is_dated_by_the_uk_day():
    # 23:30 UTC on 30 June is 00:30 on 1 July in Wales.
    [statement] = transparency.statements_from([_decision(1, at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))], [])
    assert statement.day == date(2026, 7, 1)


# Through the app, on both engines


async def world() -> dict:
    """Decisions of every kind on a proposal and comments whose author, reporter and moderators have
    distinctive names; reports, facts, explanations, notes and appeals full of personal text."""
    author = await make_user(email="author@example.org", name="Alys Author")
    reporter = await make_user(email="reporter@example.org", name="Rhodri Reporter")
    first = await make_user(email="mod@example.org", name="Morgan Moderator", roles={"moderator"})
    second = await make_user(email="mod2@example.org", name="Mared Moderator", roles={"moderator"})
    round_id, area_ids = await make_round()
    proposal = await make_proposal(round_id, area_ids[0], author, title_en="Secret garden", title_cy="Gardd gudd")
    comments = []
    for _ in range(4):
        row = Comment(proposal=proposal, author=author, body="Comment body that names Mrs Jones")
        await Comment.insert(row)
        comments.append(row.id)
    now = datetime.now(UTC)
    reported = now - timedelta(days=10)

    async def decide(kind, target, action, ground, law, reason, at, automated=False, appeal_id=None) -> int:
        await Report.insert(
            Report(
                target_kind=kind,
                target_id=target,
                reporter=reporter,
                reason=reason or "spam",
                details="Report details naming Mr Smith",
                created_at=reported,
                status="decided",
            )
        )
        row = ModerationDecision(
            target_kind=kind,
            target_id=target,
            moderator_id=first,
            action=action,
            reason=reason,
            explanation="Explanation to the author",
            ground=ground,
            law=law,
            facts="Facts quoting the author",
            automated=automated,
            public_note="Public note text" if action == "note" else "",
            appeal_id=appeal_id,
            at=at,
        )
        await ModerationDecision.insert(row)
        await Report.update({Report.decision_id: row.id}).where(
            (Report.target_kind == kind) & (Report.target_id == target) & (Report.reporter == reporter)
        )
        return row.id

    # Report-to-decision waits: 1, 3 and 5 days (median 3 days); the fourth is decided without a report.
    hidden = await decide(
        "comment", comments[0], "hide", "unlawful", "harassment_1997", "harassment", reported + timedelta(days=1)
    )
    spam = await decide("comment", comments[1], "hide", "guidelines", "", "spam", reported + timedelta(days=3), automated=True)
    kept = await decide("proposal", proposal, "keep", "none", "", "", reported + timedelta(days=5))
    note = ModerationDecision(
        target_kind="comment",
        target_id=comments[2],
        moderator_id=first,
        action="note",
        reason="misinformation",
        explanation="Explanation to the author",
        ground="none",
        facts="Facts quoting the author",
        public_note="Public note text",
        at=now - timedelta(days=2),
    )
    await ModerationDecision.insert(note)
    # Appeals: the author's against the hide is overturned after 30 hours; the reporter's against the
    # keep is upheld after 10 hours (median 20 hours); the author's against the spam hide is open.
    appealed_at = now - timedelta(days=4)
    overturned = Appeal(
        decision=hidden,
        appellant=author,
        role="author",
        reason="Appeal reason from the author",
        created_at=appealed_at,
        status="overturned",
        decided_by=second,
        outcome_reason="Outcome reason from the moderator",
        decided_at=appealed_at + timedelta(hours=30),
    )
    upheld = Appeal(
        decision=kept,
        appellant=reporter,
        role="reporter",
        reason="Appeal reason from the author",
        created_at=appealed_at,
        status="upheld",
        decided_by=second,
        outcome_reason="Outcome reason from the moderator",
        decided_at=appealed_at + timedelta(hours=10),
    )
    waiting = Appeal(
        decision=spam, appellant=author, role="author", reason="Appeal reason from the author", created_at=appealed_at
    )
    await Appeal.insert(overturned, upheld, waiting)
    # The decision that settled the overturned appeal: kept (restored), without a report.
    restored = ModerationDecision(
        target_kind="comment",
        target_id=comments[0],
        moderator_id=second,
        action="keep",
        reason="",
        explanation="Outcome reason from the moderator",
        ground="none",
        appeal_id=overturned.id,
        at=appealed_at + timedelta(hours=30),
    )
    await ModerationDecision.insert(restored)
    return {"people": (author, reporter, first, second), "comments": comments, "proposal": proposal}


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def figure(soup, name: str) -> str:
    return " ".join(soup.select_one(f"[data-figure={name}]").get_text(" ").split())


async def test_the_log_counts_every_part_of_the_statements_of_reasons(client):
    await world()
    response = await client.get("/en/moderation/log")  # nobody signed in: the log is public
    assert response.status_code == 200
    soup = soup_of(response)
    assert len(soup.find_all("h1")) == 1

    def cell(table, attribute, code, action):
        return soup.select_one(f"#{table} td[data-action={action}][{attribute}='{code}']").text.strip()

    assert figure(soup, "total") == "5"
    assert figure(soup, "automated") == "1"
    assert [cell("moderation-grounds", "data-ground", "unlawful", v) for v in ("hide", "keep", "note")] == ["1", "0", "0"]
    assert [cell("moderation-grounds", "data-ground", "none", v) for v in ("hide", "keep", "note")] == ["0", "2", "1"]
    assert [cell("moderation-grounds", "data-ground", "all", v) for v in ("hide", "keep", "note")] == ["2", "2", "1"]
    assert cell("moderation-laws", "data-law", "harassment_1997", "hide") == "1"
    assert cell("moderation-laws", "data-law", "public_order_1986", "hide") == "0"
    assert cell("moderation-laws", "data-law", "all", "hide") == "1"
    assert cell("moderation-log", "data-reason", "spam", "hide") == "1"
    assert cell("moderation-log", "data-reason", "misinformation", "note") == "1"
    assert cell("moderation-log", "data-reason", "", "keep") == "2"
    assert (figure(soup, "appeals-made"), figure(soup, "appeals-upheld")) == ("3", "1")
    assert (figure(soup, "appeals-overturned"), figure(soup, "appeals-open")) == ("1", "1")
    assert figure(soup, "report-wait").startswith("3 days")
    assert figure(soup, "appeal-wait").startswith("20 hours")
    for table in soup.select("main table"):
        assert table.caption.text.strip()
        assert all(th.get("scope") == "col" for th in table.select("thead th"))
        assert all(th.get("scope") == "row" for th in table.select("tbody th, tfoot th"))
        assert table.find_parent(class_="pb-table-scroll")  # reflows at 320 px
    # The open data is linked from the log.
    links = {a["href"] for a in soup.select("main a[href]")}
    assert {"/api/moderation/statements.csv", "/api/moderation/statements", "/api/moderation/summary"} <= links

    welsh = soup_of(await client.get("/cy/moderation/log"))
    assert welsh.html["lang"] == "cy"
    assert figure(welsh, "report-wait").startswith("3 diwrnod")
    assert figure(welsh, "appeal-wait").startswith("20 awr")


async def test_an_empty_log_says_nothing_is_measured_yet(client):
    for lang, words in (("en", "Not measured yet"), ("cy", "Heb ei fesur eto")):
        response = await client.get(f"/{lang}/moderation/log")
        assert response.status_code == 200
        soup = soup_of(response)
        assert figure(soup, "total") == "0"
        assert figure(soup, "report-wait") == words and figure(soup, "appeal-wait") == words
        assert soup.select_one("#moderation-log td[data-action=hide][data-reason=all]").text.strip() == "0"


@pytest.mark.parametrize(
    "hours, english, welsh",
    [(0.5, "Less than an hour", "Llai nag awr"), (1, "1 hour", "1 awr"), (2, "2 hours", "2 awr"), (72, "3 days", "3 diwrnod")],
)
async def test_waits_are_said_in_words_in_both_languages(client, hours, english, welsh):
    author = await make_user(email="author@example.org")
    round_id, area_ids = await make_round()
    proposal = await make_proposal(round_id, area_ids[0], author)
    at = datetime.now(UTC) - timedelta(days=5)
    row = ModerationDecision(
        target_kind="proposal", target_id=proposal, moderator_id=author, action="keep", reason="", at=at + timedelta(hours=hours)
    )
    await ModerationDecision.insert(row)
    await Report.insert(
        Report(
            target_kind="proposal",
            target_id=proposal,
            reporter=author,
            reason="spam",
            created_at=at,
            status="decided",
            decision_id=row.id,
        )
    )
    assert figure(soup_of(await client.get("/en/moderation/log")), "report-wait").startswith(english)
    assert figure(soup_of(await client.get("/cy/moderation/log")), "report-wait").startswith(welsh)


async def test_the_open_data_publishes_the_statements_and_the_figures_as_the_schema_says(client):
    await world()
    spec = (await client.get("/api/schema/openapi.json")).json()
    summary = await client.get("/api/moderation/summary")
    check_response(spec, summary)
    found = summary.json()
    assert found["decisions"] == {"hide": 2, "keep": 2, "note": 1, "total": 5}
    assert found["automated"] == 1
    assert found["appeals"] == {"made": 3, "open": 1, "upheld": 1, "overturned": 1}
    assert found["report_to_decision"] == {"median_hours": 72.0, "measured": 3}
    assert found["appeal_to_decision"] == {"median_hours": 20.0, "measured": 2}
    grounds = {entry["code"]: entry for entry in found["by_ground"]}
    assert list(grounds) == ["unlawful", "guidelines", "none"]
    assert grounds["unlawful"]["label"] == {"en": "Unlawful content", "cy": grounds["unlawful"]["label"]["cy"]}
    assert grounds["unlawful"]["label"]["cy"] and grounds["unlawful"]["label"]["cy"] != "Unlawful content"
    assert {entry["code"]: entry["hide"] for entry in found["by_law"]}["harassment_1997"] == 1
    clauses = {entry["code"]: entry for entry in found["by_clause"]}
    assert clauses[None]["keep"] == 2 and clauses["spam"]["hide"] == 1 and clauses["threats"]["total"] == 0

    statements = await client.get("/api/moderation/statements")
    check_response(spec, statements)
    items = statements.json()["items"]
    assert statements.json()["total"] == 5 and len(items) == 5
    assert [item["decided_on"] for item in items] == sorted(item["decided_on"] for item in items)  # oldest first
    first = next(item for item in items if item["law"] == "harassment_1997")
    assert first | {"decided_on": None} == {
        "decided_on": None,
        "item_kind": "comment",
        "visibility": "hide",
        "ground": "unlawful",
        "law": "harassment_1997",
        "clause": "harassment",
        "automated": False,
        "settles_appeal": False,
        "appealed": True,
        "appeal_outcome": "overturned",
    }
    assert sum(item["settles_appeal"] for item in items) == 1
    assert {item["appeal_outcome"] for item in items} == {"overturned", "open", "upheld", None}
    paged = (await client.get("/api/moderation/statements?per_page=2&page=3")).json()
    assert (paged["pages"], len(paged["items"]), paged["next"]) == (3, 1, None)
    assert (await client.get("/api/moderation/statements?per_page=101")).status_code == 400

    table = await client.get("/api/moderation/statements.csv")
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    assert 'filename="moderation-statements.csv"' in table.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert len(rows) == 5
    assert list(rows[0]) == [
        "decided_on",
        "item_kind",
        "visibility",
        "ground",
        "law",
        "clause",
        "automated",
        "settles_appeal",
        "appealed",
        "appeal_outcome",
    ]
    assert {row["appeal_outcome"] for row in rows} == {"overturned", "open", "upheld", ""}
    assert all(len(row["decided_on"]) == 10 for row in rows)  # the day only: no time of day

    figures = await client.get("/api/moderation/summary.csv")
    lines = list(csv.reader(io.StringIO(figures.content.decode("utf-8-sig"))))
    assert lines[0] == ["table", "code", "label_en", "label_cy", "hide", "keep", "note", "total"]
    assert ["decisions", "all", "", "", "2", "2", "1", "5"] in lines
    assert ["appeals", "overturned", "", "", "", "", "", "1"] in lines
    assert ["median_hours", "report_to_decision", "", "", "", "", "", "72.0"] in lines

    index = (await client.get("/api")).json()
    assert index["endpoints"]["moderation/statements"] == "http://testserver/api/moderation/statements"
    assert index["csv"]["moderation/statements"] == "http://testserver/api/moderation/statements.csv"


async def test_nothing_personal_is_published(client):
    await world()
    bodies = []
    for path in (
        "/en/moderation/log",
        "/cy/moderation/log",
        "/api/moderation/summary",
        "/api/moderation/statements",
        "/api/moderation/statements.csv",
        "/api/moderation/summary.csv",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
        bodies.append((path, response.content.decode("utf-8")))
    for path, body in bodies:
        for secret in SECRETS:
            assert secret not in body, (path, secret)
    for path, body in bodies[2:]:  # the data: no ids of people or items, no free-text fields
        for field in ("moderator", "reporter", "appellant", "author", "target_id", "facts", "explanation", "public_note"):
            assert field not in body, (path, field)
        assert '"id"' not in body


async def test_the_open_data_page_links_the_moderation_data(client):
    for lang in ("en", "cy"):
        soup = soup_of(await client.get(f"/{lang}/open-data"))
        links = {a["href"] for a in soup.select("main a[href]")}
        assert {"/api/moderation/statements.csv", "/api/moderation/summary.csv", f"/{lang}/moderation/log"} <= links
