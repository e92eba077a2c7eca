from piccolo.columns import Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

ROLES = ("resident", "facilitator", "moderator", "officer", "admin")


class User(Table, tablename="pb_user"):
    """A person with an account. Email is stored lower-cased; uniqueness is a database index."""

    id: Serial  # added by Piccolo; declared for the type checker

    email = Varchar(length=254, unique=True, null=False)
    name = Varchar(length=100, null=False)
    password_hash = Varchar(length=255, null=False)
    language = Varchar(length=2, default="en", null=False)
    email_verified_at = Timestamptz(null=True, default=None)
    is_active = Boolean(default=True, null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    # Raised when the password is reset or changed; a session made under an older value is signed out.
    session_version = Integer(default=0, null=False)


class UserRole(Table, tablename="pb_user_role"):
    """One role held by one user; (user, role) is unique by an index made in a migration."""

    id: Serial  # added by Piccolo; declared for the type checker

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    role = Varchar(length=20, null=False)
    granted_at = Timestamptz(default=TimestamptzNow(), null=False)


class EmailToken(Table, tablename="pb_email_token"):
    """A single-use, expiring token sent by email. Only a keyed hash of the token is stored."""

    id: Serial  # added by Piccolo; declared for the type checker

    token_hash = Varchar(length=64, unique=True, null=False)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    purpose = Varchar(length=16, null=False)  # "verify" or "reset"
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    expires_at = Timestamptz(null=False)
    used_at = Timestamptz(null=True, default=None)


class SessionRecord(Table, tablename="pb_session"):
    """Server-side session data shared by every worker. The key is a hash of the cookie value."""

    id: Serial  # added by Piccolo; declared for the type checker

    key = Varchar(length=64, unique=True, null=False)
    data = Text(null=False, default="{}")
    expires_at = Timestamptz(null=False)
    user_id = Integer(null=True, default=None, index=True)  # to sign a person out everywhere


class LoginThrottle(Table, tablename="pb_login_throttle"):
    """Counters in a time window, under keyed-hash keys: sign-in attempts per account, per address and
    per (account, address) pair, and account emails sent per recipient."""

    id: Serial  # added by Piccolo; declared for the type checker

    key = Varchar(length=64, unique=True, null=False)
    failures = Integer(default=0, null=False)
    window_started_at = Timestamptz(default=TimestamptzNow(), null=False)


class NotificationPreference(Table, tablename="pb_notification_preference"):
    """How one person wants one kind of email (pb.outbox.kinds): immediately, daily or never.
    (user, kind) is unique by an index; without a row the person gets them immediately."""

    id: Serial  # added by Piccolo; declared for the type checker

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=20, null=False)
    choice = Varchar(length=12, null=False, default="immediately")


class DigestItem(Table, tablename="pb_digest_item"):
    """An email held for a person's daily digest, already written in their language; deleted in the
    transaction that queues the digest."""

    id: Serial  # added by Piccolo; declared for the type checker

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=20, null=False)
    subject = Varchar(length=300, null=False)
    body = Text(null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)


class DigestSent(Table, tablename="pb_digest_sent"):
    """A person's digest was queued on this day; (user, day) is unique by an index, so two
    processes can never send one person two digests on one day."""

    id: Serial  # added by Piccolo; declared for the type checker

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    day = Date(null=False)
