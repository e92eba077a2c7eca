"""Numeric ids in paths that no row could have are a 404, never a 500 (PostgreSQL integers)."""

import pytest

from tests.conftest import make_user, sign_in


@pytest.mark.parametrize("number", ["0", "2147483648", "3000000000", "99999999999999999999"])
async def test_impossible_ids_are_not_found(client, number):
    await make_user(roles={"admin"})
    await sign_in(client)
    for path in (
        f"/en/admin/users/{number}",
        f"/en/proposals/{number}",
        f"/en/rounds/{number}",
        f"/en/manage/proposals/{number}",
    ):
        response = await client.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
