"""Settings from PB_* environment variables (documented in the README).

Read once into an immutable object; `Settings.check()` refuses an unsafe production set-up.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = ("cy", "en")
DEFAULT_LANGUAGE = "en"


class ConfigError(Exception):
    """The configuration is unsafe or unusable; the message says why and what to set."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret(path: Path) -> str:
    """A development secret generated once and kept, so sessions survive restarts.

    The file is created with O_EXCL and mode 0600 in one step: it is never readable by others, not
    even for a moment, and two processes starting together cannot both write one (the loser reads
    the winner's)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


DEFAULT_MAIL_FROM = "pb@localhost"


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    # Kept out of repr: a URL can hold a database password, and the key signs sessions and tokens.
    database_url: str = field(default="sqlite:///pb.sqlite", repr=False)
    secret_key: str = field(default="", repr=False)
    base_url: str = "http://127.0.0.1:8000"
    council_name_en: str = "Demo County Council"
    council_name_cy: str = "Cyngor Sir Demo"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    redis_url: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = True
    mail_from: str = DEFAULT_MAIL_FROM
    # Addresses of reverse proxies whose X-Forwarded-For is believed (uvicorn's forwarded_allow_ips);
    # a comma-separated list. Sign-in throttling counts per client address, so it must be the real one.
    trusted_proxies: str = "127.0.0.1"
    argon2_profile: str = "standard"
    outbox_interval: float = 5.0
    secret_file: Path = Path(".pb/secret_key")
    media_dir: Path = Path(".pb/media")  # uploaded pictures, under content-hash names

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> str:
        return self.database_url.removeprefix("sqlite:///")

    def council_name(self, lang: str) -> str:
        return self.council_name_cy if lang == "cy" else self.council_name_en

    def check(self) -> None:
        """Raise ConfigError when production would run unsafely."""
        if not self.database_url.startswith(("sqlite:///", "postgres://", "postgresql://")):
            raise ConfigError("PB_DATABASE_URL must start with sqlite:/// or postgresql://")
        if self.env not in {"development", "test", "production"}:
            raise ConfigError("PB_ENV must be development, test or production")
        if not self.production:
            return
        problems = []
        if len(self.secret_key) < 32:
            problems.append("PB_SECRET_KEY must be set to a random value of at least 32 characters")
        if not self.base_url.startswith("https://"):
            problems.append("PB_BASE_URL must be an https:// address (secure cookies need it)")
        if not self.is_postgres and self.workers > 1:
            problems.append("several workers need PostgreSQL (PB_DATABASE_URL=postgresql://...)")
        if self.argon2_profile != "standard":
            problems.append("PB_ARGON2_PROFILE must be 'standard' in production")
        if not self.smtp_host:
            problems.append("PB_SMTP_HOST must be set (without it no email is ever sent: no confirmations, no password resets)")
        if self.mail_from == DEFAULT_MAIL_FROM or "@" not in self.mail_from:
            problems.append("PB_MAIL_FROM must be set to the council's sending address")
        if problems:
            raise ConfigError("Refusing to start in production: " + "; ".join(problems) + ".")


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    get = env.get
    mode = get("PB_ENV", "development")
    secret_file = Path(get("PB_SECRET_FILE", ".pb/secret_key"))
    secret = get("PB_SECRET_KEY", "")
    if not secret and mode != "production":
        secret = _dev_secret(secret_file)
    return Settings(
        env=mode,
        database_url=get("PB_DATABASE_URL", "sqlite:///pb.sqlite"),
        secret_key=secret,
        base_url=get("PB_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        council_name_en=get("PB_COUNCIL_NAME", "Demo County Council"),
        council_name_cy=get("PB_COUNCIL_NAME_CY", get("PB_COUNCIL_NAME", "Cyngor Sir Demo")),
        host=get("PB_HOST", "127.0.0.1"),
        port=int(get("PB_PORT", "8000")),
        workers=int(get("PB_WORKERS", "1")),
        redis_url=get("PB_REDIS_URL", ""),
        smtp_host=get("PB_SMTP_HOST", ""),
        smtp_port=int(get("PB_SMTP_PORT", "587")),
        smtp_user=get("PB_SMTP_USER", ""),
        smtp_password=get("PB_SMTP_PASSWORD", ""),
        smtp_starttls=_bool(get("PB_SMTP_STARTTLS"), True),
        mail_from=get("PB_MAIL_FROM", DEFAULT_MAIL_FROM),
        trusted_proxies=get("PB_TRUSTED_PROXIES", "127.0.0.1"),
        argon2_profile=get("PB_ARGON2_PROFILE", "standard"),
        outbox_interval=float(get("PB_OUTBOX_INTERVAL", "5")),
        secret_file=secret_file,
        media_dir=Path(get("PB_MEDIA_DIR", ".pb/media")),
    )


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def set_settings(settings: Settings) -> None:
    """Replace the process-wide settings (the CLI and tests choose them before the first query)."""
    global _settings
    _settings = settings
