"""Password hashing sized for a city: today's parameters, and older hashes made again at sign-in."""

import asyncio

from argon2 import PasswordHasher

from pb.accounts import actions, passwords
from pb.accounts.tables import User
from pb.config import load_settings
from tests.conftest import make_user

ADDRESS = "198.51.100.7"


def test_production_parameters_are_owasps_recommended_argon2id_set():
    production = passwords._hasher("standard")
    assert (production.type.name, production.memory_cost, production.time_cost, production.parallelism) == ("ID", 19 * 1024, 2, 1)
    assert load_settings({"PB_ENV": "development"}).argon2_profile == "standard"


async def test_a_hash_made_with_older_parameters_is_made_again_at_the_next_sign_in():
    user_id = await make_user(password="correct horse battery")
    older = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=2).hash("correct horse battery")
    await User.update({User.password_hash: older}).where(User.id == user_id)
    assert passwords.needs_rehash(older)

    result = await actions.sign_in("sam@example.org", "correct horse battery", ADDRESS)
    assert result.user_id == user_id
    stored = (await User.select(User.password_hash).where(User.id == user_id).first())["password_hash"]
    assert stored != older and not passwords.needs_rehash(stored)
    assert await passwords.verify_password(stored, "correct horse battery")
    # A wrong password never rewrites anything.
    await User.update({User.password_hash: older}).where(User.id == user_id)
    assert (await actions.sign_in("sam@example.org", "wrong password!", ADDRESS)).user_id is None
    assert (await User.select(User.password_hash).where(User.id == user_id).first())["password_hash"] == older


async def test_hashing_runs_at_most_one_thread_per_core(monkeypatch):
    monkeypatch.setattr(passwords, "_limiter", None)
    monkeypatch.setattr(passwords, "HASHING_THREADS", 1)
    running = {"now": 0, "most": 0}
    real = passwords.hasher

    class Counting:
        def hash(self, password):
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
            try:
                return real().hash(password)
            finally:
                running["now"] -= 1

    monkeypatch.setattr(passwords, "hasher", Counting)
    hashes = await asyncio.gather(*(passwords.hash_password(f"password number {i}") for i in range(6)))
    assert len(set(hashes)) == 6
    assert running["most"] == 1


async def test_a_failed_sign_in_costs_the_same_with_no_account_a_new_hash_or_an_old_one(monkeypatch):
    """Each failure checks the password once against every parameter set in use (the account's own
    hash, or a dummy of each set it did not use): its time does not say whether the account exists,
    nor whether its hash is old (so not whether someone has signed in since the parameters changed)."""
    from argon2 import extract_parameters

    legacy = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=2)
    monkeypatch.setitem(passwords.LEGACY, "test", [legacy])
    checked: list[tuple] = []
    real_verify = passwords.verify_password

    async def verify(stored, password):
        p = extract_parameters(stored)
        checked.append((p.time_cost, p.memory_cost, p.parallelism))
        return await real_verify(stored, password)

    monkeypatch.setattr(passwords, "verify_password", verify)
    monkeypatch.setattr(actions, "verify_password", verify)
    fresh = await make_user(email="fresh@example.org")
    old = await make_user(email="old@example.org")
    await User.update({User.password_hash: legacy.hash("correct horse battery")}).where(User.id == old)
    costs = []
    for email in ("nobody@example.org", "fresh@example.org", "old@example.org"):
        checked.clear()
        assert (await actions.sign_in(email, "not the password", ADDRESS)).user_id is None
        costs.append(sorted(checked))
    assert costs[0] == costs[1] == costs[2] and len(costs[0]) == 2, costs
    assert fresh != old
