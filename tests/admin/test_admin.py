"""An admin assigns roles; every change is in the audit log."""

import json

from bs4 import BeautifulSoup

from pb.accounts.tables import UserRole
from pb.audit.tables import AuditEvent
from tests.conftest import make_user, sign_in, submit


async def roles_of(user_id):
    return {r["role"] for r in await UserRole.select(UserRole.role).where(UserRole.user == user_id)}


async def test_admin_assigns_roles_and_it_is_audited(client):
    admin_id = await make_user(email="admin@example.org", roles={"admin"})
    person = await make_user(email="ffion@example.org", name="Ffion")
    await sign_in(client, "admin@example.org")

    listing = await client.get("/en/admin/users?q=ffion")
    assert listing.status_code == 200
    assert "ffion@example.org" in listing.text and "admin@example.org" not in listing.text

    response = await submit(
        client,
        f"/en/admin/users/{person}",
        {"roles": ["facilitator", "officer", "not-a-role"]},
        action=f"/en/admin/users/{person}/roles",
    )
    assert response.status_code == 303
    assert await roles_of(person) == {"resident", "facilitator", "officer"}

    page = BeautifulSoup((await client.get(f"/en/admin/users/{person}")).text, "html.parser")
    assert page.select_one("input[name=roles][value=facilitator]").has_attr("checked")
    assert not page.select_one("input[name=roles][value=admin]").has_attr("checked")

    event = await AuditEvent.select().where(AuditEvent.action == "user.roles_changed").first()
    assert event["actor_id"] == admin_id
    assert event["target"] == f"user:{person}"
    assert json.loads(event["details"]) == {"added": ["facilitator", "officer"], "removed": []}

    audit = BeautifulSoup((await client.get("/en/admin/audit")).text, "html.parser")
    row = audit.select("tbody tr")[0].text
    assert "Roles changed" in row and "user.roles_changed" not in row
    assert "Roles added: Facilitator, Council officer" in " ".join(row.split())
    assert "Roles removed: none" in " ".join(row.split())

    await submit(client, f"/en/admin/users/{person}", {}, action=f"/en/admin/users/{person}/roles")
    assert await roles_of(person) == {"resident"}


async def test_an_admin_cannot_remove_their_own_admin_role(client):
    admin_id = await make_user(email="admin@example.org", roles={"admin"})
    await sign_in(client, "admin@example.org")
    await submit(client, f"/en/admin/users/{admin_id}", {}, action=f"/en/admin/users/{admin_id}/roles")
    assert "admin" in await roles_of(admin_id)


async def test_roles_for_a_missing_person_is_a_404(client):
    await make_user(email="admin@example.org", roles={"admin"})
    await sign_in(client, "admin@example.org")
    assert (await client.get("/en/admin/users/999999")).status_code == 404


async def test_outbox_shows_messages_in_development(client):
    await make_user(email="admin@example.org", roles={"admin"})
    await submit(client, "/en/password-reset", {"email": "admin@example.org"})
    await sign_in(client, "admin@example.org")
    page = await client.get("/en/admin/outbox")
    assert page.status_code == 200
    assert "admin@example.org" in page.text


async def test_role_uniqueness_is_enforced_by_the_database():
    import pytest

    from pb.db import Conflict, transaction

    user_id = await make_user()
    with pytest.raises(Conflict):
        async with transaction():
            await UserRole.insert(UserRole(user=user_id, role="resident"))


async def test_concurrent_role_grants_leave_one_row():
    import asyncio

    from pb.accounts.actions import set_roles

    admin_id = await make_user(email="admin@example.org", roles={"admin"})
    person = await make_user(email="p@example.org")
    results = await asyncio.gather(*(set_roles(admin_id, person, {"officer"}) for _ in range(10)), return_exceptions=True)
    assert results == [None] * 10
    assert await UserRole.count().where((UserRole.user == person) & (UserRole.role == "officer")) == 1
    # Only the grant that happened is audited.
    assert await AuditEvent.count().where(AuditEvent.action == "user.roles_changed") == 1
    removals = await asyncio.gather(*(set_roles(admin_id, person, set()) for _ in range(10)), return_exceptions=True)
    assert removals == [None] * 10
    assert await roles_of(person) == {"resident"}
    assert await AuditEvent.count().where(AuditEvent.action == "user.roles_changed") == 2


async def test_create_user_command():
    import asyncio
    import os
    import sys

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pb.cli",
        "create-user",
        "--email",
        "Boss@Example.org",
        "--name",
        "Boss",
        "--role",
        "admin",
        "--password",
        "a very long password",
        env=os.environ.copy(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await process.communicate())[0].decode()
    assert process.returncode == 0, output
    assert "admin" in output
    from pb.accounts.tables import User

    user = await User.select(User.id).where(User.email == "boss@example.org").first()
    assert user and "admin" in await roles_of(user["id"])


async def test_create_user_command_refuses_a_weak_password():
    import asyncio
    import os
    import sys

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pb.cli",
        "create-user",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--password",
        "short",
        env=os.environ.copy(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await process.communicate())[0].decode()
    assert process.returncode != 0
    assert "at least 10 characters" in output


async def test_audit_and_outbox_pages_use_words_not_codes(client):
    from pb.audit.actions import record
    from pb.web.templating import t

    await make_user(email="admin@example.org", roles={"admin"}, language="cy")
    await record(None, "round.phase_changed", "round:1", from_phase="proposals", to_phase="review")
    await record(None, "proposal.status_changed", "proposal:2", from_status="submitted", to_status="eligible")
    await record(None, "proposal.cost_revised", "proposal:2", previous_pence=1200000, pence=1500050)
    await record(None, "something.new", "x:1", flag=True)
    await submit(client, "/cy/password-reset", {"email": "admin@example.org"})
    await sign_in(client, "admin@example.org", lang="cy")

    audit = " ".join((await client.get("/cy/admin/audit")).text.split())
    for code in ("round.phase_changed", "proposal.status_changed", "proposal.cost_revised", "from_phase", "submitted"):
        assert code not in audit
    for words in (t("cy", "Proposals open"), t("cy", "Council review"), t("cy", "Submitted"), t("cy", "Eligible"), "£15,000.50"):
        assert words in audit
    assert "something.new" in audit  # an unknown code is still shown, as it is
    english = " ".join((await client.get("/en/admin/audit")).text.split())
    assert "Round moved to another phase" in english and "From phase: Proposals open" in english

    outbox = BeautifulSoup((await client.get("/en/admin/outbox")).text, "html.parser")
    statuses = [
        row.select_one("dd").text.strip()
        for row in outbox.select(".govuk-summary-list__row")
        if row.select_one("dt").text.strip() == "Status"
    ]
    assert statuses == ["Waiting to be sent"]


async def test_audit_entries_name_who_and_what_in_the_pages_language(client):
    """An entry reads as a sentence: the officer's name (not "#4"), what it is about by its title
    in the page's language, linked, and a proposal named in its details by its title too."""
    from pb.audit.actions import record
    from tests.conftest import make_proposal, make_round

    await make_user(email="admin@example.org", roles={"admin"})
    officer = await make_user(email="owen@example.org", name="Owen Officer", roles={"officer"})
    round_id, areas = await make_round(title_en="Green Fund", title_cy="Cronfa Werdd")
    proposal = await make_proposal(round_id, areas[0], officer, title_en="New benches", title_cy="")
    await record(officer, "round.phase_changed", f"round:{round_id}", from_phase="proposals", to_phase="shortlist")
    await record(officer, "delivery.created", "delivery:999", proposal=proposal)
    await record(officer, "paper_batch.counted", "paper_batch:999", area=areas[0], status="counted")
    await record(officer, "session.changed", "session:999", changed=["starts_at", "capacity"])
    await sign_in(client, "admin@example.org")
    for lang, round_title in (("en", "Green Fund"), ("cy", "Cronfa Werdd")):
        audit = BeautifulSoup((await client.get(f"/{lang}/admin/audit")).text, "html.parser")
        rows = audit.select("tbody tr")
        changed, counted = (" ".join(row.get_text(" ").split()) for row in rows[:2])
        assert "starts_at" not in changed and "capacity" not in changed
        assert ("Riverside" if lang == "en" else "Glan yr Afon") in counted and ": counted" not in counted
        assert lang == "cy" or "Status: Counted" in counted
        rows = rows[2:]
        deleted, phase = (" ".join(row.get_text(" ").split()) for row in rows[:2])
        assert "Owen Officer" in phase and f"#{officer}" not in phase
        link = rows[1].select_one(f"a[href='/{lang}/rounds/{round_id}']")
        assert link is not None and link.get_text() == round_title
        assert f"round:{round_id}" not in phase
        # a subject no longer there is shown as recorded; the proposal in its details by title,
        # marked as English on the Welsh page (it has no Welsh title)
        assert "delivery:999" in deleted
        named = rows[0].select_one(f"a[href='/{lang}/proposals/{proposal}']")
        assert named is not None and named.get_text() == "New benches"
        assert named.get("lang") == ("en" if lang == "cy" else None)


def test_every_audited_action_has_a_name_in_the_audit_log():
    """Each action key passed to pb.audit.actions.record reads as words on the audit page: a new
    action without a name there would show its raw key to admins, in Welsh too."""
    import ast
    import re
    from pathlib import Path

    template = Path("pb/templates/admin/audit.html").read_text()
    keys: set[str] = set()
    for path in Path("pb").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "record"
                and len(node.args) > 1
            ):
                keys |= {
                    c.value
                    for c in ast.walk(node.args[1])
                    if isinstance(c, ast.Constant)
                    and isinstance(c.value, str)
                    and re.fullmatch(r"[a-z_]+\.[a-z_]*[a-z]", c.value)
                }
    assert len(keys) > 20
    assert {key for key in keys if f'"{key}":' not in template} == set()
