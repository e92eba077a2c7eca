import pytest

from pb.config import ConfigError, load_settings

pytestmark = pytest.mark.pure

SAFE = {
    "PB_ENV": "production",
    "PB_SECRET_KEY": "x" * 40,
    "PB_BASE_URL": "https://pb.example.gov.wales",
    "PB_DATABASE_URL": "postgresql://pb@db/pb",
    "PB_WORKERS": "4",
    "PB_SMTP_HOST": "smtp.example.gov.wales",
    "PB_MAIL_FROM": "cyllidebu@example.gov.wales",
}


def test_safe_production_settings_pass():
    load_settings(SAFE).check()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"PB_SECRET_KEY": ""}, "PB_SECRET_KEY"),
        ({"PB_SECRET_KEY": "short"}, "PB_SECRET_KEY"),
        ({"PB_BASE_URL": "http://pb.example.gov.wales"}, "https://"),
        ({"PB_DATABASE_URL": "sqlite:///pb.sqlite"}, "PostgreSQL"),
        ({"PB_ARGON2_PROFILE": "test"}, "PB_ARGON2_PROFILE"),
        ({"PB_SMTP_HOST": ""}, "PB_SMTP_HOST"),
        ({"PB_MAIL_FROM": ""}, "PB_MAIL_FROM"),
        ({"PB_MAIL_FROM": "pb@localhost"}, "PB_MAIL_FROM"),
    ],
)
def test_production_refuses_unsafe_settings_and_says_why(change, reason):
    with pytest.raises(ConfigError, match=reason):
        load_settings({**SAFE, **change}).check()


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ConfigError, match="PB_DATABASE_URL"):
        load_settings({"PB_DATABASE_URL": "mysql://x", "PB_SECRET_KEY": "k" * 40}).check()


def test_development_generates_and_keeps_a_secret(tmp_path):
    env = {"PB_SECRET_FILE": str(tmp_path / "secret")}
    first = load_settings(env).secret_key
    assert len(first) >= 32
    assert load_settings(env).secret_key == first
    assert (tmp_path / "secret").stat().st_mode & 0o777 == 0o600


def test_the_secret_file_is_never_readable_by_others_even_for_a_moment(tmp_path, monkeypatch):
    """Created with mode 0600 by os.open itself (not chmod afterwards), and with O_EXCL."""
    import os

    from pb import config

    calls = []
    real_open = os.open

    def spying_open(path, flags, mode=0o777, *args, **kwargs):
        calls.append((flags, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(config.os, "open", spying_open)
    old_umask = os.umask(0)  # even with no umask to help
    try:
        load_settings({"PB_SECRET_FILE": str(tmp_path / "deep" / "secret")})
    finally:
        os.umask(old_umask)
    [(flags, mode)] = calls
    assert flags & os.O_CREAT and flags & os.O_EXCL and mode == 0o600
    assert (tmp_path / "deep" / "secret").stat().st_mode & 0o777 == 0o600


def test_a_secret_file_made_meanwhile_by_another_process_is_used(tmp_path, monkeypatch):
    import os

    from pb import config

    path = tmp_path / "secret"
    real_open = os.open

    def racing_open(p, flags, mode=0o777):
        path.write_text("written-by-the-other-process-" + "x" * 20)
        return real_open(p, flags, mode)

    monkeypatch.setattr(config.os, "open", racing_open)
    assert load_settings({"PB_SECRET_FILE": str(path)}).secret_key == "written-by-the-other-process-" + "x" * 20


def test_repr_shows_no_secrets():
    settings = load_settings(
        {**SAFE, "PB_DATABASE_URL": "postgresql://pb:db-password-123@db/pb", "PB_SMTP_PASSWORD": "smtp-pw-456"}
    )
    text = repr(settings) + str(settings)
    assert "x" * 40 not in text and "db-password-123" not in text and "smtp-pw-456" not in text
    assert "smtp.example.gov.wales" in text  # the rest is still there to help


def test_trusted_proxies_default_to_this_machine():
    assert load_settings({"PB_SECRET_KEY": "k" * 40}).trusted_proxies == "127.0.0.1"
    assert (
        load_settings({"PB_SECRET_KEY": "k" * 40, "PB_TRUSTED_PROXIES": "10.0.0.5,10.0.0.6"}).trusted_proxies
        == "10.0.0.5,10.0.0.6"
    )


def test_defaults_are_sqlite_in_the_working_directory():
    settings = load_settings({"PB_SECRET_KEY": "k" * 40})
    assert settings.database_url == "sqlite:///pb.sqlite"
    assert not settings.production
