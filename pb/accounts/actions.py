"""Account actions: each is the one writer of the state it changes, in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pb.accounts import rules
from pb.accounts.passwords import burn_time, hash_password, needs_rehash, verify_password
from pb.accounts.tables import ROLES, EmailToken, LoginThrottle, User, UserRole
from pb.audit.actions import record
from pb.config import get_settings
from pb.db import Conflict, for_update, one, transaction
from pb.i18n import N_
from pb.outbox.actions import queue_email
from pb.security import keyed_hash, new_token

VERIFY_TTL = timedelta(hours=48)
RESET_TTL = timedelta(hours=1)


def now() -> datetime:
    return datetime.now(UTC)


def link(lang: str, path: str) -> str:
    return f"{get_settings().base_url}/{lang}{path}"


async def _issue_token(user_id: int, purpose: str, ttl: timedelta) -> str:
    token = new_token()
    await EmailToken.insert(
        EmailToken(token_hash=keyed_hash("email-token", token), user=user_id, purpose=purpose, expires_at=now() + ttl)
    )
    return token


async def _count(key: str, policy: rules.ThrottlePolicy, moment: datetime) -> tuple[int, datetime]:
    """Count one attempt under a key and return (attempts in the window, window start).

    Call inside `transaction()`: the counter row is locked (PostgreSQL) or the whole database is
    (SQLite's IMMEDIATE transaction) from read to write, so concurrent counts never lose one."""
    select = LoginThrottle.select(LoginThrottle.failures, LoginThrottle.window_started_at).where(LoginThrottle.key == key)
    row = await for_update(select).first()
    if row is None:
        # A concurrent first count may insert the same key: DO NOTHING waits for it, then we lock its row.
        await LoginThrottle.insert(LoginThrottle(key=key, failures=0, window_started_at=moment)).on_conflict(
            target=LoginThrottle.key, action="DO NOTHING"
        )
        row = await for_update(select).first()
    count, started = rules.counted(row["failures"], row["window_started_at"], moment, policy)
    await LoginThrottle.update({LoginThrottle.failures: count, LoginThrottle.window_started_at: started}).where(
        LoginThrottle.key == key
    )
    return count, started


async def count_attempt(key: str, policy: rules.ThrottlePolicy) -> datetime | None:
    """Count one attempt under a throttle key (for other capabilities' guessable things, such as
    voting codes): when to retry if this attempt is refused, else None."""
    async with transaction():
        count, started = await _count(key, policy, now())
    return rules.refused_until(count, started, policy)


async def forgive_attempt(key: str) -> None:
    """Take back one counted attempt under a key (it succeeded, so it was not a guess)."""
    await LoginThrottle.update({LoginThrottle.failures: LoginThrottle.failures - 1}).where(
        (LoginThrottle.key == key) & (LoginThrottle.failures > 0)
    )


async def _may_email(recipient: str) -> bool:
    """Count one account email to a recipient; False once MAIL_POLICY's limit is passed, and then the
    caller sends nothing and says nothing different. Call inside the caller's transaction."""
    count, _ = await _count(keyed_hash("mail", recipient), rules.MAIL_POLICY, now())
    return count <= rules.MAIL_POLICY.limit


async def _tell_owner(email: str, language: str) -> None:
    """Email an address that is already registered (instead of saying so on the page). In a transaction."""
    if await _may_email(email):
        await queue_email(
            email,
            language,
            N_("You already have an account"),
            "emails/already_registered.txt",
            sign_in_url=link(language, "/sign-in"),
            reset_url=link(language, "/password-reset"),
        )


async def register(name: str, email: str, password: str, language: str) -> None:
    """Create an account and email a confirmation link. For an address already registered, email
    its owner instead, so the form never reveals which addresses have accounts."""
    password_hash = await hash_password(password)
    try:
        async with transaction():
            existing = await User.select(User.id, User.language).where(User.email == email).first()
            if existing:
                await _tell_owner(email, existing["language"])
                return
            user = User(name=name, email=email, password_hash=password_hash, language=language)
            await User.insert(user)
            await UserRole.insert(UserRole(user=user.id, role="resident"))
            if await _may_email(email):
                await _email_link(user.id, email, name, language, "verify")
            else:
                await _issue_token(user.id, "verify", VERIFY_TTL)
    except Conflict:
        # A concurrent registration of the same address won. The unique index refuses this one, and
        # the driver's error only becomes Conflict as it leaves the transaction (which is rolled
        # back), so it is caught out here and answered as any address already registered is.
        async with transaction():
            existing = await User.select(User.language).where(User.email == email).first()
            if existing:
                await _tell_owner(email, existing["language"])


# What each emailed link is for: (lifetime, subject, email template, page it opens).
_LINKS = {
    "verify": (VERIFY_TTL, N_("Confirm your email address"), "emails/verify.txt", "/confirm-email/"),
    "reset": (RESET_TTL, N_("Reset your password"), "emails/reset.txt", "/password-reset/"),
}


async def _email_link(user_id: int, email: str, name: str, language: str, purpose: str) -> None:
    """Issue a one-time token and queue the email carrying its link, in the person's language."""
    ttl, subject, template, path = _LINKS[purpose]
    token = await _issue_token(user_id, purpose, ttl)
    await queue_email(
        email, language, subject, template, secret_until=now() + ttl, name=name, url=link(language, f"{path}{token}")
    )


async def resend_confirmation(email: str) -> None:
    async with transaction():
        user = await User.select(User.id, User.name, User.language, User.email_verified_at).where(User.email == email).first()
        if not user or user["email_verified_at"] is not None:
            return
        if not await _may_email(email):
            return
        await _email_link(user["id"], email, user["name"], user["language"], "verify")


@dataclass(frozen=True)
class TokenProblem:
    reason: str  # "invalid", "expired" or "used"


async def _take_token(token: str, purpose: str) -> int | TokenProblem:
    """Mark a token used and return its user id, or say why it cannot be used. Call in a transaction."""
    if not token or len(token) > 128:
        return TokenProblem("invalid")
    row = (
        await EmailToken.select(EmailToken.id, EmailToken.user, EmailToken.expires_at, EmailToken.used_at)
        .where((EmailToken.token_hash == keyed_hash("email-token", token)) & (EmailToken.purpose == purpose))
        .first()
    )
    if row is None:
        return TokenProblem("invalid")
    if row["used_at"] is not None:
        return TokenProblem("used")
    if row["expires_at"] <= now():
        return TokenProblem("expired")
    # The conditional update makes two simultaneous uses of one token succeed at most once.
    taken = (
        await EmailToken.update({EmailToken.used_at: now()})
        .where((EmailToken.id == row["id"]) & EmailToken.used_at.is_null())
        .returning(EmailToken.id)
    )
    if not taken:
        return TokenProblem("used")
    return row["user"]


async def check_token(token: str, purpose: str) -> TokenProblem | None:
    """Whether a token could be used now, without using it (to show the reset form)."""
    if not token or len(token) > 128:
        return TokenProblem("invalid")
    row = (
        await EmailToken.select(EmailToken.expires_at, EmailToken.used_at)
        .where((EmailToken.token_hash == keyed_hash("email-token", token)) & (EmailToken.purpose == purpose))
        .first()
    )
    if row is None:
        return TokenProblem("invalid")
    if row["used_at"] is not None:
        return TokenProblem("used")
    if row["expires_at"] <= now():
        return TokenProblem("expired")
    return None


async def confirm_email(token: str) -> TokenProblem | None:
    async with transaction():
        result = await _take_token(token, "verify")
        if isinstance(result, TokenProblem):
            return result
        await User.update({User.email_verified_at: now()}).where((User.id == result) & User.email_verified_at.is_null())
    return None


THROTTLED = N_(
    "Too many failed attempts to sign in. Try again later, or reset your password: we will email you a link "
    "to choose a new one, and then you can sign in."
)


@dataclass(frozen=True)
class SignInResult:
    user_id: int | None = None
    error: str | None = None  # a message id
    unverified: bool = False
    retry_after: datetime | None = None
    session_version: int = 0


def _throttle_keys(email: str, address: str) -> list[tuple[str, rules.ThrottlePolicy]]:
    """The counters one password attempt is made under, in a fixed order (pair, address, account):
    every transaction locks them in this order, so two attempts never deadlock. See rules.PAIR_POLICY."""
    bucket = rules.address_bucket(address)
    return [
        (keyed_hash("throttle", f"pair:{bucket}:{email}"), rules.PAIR_POLICY),
        (keyed_hash("throttle", f"address:{bucket}"), rules.ADDRESS_POLICY),
        (keyed_hash("throttle", f"account-day:{email}"), rules.ACCOUNT_DAY_POLICY),
    ]


async def _throttled_check(email: str, address: str, check: Callable[[], Awaitable[bool]]) -> tuple[bool, datetime | None]:
    """Run a password check under the sign-in throttle: (whether it passed, when to retry if refused).

    The attempt is counted first, in one transaction, and the (slow) check runs only if the count is
    still within the limits: so parallel attempts cannot all pass a check made before any is counted."""
    keys = _throttle_keys(email, address)
    moment = now()
    async with transaction():
        counts = [await _count(key, policy, moment) for key, policy in keys]
    pair, address_key, account = (key for key, _ in keys)
    refusals = [
        until
        for (_, policy), (count, started) in zip(keys, counts, strict=True)
        if (until := rules.refused_until(count, started, policy))
    ]
    if refusals:
        return False, max(refusals)
    ok = await check()
    if ok:
        # The right password: the pair starts afresh, and this attempt is taken back off the others.
        await LoginThrottle.delete().where(LoginThrottle.key == pair)
        await LoginThrottle.update({LoginThrottle.failures: LoginThrottle.failures - 1}).where(
            LoginThrottle.key.is_in([address_key, account]) & (LoginThrottle.failures > 0)
        )
    return ok, None


async def sign_in(email: str, password: str, address: str) -> SignInResult:
    """Check a password under the sign-in throttle (see rules.PAIR_POLICY); refuse while throttled."""
    user = (
        await User.select(User.id, User.password_hash, User.email_verified_at, User.is_active, User.session_version)
        .where(User.email == email)
        .first()
    )

    async def check() -> bool:
        if user is None:
            await burn_time(password)  # the same time as a real check: which addresses exist stays hidden
            return False
        if not await verify_password(user["password_hash"], password):
            await burn_time(password, user["password_hash"])  # nor whose hash is older
            return False
        return bool(user["is_active"])

    ok, until = await _throttled_check(email, address, check)
    if until or not ok or user is None:
        # Who failed to sign in, and whether they were throttled; never the password or the address.
        async with transaction():
            await record(
                None,
                "account.sign_in_throttled" if until else "account.sign_in_failed",
                f"user:{user['id']}" if user else "user:none",
            )
    if until:
        return SignInResult(error=THROTTLED, retry_after=until)
    if not ok or user is None:
        return SignInResult(error=N_("The email address or password is not right"))
    if user["email_verified_at"] is None:
        return SignInResult(error=N_("Confirm your email address before you sign in"), unverified=True)
    if needs_rehash(user["password_hash"]):
        # Made with older parameters: hash the password again now, while it is known. Only if the
        # stored hash is still the one just checked (a password change meanwhile wins).
        fresh = await hash_password(password)
        await User.update({User.password_hash: fresh}).where(
            (User.id == user["id"]) & (User.password_hash == user["password_hash"])
        )
    return SignInResult(user_id=user["id"], session_version=user["session_version"])


async def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account; say nothing either way."""
    async with transaction():
        user = await User.select(User.id, User.name, User.language).where(User.email == email).first()
        if not user or not await _may_email(email):
            return
        await _email_link(user["id"], email, user["name"], user["language"], "reset")


async def reset_password(token: str, password: str, address: str | None = None) -> TokenProblem | None:
    """Set a new password with an emailed token. Every session of the account ends (its session
    version goes up), and the sign-in counters of the account (and of this address for it) restart:
    the link proved the person owns the address."""
    password_hash = await hash_password(password)
    async with transaction():
        result = await _take_token(token, "reset")
        if isinstance(result, TokenProblem):
            return result
        # Following a reset link proves the address, so the account counts as confirmed.
        await User.update({User.password_hash: password_hash, User.session_version: User.session_version + 1}).where(
            User.id == result
        )
        await User.update({User.email_verified_at: now()}).where((User.id == result) & User.email_verified_at.is_null())
        await EmailToken.update({EmailToken.used_at: now()}).where(
            (EmailToken.user == result) & (EmailToken.purpose == "reset") & EmailToken.used_at.is_null()
        )
        email = (await one(User.select(User.email).where(User.id == result)))["email"]
        keys = _throttle_keys(email, address or "unknown")
        await LoginThrottle.delete().where(LoginThrottle.key.is_in([keys[2][0]] + ([keys[0][0]] if address else [])))
        await record(result, "account.password_reset", f"user:{result}")
    return None


@dataclass(frozen=True)
class PasswordChange:
    error: str | None = None  # a message id
    retry_after: datetime | None = None
    session_version: int | None = None  # the account's new one, for the session that made the change


async def change_password(user_id: int, current: str, new: str, address: str) -> PasswordChange:
    """Change a password after checking the current one under the sign-in throttle. Every other
    session of the account ends; the caller keeps its own by storing the new session version."""
    row = await User.select(User.email, User.password_hash).where(User.id == user_id).first()
    if not row:
        return PasswordChange(error=N_("Your current password is not right"))
    ok, until = await _throttled_check(row["email"], address, lambda: verify_password(row["password_hash"], current))
    if until:
        return PasswordChange(error=THROTTLED, retry_after=until)
    if not ok:
        return PasswordChange(error=N_("Your current password is not right"))
    password_hash = await hash_password(new)
    async with transaction():
        updated = (
            await User.update({User.password_hash: password_hash, User.session_version: User.session_version + 1})
            .where(User.id == user_id)
            .returning(User.session_version)
        )
        await record(user_id, "account.password_changed", f"user:{user_id}")
    return PasswordChange(session_version=updated[0]["session_version"])


async def set_roles(actor_id: int, user_id: int, roles: set[str]) -> None:
    """Replace a user's roles (everyone keeps 'resident'), audited.

    Safe to run concurrently: a grant another request made first is skipped (ON CONFLICT DO NOTHING
    on the (user, role) unique index), a removal another made first removes nothing, and only the
    changes this call really made are recorded."""
    roles = {role for role in roles if role in ROLES} | {"resident"}
    async with transaction():
        current = {row["role"] for row in await UserRole.select(UserRole.role).where(UserRole.user == user_id)}
        if actor_id == user_id and "admin" in current and "admin" not in roles:
            roles.add("admin")  # an admin cannot lock themselves out
        added = []
        for role in sorted(roles - current):
            inserted = (
                await UserRole.insert(UserRole(user=user_id, role=role))
                .on_conflict(target=(UserRole.user, UserRole.role), action="DO NOTHING")
                .returning(UserRole.role)
            )
            if inserted:
                added.append(role)
        removed = []
        if current - roles:
            removed = sorted(
                {
                    row["role"]
                    for row in await UserRole.delete()
                    .where((UserRole.user == user_id) & UserRole.role.is_in(sorted(current - roles)))
                    .returning(UserRole.role)
                }
            )
        if added or removed:
            await record(actor_id, "user.roles_changed", f"user:{user_id}", added=added, removed=removed)


async def set_language(user_id: int, language: str) -> None:
    await User.update({User.language: language}).where(User.id == user_id)


async def system_account(email: str, name: str) -> int:
    """A non-login account that stands for a system (such as the author of imported projects),
    made once and found after."""
    await User.insert(User(email=email, name=name, password_hash="!", is_active=False)).on_conflict(
        target=User.email, action="DO NOTHING"
    )
    row = await User.select(User.id).where(User.email == email).first()
    assert row is not None
    return row["id"]


async def create_user(name: str, email: str, password: str, language: str, roles: set[str], verified: bool = True) -> int:
    """Create a confirmed account directly (the CLI and demo data). Idempotent on email."""
    email = rules.normalise_email(email)  # as sign-in will look it up
    password_hash = await hash_password(password)
    async with transaction():
        existing = await User.select(User.id).where(User.email == email).first()
        if existing:
            user_id = existing["id"]
            await User.update({User.name: name, User.password_hash: password_hash, User.language: language}).where(
                User.id == user_id
            )
        else:
            user = User(
                name=name,
                email=email,
                password_hash=password_hash,
                language=language,
                email_verified_at=now() if verified else None,
            )
            await User.insert(user)
            user_id = user.id
        have = {row["role"] for row in await UserRole.select(UserRole.role).where(UserRole.user == user_id)}
        for role in sorted((roles | {"resident"}) - have):
            await UserRole.insert(UserRole(user=user_id, role=role)).on_conflict(
                target=(UserRole.user, UserRole.role), action="DO NOTHING"
            )
        await record(None, "user.created_by_cli", f"user:{user_id}", roles=sorted(roles))
    return user_id
